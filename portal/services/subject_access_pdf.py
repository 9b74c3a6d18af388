"""The subject access export as a PDF a person can read: the same data as the JSON, laid out in sections.

It is set in `pdf_layout`, like a submission's PDF (fpdf2, Source Sans Pro embedded as a subset, so
names such as Siân or Nguyễn print exactly; a character the font lacks becomes "?"), and fpdf2's own
Markdown is never switched on, so nothing a person typed can change the formatting. Long free text
(messages, notes) is set as paragraphs rather than table cells.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from fpdf import XPos, YPos

from .pdf_layout import BLACK, FONT, LayoutPDF, printable, uk_time

if TYPE_CHECKING:
    from .subject_access import SubjectAccessExport


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


class _ExportPDF(LayoutPDF):
    """The shared layout, with values of any kind written as `_text` says and an empty table as "None."."""

    def __init__(self, council: str, reference: int, generated_at: datetime) -> None:
        super().__init__(
            council=council,
            title=f"Information held about account {reference}",
            footer_reference=f"Account reference {reference}",
            generated_at=generated_at,
        )

    def key_values(self, rows: Sequence[tuple[str, Any]]) -> None:
        super().key_values([(key, _text(value)) for key, value in rows])

    def rows(self, headings: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
        if not rows:
            self.paragraph("None.", grey=True)
            return
        super().rows(headings, [[_text(value) for value in values] for values in rows], widths)

    def record(self, title: str, body: str) -> None:
        """A message or note: a bold line saying when and who, then the text as written."""
        self.set_font(FONT, "B", 11)
        self.set_text_color(*BLACK)
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
