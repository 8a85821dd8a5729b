"""Small PDFs made with fpdf2 for the PDF reader's tests: lines set by hand, as a leaflet's are.

Text is wrapped here, not by fpdf2, so that a word can be broken at a line end where
the text marks it: ``\\u00ad`` (a soft hyphen) is a place where a syllable may be broken
and shows as "-" when it is; a real hyphen may be broken after, and stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Debian's fonts-dejavu-core (scripts/_system.sh installs it): a Unicode font with ligatures."""

SOFT = "\u00ad"


def font_files() -> dict[str, Path]:
    """The regular and bold DejaVu Sans files; a test without them fails, naming the package."""
    fonts = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
    missing = [str(path) for path in fonts.values() if not path.is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: install the Debian package fonts-dejavu-core")
    return fonts


@dataclass
class Leaflet:
    """An A5 leaflet: a running header and footer on every page, text set line by line."""

    header: str
    footer: str
    """Footer text; ``{page}`` and ``{pages}`` are filled in."""

    width: float = 148
    height: float = 210
    margin: float = 16
    top: float = 22
    bottom: float = 190
    columns: int = 1
    gutter: float = 6
    first_indent: float = 0
    """How far a paragraph's first line is set in (books and newsletters without gaps)."""
    space_after: float = 2.2
    """The gap after a paragraph, in mm."""
    pdf: FPDF = field(init=False)
    y: float = field(init=False, default=0)
    column: int = field(init=False, default=0)
    notes: list[tuple[int, str]] = field(init=False, default_factory=list)
    column_top: float = field(init=False, default=0)
    """Where columns after the first start on this page: below a title set across them."""
    hyphenated: list[str] = field(init=False, default_factory=list)
    """Every word broken at a line's end, as written (``symptoms``, ``relapsing-remitting``)."""
    breaks: list[tuple[str, str]] = field(init=False, default_factory=list)
    """(last line of a page, first line of the next) wherever a paragraph runs across pages."""

    def __post_init__(self) -> None:
        self.pdf = FPDF(format=(self.width, self.height), unit="mm")
        self.pdf.set_auto_page_break(False)
        for style, path in font_files().items():
            self.pdf.add_font("DejaVu", style, str(path))
        self._page()

    @property
    def measure(self) -> float:
        """The width of a column."""
        return (self.width - 2 * self.margin - (self.columns - 1) * self.gutter) / self.columns

    @property
    def left(self) -> float:
        return self.margin + self.column * (self.measure + self.gutter)

    def _advance(self) -> None:
        """The next column, or the next page."""
        if self.column + 1 < self.columns:
            self.column += 1
            self.y = self.column_top
        else:
            self._page()

    def _page(self) -> None:
        self.column = 0
        self.column_top = self.top
        self.pdf.add_page()
        self.pdf.set_font("DejaVu", "", 7.5)
        self.pdf.text(self.margin, 11, self.header)
        self.y = self.top

    def _line(self, text: str, size: float, style: str, x: float) -> None:
        self.pdf.set_font("DejaVu", style, size)
        self.pdf.text(x, self.y + size * 0.3528, text)  # text() takes the baseline
        self.y += size * 0.3528 * 1.45

    def _room(self, size: float) -> bool:
        return self.y + size * 0.3528 * 1.45 <= self.bottom

    def gap(self, mm: float) -> None:
        self.y += mm

    def heading(self, text: str, size: float = 13, style: str = "B", *, span: bool = False) -> None:
        """A heading over the column; with ``span``, over all columns (a title)."""
        if self.y + 3 * size * 0.3528 > self.bottom:
            self._advance()
        self.gap(2)
        self._line(text, size, style, self.left)
        self.gap(1)
        if span:
            self.column_top = self.y

    def paragraph(
        self, text: str, size: float = 10, style: str = "", marker: str = "", indent: float = 0
    ) -> None:
        """Set ``text`` in lines; a ``marker`` (bullet, number) hangs in front of the first."""
        shift = 6 if marker else 0
        first = 0 if marker else self.first_indent
        self.pdf.set_font("DejaVu", style, size)
        lines = self._wrap(text, self.measure - indent - shift, first)
        for index, line in enumerate(lines):
            if not self._room(size):
                self._advance()
                if index:
                    self.breaks.append((lines[index - 1], line))
            hang = self.left + indent
            if marker and index == 0:
                self.pdf.set_font("DejaVu", style, size)
                self.pdf.text(hang, self.y + size * 0.3528, marker)
            self._line(line, size, style, hang + shift + (first if index == 0 else 0))
        self.gap(self.space_after)

    def footnote(self, text: str, page: int = 1) -> None:
        """A line of small print under the text of ``page`` (drawn when the file is written)."""
        self.notes.append((page, text))

    def _wrap(self, text: str, width: float, first: float = 0) -> list[str]:
        """Lines of ``text`` at most ``width`` wide, the first ``first`` narrower."""
        lines: list[str] = []
        line = ""
        for word in text.split():
            room = width - (0 if lines else first)
            candidate = f"{line} {word}".strip()
            if self._fits(candidate, room):
                line = candidate
                continue
            head, rest = self._split(line, word, room)
            lines.append(head)
            line = rest
        if line:
            lines.append(line.replace(SOFT, ""))
        return lines

    def _split(self, line: str, word: str, width: float) -> tuple[str, str]:
        """Break ``word`` at its last break point that fits on ``line``, else move it down."""
        points = [i for i, c in enumerate(word) if c in (SOFT, "-") and 0 < i < len(word) - 1]
        for point in reversed(points):
            shown = word[:point].replace(SOFT, "") + "-"
            if self._fits(f"{line} {shown}".strip(), width):
                self.hyphenated.append(word.replace(SOFT, ""))
                return f"{line} {shown}".strip().replace(SOFT, ""), word[point + 1 :]
        return line.replace(SOFT, ""), word

    def _fits(self, text: str, width: float) -> bool:
        return self.pdf.get_string_width(text.replace(SOFT, "")) <= width

    def write(self, path: Path, title: str | None = None) -> Path:
        pages = self.pdf.pages_count
        for number in range(1, pages + 1):
            self.pdf.page = number
            self.pdf.set_font("DejaVu", "", 7.5)
            self.pdf.text(
                self.margin, self.height - 10, self.footer.format(page=number, pages=pages)
            )
        for number, note in self.notes:
            self.pdf.page = number
            self.pdf.set_font("DejaVu", "", 7)
            self.pdf.text(self.margin, self.bottom + 4, note)
        self.pdf.page = pages
        if title:
            self.pdf.set_title(title)
        self.pdf.output(str(path))
        return path
