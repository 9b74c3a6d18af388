"""The layout the portal's PDFs share (a submission, `pdf_export`; a subject access export,
`subject_access_pdf`): A4, GOV.UK colours, the council's name at the top of every page and a reference,
the page number and the time printed at the foot; headings, paragraphs, key and value rows like the
GOV.UK summary list, and tables.

fpdf2 writes the PDF in pure Python. The text is set in Source Sans Pro, a Unicode TrueType font that
the `font-source-sans-pro` package ships (SIL Open Font License), embedded as a subset: names such as
Siân, Zoë, Łukasz or Nguyễn come out exactly as written, which fpdf2's built-in fonts (Latin-1 only)
could not promise. A character the font has no glyph for (Chinese, say, or an emoji) is written as
"?" rather than failing the export; the page on screen always has the exact text.

fpdf2's own Markdown is never switched on, so nothing a person typed can change the formatting. fpdf2
cannot break a table row across pages, so a row longer than `LINES_PER_ROW` lines goes on in the rows
below it: every key and value is printed in full, however long.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import font_source_sans_pro
from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace, XPos, YPos
from fpdf.enums import MethodReturnValue

LONDON = ZoneInfo("Europe/London")
FONT = "SourceSans"
_REGULAR = Path(font_source_sans_pro.font_files_ttf["SourceSansPro"])
_BOLD = Path(font_source_sans_pro.font_files_ttf["SourceSansProBold"])
BLACK = (11, 12, 12)  # GOV.UK text colour
GREY = (80, 90, 95)  # GOV.UK secondary text colour
RULE = (177, 180, 182)  # GOV.UK border colour
_BOLD_FACE = FontFace(emphasis="BOLD")

# At most this many lines in one table row: 114mm at 5.5mm a line with the padding, so two such rows fit
# in the 242mm an A4 page has between the council's name and the foot.
LINES_PER_ROW = 20
_WRAP_ALLOWANCE = 6  # mm narrower than a column when counting a cell's lines, so fpdf2 never sets more


def uk_time(moment: datetime) -> str:
    """GOV.UK style: '1 July 2026 at 9:05am'."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


@cache
def _glyphs() -> frozenset[int]:
    """The code points both faces can draw."""
    regular, bold = (set(TTFont(path, lazy=True).getBestCmap()) for path in (_REGULAR, _BOLD))
    return frozenset(regular & bold)


def printable(text: str) -> str:
    """`text` with any character the font cannot draw replaced by '?', and line breaks kept."""
    glyphs = _glyphs()
    return "".join(char if char in "\n" or ord(char) in glyphs else "?" for char in text)


class LayoutPDF(FPDF):
    """An A4 page in the portal's layout. Every text it is given goes through `printable`."""

    def __init__(self, *, council: str, title: str, footer_reference: str, generated_at: datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.council = council
        self.footer_reference = footer_reference  # e.g. "Reference 2YO-7K3M-Q9TD"
        self.generated_at = generated_at
        self.add_font(FONT, "", _REGULAR)
        self.add_font(FONT, "B", _BOLD)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_lang("en-GB")
        self.set_creation_date(generated_at)  # the same content printed at the same time, the same bytes
        self.set_title(printable(title))
        self.set_author(printable(council))
        self.set_creator(printable(council))

    def header(self) -> None:
        self.set_font(FONT, "B", 12)
        self.set_text_color(*BLACK)
        self.cell(0, 7, printable(self.council), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*BLACK)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 9)
        self.set_text_color(*GREY)
        text = f"{self.footer_reference}. Page {self.page_no()} of {{nb}}. Printed {uk_time(self.generated_at)}."
        self.cell(0, 5, printable(text), align="L")

    def heading(self, text: str, size: int) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*BLACK)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def paragraph(self, text: str, *, size: int = 11, grey: bool = False) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*(GREY if grey else BLACK))
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def key_values(self, rows: Sequence[tuple[str, str]]) -> None:
        """Like the GOV.UK summary list: the key in bold on the left, the value on the right."""
        self._table(None, rows, (40, 60), size=11, line_height=5.5, bold_first=True)

    def rows(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
        """A table with a bold heading row."""
        self._table(headings, rows, widths, size=10, line_height=5, bold_first=False)

    def _table(
        self,
        headings: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        widths: Sequence[int],
        *,
        size: int,
        line_height: float,
        bold_first: bool,
    ) -> None:
        fitted = [part for cells in rows for part in self._fitted(cells, widths, size, bold_first)]
        self.set_font(FONT, "", size)
        self.set_text_color(*BLACK)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        layout = {"headings_style": _BOLD_FACE} if headings is not None else {"first_row_as_headings": False}
        with self.table(
            col_widths=tuple(widths),
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            v_align="TOP",
            line_height=line_height,
            padding=(2, 2, 2, 0),
            **layout,
        ) as table:
            if headings is not None:
                heading = table.row()
                for title in headings:
                    heading.cell(title)
            for cells in fitted:
                row = table.row()
                for column, text in enumerate(cells):
                    row.cell(text, style=_BOLD_FACE if bold_first and column == 0 else None)
        self.ln(6)

    def _fitted(
        self, cells: Sequence[str], widths: Sequence[int], size: int, bold_first: bool
    ) -> list[tuple[str, ...]]:
        """One table row, printable; or, when a cell runs longer than `LINES_PER_ROW` lines, several rows
        that carry its lines on in turn (fpdf2 refuses a row taller than a page)."""
        texts = tuple(printable(text) for text in cells)
        lines = []
        for column, text in enumerate(texts):
            self.set_font(FONT, "B" if bold_first and column == 0 else "", size)
            width = self.epw * widths[column] / sum(widths) - _WRAP_ALLOWANCE
            lines.append(self.multi_cell(width, 1, text, dry_run=True, output=MethodReturnValue.LINES))
        longest = max((len(cell) for cell in lines), default=0)
        if longest <= LINES_PER_ROW:
            return [texts]
        parts = range(math.ceil(longest / LINES_PER_ROW))
        return [
            tuple("\n".join(cell[part * LINES_PER_ROW : (part + 1) * LINES_PER_ROW]) for cell in lines)
            for part in parts
        ]
