"""The PDF reader on leaflets made here with fpdf2: chrome out, words whole, errors one line."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from fpdf import FPDF
from PIL import Image

from msaudio.errors import ArticleError
from msaudio.model import BlockKind
from msaudio.sources import SUPPORTED_SUFFIXES, read_article
from msaudio.sources.pdf_layout import MARKER
from msaudio.sources.pdf_words import join_lines, keeps_hyphen
from msaudio.text.script import build_script
from tests.helpers import REPO, run_cli
from tests.pdf_maker import SOFT, Leaflet, font_files

S = SOFT
TITLE = "Living well with MS fatigue"
HEADER = "Riverside Neurology Service \u00b7 Patient information"
FOOTER = "Living well with MS fatigue \u00b7 Leaflet RN-12 \u00b7 Page {page} of {pages}"
# The leaflet as written: (kind, text); soft hyphens mark where a word may be broken.
BODY = [
    (
        "p",
        f"Fatigue is one of the most common symp{S}toms of multiple scle{S}rosis. Many people "
        f"describe an over{S}whelming tiredness that is out of all proportion to what they have "
        "done, and it can affect work, family life and \ufb01nances. This lea\ufb02et explains why "
        "it happens and what you can do about it, and it suggests questions to bring to your "
        f"next appoint{S}ment with the MS team.",
    ),
    ("h", "Why does fatigue happen?"),
    (
        "p",
        "Nobody knows the full answer yet. Damage to myelin slows the signals travelling "
        "along nerves, so the brain has to work harder to get the same task done. Poor sleep, "
        f"low mood, pain, infec{S}tions and some medi{S}cines add to the load. In "
        "relapsing-remitting MS, fatigue often grows worse during a relapse and eases as it "
        "settles. Heat makes it worse for many people, an e\ufb00ect known as Uhtho\ufb00's "
        "phenomenon, and a cool shower or a fan can bring real relief within an hour.",
    ),
    ("h", "Pacing your energy"),
    (
        "p",
        "Pacing means spreading activities across the day and the week rather than doing "
        "everything while you feel well. Start by keeping a simple diary for two weeks, noting "
        "what you did, how long it took and how tired you felt afterwards on a scale from one "
        "to ten. Patterns usually appear quickly: a busy morning may cost you the whole "
        f"afternoon, while a short rest before a demanding task can make it manage{S}able. Plan "
        "the most important jobs for the time of day when you have the most energy, and break "
        "larger jobs into smaller steps with rests in between. Many people \ufb01nd that an "
        f"occupa{S}tional therapist can help them look at their routine with fresh eyes and "
        "suggest equipment that saves e\ufb00ort, such as a perching stool in the kitchen or a "
        "trolley for carrying things from room to room. Family and friends often want to help "
        "but do not know how, so it is worth telling them plainly which jobs drain you most and "
        "which ones you would rather keep doing yourself. Over a few months the diary becomes a "
        "record of what works for you, and it is a useful thing to bring to your review.",
    ),
    ("bh", "Five steps to try this week"),
    ("ol", "Keep a fatigue diary for two weeks and look for the patterns in it."),
    ("ol", "Sit down for tasks such as ironing, preparing vegetables or drying your hair."),
    ("ol", f"Take a planned rest of twenty minutes before you feel ex{S}hausted, not after."),
    ("ol", "Keep your home cool and have cold drinks to hand on warm days."),
    (
        "ol",
        "Ask about an exercise programme; regular, gentle activity improves well-being for "
        "most people who try it.",
    ),
    ("h", "Medicines"),
    (
        "p",
        "Some people are o\ufb00ered medicines such as amantadine or moda\ufb01nil. A typical "
        "starting dose of amantadine is 100 mg once a day, sometimes rising to 100 mg twice a "
        f"day. Your neurol{S}ogist may also review the medicines you already take, since drugs "
        f"for spasti{S}city, such as baclofen at 10 mg three times a day, can add to tiredness. "
        "Never stop or change a medicine without talking to your prescriber \ufb01rst.",
    ),
    ("h", "Questions for your MS nurse"),
    ("ul", "Could an infection or a low mood be adding to my fatigue?"),
    ("ul", "Would an occupational therapy assessment help me at work?"),
    ("ul", "Is there a fatigue management course near where I live?"),
    (
        "p",
        "Write down your questions before the appointment and take this lea\ufb02et with you. "
        "A relative or friend can help you remember what was said. If you are newly diagnosed, "
        "you may \ufb01nd that self-management becomes easier with practice, and that the "
        f"\ufb02uctu{S}ations feel less alarming once you know your own pattern.",
    ),
]
REFERENCES = [
    "Carter A, Singh R. Fatigue in multiple sclerosis: mechanisms and management. "
    "Neurol Pract. 2021;14(3):201-9.",
    "Okafor L, Brandt M, et al. Energy conservation courses for people with MS: a randomised "
    "trial. Clin Rehabil. 2019;33:112-20.",
    "Riverside Neurology Service. Heat and MS symptoms. Patient leaflet RN-07, 2024.",
]
DISCLAIMER = (
    "This leaflet gives general information only and does not replace advice from your own "
    "doctor or nurse. \u00a9 2026 Riverside Neurology Service. Registered charity no. 1099999."
)
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl"})


def written(text: str) -> str:
    """What the leaflet says, as a reader would type it: no soft hyphens, no ligatures."""
    return text.replace(S, "").translate(LIGATURES)


def make_leaflet(path: Path, *, references: bool = True) -> Leaflet:
    leaflet = Leaflet(HEADER, FOOTER)
    leaflet.heading(TITLE, 18)
    number = 0
    for kind, text in BODY:
        if kind == "h":
            leaflet.heading(text, 13)
        elif kind == "bh":
            leaflet.heading(text, 10, "B")  # bold at the body's size
        elif kind == "ol":
            number += 1
            leaflet.paragraph(text, marker=f"{number}.")
        elif kind == "ul":
            leaflet.paragraph(text, marker="\u2022")
        else:
            leaflet.paragraph(text)
    if references:
        leaflet.heading("References", 11)
        for index, entry in enumerate(REFERENCES, 1):
            leaflet.paragraph(entry, size=8.5, marker=f"{index}.")
        leaflet.gap(3)
        leaflet.paragraph(DISCLAIMER, size=7)
    # Small print under page 1's text, where a paragraph runs on to page 2.
    leaflet.footnote("* Diary sheets are available from the clinic reception.")
    leaflet.write(path, title="RN-12 fatigue leaflet v3")
    return leaflet


def corpus_measure() -> ModuleType:
    """scripts/_corpus.py: the project's own measure of words lost and clutter said."""
    if "_corpus" in sys.modules:
        return sys.modules["_corpus"]
    spec = importlib.util.spec_from_file_location("_corpus", REPO / "scripts" / "_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_corpus"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def leaflet_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Leaflet]:
    path = tmp_path_factory.mktemp("pdf") / "fatigue-leaflet.pdf"
    return path, make_leaflet(path)


