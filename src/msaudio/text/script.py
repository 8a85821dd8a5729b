"""Article → Script: what the narrator says, grouped into chapters.

The intro (title, byline) opens the first section; every heading starts a new
section whose first sentence is the heading itself; the outro (the source
credit and a sign-off) closes the last section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from msaudio.model import Article, Block, BlockKind, Pause, Script, Section, Sentence
from msaudio.text.sentences import split_sentences

SUMMARY_CHARS = 400


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


def build_script(article: Article, max_chars: int) -> Script:
    """The speech script of ``article`` for an engine accepting ``max_chars`` per call."""
    intro = _Draft(article.title)
    intro.add(_as_sentence(article.title), max_chars)
    if article.author:
        intro.add(f"By {article.author}.", max_chars)

    drafts = [intro]
    for block in article.blocks:
        if block.kind is BlockKind.HEADING:
            heading = _Draft(block.text.strip())
            heading.add(_as_sentence(block.text), max_chars)
            drafts.append(heading)
            continue
        for text in _block_texts(block):
            drafts[-1].add(text, max_chars)

    if len(drafts) > 1 and len(drafts[0].sentences) <= 2:
        # Only the title and byline precede the first heading: keep them in that chapter.
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
    return Script(article.title, tuple(sections))


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
