"""Article → Script: what the narrator says, grouped into chapters.

The intro (title, byline, length and number of sections) opens the first
section; every heading starts a new section whose first sentence is the
heading itself; the outro (the source credit and a sign-off) closes the last
section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from msaudio.model import Article, Block, BlockKind, Pause, Script, Section, Sentence
from msaudio.text.sentences import split_sentences

SUMMARY_CHARS = 400
CHARS_PER_SECOND = 18.5
"""Speaking rate of the bundled piper voice at speed 1.0, measured on the sample show."""
PAUSE_SECONDS = {Pause.SENTENCE: 0.35, Pause.PARAGRAPH: 0.7, Pause.SECTION: 1.5}
"""The default pauses (see :class:`msaudio.config.AudioSettings`)."""
OVERVIEW_SECONDS = 2.5
"""About how long the overview sentence itself takes to say."""
OVERVIEW_PLACEHOLDER = "About one minute, in one section."


@dataclass
class _Draft:
    title: str
    sentences: list[Sentence] = field(default_factory=list)

    def add(self, text: str, max_chars: int, pause: Pause = Pause.PARAGRAPH) -> None:
        """Add ``text`` as sentences; the last one gets ``pause``."""
        pieces = split_sentences(text, max_chars)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            self.sentences.append(Sentence(piece, piece, pause if last else Pause.SENTENCE))


def _as_sentence(text: str) -> str:
    """Give a heading or list item a closing stop so it is said as a statement."""
    text = text.strip()
    return text if text[-1:] in ".!?…:;" else f"{text}."


def _block_texts(block: Block) -> list[str]:
    if block.kind is BlockKind.LIST:
        return [_as_sentence(item) for item in block.items if item.strip()]
    if block.kind is BlockKind.IMAGE:
        return [_as_sentence(f"Image: {block.text}")] if block.text.strip() else []
    return [block.text] if block.text.strip() else []


_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def _count(number: int, noun: str) -> str:
    """``3, "section"`` → ``"three sections"``: small numbers as words, for every engine."""
    word = _NUMBERS[number] if number < len(_NUMBERS) else str(number)
    return f"{word} {noun}" if number == 1 else f"{word} {noun}s"


def overview_text(seconds: float, sections: int) -> str:
    """The intro sentence that tells the listener how long the episode is and how it is divided."""
    minutes = max(1, round(seconds / 60))
    return f"About {_count(minutes, 'minute')}, in {_count(sections, 'section')}."


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
            sentences[index] = Sentence(text, text, sentences[index].pause)
        index -= len(sentences)
        sections.append(Section(section.title, tuple(sentences)))
    return Script(script.title, tuple(sections), script.overview)


def build_script(article: Article, max_chars: int, speed: float = 1.0) -> Script:
    """The speech script of ``article`` for an engine accepting ``max_chars`` per call.

    The intro gives the title, the author and the episode's length and number
    of sections; the length here is an estimate, which narration replaces with
    the measured one (see :attr:`msaudio.model.Script.overview`).
    """
    intro = _Draft(article.title)
    intro.add(_as_sentence(article.title), max_chars)
    if article.author:
        intro.add(f"By {article.author}.", max_chars)
    overview = len(intro.sentences)
    intro.add(OVERVIEW_PLACEHOLDER, max_chars)

    drafts = [intro]
    for block in article.blocks:
        if block.kind is BlockKind.HEADING:
            heading = _Draft(block.text.strip())
            heading.add(_as_sentence(block.text), max_chars)
            drafts.append(heading)
            continue
        for text in _block_texts(block):
            drafts[-1].add(text, max_chars)

    if len(drafts) > 1 and len(drafts[0].sentences) <= overview + 1:
        # Only the title, byline and overview precede the first heading: keep them in that chapter.
        first = drafts.pop(1)
        drafts[0] = _Draft(first.title, drafts[0].sentences + first.sentences)

    outro = drafts[-1]
    if article.credit:
        outro.add(f"This article comes from {article.credit}.", max_chars)
    outro.add("Thank you for listening.", max_chars)

    sections = []
    for draft in drafts:
        if not draft.sentences:
            continue
        *body, last = draft.sentences
        sentences = (*body, Sentence(last.display, last.spoken, Pause.SECTION))
        sections.append(Section(draft.title, sentences))
    script = Script(article.title, tuple(sections), overview)
    return with_overview(script, estimate_seconds(script, speed))


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
