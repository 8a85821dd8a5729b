"""Tables in every format: one TABLE block, read as a lead-in and one sentence per row."""

from __future__ import annotations

from pathlib import Path

from msaudio.model import Article, Block, BlockKind
from msaudio.sources import read_article
from msaudio.sources.markdown_html import html_blocks
from msaudio.sources.tables import is_pipe_rule, pipe_table
from msaudio.text.script import build_script
from msaudio.text.table_speech import table_texts
from msaudio.text.tables import table_blocks

HEADED = Block(
    BlockKind.TABLE,
    rows=(("Result", "What it usually means"), ("normal", "no new lesions."), ("active", "")),
    header=True,
)


def tables(article: Article) -> list[Block]:
    return [block for block in article.blocks if block.kind is BlockKind.TABLE]


def test_a_headed_table_is_a_lead_in_then_header_value_pairs() -> None:
    assert table_texts(HEADED) == [
        "A table with two rows: Result, and What it usually means.",
        "Result: normal; What it usually means: no new lesions.",
        "Result: active.",
    ]


def test_a_table_without_header_is_read_row_by_row() -> None:
    block = Block(BlockKind.TABLE, rows=(("Walk", "10 minutes"), ("Stretch", "5 minutes")))
    said = ["A table with two rows.", "Walk; 10 minutes.", "Stretch; 5 minutes."]
    assert table_texts(block) == said


def test_layout_tables_are_read_as_paragraphs() -> None:
    one_column = table_blocks([["Header"], ["only"], ["cells"]], header=True)
    assert [b.kind for b in one_column] == [BlockKind.PARAGRAPH] * 3
    one_row = table_blocks([["a", "b"]], header=False)
    assert [b.text for b in one_row] == ["a", "b"]


def test_empty_rows_and_columns_go() -> None:
    [block] = table_blocks([["A", "", "B"], ["", "", ""], ["1", "", "2"]], header=True)
    assert block.rows == (("A", "B"), ("1", "2"))


def test_pipe_tables_in_plain_text() -> None:
    assert is_pipe_rule("|---|:--:|") and not is_pipe_rule("| a | b |")
    found = pipe_table(["| A | B |", "|---|---|", "| 1 | 2 |", "Prose after."])
    assert found is not None
    blocks, used = found
    assert used == 3 and blocks[0].rows == (("A", "B"), ("1", "2")) and blocks[0].header
    assert pipe_table(["Jo Bell | Symptoms", "The article starts here."]) is None


def test_every_reader_makes_the_same_table(tmp_path: Path) -> None:
    md = tmp_path / "t.md"
    md.write_text(
        "# T\n\nSome words before the table.\n\n| Day | Task |\n|---|---|\n| Mon | Rest |\n",
        encoding="utf-8",
    )
    txt = tmp_path / "t.txt"
    txt.write_text(
        "T\n\nSome words before the table.\n\n| Day | Task |\n|---|---|\n| Mon | Rest |\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw.md"
    raw.write_text(
        "# T\n\nSome words before the table.\n\n<table><tr><th>Day</th><th>Task</th></tr>"
        "<tr><td>Mon</td><td>Rest</td></tr></table>\n",
        encoding="utf-8",
    )
    expected = Block(BlockKind.TABLE, rows=(("Day", "Task"), ("Mon", "Rest")), header=True)
    for path in (md, txt, raw):
        assert tables(read_article(path)) == [expected], path.name


def test_a_page_keeps_its_data_table_inside_a_layout_table(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    prose = "A paragraph long enough to be taken for the article by the extractor, about rest. "
    page.write_text(
        f"<html><head><title>T</title></head><body><table><tr><td><article><h1>T</h1>"
        f"<p>{prose * 2}</p><table><thead><tr><th>Day</th><th>Task</th></tr></thead>"
        f"<tbody><tr><td>Mon</td><td>Rest</td></tr></tbody></table><p>{prose * 2}</p>"
        "</article></td></tr></table></body></html>",
        encoding="utf-8",
    )
    [table] = tables(read_article(page))
    assert table.rows == (("Day", "Task"), ("Mon", "Rest")) and table.header


def test_the_script_reads_a_row_as_one_sentence(tmp_path: Path) -> None:
    md = tmp_path / "t.md"
    md.write_text("# T\n\nWords first.\n\n| Day | Task |\n|---|---|\n| Mon | **Rest** |\n")
    said = [s.display for s in build_script(read_article(md), 500).sentences()]
    assert "A table with one row: Day, and Task." in said
    assert "Day: Mon; Task: Rest." in said
    assert not any("|" in sentence for sentence in said)


def test_a_word_processor_table_with_a_paragraph_per_cell_is_data() -> None:
    html = (
        "<div><table><tr><td><p>Date</p></td><td><p>Event</p></td></tr>"
        "<tr><td><p>2 May</p></td><td><p>Coffee morning</p></td></tr></table></div>"
    )
    [table] = html_blocks(html)
    assert table.rows == (("Date", "Event"), ("2 May", "Coffee morning"))
    assert not table.header  # plain cells: no header row is claimed
