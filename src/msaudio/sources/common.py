"""Small text helpers shared by the article readers."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind, CleanupRules, VoiceChoice
from msaudio.text.chrome import classify
from msaudio.text.cleanup import site_name
from msaudio.text.script import CHARS_PER_SECOND
from msaudio.text.sentences import full_stops
from msaudio.text.tables import clean_table

_INVISIBLE = dict.fromkeys(
    [
        *map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\uffff"),
        *range(0x09),
        *range(0x0E, 0x1C),
        *range(0x7F, 0x85),
        *range(0x86, 0xA0),
        *range(0xD800, 0xE000),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
"""Soft hyphen, zero-width characters, stray byte-order marks, control characters that are
not whitespace, lone surrogates and non-characters (front matter can hold any of them, and
no feed, page or tag can carry the last ones), and the bidirectional embeddings, overrides and
isolates (unbalanced, they reorder whatever follows them in a page or an app): deleted."""

# fmt: off
_TRANSLITERATE = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
    "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
})
"""Letters that NFKD does not split into an ASCII base letter plus accents."""
# fmt: on

SLUG_MAX = 80
"""Longest slug produced; file systems and URLs stay comfortable below this."""
LEGACY_SLUG = "episode"
"""What every name without ASCII letters or digits slugged to in msaudio 0.3.0 and before."""


MAX_TEXT_CHARS = 250_000
"""Longest article narrated, in characters of text: about 3.8 hours of speech.

An episode is for listening in a sitting or two, with a chapter every minute
or two; beyond a few hours an article is a book, better split into episodes.
The limit also bounds what one episode costs: its speech is spilled to disk
as float32 samples (about 0.6 GB an hour at 44.1 kHz), and piper speaks at
some 20 times real time on two cores, so 3.8 hours take about 2.4 GB of
temporary disk and 12 minutes. A 5 MB text would be some 75 hours: 50 GB of
disk and hours of work before the build could publish anything.
"""


def check_length(chars: int, path: Path) -> None:
    """Raise :class:`ArticleError` when ``chars`` characters of text are over the limit."""
    if chars > MAX_TEXT_CHARS:
        hours = chars / CHARS_PER_SECOND / 3600
        limit = MAX_TEXT_CHARS / CHARS_PER_SECOND / 3600
        raise ArticleError(
            f"article is too long: {chars:,} characters, about {hours:.1f} hours of speech; "
            f"msaudio narrates at most {MAX_TEXT_CHARS:,} characters (about {limit:.1f} hours) "
            "per episode, so split it into several articles",
            path,
        )


def clean_text(text: str) -> str:
    """Return ``text`` NFC-normalised, invisible characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def slugify(stem: str) -> str:
    """Turn a file stem into a URL-safe ASCII slug; never empty, never a path.

    A stem with no ASCII letter or digit to keep (``русский``, ``日本語``) gets
    ``episode-`` and 8 hex digits of its SHA-256, so two such names never share
    an episode.
    """
    return (
        ascii_slug(stem)
        or "episode-"
        + hashlib.sha256(unicodedata.normalize("NFC", stem).encode("utf-8")).hexdigest()[:8]
    )


def ascii_slug(stem: str) -> str:
    """The ASCII letters and digits of ``stem`` as a slug; ``""`` when there are none.

    Before names without any got their own slug, all of them were ``episode``
    (see :data:`LEGACY_SLUG`): an episode published so keeps that name.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", stem.translate(_TRANSLITERATE))
        .encode("ascii", "ignore")
        .decode("ascii")
        .lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def humanise(stem: str) -> str:
    """Make a readable title from a file stem: ``pacing-your-energy`` → ``Pacing your energy``."""
    words = clean_text(re.sub(r"[-_]+", " ", stem))
    return words[:1].upper() + words[1:] if words else "Untitled episode"


def parse_date(value: object) -> dt.date | None:
    """Read a date from a date, a datetime or an ISO 8601 string; else ``None``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def keep_block(block: Block) -> Block | None:
    """Return ``block`` with its text whitespace-normalised, or ``None`` when it is empty."""
    if block.kind is BlockKind.TABLE:
        return clean_table(block, clean_text)
    if block.kind is BlockKind.LIST:
        items = tuple(item for item in (clean_text(i) for i in block.items) if item)
        return Block(BlockKind.LIST, items=items) if items else None
    text = clean_text(block.text)
    if not text:
        return None
    level = block.level if block.kind is BlockKind.HEADING else 0
    return Block(block.kind, text=text, level=level)


