"""The Jinja environments of the package's templates (pages, talking book): one setting for all."""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def environment(folder: str) -> jinja2.Environment:
    """Autoescaping templates of ``msaudio/<folder>``, strict about undefined names.

    Templates ship inside the package and do not change while a build runs:
    without auto_reload each render (and its base template) skips a stat().
    """
    return jinja2.Environment(
        loader=jinja2.PackageLoader("msaudio", folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
