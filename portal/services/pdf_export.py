"""A submission as a printable PDF: the council's name, the answers as sent and the status history.

The input is a plain data structure (`SubmissionSummary`), so this module knows nothing about how
applications are stored; the caller turns a submission into one.

fpdf2 writes the PDF in pure Python. The text is set in Source Sans Pro, a Unicode TrueType font that
the `font-source-sans-pro` package ships (SIL Open Font License), embedded as a subset: names such as
Siân, Zoë, Łukasz or Nguyễn come out exactly as written, which fpdf2's built-in fonts (Latin-1 only)
could not promise. A character the font has no glyph for (Chinese, say, or an emoji) is written as
"?" rather than failing the export; the page on screen always has the exact text.

fpdf2's own Markdown is never switched on, so nothing a parent typed can change the formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import font_source_sans_pro
from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace, XPos, YPos

LONDON = ZoneInfo("Europe/London")
FONT = "SourceSans"
_REGULAR = Path(font_source_sans_pro.font_files_ttf["SourceSansPro"])
_BOLD = Path(font_source_sans_pro.font_files_ttf["SourceSansProBold"])
_BLACK = (11, 12, 12)  # GOV.UK text colour
_GREY = (80, 90, 95)  # GOV.UK secondary text colour
_RULE = (177, 180, 182)  # GOV.UK border colour


@dataclass(frozen=True)
class StatusHistoryRow:
    at: datetime  # aware; shown in UK time
    status: str  # as a person reads it, e.g. "More information requested"
    by: str = ""  # who made the change, e.g. "Jane Smith"; empty for the parent or the system
    note: str = ""


@dataclass(frozen=True)
class Answer:
    question: str  # the question's text as the parent saw it
    lines: Sequence[str]  # the answer, one line each (an address, a list of choices)


@dataclass(frozen=True)
class AnswerSection:
    title: str
    answers: Sequence[Answer]


@dataclass(frozen=True)
class SubmissionSummary:
    council_name: str
    form_title: str
    reference: str
    submitted_at: datetime  # aware; shown in UK time
    status_history: Sequence[StatusHistoryRow] = field(default_factory=tuple)
    sections: Sequence[AnswerSection] = field(default_factory=tuple)


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


class _SubmissionPDF(FPDF):
    def __init__(self, summary: SubmissionSummary, generated_at: datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.summary = summary
        self.generated_at = generated_at
        self.add_font(FONT, "", _REGULAR)
        self.add_font(FONT, "B", _BOLD)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_lang("en-GB")
        self.set_creation_date(generated_at)  # the same summary printed at the same time, the same bytes
        self.set_title(printable(f"{summary.form_title}: {summary.reference}"))
        self.set_author(printable(summary.council_name))
        self.set_creator(printable(summary.council_name))

    def header(self) -> None:
        self.set_font(FONT, "B", 12)
        self.set_text_color(*_BLACK)
        self.cell(0, 7, printable(self.summary.council_name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_BLACK)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 9)
        self.set_text_color(*_GREY)
        text = (
            f"Reference {self.summary.reference}. Page {self.page_no()} of {{nb}}. "
            f"Printed {uk_time(self.generated_at)}."
        )
        self.cell(0, 5, printable(text), align="L")

    def heading(self, text: str, size: int) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*_BLACK)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def key_values(self, rows: Sequence[tuple[str, str]]) -> None:
        """Like the GOV.UK summary list: the key in bold on the left, the value on the right."""
        self.set_font(FONT, "", 11)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        with self.table(
            col_widths=(40, 60),
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            v_align="TOP",
            line_height=5.5,
            padding=(2, 2, 2, 0),
        ) as table:
            for key, value in rows:
                row = table.row()
                row.cell(printable(key), style=FontFace(emphasis="BOLD"))
                row.cell(printable(value))
        self.ln(6)

    def history(self, rows: Sequence[StatusHistoryRow]) -> None:
        self.set_font(FONT, "", 10)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        with self.table(
            col_widths=(30, 26, 20, 34),
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            v_align="TOP",
            line_height=5,
            padding=(2, 2, 2, 0),
            headings_style=FontFace(emphasis="BOLD"),
        ) as table:
            heading = table.row()
            for title in ("Date", "Status", "By", "Note"):
                heading.cell(title)
            for change in rows:
                row = table.row()
                for text in (uk_time(change.at), change.status, change.by, change.note):
                    row.cell(printable(text))
        self.ln(6)


def submission_pdf(summary: SubmissionSummary, *, generated_at: datetime) -> bytes:
    """The PDF of one submission, as bytes to send with `application/pdf`."""
    pdf = _SubmissionPDF(summary, generated_at)
    pdf.add_page()
    pdf.heading(summary.form_title, 22)
    pdf.key_values([("Reference", summary.reference), ("Submitted", uk_time(summary.submitted_at))])
    if summary.status_history:
        pdf.heading("Status history", 16)
        pdf.history(summary.status_history)
    for section in summary.sections:
        pdf.heading(section.title, 16)
        pdf.key_values([(answer.question, "\n".join(answer.lines)) for answer in section.answers])
    return bytes(pdf.output())
