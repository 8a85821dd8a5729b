"""Markdown with optional YAML front matter → :class:`~msaudio.model.Article`.

The body is parsed with markdown-it-py (CommonMark, GitHub's tables and
strikethrough, footnotes, task lists and definition lists) and read from its
syntax tree by :mod:`msaudio.sources.markdown_body`, which says what is read
and what is not (footnotes are read at the end, under "Notes").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from msaudio.config import voice_problem
from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind, VoiceChoice
from msaudio.sources.common import (
    clean_text,
    drop_boilerplate,
    humanise,
    make_article,
    parse_date,
)
from msaudio.sources.frontmatter_yaml import load_front_matter
from msaudio.sources.markdown_body import body_blocks

REMOVED = "front matter, code, raw HTML and calls to action"

_FENCE = re.compile(
    r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.DOTALL | re.MULTILINE
)


@dataclass
class FrontMatter:
    """The front matter keys msaudio understands; unknown keys are ignored."""

    title: str | None = None
    author: str | None = None
    date: dt.date | None = None
    summary: str | None = None
    credit: str | None = None
    guid: str | None = None
    tags: tuple[str, ...] = field(default=())
    voice: VoiceChoice = field(default_factory=VoiceChoice)
    """``engine``, ``voice`` and ``speed`` for this episode, checked like ``podcast.toml``'s."""


def parse_markdown(text: str, path: Path) -> Article:
    """Parse Markdown ``text`` (with optional front matter) read from ``path``."""
    meta, body = split_front_matter(text, path)
    blocks, credit = markdown_blocks(body)
    title = meta.title
    h1 = next(
        (i for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING and b.level == 1), None
    )
    if h1 is not None:
        same = title is not None and clean_text(blocks[h1].text).casefold() == title.casefold()
        if title is None or (same and h1 == 0):
            title = blocks[h1].text
            del blocks[h1]
    return make_article(
        path,
        title or humanise(path.stem),
        blocks,
        removed=REMOVED,
        author=meta.author,
        date=meta.date,
        summary=meta.summary,
        credit=meta.credit or credit,
        guid=meta.guid,
        tags=meta.tags,
        voice=meta.voice,
    )


def split_front_matter(text: str, path: Path) -> tuple[FrontMatter, str]:
    """Split ``---``-fenced YAML front matter from the body and validate it."""
    if not re.match(r"---[ \t]*\n", text):
        return FrontMatter(), text
    match = _FENCE.match(text)
    if match is None:
        raise ArticleError("front matter opened with '---' is never closed by '---'", path)
    try:
        data = load_front_matter(match.group("yaml"))
    except yaml.YAMLError as error:
        raise ArticleError(f"invalid YAML front matter: {_yaml_problem(error)}", path) from None
    except RecursionError:
        raise ArticleError("invalid YAML front matter: nested too deeply", path) from None
    except (ValueError, OverflowError) as error:  # a YAML date that is no date: 2026-02-30
        raise ArticleError(f"invalid YAML front matter: {error}", path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ArticleError(f"front matter must be a mapping of keys to values, not a {kind}", path)
    return _front_matter(data, path), text[match.end() :]


def _yaml_problem(error: yaml.YAMLError) -> str:
    """One-line description of a YAML error, with the file line number."""
    problem = getattr(error, "problem", None) or str(error)
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        return f"{problem} (line {mark.line + 2})"
    return str(problem)


def _front_matter(data: dict[Any, Any], path: Path) -> FrontMatter:
    """Validate the known keys of a front matter mapping."""
    date: dt.date | None = None
    raw_date = data.get("date")
    if raw_date is not None:
        date = _date(raw_date, path)
    for key in ("title", "summary", "credit", "guid"):
        _check_scalar(key, data.get(key), "text", path)
    author = data.get("author")
    for name in author if isinstance(author, list) else [author]:
        _check_scalar("author", name, "a name or a list of names", path)
    tags = data.get("tags")
    if isinstance(tags, dict):
        _check_scalar("tags", tags, "a list of tags or a comma-separated line", path)
    return FrontMatter(
        title=_string(data.get("title")),
        author=_author(author),
        date=date,
        summary=_string(data.get("summary")),
        credit=_string(data.get("credit")),
        guid=_string(data.get("guid")),
        tags=_tags(tags),
        voice=_voice(data, path),
    )


def _check_scalar(key: str, value: object, expected: str, path: Path) -> None:
    """Raise :class:`ArticleError` when front matter ``key`` holds a list or a mapping."""
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        found = repr(value)
        found = found if len(found) <= 40 else found[:37] + "..."
        raise ArticleError(f"front matter {key}: found {kind} {found}, expected {expected}", path)


def _voice(data: dict[Any, Any], path: Path) -> VoiceChoice:
    """The episode's own engine, voice and speed, validated like ``[voice]`` in podcast.toml."""
    values: dict[str, Any] = {}
    for key in ("engine", "voice", "speed"):
        value = data.get(key)
        if value is None:
            continue
        problem = voice_problem(key, value)
        if problem is not None:
            raise ArticleError(f"front matter {key}: found {value!r}, expected {problem}", path)
        values[key] = float(value) if key == "speed" else value.strip()
    return VoiceChoice(**values)


def _string(value: object) -> str | None:
    """A scalar front matter value as text; ``None`` when absent or empty."""
    if value is None or isinstance(value, (dict, list)):
        return None
    return clean_text(str(value)) or None


def _author(value: object) -> str | None:
    """One author, or several joined with "and"."""
    if isinstance(value, list):
        names = [name for name in (_string(v) for v in value) if name]
        return " and ".join(names) or None
    return _string(value)


def _date(value: object, path: Path) -> dt.date:
    """A front matter date: a YAML date/datetime or a ``YYYY-MM-DD`` string."""
    date = parse_date(value)
    if date is None:
        raise ArticleError(f"front matter date must be YYYY-MM-DD, got {value!r}", path)
    return date


def _tags(value: object) -> tuple[str, ...]:
    """Tags from a YAML list or a comma-separated string."""
    if isinstance(value, list):
        raw = [str(v) for v in value if v is not None]
    elif isinstance(value, str):
        raw = value.split(",")
    else:
        return ()
    return tuple(tag for tag in (clean_text(t) for t in raw) if tag)


def markdown_blocks(body: str) -> tuple[list[Block], str | None]:
    """Blocks of a Markdown body in reading order, and the first credit line found."""
    return drop_boilerplate(body_blocks(body), structural=True)
