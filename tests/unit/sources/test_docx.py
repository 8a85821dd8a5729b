"""Word documents (.docx): title, headings, lists, tables and notes; never the page furniture."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from msaudio.errors import ArticleError
from msaudio.model import Article, BlockKind
from msaudio.sources import read_article
from msaudio.text.script import build_script
from tests.helpers import all_text, run_cli

TITLE = "Managing heat with MS"
HEADER = "Riverside Neurology Unit patient handout"
FOOTER = "Leaflet code RN-204 reviewed yearly"
INTRO = (
    "Many people with MS find that warm weather or a hot bath makes their symptoms worse for a "
    "while. This is called Uhthoff's phenomenon, and it fades once the body cools down again."
)
HEADING_1 = "Before a warm day"
PARA_1 = (
    "Check the forecast in the morning and plan errands for the cooler hours. Keep a bottle of "
    "cold water in the fridge so that it is ready when you need it."
)
STEPS = [
    "Close the curtains on the sunny side of the house",
    "Put a damp flannel in the freezer for later",
    "Lay out loose cotton clothes the night before",
]
HEADING_2 = "Medicines and heat"
PARA_2 = (
    "Some medicines change how the body handles heat. A common starting dose of baclofen is "
    "10 mg, and your nurse can tell you whether yours needs any change in summer."
)
TIPS = ["Carry a small fan", "Rest in the shade after lunch", "Ask about a cooling vest"]
TABLE = [
    ["Medicine", "Usual dose", "Heat advice"],
    ["Baclofen", "10 mg", "Drink more water"],
    ["Amantadine", "100 mg", "Avoid long sun exposure"],
]
NOTE = "Uhthoff's phenomenon is named after a German eye doctor who described it in 1890."

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{_W}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>
</w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {NOTE}</w:t>
</w:r></w:p></w:footnote></w:footnotes>"""


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field (the page number Word fills in), as Word writes it."""
    for kind, text in (("begin", ""), (None, " PAGE "), ("separate", ""), (None, "1")):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def handout(*, core_title: str | None = None, header_row: bool = True) -> bytes:
    """A Word handout made here: header and footer, Title, headings, lists, a table, a note."""
    document = docx.Document()
    if core_title is not None:
        document.core_properties.title = core_title
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    footer = section.footer.paragraphs[0]
    footer.text = f"{FOOTER} - page "
    _page_field(footer)
    document.add_paragraph(TITLE, style="Title")
    intro = document.add_paragraph(INTRO)
    reference = OxmlElement("w:r")
    mark = OxmlElement("w:footnoteReference")
    mark.set(qn("w:id"), "1")
    reference.append(mark)
    intro._p.append(reference)
    document.add_heading(HEADING_1, level=1)
    document.add_paragraph(PARA_1)
    for step in STEPS:
        document.add_paragraph(step, style="List Number")
    document.add_heading(HEADING_2, level=2)
    document.add_paragraph(PARA_2)
    for tip in TIPS:
        document.add_paragraph(tip, style="List Bullet")
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for row, values in zip(table.rows, TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    if header_row:  # "Repeat as header row at the top of each page"
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    else:  # a header row Word was not told about: bold
        for cell in table.rows[0].cells:
            cell.paragraphs[0].runs[0].bold = True
    saved = io.BytesIO()
    document.save(saved)
    return _with_footnotes(saved.getvalue())


def _with_footnotes(data: bytes) -> bytes:
    """The document with a footnotes part (python-docx cannot write one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(info, content)
        target.writestr("word/footnotes.xml", _FOOTNOTES)
    return out.getvalue()


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def body_words() -> list[str]:
    cells = [cell for row in TABLE for cell in row]
    parts = [INTRO, HEADING_1, PARA_1, *STEPS, HEADING_2, PARA_2, *TIPS, *cells, NOTE]
    return words(" ".join(parts))


def read(tmp_path: Path, data: bytes, name: str = "heat-handout.docx") -> Article:
    path = tmp_path / name
    path.write_bytes(data)
    return read_article(path)


def said_by(article: Article) -> str:
    cells = [c for b in article.blocks for row in b.rows for c in row]
    return "\n".join([all_text(article), *cells])


def test_a_handout_reads_its_structure_and_not_its_page_furniture(tmp_path: Path) -> None:
    article = read(tmp_path, handout())
    assert article.title == TITLE
    headings = [(b.text, b.level) for b in article.blocks if b.kind is BlockKind.HEADING]
    assert headings == [(HEADING_1, 1), (HEADING_2, 2), ("Notes", 2)]
    lists = [b.items for b in article.blocks if b.kind is BlockKind.LIST]
    assert lists == [tuple(STEPS), tuple(TIPS)]
    tables = [b for b in article.blocks if b.kind is BlockKind.TABLE]
    assert len(tables) == 1 and tables[0].header
    assert [list(row) for row in tables[0].rows] == TABLE
    last = article.blocks[-1]
    assert last.kind is BlockKind.PARAGRAPH and last.text == NOTE  # notes last, under "Notes"

    said = said_by(article)
    heard = set(words(said))
    expected = body_words()
    lost = [w for w in expected if w not in heard]
    assert len(lost) <= len(expected) // 100, lost
    for furniture in (HEADER, FOOTER, "PAGE", "RN-204", "[1]"):
        assert furniture not in said, furniture

    sentences = build_script(article, 200).sentences()
    spoken = " ".join(s.spoken for s in sentences)
    assert "10 milligrams" in spoken and "100 milligrams" in spoken
    assert "Riverside" not in spoken and "Leaflet" not in spoken and "page" not in spoken


def test_the_title_comes_from_properties_then_the_title_style_then_a_heading(
    tmp_path: Path,
) -> None:
    named = read(tmp_path, handout(core_title="Heat and MS: a guide"))
    assert named.title == "Heat and MS: a guide"
    assert named.blocks[0].text == TITLE  # the visible title is still read
    plain = docx.Document()
    plain.add_heading("Sleeping in summer", level=1)
    plain.add_paragraph("A fan and a thin sheet help many people sleep on warm nights.")
    saved = io.BytesIO()
    plain.save(saved)
    article = read(tmp_path, saved.getvalue(), "sleep.docx")
    assert article.title == "Sleeping in summer"
    assert [b.kind for b in article.blocks] == [BlockKind.PARAGRAPH]


def test_a_bold_first_row_is_a_header_row(tmp_path: Path) -> None:
    article = read(tmp_path, handout(header_row=False))
    table = next(b for b in article.blocks if b.kind is BlockKind.TABLE)
    assert table.header and list(table.rows[0]) == TABLE[0]


def test_what_is_not_a_word_document_is_one_line(tmp_path: Path) -> None:
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    for name, data in {"text.docx": b"plain words", "zip.docx": empty.getvalue()}.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ArticleError) as caught:
            read_article(path)
        assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_script_shows_a_word_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "heat.docx"
    path.write_bytes(handout())
    code, out, err = run_cli(capsys, "script", str(path))
    assert code == 0, err
    assert TITLE in out and "10 milligrams" in out and "Notes" in out
    assert "Riverside" not in out and "RN-204" not in out
