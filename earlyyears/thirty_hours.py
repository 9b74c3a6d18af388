"""30 hours eligibility codes: format, validity for a term, reconfirmation and the grace period.

Sources (restated in /work/shared/early-years-rules.md, "30 hours"):
- seed 001 (Bolton provider agreement 2017), clause 2.24: the code is the child's 11-digit number;
- seed 002 (Northamptonshire funding page): HMRC codes start with 500, foster carers' codes from the
  council start with 400; parents reconfirm every 3 months;
- early-years-rules.md: HMRC codes may also start with 501; a code is valid for a term when its validity
  start date is on or before the day before the term starts and its validity end date is on or after the
  term start; the reconfirm window opens 28 days before the validity end date;
- seed 001, clause 2.20 and Table B: the grace period end date that follows from the date of the
  ineligible decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from earlyyears.errors import ErrorCode

CODE_LENGTH = 11
HMRC_CODE_PREFIXES: tuple[str, ...] = ("500", "501")
FOSTER_CARER_CODE_PREFIXES: tuple[str, ...] = ("400",)
RECONFIRM_WINDOW = timedelta(days=28)

# People copy codes from letters and screens with spaces or dashes between groups of digits; GOV.UK
# patterns say to accept those rather than reject them.
_SEPARATORS = re.compile(r"[\s\-]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def normalise_thirty_hours_code(code: str | None) -> str:
    """The code with surrounding whitespace, inner spaces and dashes removed ('' for None)."""
    if code is None:
        return ""
    return _SEPARATORS.sub("", code)


def is_foster_carer_code(code: str | None) -> bool:
    """Whether the code has a foster carer's prefix (400, seed 002)."""
    return normalise_thirty_hours_code(code).startswith(FOSTER_CARER_CODE_PREFIXES)


def thirty_hours_code_problem(code: str | None, foster_carer: bool = False) -> ErrorCode | None:
    """None when ``code`` is a well-formed 30 hours eligibility code, otherwise what is wrong with it.

    HMRC codes start with 500 or 501; a foster carer's code (``foster_carer=True``) starts with 400
    (seed 002). The code must be 11 digits (seed 001, clause 2.24). This checks the format only: whether
    the code belongs to the child is checked with HMRC's service using the child's date of birth and the
    parent's National Insurance number.
    """
    normalised = normalise_thirty_hours_code(code)
    if not normalised:
        return ErrorCode.EMPTY
    # str.isdigit() accepts other scripts' digits and superscripts; codes are ASCII 0-9 only.
    if not _ASCII_DIGITS.fullmatch(normalised):
        return ErrorCode.NOT_DIGITS
    if len(normalised) != CODE_LENGTH:
        return ErrorCode.NOT_11_DIGITS
    prefixes = FOSTER_CARER_CODE_PREFIXES if foster_carer else HMRC_CODE_PREFIXES
    if not normalised.startswith(prefixes):
        return ErrorCode.WRONG_PREFIX
    return None


def code_valid_for_term(validity_start: date, validity_end: date, term_start: date) -> bool:
    """Whether a code can be used to fund a place in the term starting ``term_start``.

    Rule (early-years-rules.md, "30 hours"): the validity start date is on or before the day before the
    term starts, and the validity end date is on or after the term start.
    """
    return validity_start <= term_start - timedelta(days=1) and validity_end >= term_start


def reconfirm_window_opens(validity_end: date) -> date:
    """The first day a parent can reconfirm: 28 days before the validity end date (early-years-rules.md)."""
    return validity_end - RECONFIRM_WINDOW


@dataclass(frozen=True)
class GracePeriodRow:
    """One row of seed 001 Table B: decisions from ``decided_from`` to ``decided_to`` (month, day),
    inclusive, keep the place until ``ends`` (month, day), ``years_later`` calendar years on."""

    decided_from: tuple[int, int]
    decided_to: tuple[int, int]
    ends: tuple[int, int]
    years_later: int = 0


# Seed 001 (Bolton provider agreement 2017), Table B, row by row.
GRACE_PERIOD_TABLE: tuple[GracePeriodRow, ...] = (
    GracePeriodRow(decided_from=(1, 1), decided_to=(2, 10), ends=(3, 31)),
    GracePeriodRow(decided_from=(2, 11), decided_to=(3, 31), ends=(8, 31)),
    GracePeriodRow(decided_from=(4, 1), decided_to=(5, 26), ends=(8, 31)),
    GracePeriodRow(decided_from=(5, 27), decided_to=(8, 31), ends=(12, 31)),
    GracePeriodRow(decided_from=(9, 1), decided_to=(10, 21), ends=(12, 31)),
    GracePeriodRow(decided_from=(10, 22), decided_to=(12, 31), ends=(3, 31), years_later=1),
)


def _check_grace_period_table(rows: tuple[GracePeriodRow, ...]) -> None:
    """Fail at import if the table leaves a day of the year out or covers one twice (leap year used)."""
    day = date(2024, 1, 1)
    for row in rows:
        if (day.month, day.day) != row.decided_from:
            raise ValueError(f"grace period table: row {row} should start on {day:%d %B}")
        day = date(2024, *row.decided_to) + timedelta(days=1)
    if day != date(2025, 1, 1):
        raise ValueError("grace period table must end on 31 December")


_check_grace_period_table(GRACE_PERIOD_TABLE)


def grace_period_end(decision_date: date) -> date:
    """The last day of the grace period for an ineligible decision made on ``decision_date`` (Table B)."""
    month_day = (decision_date.month, decision_date.day)
    for row in GRACE_PERIOD_TABLE:
        if row.decided_from <= month_day <= row.decided_to:
            return date(decision_date.year + row.years_later, *row.ends)
    raise AssertionError("unreachable: the table covers every day of the year")  # pragma: no cover
