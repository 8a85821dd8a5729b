"""The talking book's layout and container, without narration: fast and exact."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree

from msaudio.model import Article, Block, BlockKind, Cue, Script, Timeline
from msaudio.publish.epub import book_identifier, package
from msaudio.publish.epub_content import BookInfo, documents, layout
from msaudio.text.script import build_script

XHTML = "{http://www.w3.org/1999/xhtml}"

ARTICLE = Article(
    source=Path("x.md"),
    slug="x",
    title="Notes on \x07walking",
    blocks=(
        Block(BlockKind.PARAGRAPH, "Take 10 mg with food. Walk slowly."),
        Block(BlockKind.HEADING, "Shoes", level=2),
        Block(BlockKind.LIST, items=("Soft soles", "", "Good laces")),
        Block(BlockKind.HEADING, "Sticks", level=4),
        Block(BlockKind.TABLE, rows=(("Kind", "Use"), ("Cane", "Balance")), header=True),
        Block(BlockKind.QUOTE, "A stick is a tool, not a verdict."),
    ),
    author="Sam Lee",
)
INFO = BookInfo(
    identifier=book_identifier("not-a-uuid"),
    title="Notes on walking",
    author="Sam Lee",
    language="en-gb",
    date=dt.date(2026, 5, 1),
    modified=dt.datetime(2026, 5, 2, 8, 0, 1, 500, tzinfo=dt.UTC),
    publisher="A Show",
)


def narrated(script: Script, *, same_start: int | None = None) -> Timeline:
    """A timeline of one second per sentence; ``same_start`` starts at its predecessor's time."""
    cues: list[Cue] = []
    start = 0.5
    for index, sentence in enumerate(script.sentences()):
        if index == same_start:
            start = cues[-1].start
        cues.append(Cue(start, start + 0.8, sentence.display))
        start += 1.0
    return Timeline(start + 1.0, cues=tuple(cues))


def test_sentences_keep_their_place_in_the_article() -> None:
    script = build_script(ARTICLE, 200)
    chapters = layout(ARTICLE, script, narrated(script))
    kinds = [(n.kind, n.level if n.kind == "heading" else 0) for c in chapters for n in c.nodes]
    assert kinds == [
        ("heading", 1),  # the title
        ("meta", 0),  # written by
        ("meta", 0),  # the overview
        ("paragraph", 0),
        ("heading", 2),
        ("list", 0),
        ("heading", 3),  # #### after ## is the next level down, never a skipped one
        ("table", 0),
        ("quote", 0),
        ("credit", 0),
    ]
    paragraph = chapters[0].nodes[3]
    assert [s.text for s in paragraph.spans] == ["Take 10 mg with food.", "Walk slowly."]
    listed = next(n for c in chapters for n in c.nodes if n.kind == "list")
    assert [[s.text for s in item] for item in listed.items] == [["Soft soles."], ["Good laces."]]
    table = next(n for c in chapters for n in c.nodes if n.kind == "table")
    assert table.head == ("Kind", "Use") and [r.cells for r in table.rows] == [("Cane", "Balance")]
    clips = [clip for chapter in chapters for clip in chapter.clips]
    assert len(clips) == len(script.sentences())
    assert table.rows[0].id in [clip.target for clip in clips]
    assert clips[0].begin == "00:00:00.500" and clips[0].end == "00:00:01.500"
    assert chapters[0].title == "Notes on walking"  # the control character is gone


def test_sentences_heard_at_one_millisecond_share_one_clip() -> None:
    script = build_script(ARTICLE, 200)
    chapters = layout(ARTICLE, script, narrated(script, same_start=4))
    clips = [clip for chapter in chapters for clip in chapter.clips]
    assert len(clips) == len(script.sentences()) - 1
    spans = {s.id: s.text for c in chapters for n in c.nodes for s in n.spans}
    assert spans["s4"] == "Take 10 mg with food. Walk slowly."
    assert "s5" not in spans


def test_the_documents_are_the_episodes_own_and_the_zip_is_the_same_every_time() -> None:
    script = build_script(ARTICLE, 200)
    files = documents(ARTICLE, script, narrated(script), INFO, cover=False)
    opf = files["EPUB/package.opf"].decode()
    assert '<dc:identifier id="book-id">urn:uuid:' in opf
    assert '<meta property="dcterms:modified">2026-05-02T08:00:01Z</meta>' in opf
    assert "<dc:language>en-GB</dc:language>" in opf and "cover-image" not in opf
    content = etree.fromstring(files["EPUB/content.xhtml"])
    ids = [e.get("id") for e in content.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert content.find(f".//{XHTML}caption") is not None
    book = package({**files, "EPUB/audio.mp3": b"\xff\xfb" * 10})
    assert book == package(
        dict(reversed(list({**files, "EPUB/audio.mp3": b"\xff\xfb" * 10}.items())))
    )
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype" and names[1:] == sorted(names[1:])
        assert archive.getinfo("EPUB/audio.mp3").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("EPUB/content.xhtml").compress_type == zipfile.ZIP_DEFLATED
    assert book_identifier("not-a-uuid") == book_identifier("not-a-uuid")
    uuid_guid = "0b5c8f3e-6a55-4c54-9a43-2f6d9c1f7b10"
    assert book_identifier(uuid_guid) == f"urn:uuid:{uuid_guid}"


def test_an_article_without_headings_gets_a_heading_for_each_part() -> None:
    paragraphs = tuple(
        Block(BlockKind.PARAGRAPH, f"Paragraph {n} says a little about resting. " * 12)
        for n in range(1, 7)
    )
    article = Article(Path("y.md"), "y", "Resting", paragraphs)
    script = build_script(article, 200)
    assert len(script.sections) >= 2
    chapters = layout(article, script, narrated(script))
    headings = [
        (n.level, n.spans[0].text) for c in chapters for n in c.nodes if n.kind == "heading"
    ]
    assert headings[0] == (1, "Resting.")
    assert headings[1:] == [(2, f"Part {n}.") for n in range(2, len(script.sections) + 1)]
    assert [c.title for c in chapters][1].startswith("Part 2: Paragraph")