def test_the_leaflet_is_made_as_the_tests_need_it(leaflet_pdf: tuple[Path, Leaflet]) -> None:
    _, leaflet = leaflet_pdf
    assert leaflet.pdf.pages_count == 3
    assert leaflet.breaks, "no paragraph runs across a page break"
    broken = set(leaflet.hyphenated)
    assert {"sclerosis.", "exhausted,", "ﬂuctuations"} <= broken  # syllable breaks
    assert "self-management" in broken  # a compound broken at its own hyphen


def test_a_leaflet_reads_whole_without_its_chrome(leaflet_pdf: tuple[Path, Leaflet]) -> None:
    path, leaflet = leaflet_pdf
    article = read_article(path)
    assert article.title == TITLE
    assert article.slug == "fatigue-leaflet"
    kinds = [block.kind for block in article.blocks]
    headings = [b.text for b in article.blocks if b.kind is BlockKind.HEADING]
    assert headings == [text for kind, text in BODY if kind in ("h", "bh")]
    levels = {b.text: b.level for b in article.blocks if b.kind is BlockKind.HEADING}
    assert levels["Pacing your energy"] < levels["Five steps to try this week"]
    lists = [b.items for b in article.blocks if b.kind is BlockKind.LIST]
    assert lists == [
        tuple(written(t) for k, t in BODY if k == "ol"),
        tuple(written(t) for k, t in BODY if k == "ul"),
    ]
    assert kinds.count(BlockKind.PARAGRAPH) == 5
    paragraphs = [b.text for b in article.blocks if b.kind is BlockKind.PARAGRAPH]
    assert paragraphs == [written(t) for k, t in BODY if k == "p"]
    before, after = leaflet.breaks[0]
    assert any(before in p and after.translate(LIGATURES) in p for p in paragraphs)
    text = " ".join(paragraphs)
    assert (
        "self-management" in text and "relapsing-remitting" in text and "well-being" in str(lists)
    )
    assert not re.search("[\ufb00-\ufb06\u00ad]", text)
    for clutter in (
        "Riverside Neurology Service \u00b7",
        "Page",
        "RN-12",
        "Carter",
        "Diary sheets",
    ):
        assert clutter not in text + str(lists), clutter


