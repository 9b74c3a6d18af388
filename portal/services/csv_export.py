"""CSV exports that open safely in Excel and stream, however many rows there are.

Formula injection: a spreadsheet treats a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula, so a parent who types `=HYPERLINK(...)` as their name could run it on a
caseworker's machine. Every text cell that begins with one of them gets a single quote in front
(OWASP, "CSV Injection"). Numbers the portal itself produces (int, float, Decimal) are written as they
are: `-3` is data, and cannot be a formula.

The file starts with a UTF-8 byte order mark, which Excel needs to read accents (Siân, Zoë) correctly.
`stream_csv` is a generator of text chunks of about `rows_per_chunk` rows, so a Flask response can send
100,000 rows without holding the file in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LONDON = ZoneInfo("Europe/London")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell(value: object) -> str | int | float | Decimal:
    """One value as it should appear in the file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        # Caseworkers read UK local times; an aware time is converted, a naive one is taken as it is.
        local = value.astimezone(LONDON) if value.tzinfo else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[object]], *, rows_per_chunk: int = 500) -> Iterator[str]:
    """Yield the CSV file (BOM, header, rows) in chunks, reading `rows` only as the chunks are consumed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    buffer.write(BOM)
    writer.writerow([cell(name) for name in header])
    pending = 0
    for row in rows:
        writer.writerow([cell(value) for value in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if buffer.tell():  # the header, or rows since the last chunk
        yield buffer.getvalue()
