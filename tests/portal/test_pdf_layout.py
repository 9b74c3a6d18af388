"""The PDFs' shared layout: a key, a value or a table cell is printed in full, however long it is."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from portal.services.pdf_layout import LayoutPDF

PRINTED = datetime(2026, 7, 3, 9, 0, tzinfo=UTC)


def words_printed(draw) -> tuple[int, list[str]]:
    """The pages and the words of a PDF that ``draw`` fills, without each page's council name and footer."""
    pdf = LayoutPDF(council="Testshire", title="Test", footer_reference="Reference R", generated_at=PRINTED)
    pdf.add_page()
    draw(pdf)
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()[1:-1]]
    return len(reader.pages), " ".join(lines).split()


def test_a_key_longer_than_a_page_goes_on_in_the_rows_below_it():
    key = [f"key{number}" for number in range(1, 1501)]
    pages, words = words_printed(lambda pdf: pdf.key_values([(" ".join(key), "Yes"), ("Next", "No")]))
    assert pages > 2
    assert [word for word in words if word not in ("Yes", "Next", "No")] == key
    assert words.count("Yes") == 1 and words[-2:] == ["Next", "No"]


def test_a_table_cell_longer_than_a_page_is_printed_in_full_under_the_headings_of_each_page():
    note = [f"note{number}" for number in range(1, 2001)]
    pages, words = words_printed(lambda pdf: pdf.rows(("When", "Note"), [("Today", " ".join(note))], (30, 70)))
    assert pages > 2
    assert words.count("When") == pages  # the headings start every page
    assert [word for word in words if word not in ("When", "Note")] == ["Today", *note]

