"""Article → Script: what the narrator says, grouped into chapters.

The intro (title, byline, length and number of sections) opens the first
section; every heading starts a new section whose first sentence is the
heading itself; the outro (the source credit and a sign-off) closes the last
section.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from msaudio.config import AudioSettings
from msaudio.model import Article, Block, BlockKind, Pause, Script, Section, Sentence
from msaudio.text.normalize import Lexicon, load_lexicon, number_words, speakable
from msaudio.text.sections import split_into_parts
from msaudio.text.sentences import fit, split_sentences
from msaudio.text.table_speech import table_rows

SUMMARY_CHARS = 400
CHARS_PER_SECOND = 18.5
"""Speaking rate of the bundled piper voice at speed 1.0, measured on the sample show."""
_AUDIO = AudioSettings()
PAUSE_SECONDS = {
    Pause.SENTENCE: _AUDIO.sentence_pause,
    Pause.PARAGRAPH: _AUDIO.paragraph_pause,
    Pause.SECTION: _AUDIO.section_pause,
}
"""The default pauses (see :class:`msaudio.config.AudioSettings`)."""
OVERVIEW_SECONDS = 2.5
"""About how long the overview sentence itself takes to say."""
OVERVIEW_PLACEHOLDER = "About one minute, with one section."


@dataclass
class _Draft:
    title: str
    speech: _Speech
    sentences: list[Sentence] = field(default_factory=list)

    def add(
        self, text: str, pause: Pause = Pause.PARAGRAPH, block: int = -1, item: int = 0
    ) -> None:
        """Add ``text`` as sentences; the last one gets ``pause``; all read ``block``'s ``item``."""
        pairs = self.speech.sentences(text)
        for index, (display, spoken) in enumerate(pairs):
            last = index == len(pairs) - 1
            self.sentences.append(
                Sentence(display, spoken, pause if last else Pause.SENTENCE, block, item)
            )


@dataclass(frozen=True)
class _Speech:
    """How text becomes sentences: the engine's limit and the pronunciation lexicon."""

    max_chars: int
    lexicon: Lexicon

    def sentences(self, text: str) -> list[tuple[str, str]]:
        """(display, spoken) pairs of ``text``; every spoken text fits the engine's limit."""
        return [pair for s in split_sentences(text, self.max_chars) for pair in self._fitted(s)]

    def _fitted(self, display: str) -> list[tuple[str, str]]:
        """One sentence as (display, spoken) pairs whose spoken text fits.

        Normalization can lengthen a sentence ("MS" → "M S", "98.6°F" → "ninety-eight
        point six degrees Fahrenheit"), so a sentence whose spoken form is too long is
        cut between words on the display side, smaller until the pieces fit. A single
        word that is still too long (a huge number) is said in pieces, shown as said.
        """
        spoken = speakable(display, self.lexicon)
        if len(spoken) <= self.max_chars:
            return [(display, spoken)]
        words = display.split()
        if len(words) > 1:
            shortest = max(map(len, words))
            limit = max(shortest, min(len(display) - 1, int(len(display) * 0.8)))
            pieces = fit(display, limit)
            return [pair for piece in pieces for pair in self._fitted(piece)]
        said = fit(spoken, self.max_chars)
        return [(display, said[0]), *((piece, piece) for piece in said[1:])]


def _as_sentence(text: str) -> str:
    """Give a heading or list item a closing stop so it is said as a statement."""
    text = text.strip()
    return text if text[-1:] in ".!?…:;" else f"{text}."


def _block_texts(block: Block) -> list[tuple[int, str]]:
    """What is said for ``block``, each text with the list item or table row it reads."""
    if block.kind is BlockKind.LIST:
        return [(i, _as_sentence(item)) for i, item in enumerate(block.items) if item.strip()]
    if block.kind is BlockKind.TABLE:
        return table_rows(block)
    if block.kind is BlockKind.IMAGE:
        return [(0, _as_sentence(f"Image: {block.text}"))] if block.text.strip() else []
    return [(0, block.text)] if block.text.strip() else []


SMALL_NUMBERS = 20
"""Counts up to this are said as words in the intro ("four minutes"), larger ones as digits."""


def _count(number: int, noun: str) -> str:
    """``3, "section"`` → ``"three sections"``: small numbers as words, for every engine."""
    word = number_words(number) if number <= SMALL_NUMBERS else str(number)
    return f"{word} {noun}" if number == 1 else f"{word} {noun}s"


def overview_text(seconds: float, sections: int) -> str:
    """The intro sentence that tells the listener how long the episode is and how it is divided."""
    minutes = max(1, round(seconds / 60))
    # "with", not "in": after the comma piper's short "in" was heard as "and" in 6 takes of 6.
    return f"About {_count(minutes, 'minute')}, with {_count(sections, 'section')}."


def estimate_seconds(script: Script, speed: float = 1.0) -> float:
    """A length for a script not yet spoken: piper's usual pace plus the default pauses."""
    sentences = script.sentences()
    spoken = sum(len(sentence.spoken) for sentence in sentences) / CHARS_PER_SECOND
    return (spoken + sum(PAUSE_SECONDS[s.pause] for s in sentences)) / speed