def make_article(
    path: Path,
    title: str,
    blocks: Iterable[Block],
    *,
    removed: str,
    author: str | None = None,
    date: dt.date | None = None,
    summary: str | None = None,
    credit: str | None = None,
    shared_by: str | None = None,
    guid: str | None = None,
    tags: Iterable[str] = (),
    voice: VoiceChoice | None = None,
) -> Article:
    """Assemble an :class:`Article`, dropping empty blocks.

    ``removed`` says what the reader took out (for the error when nothing is left).
    """
    kept = tuple(b for b in (keep_block(block) for block in blocks) if b is not None)
    kept = _without_byline(kept, _optional(author))
    if not kept:
        raise ArticleError(f"no readable text after removing {removed}", path)
    return Article(
        source=path,
        slug=slugify(path.stem),
        title=clean_text(title) or humanise(path.stem),
        blocks=kept,
        author=_optional(author),
        date=date,
        summary=_optional(summary),
        credit=_optional(credit),
        shared_by=_optional(shared_by),
        guid=_optional(guid),
        tags=tuple(t for t in (clean_text(tag) for tag in tags) if t),
        voice=voice or VoiceChoice(),
    )


BYLINE = re.compile(r"^(?:written\s+|posted\s+|words\s+)?by\s*:?\s+(?P<name>.+)$", re.IGNORECASE)
"""A line that names the author: ``By Jo Bell``, ``Written by: Jo Bell``."""
BYLINE_REACH = 3
"""How many blocks from the top a byline may stand (after a title, a date or an image)."""


def _without_byline(blocks: tuple[Block, ...], author: str | None) -> tuple[Block, ...]:
    """``blocks`` without a paragraph near the top that only repeats the author ("By Jo Bell"),
    whom the intro names already ("Written by Jo Bell.")."""
    if author is None:
        return blocks
    for index, block in enumerate(blocks[:BYLINE_REACH]):
        byline = BYLINE.match(block.text) if block.kind is BlockKind.PARAGRAPH else None
        if byline and byline.group("name").rstrip(" .").casefold() == author.casefold():
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _optional(value: str | None) -> str | None:
    """Whitespace-normalise an optional string; empty becomes ``None``."""
    if value is None:
        return None
    return clean_text(value) or None


BOILERPLATE_MAX = 160
"""Longer lines are real prose and are never treated as boilerplate."""

_CREDIT_TRIM = " .,:;!?-\u2013\u2014\u2026\"'\u201c\u201d\u2018\u2019()[]"
"""Characters trimmed from both ends of a credit."""

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Boilerplate:
    """A line matched by a pattern of ``data/boilerplate.txt``."""

    credit: str | None
    """The source it names, cleaned, when the pattern captures one."""

    shared: str | None = None
    """Who shared the article, cleaned, when the pattern captures that."""


NO_RULES = CleanupRules()
RULES: ContextVar[CleanupRules] = ContextVar("msaudio_cleanup_rules", default=NO_RULES)
"""The rules in force while an article is read; :func:`msaudio.sources.read_article` sets them."""


@functools.cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


IN_PARAGRAPH = "(?#in-paragraph)"
"""Marks a pattern of ``data/boilerplate.txt`` that also applies to single sentences."""


@functools.cache
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """The compiled patterns of ``msaudio/data/boilerplate.txt`` (loaded once)."""
    source = resources.files("msaudio").joinpath("data", "boilerplate.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    return tuple(
        re.compile(line.strip(), re.IGNORECASE)
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    )


@functools.cache
def sentence_patterns() -> tuple[re.Pattern[str], ...]:
    """The packaged patterns marked :data:`IN_PARAGRAPH`, which also match single sentences."""
    return tuple(p for p in boilerplate_patterns() if p.pattern.startswith(IN_PARAGRAPH))


def kept_by_rules(line: str) -> bool:
    """Whether one of the show's ``keep`` patterns matches ``line`` (it is then always read)."""
    text = clean_text(line)
    return any(pattern.search(text) for pattern in _compiled(RULES.get().keep))


