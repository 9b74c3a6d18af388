"""The subject access export as a PDF a person can read: the same data as the JSON, laid out in sections.

It is set like `pdf_export` (fpdf2, Source Sans Pro embedded as a subset, so names such as Siân or
Nguyễn print exactly; a character the font lacks becomes "?"), and fpdf2's own Markdown is never
switched on, so nothing a person typed can change the formatting. Long free text (messages, notes) is
set as paragraphs rather than table cells, so no single record can outgrow a page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import font_source_sans_pro
from fpdf import FPDF, FontFace, XPos, YPos

from .pdf_export import FONT, printable, uk_time

if TYPE_CHECKING:
    from .subject_access import SubjectAccessExport

_REGULAR = Path(font_source_sans_pro.font_files_ttf["SourceSansPro"])
_BOLD = Path(font_source_sans_pro.font_files_ttf["SourceSansProBold"])
_BLACK = (11, 12, 12)  # GOV.UK text colour
_GREY = (80, 90, 95)  # GOV.UK secondary text colour
_RULE = (177, 180, 182)  # GOV.UK border colour


def _text(value: Any) -> str:
    """A value as a person reads it: times in UK time, dates in GOV.UK style, nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, datetime):
        return uk_time(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


class _ExportPDF(FPDF):
    def __init__(self, council: str, reference: int, generated_at: datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.council = council
        self.reference = reference
        self.generated_at = generated_at
        self.add_font(FONT, "", _REGULAR)
        self.add_font(FONT, "B", _BOLD)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_lang("en-GB")
        self.set_creation_date(generated_at)
        self.set_title(printable(f"Information held about account {reference}"))
        self.set_author(printable(council))
        self.set_creator(printable(council))

    def header(self) -> None:
        self.set_font(FONT, "B", 12)
        self.set_text_color(*_BLACK)
        self.cell(0, 7, printable(self.council), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_BLACK)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 9)
        self.set_text_color(*_GREY)
        text = (
            f"Account reference {self.reference}. Page {self.page_no()} of {{nb}}. "
            f"Printed {uk_time(self.generated_at)}."
        )
        self.cell(0, 5, printable(text), align="L")

    def heading(self, text: str, size: int) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*_BLACK)
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def paragraph(self, text: str, *, size: int = 11, grey: bool = False) -> None:
        self.set_font(FONT, "", size)
        self.set_text_color(*(_GREY if grey else _BLACK))
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def key_values(self, rows: Sequence[tuple[str, Any]]) -> None:
        """Like the GOV.UK summary list: the key in bold on the left, the value on the right."""
        self.set_font(FONT, "", 11)
        self.set_text_color(*_BLACK)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        with self.table(
            col_widths=(40, 60), first_row_as_headings=False, borders_layout="HORIZONTAL_LINES",
            text_align="LEFT", v_align="TOP", line_height=5.5, padding=(2, 2, 2, 0),
        ) as table:  # fmt: skip
            for key, value in rows:
                row = table.row()
                row.cell(printable(key), style=FontFace(emphasis="BOLD"))
                row.cell(printable(_text(value)))
        self.ln(6)

    def rows(self, headings: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
        if not rows:
            self.paragraph("None.", grey=True)
            return
        self.set_font(FONT, "", 10)
        self.set_text_color(*_BLACK)
        self.set_draw_color(*_RULE)
        self.set_line_width(0.2)
        with self.table(
            col_widths=tuple(widths), borders_layout="HORIZONTAL_LINES", text_align="LEFT", v_align="TOP",
            line_height=5, padding=(2, 2, 2, 0), headings_style=FontFace(emphasis="BOLD"),
        ) as table:  # fmt: skip
            heading = table.row()
            for title in headings:
                heading.cell(title)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(printable(_text(value)))
        self.ln(6)

    def record(self, title: str, body: str) -> None:
        """A message or note: a bold line saying when and who, then the text as written."""
        self.set_font(FONT, "B", 11)
        self.set_text_color(*_BLACK)
        self.multi_cell(0, 5.5, printable(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.paragraph(body or "-")


def _answers(pdf: _ExportPDF, application: dict[str, Any]) -> None:
    sent = application.get("answers_as_sent") or {}
    if sent.get("sections"):
        pdf.heading("Answers as sent", 14)
        for section in sent["sections"]:
            pdf.heading(section.get("title") or "", 12)
            pdf.key_values(
                [(row.get("label") or "", "\n".join(row.get("lines") or []) or "Not answered")
                 for row in section.get("rows", [])]
            )  # fmt: skip
        for declaration in sent.get("declarations") or []:
            pdf.paragraph(f"Declaration agreed: {declaration.get('text', '')}")
    elif application.get("answers"):
        pdf.heading("Answers saved so far (not sent)", 14)
        pdf.key_values([(code, value) for code, value in sorted(application["answers"].items())])


def _application(pdf: _ExportPDF, application: dict[str, Any]) -> None:
    reference = application["reference"] or "not sent"
    pdf.heading(f"{application['form']}: {reference}", 16)
    pdf.key_values(
        [
            ("Reference", application["reference"]),
            ("Status", application["status"]),
            ("Started", application["started_at"]),
            ("Last saved", application["last_saved_at"]),
            ("Sent", application["submitted_at"]),
        ]
    )
    _answers(pdf, application)
    pdf.heading("Status history", 14)
    pdf.rows(
        ("Date", "Status", "By", "Note"),
        [(c["at"], c["to"], c["by"], c["message"]) for c in application["status_history"]],
        (30, 26, 22, 32),
    )
    pdf.heading("Documents uploaded", 14)
    pdf.rows(
        ("File", "Type", "Size", "Uploaded"),
        [(u["file_name"], u["content_type"], f"{u['size_bytes']:,} bytes", u["uploaded_at"])
         for u in application["uploads"]],
        (40, 25, 15, 30),
    )  # fmt: skip
    if application["messages"]:
        pdf.heading("Messages", 14)
        for m in application["messages"]:
            pdf.record(f"{_text(m['sent_at'])}, {m['direction']}: {m['subject']}", m["body"])
    for d in application["decisions"]:
        pdf.heading("Decision", 14)
        pdf.key_values(
            [("Decision", d["decision"]), ("When", d["at"]), ("By", d["by"]),
             ("Funding from", d["funding_start"]), ("Eligibility code", d["eligibility_reference"])]
        )  # fmt: skip
    if application["information_requests"]:
        pdf.heading("Requests for more information", 14)
        for r in application["information_requests"]:
            pdf.record(f"{_text(r['requested_at'])}, {_text(r['by'])}", r["message"])
    if application["staff_notes"]:
        pdf.heading("Caseworkers' notes", 14)
        for n in application["staff_notes"]:
            pdf.record(f"{_text(n['at'])}, {_text(n['by'])}", n["note"])


def subject_access_pdf(export: SubjectAccessExport) -> bytes:
    data = export.data
    about = data["about_this_export"]
    account = data["account"]
    pdf = _ExportPDF(about["council"], export.account_reference, export.generated_at)
    pdf.add_page()
    pdf.heading("Information we hold about you", 22)
    pdf.paragraph(
        f"This is a copy of the information {about['council']}'s portal holds about the account of "
        f"{export.name} (account reference {export.account_reference}), made on {uk_time(export.generated_at)}. "
        "Documents you uploaded are listed here; copies of them are sent separately."
    )
    pdf.heading("Your account", 16)
    pdf.key_values(
        [
            ("Account reference", account["reference"]),
            ("Name", " ".join(p for p in (account["title"], account["forename"], account["surname"]) if p)),
            ("Email address", account["email"]),
            ("Address", "\n".join(p for p in (account["address_line_1"], account["address_line_2"],
                                               account["town"], account["postcode"]) if p)),
            ("Home phone", account["home_phone"]),
            ("Mobile phone", account["mobile_phone"]),
            ("Work phone", account["work_phone"]),
            ("Registered", account["registered_at"]),
            ("Last signed in", account["last_signed_in_at"]),
            ("Account status", account["status"]),
            ("Two-step verification", account["two_step_verification"]),
        ]
    )  # fmt: skip
    pdf.heading("Children", 16)
    pdf.rows(
        ("Name", "Date of birth", "Gender", "Added"),
        [(f"{c['forename']} {c['surname']}", c["date_of_birth"], c["gender"], c["added_at"]) for c in data["children"]],
        (35, 25, 20, 30),
    )
    if not data["applications"]:
        pdf.heading("Applications", 16)
        pdf.paragraph("None.", grey=True)
    for application in data["applications"]:
        _application(pdf, application)
    pdf.heading("Consent history", 16)
    pdf.rows(
        ("When", "What", "Statement version"),
        [(c["at"], c["action"].capitalize(), c["statement_version"]) for c in data["consent_history"]],
        (40, 30, 30),
    )
    pdf.heading("Announcements", 16)
    pdf.paragraph("The portal does not record which announcements each person has seen.", grey=True)
    pdf.heading("Emails sent to you", 16)
    pdf.rows(
        ("Queued", "Subject", "Sent"),
        [(m["queued_at"], m["subject"], m["sent_at"]) for m in data["emails_sent"]],
        (30, 45, 30),
    )
    pdf.heading("Sign-in records", 16)
    pdf.rows(
        ("When", "What", "From address"),
        [(e["at"], e["action"].replace("_", " "), e["client_address"]) for e in data["sign_in_records"]],
        (35, 40, 30),
    )
    pdf.heading("Other records of activity", 16)
    pdf.rows(
        ("When", "What", "By", "About"),
        [(e["at"], e["action"].replace("_", " "), e["by"], e["about"]) for e in data["audit_events"]],
        (30, 35, 25, 20),
    )
    return bytes(pdf.output())