def with_overview(script: Script, seconds: float) -> Script:
    """``script`` with its overview sentence stating ``seconds`` as the episode's length."""
    if script.overview is None:
        return script
    text = overview_text(seconds, len(script.sections))
    index = script.overview
    sections = []
    for section in script.sections:
        sentences = list(section.sentences)
        if 0 <= index < len(sentences):
            sentences[index] = replace(sentences[index], display=text, spoken=text)
        index -= len(sentences)
        sections.append(Section(section.title, tuple(sentences)))
    return Script(script.title, tuple(sections), script.overview)


def build_script(
    article: Article, max_chars: int, speed: float = 1.0, lexicon: Lexicon | None = None
) -> Script:
    """The speech script of ``article`` for an engine accepting ``max_chars`` per call.

    The intro gives the title, the author and the episode's length and number
    of sections; the length here is an estimate, which narration replaces with
    the measured one (see :attr:`msaudio.model.Script.overview`). Every
    sentence's spoken text goes through the pronunciation ``lexicon`` (the
    defaults when ``None``); its display text stays as written. An article
    without headings is divided into parts of one to two minutes.
    """
    speech = _Speech(max_chars, lexicon if lexicon is not None else load_lexicon())
    intro = _Draft(article.title, speech)
    intro.add(_as_sentence(article.title))
    if article.author:
        # "Written by" rather than a bare "By": after the title's pause, the automatic listener
        # heard "By" as "I'd" and lost 56% of the names' words, against 35% (12 names, 2 takes).
        intro.add(f"Written by {article.author}.")
    overview = len(intro.sentences)
    intro.add(OVERVIEW_PLACEHOLDER)

    drafts = [intro]
    # Blocks by identity: chapters hold the article's own Block objects, and equal blocks
    # (two identical paragraphs) are still two places in the article.
    where = {id(block): index for index, block in enumerate(article.blocks)}
    for chapter in _chapters(article.blocks):
        if chapter.title is not None:
            drafts.append(_Draft(chapter.title, speech))
        if chapter.heading is not None:
            source = where[id(chapter.source)] if chapter.source is not None else -1
            drafts[-1].add(chapter.heading, block=source)
        for block in chapter.blocks:
            for item, text in _block_texts(block):
                drafts[-1].add(text, block=where[id(block)], item=item)

    if len(drafts) > 1 and len(drafts[0].sentences) <= overview + 1:
        # Only the title, byline and overview precede the first heading: keep them in that chapter.
        first = drafts.pop(1)
        drafts[0] = _Draft(first.title, speech, drafts[0].sentences + first.sentences)

    outro = drafts[-1]
    for credit in credits(article):
        outro.add(credit)
    outro.add("Thank you for listening.")

    sections = []
    for draft in drafts:
        if not draft.sentences:
            continue
        *body, last = draft.sentences
        sentences = (*body, replace(last, pause=Pause.SECTION))
        sections.append(Section(draft.title, sentences))
    script = Script(article.title, tuple(sections), overview)
    return with_overview(script, estimate_seconds(script, speed))


@dataclass(frozen=True)
class _Chapter:
    title: str | None
    """Chapter title; ``None`` for the text before the first heading (the intro's chapter)."""

    heading: str | None
    """What is said to open the chapter."""

    blocks: tuple[Block, ...]

    source: Block | None = None
    """The heading block the chapter opens with, if any."""


def _chapters(blocks: tuple[Block, ...]) -> list[_Chapter]:
    """The body as chapters: one per heading, or parts of one to two minutes without headings."""
    if not any(block.kind is BlockKind.HEADING for block in blocks):
        return [
            _Chapter(None, None, part.blocks)
            if part.number == 1
            else _Chapter(part.title, f"Part {part.number}.", part.blocks)
            for part in split_into_parts(blocks)
        ]
    chapters = [_Chapter(None, None, ())]
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            chapters.append(_Chapter(block.text.strip(), _as_sentence(block.text), (), block))
        else:
            last = chapters[-1]
            chapters[-1] = replace(last, blocks=(*last.blocks, block))
    return chapters


def credits(article: Article) -> list[str]:
    """Where the article comes from and who shared it, each said once, plainly."""
    said = []
    if article.credit:
        said.append(f"This article comes from {article.credit}.")
    if article.shared_by and article.shared_by != article.credit:
        said.append(
            f"It was shared by {article.shared_by}."
            if article.credit
            else f"This article was shared by {article.shared_by}."
        )
    return said


def summary_of(article: Article) -> str:
    """The article's summary, or its opening sentences up to about 400 characters."""
    if article.summary:
        return " ".join(article.summary.split())
    text = ""
    for block in article.blocks:
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        for sentence in split_sentences(block.text, SUMMARY_CHARS):
            if text and len(text) + len(sentence) + 1 > SUMMARY_CHARS:
                return text
            text = f"{text} {sentence}".strip()
    return text or article.title