def match_boilerplate(line: str, *, sentence: bool = False) -> Boilerplate | None:
    """Return what ``line`` is when it is boilerplate (never read aloud), else ``None``.

    The packaged patterns apply, then the show's ``drop`` patterns; a line
    matching one of the show's ``keep`` patterns is never boilerplate. For one
    ``sentence`` of a paragraph, only the packaged patterns marked
    :data:`IN_PARAGRAPH` apply (and the show's own).
    """
    return _match_boilerplate(line, RULES.get(), sentence)


@functools.lru_cache(maxsize=4096)
def _match_boilerplate(line: str, rules: CleanupRules, sentence: bool) -> Boilerplate | None:
    text = clean_text(line)
    if not text or any(pattern.search(text) for pattern in _compiled(rules.keep)):
        return None
    if any(pattern.search(text) for pattern in _compiled(rules.drop)):
        return Boilerplate(credit=None)
    if len(text) > BOILERPLATE_MAX:
        return None
    for pattern in sentence_patterns() if sentence else boilerplate_patterns():
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            credit, shared = groups.get("credit"), groups.get("shared")
            return Boilerplate(
                credit=clean_credit(credit) if credit else None,
                shared=clean_credit(shared) if shared else None,
            )
    return None


def clean_credit(raw: str) -> str | None:
    """Make a publication name from a credit: ``#Healthline.`` → ``Healthline``; URLs → host."""
    text = clean_text(raw)
    url = _URL.search(text)
    if url:
        rest = clean_text(_URL.sub(" ", text))
        text = rest if re.search(r"[^\W_]", rest) else site_name(url.group(0))
    text = text.replace("#", "").replace("@", "")
    text = re.sub(r"\s*\b(?:here|now)\W*$", "", text, flags=re.IGNORECASE)
    text = clean_text(text.strip(_CREDIT_TRIM))
    return text or None


def has_url(text: str) -> bool:
    """Whether ``text`` contains a web address."""
    return _URL.search(text) is not None


def drop_boilerplate(
    blocks: Iterable[Block], *, structural: bool = False, extracted: bool = False
) -> tuple[list[Block], str | None]:
    """Remove paragraphs that are boilerplate; returns the rest and the first credit named.

    With ``structural``, paragraphs that :func:`msaudio.text.chrome.classify` judges page
    chrome go too (the show's ``keep`` patterns still win); ``extracted`` says the blocks
    are a page's extracted article (see there).
    """
    blocks = list(blocks)
    texts = [_block_text(b) for b in blocks]
    chrome = classify(texts, extracted=extracted) if structural else [False] * len(blocks)
    kept: list[Block] = []
    credit: str | None = None
    for block, is_chrome in zip(blocks, chrome, strict=True):
        if block.kind is BlockKind.PARAGRAPH:
            boilerplate = match_boilerplate(block.text)
            if boilerplate is not None:
                credit = credit or boilerplate.credit or boilerplate.shared
                continue
            if is_chrome and not kept_by_rules(block.text):
                continue
        kept.append(block)
    return kept, credit


def _block_text(block: Block) -> str:
    """A block as one line for the classifier: a list reads as the sentences of its items."""
    if block.kind is BlockKind.LIST:
        return " ".join(item.rstrip(".") + "." for item in block.items)
    return block.text


def drop_boilerplate_sentences(article: Article) -> Article:
    """``article`` without the boilerplate sentences inside its paragraphs.

    A call to action or a credit pasted at the end of a paragraph ("... walking.
    Click here to continue reading from #Healthline") is not read; a credit found
    this way names the source when the article has none yet.
    """
    blocks: list[Block] = []
    credit, shared = article.credit, article.shared_by
    for block in article.blocks:
        sentences = full_stops(block.text) if block.kind is BlockKind.PARAGRAPH else []
        if len(sentences) < 2:
            blocks.append(block)
            continue
        kept = []
        for sentence in sentences:
            boilerplate = match_boilerplate(sentence, sentence=True)
            if boilerplate is None:
                kept.append(sentence)
            else:
                credit = credit or boilerplate.credit
                shared = shared or boilerplate.shared
        if kept:
            blocks.append(
                replace(block, text=" ".join(kept)) if len(kept) < len(sentences) else block
            )
    return replace(article, blocks=tuple(blocks), credit=credit, shared_by=shared)
