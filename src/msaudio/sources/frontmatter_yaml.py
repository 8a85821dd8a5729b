"""YAML front matter parsed with limits: a few hundred bytes of aliases must not stall a build.

PyYAML's ``safe_load`` expands every alias, so nested anchors grow exponentially
(the "billion laughs"). Front matter is a handful of flat keys: anchors and aliases
have no use there, so they are refused outright, and so is front matter over a size cap.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_FRONT_MATTER_CHARS = 64 * 1024
"""Longest front matter read; a title, a summary and a few tags need a fraction of this."""


class FrontMatterLimit(yaml.YAMLError):
    """Front matter that is refused before it is built into Python values."""


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first anchor or alias."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise FrontMatterLimit("anchors and aliases (& and *) are not allowed")
        return super().compose_node(parent, index)


def load_front_matter(text: str) -> Any:
    """``text`` parsed as YAML, safely and within limits; raises :class:`yaml.YAMLError`."""
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterLimit(
            f"front matter is {len(text):,} characters; at most {MAX_FRONT_MATTER_CHARS:,}"
        )
    return yaml.load(text, Loader=_LimitedLoader)