def test_the_script_says_the_body_and_no_clutter(leaflet_pdf: tuple[Path, Leaflet]) -> None:
    path, _ = leaflet_pdf
    measure = corpus_measure()
    sentences = build_script(read_article(path), 500).sentences()
    said = measure.Said(tuple(s.display for s in sentences), tuple(s.spoken for s in sentences))
    reference = [
        t for text in [TITLE, *(t for _, t in BODY)] for t in measure.tokens(written(text))
    ]
    script = [t for sentence in said.display for t in measure.tokens(sentence)]
    lost = measure.lost_tokens(reference, script)
    assert len(lost) <= 0.01 * len(reference), [reference[i] for i in lost]
    clutter = [
        HEADER,
        *(FOOTER.format(page=n, pages=3) for n in (1, 2, 3)),
        "References",
        *REFERENCES,
        DISCLAIMER,
    ]
    assert [line for line in clutter if measure.clutter_said(line, said)] == []
    spoken = " ".join(said.spoken)
    assert "10 milligrams" in spoken or "ten milligrams" in spoken
    assert " mg" not in spoken
    assert not re.search(r"\bpage\s+\w+\s+of\b", spoken, re.IGNORECASE)


def test_hyphens_at_line_ends_follow_the_stated_rule() -> None:
    vocabulary = {"well-being": 1, "fatigue": 2}
    assert keeps_hyphen("well", "being", vocabulary)  # the document writes it so
    assert not keeps_hyphen("fa", "tigue", vocabulary)  # the document writes "fatigue"
    assert not keeps_hyphen("symp", "toms", {})  # an English word once joined
    assert not keeps_hyphen("treat", "ments", {})  # ... with an ending
    assert keeps_hyphen("relapsing", "remitting", {})  # two words, not one
    assert not keeps_hyphen("moda", "finil", {})  # neither: a syllable break
    assert (
        join_lines(["long COVID-", "19 and ICD-", "10 codes"], {})
        == "long COVID-19 and ICD-10 codes"
    )
    assert join_lines(["a word -", "then"], {}) == "a word - then"


def image_only_pdf(path: Path) -> Path:
    """A scan: one page that is a picture of text, with no text layer."""
    picture = io.BytesIO()
    Image.new("L", (600, 800), 255).save(picture, format="PNG")
    pdf = FPDF(format=(148, 210))
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=120)
    pdf.output(str(path))
    return path


def test_a_scan_a_broken_file_and_a_locked_one_are_one_line_each(tmp_path: Path) -> None:
    scan = image_only_pdf(tmp_path / "scan.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer")
    truncated = tmp_path / "truncated.pdf"
    make_leaflet(truncated, references=False)
    truncated.write_bytes(truncated.read_bytes()[:1500])
    locked = tmp_path / "locked.pdf"
    pdf = FPDF(format=(148, 210))
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font_files()[""]))
    pdf.set_font("DejaVu", "", 11)
    pdf.text(20, 30, "A private letter about a clinic appointment.")
    pdf.output(str(locked))
    expected = {
        scan: "no text layer",
        broken: "not a readable PDF",
        truncated: "not a readable PDF",
        locked: "encrypted with a password",
    }
    for path, problem in expected.items():
        with pytest.raises(ArticleError) as caught:
            read_article(path)
        message = str(caught.value)
        assert message.startswith(f"{path}: ") and problem in message, message
        assert "\n" not in message


def test_a_pdf_without_headings_takes_its_metadata_title(tmp_path: Path) -> None:
    leaflet = Leaflet(HEADER, FOOTER)
    leaflet.paragraph(written(BODY[0][1]))
    path = leaflet.write(tmp_path / "untitled-scan-7.pdf", title="Fatigue: a short guide")
    assert read_article(path).title == "Fatigue: a short guide"
    plain = Leaflet(HEADER, FOOTER)
    plain.paragraph(written(BODY[0][1]))
    assert read_article(plain.write(tmp_path / "fatigue-notes.pdf")).title == "Fatigue notes"


