"""A document as plain parts (a title, sections of lines and tables) and how it sits on A4, for every writer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# The page numbers as Chinese documents write them; {page} and {pages} are filled in by each writer.
PAGE_LABEL = "第 {page} 页 共 {pages} 页"


@dataclass
class Table:
    headers: Sequence[str]
    rows: Iterable[Sequence[str]]  # may be a generator: the writers read it once, row by row
    widths: Sequence[float]  # relative column widths (shares of the width between the margins)
    centre_headers: bool = False

    def __post_init__(self) -> None:
        if len(self.widths) != len(self.headers):
            raise ValueError("one width per column")

    def widths_mm(self, usable_mm: float, *, char_mm: float, padding_mm: float) -> list[float]:
        """The columns' widths in mm: their shares of `usable_mm`, each at least as wide as its header's longest
        line (`char_mm` a character, `padding_mm` the cell's margins), taken from the widest columns."""
        total = sum(self.widths)
        widths = [usable_mm * w / total for w in self.widths]
        least = [max(len(line) for line in h.split("\n")) * char_mm + padding_mm + 0.5 for h in self.headers]
        for _round in range(len(widths)):
            short = [i for i, w in enumerate(widths) if w < least[i] - 0.01]
            if not short:
                break
            needed = sum(least[i] - widths[i] for i in short)
            donors = [i for i, w in enumerate(widths) if i not in short and w - needed > least[i]]
            if not donors:
                break
            share = sum(widths[i] for i in donors)
            for i in short:
                widths[i] = least[i]
            for i in donors:
                widths[i] -= needed * widths[i] / share
        return widths


@dataclass
class Image:
    """A picture (a chart) centred on the page at `width_mm` (at most the width between the margins), its caption
    centred under it."""

    png: bytes
    width_mm: float
    caption: str = ""

    def __post_init__(self) -> None:
        if self.width_mm <= 0:
            raise ValueError("an image needs a positive width")


@dataclass
class Section:
    """A titled part: its lines, then its images, then its table."""

    title: str = ""
    lines: list[str] = field(default_factory=list)
    table: Table | None = None
    images: list[Image] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    """The page and the spacing: A4 portrait or landscape, margins, type sizes (points), gaps (mm)."""

    landscape: bool = False
    margin_mm: float = 20  # Word
    font_pt: float = 10.5  # Word's body text
    space_after_table: bool = True  # Word: an empty paragraph after each table
    pdf_margin_mm: float = 15
    pdf_title_pt: float = 15
    pdf_title_line_mm: float = 8
    pdf_after_title_mm: float = 3
    pdf_before_table_mm: float = 1
    pdf_after_table_mm: float = 2

    @property
    def page_mm(self) -> tuple[float, float]:
        return (297, 210) if self.landscape else (210, 297)


# One wide table on landscape pages: the problem, task and effect lists.
SHEET = Layout(
    landscape=True,
    margin_mm=15,
    font_pt=10,
    space_after_table=False,
    pdf_margin_mm=10,
    pdf_title_pt=14,
    pdf_title_line_mm=10,
    pdf_after_title_mm=2,
    pdf_before_table_mm=0,
    pdf_after_table_mm=0,
)
# Sections of lines and tables on portrait pages: the duty report, the monthly pack, circulars.
REPORT = Layout()


@dataclass
class Document:
    """What every writer writes: the title (centred, and the file's title), then the sections in order.

    `subtitle` lines sit under the title (the month, the issuing unit). `header` and `footer` repeat on every
    page; `page_numbers` adds `page_label` ("第 N 页 共 M 页") to the footer, and `generated` (the date of
    generation, as a line of text) is written in the PDF's footer too.
    """

    title: str
    sections: list[Section]
    layout: Layout = REPORT
    header: str = ""
    footer: str = ""
    page_numbers: bool = False
    subtitle: list[str] = field(default_factory=list)
    page_label: str = PAGE_LABEL
    generated: str = ""

    def page_text(self, page: int | str, pages: int | str) -> str:
        return self.page_label.format(page=page, pages=pages)
