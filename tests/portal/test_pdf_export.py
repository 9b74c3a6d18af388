"""Submission PDFs: they open, and say what the parent sent, exactly, with the council's name."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from portal.services.pdf_export import (
    Answer,
    AnswerSection,
    StatusHistoryRow,
    SubmissionSummary,
    printable,
    submission_pdf,
    uk_time,
)

PRINTED = datetime(2026, 7, 3, 9, 0, tzinfo=UTC)


def summary(**changes) -> SubmissionSummary:
    fields = {
        "council_name": "Testshire Council",
        "form_title": "Apply for funded early education for 2-year-olds",
        "reference": "2YO-7K3M-Q9TD",
        "submitted_at": datetime(2026, 7, 1, 8, 5, tzinfo=UTC),
        "status_history": [
            StatusHistoryRow(datetime(2026, 7, 1, 8, 5, tzinfo=UTC), "Submitted"),
            StatusHistoryRow(
                datetime(2026, 7, 2, 14, 42, tzinfo=UTC),
                "More information requested",
                by="Jane Smith",
                note="Send your payslips for May and June",
            ),
        ],
        "sections": [
            AnswerSection(
                "About you",
                [
                    Answer("What is your full name?", ["Siân O'Neill"]),
                    Answer("What is your address?", ["1 Example Street", "Northampton", "NN1 1AA"]),
                ],
            ),
            AnswerSection("About your child", [Answer("What is your child's full name?", ["Zoë O'Neill"])]),
        ],
    }
    fields.update(changes)
    return SubmissionSummary(**fields)


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def test_the_pdf_opens_and_has_the_council_the_reference_and_the_answers():
    data = submission_pdf(summary(), generated_at=PRINTED)
    assert data.startswith(b"%PDF-")
    reader, text = read(data)
    assert len(reader.pages) == 1
    lines = text.splitlines()
    assert lines[0] == "Testshire Council"
    assert lines[1] == "Apply for funded early education for 2-year-olds"
    assert "Reference 2YO-7K3M-Q9TD" in lines
    assert "Submitted 1 July 2026 at 9:05am" in lines  # 08:05 UTC is 9:05am BST
    for expected in ("About you", "What is your full name? Siân O'Neill", "NN1 1AA", "About your child"):
        assert expected in lines
    assert "Reference 2YO-7K3M-Q9TD. Page 1 of 1. Printed 3 July 2026 at 10:00am." in lines
    assert reader.metadata.title == "Apply for funded early education for 2-year-olds: 2YO-7K3M-Q9TD"
    assert reader.metadata.author == "Testshire Council"


def test_the_status_history_is_listed_with_who_changed_it_and_why():
    _, text = read(submission_pdf(summary(), generated_at=PRINTED))
    assert "Status history" in text
    assert "Date Status By Note" in text
    assert "1 July 2026 at 9:05am Submitted" in text
    assert "2 July 2026 at 3:42pm" in text and "Jane Smith" in text
    assert "Send your payslips for May and June" in " ".join(text.split())  # wrapped in its column


@pytest.mark.parametrize(
    "name", ["Siân Llŷr", "Zoë Brontë", "Łukasz Wiśniewski", "Nguyễn Thị Ánh", "Chloé Ó Súilleabháin"]
)
def test_names_with_accents_come_out_exactly_as_written(name):
    data = submission_pdf(
        summary(sections=[AnswerSection("About you", [Answer("Full name", [name])])]), generated_at=PRINTED
    )
    _, text = read(data)
    assert f"Full name {name}" in text.splitlines()


def test_the_font_is_embedded_so_the_pdf_prints_the_same_everywhere():
    reader, _ = read(submission_pdf(summary(), generated_at=PRINTED))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    base_fonts = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert base_fonts and all("SourceSansPro" in name for name in base_fonts)
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor


def test_a_character_the_font_cannot_draw_becomes_a_question_mark_rather_than_an_error():
    assert printable("王芳 😀 Zoë\nNext line") == "?? ? Zoë\nNext line"
    _, text = read(
        submission_pdf(
            summary(sections=[AnswerSection("About you", [Answer("Full name", ["王芳 Zoë"])])]), generated_at=PRINTED
        )
    )
    assert "Full name ?? Zoë" in text.splitlines()


def test_what_a_parent_typed_is_never_read_as_formatting():
    answer = "**not bold** --not struck-- __not underlined__ <b>not html</b>"
    _, text = read(
        submission_pdf(
            summary(sections=[AnswerSection("About you", [Answer("Notes", [answer])])]), generated_at=PRINTED
        )
    )
    assert f"Notes {answer}" in " ".join(text.split())  # wrapped, but every character as typed


def test_a_long_submission_runs_onto_more_pages_with_the_council_and_reference_on_each():
    many = [Answer(f"Question {number}", [f"Answer {number}"]) for number in range(1, 121)]
    reader, text = read(submission_pdf(summary(sections=[AnswerSection("Everything", many)]), generated_at=PRINTED))
    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert page_text.startswith("Testshire Council")
        assert f"Reference 2YO-7K3M-Q9TD. Page {number} of {pages}." in page_text
    assert "Question 120 Answer 120" in text.splitlines()


def test_the_same_summary_printed_at_the_same_time_gives_the_same_pdf():
    assert submission_pdf(summary(), generated_at=PRINTED) == submission_pdf(summary(), generated_at=PRINTED)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 1, 15, 0, 0, tzinfo=UTC), "15 January 2026 at 12:00am"),
        (datetime(2026, 1, 15, 12, 30, tzinfo=UTC), "15 January 2026 at 12:30pm"),
        (datetime(2026, 7, 15, 23, 30, tzinfo=UTC), "16 July 2026 at 12:30am"),
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 March 2026 at 12:59am"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 March 2026 at 2:00am"),
    ],
)
def test_times_are_shown_in_uk_time_in_govuk_style(moment, shown):
    assert uk_time(moment) == shown


def page_bodies(reader: PdfReader) -> list[str]:
    """The words of every page, without the council's name above them and the footer below."""
    return " ".join(" ".join(page.extract_text().splitlines()[1:-1]) for page in reader.pages).split()


def test_a_very_long_answer_is_printed_in_full_over_as_many_pages_as_it_needs():
    answer = " ".join(f"word{number}" for number in range(1, 2501))  # longer than a page could hold
    sections = [AnswerSection("More about you", [Answer("First", ["one"]), Answer("Anything else", [answer])])]
    reader, text = read(submission_pdf(summary(sections=sections), generated_at=PRINTED))
    assert len(reader.pages) > 3
    assert f"First one Anything else {answer}" in " ".join(page_bodies(reader))
    pages = len(reader.pages)
    assert f"Reference 2YO-7K3M-Q9TD. Page {pages} of {pages}." in text