def test_msaudio_script_shows_a_pdf(
    leaflet_pdf: tuple[Path, Leaflet], capsys: pytest.CaptureFixture[str]
) -> None:
    assert ".pdf" in SUPPORTED_SUFFIXES
    code, out, err = run_cli(capsys, "script", str(leaflet_pdf[0]))
    assert code == 0, err
    assert out.startswith(f"## 1. {TITLE}\n")
    assert "## 4. Five steps to try this week" in out
    assert "Keep your home cool" in out and "Riverside Neurology Service" not in out


def test_two_columns_with_indented_paragraphs_read_column_by_column(tmp_path: Path) -> None:
    newsletter = Leaflet(
        "Riverside news \u00b7 Spring 2026",
        "{page}",
        width=210,
        height=297,
        top=30,
        bottom=270,
        columns=2,
        first_indent=5,
        space_after=0,
    )
    newsletter.heading(TITLE, 20, span=True)
    body = [(k, t) for k, t in BODY if k in ("h", "p")] * 2  # long enough for two pages
    for kind, text in body:
        if kind == "h":
            newsletter.heading(text, 13)
        else:
            newsletter.paragraph(text)
    path = newsletter.write(tmp_path / "newsletter.pdf")
    assert newsletter.pdf.pages_count == 2 and len(newsletter.breaks) >= 2
    article = read_article(path)
    assert article.title == TITLE
    assert [(b.kind.value[0], b.text) for b in article.blocks] == [
        (k[0], written(t)) for k, t in body
    ]


def test_raised_note_marks_are_not_read_and_symbol_font_bullets_make_lists(
    tmp_path: Path,
) -> None:
    pdf = FPDF(format=(148, 210))
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font_files()[""]))
    words = [
        ("Fatigue affects most people with MS.", "2"),
        (" Rest and pacing help many of them.", "3,4"),
    ]
    x, y = 16.0, 40.0
    for text, mark in words:
        pdf.set_font("DejaVu", "", 10)
        pdf.text(x, y, text)
        x += pdf.get_string_width(text)
        pdf.set_font("DejaVu", "", 6)
        pdf.text(x, y - 1.6, mark)  # a superscript: smaller and raised
        x += pdf.get_string_width(mark)
    path = tmp_path / "notes.pdf"
    pdf.output(str(path))
    article = read_article(path)
    assert [b.text for b in article.blocks] == [
        "Fatigue affects most people with MS. Rest and pacing help many of them."
    ]
    assert MARKER.match("\uf0b7 Drink water") and MARKER.match("\u2756 Rest")
    assert not MARKER.match("2026 was a good year") and not MARKER.match("-5 degrees")


class _Justified(FPDF):
    """A4 pages as fpdf2 sets them itself: justified text, its own header and footer."""

    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, "North Lakes MS Centre", align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="C")


def test_justified_text_wrapped_by_fpdf2_itself_reads_whole(tmp_path: Path) -> None:
    pdf = _Justified(format=(210, 297))
    for style, font in font_files().items():
        pdf.add_font("DejaVu", style, str(font))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(0, 10, TITLE, new_x="LMARGIN", new_y="NEXT")
    body = [(k, written(t)) for k, t in BODY if k in ("h", "p")] * 2
    for kind, text in body:
        pdf.set_font("DejaVu", "B" if kind == "h" else "", 14 if kind == "h" else 11)
        pdf.multi_cell(0, 8 if kind == "h" else 5.5, text, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    path = tmp_path / "justified.pdf"
    pdf.output(str(path))
    assert pdf.pages_count >= 2
    article = read_article(path)
    assert article.title == TITLE
    assert [(b.kind.value[0], b.text) for b in article.blocks] == [(k[0], t) for k, t in body]


def test_list_items_wrapped_back_to_the_margin_stay_whole(tmp_path: Path) -> None:
    leaflet = Leaflet(HEADER, FOOTER)
    items = [
        "Keep a diary of what tires you out and when it happens, for two weeks at least, and "
        "bring it along.",
        "Rest before you are exhausted, not after it, even on the days when you feel strong.",
    ]
    after = "Tell the team what you found; it helps them plan your care with you and saves time."
    leaflet.pdf.set_font("DejaVu", "", 10)
    y = 40.0
    for text in [f"\u2022 {item}" for item in items] + [after]:
        lines = leaflet._wrap(text, leaflet.measure)
        assert len(lines) >= 2
        for line in lines:  # no hanging indent: every line starts at the margin
            leaflet.pdf.text(leaflet.margin, y, line)
            y += 5
        y += 2
    article = read_article(leaflet.write(tmp_path / "items.pdf"))
    assert [b.items or b.text for b in article.blocks if b.kind is not BlockKind.HEADING] == [
        tuple(items),
        after,
    ]
