"""30 hours codes: format (seed 001 clause 2.24; seed 002: 500 HMRC, 400 foster carers; 501 from
early-years-rules.md), validity for a term and reconfirmation (early-years-rules.md, "30 hours")."""

from datetime import date

import pytest

from earlyyears import (
    MESSAGES,
    ErrorCode,
    code_valid_for_term,
    is_foster_carer_code,
    reconfirm_window_opens,
    thirty_hours_code_problem,
)


@pytest.mark.parametrize(
    ("code", "foster_carer", "expected"),
    [
        ("50012345678", False, None),
        ("50112345678", False, None),
        ("500 1234 5678", False, None),
        (" 500-1234-5678 ", False, None),
        ("40012345678", True, None),
        ("40012345678", False, ErrorCode.WRONG_PREFIX),
        ("50012345678", True, ErrorCode.WRONG_PREFIX),
        ("50212345678", False, ErrorCode.WRONG_PREFIX),
        ("12345678901", False, ErrorCode.WRONG_PREFIX),
        ("5001234567", False, ErrorCode.NOT_11_DIGITS),
        ("500123456789", False, ErrorCode.NOT_11_DIGITS),
        ("500", False, ErrorCode.NOT_11_DIGITS),
        ("5001234567A", False, ErrorCode.NOT_DIGITS),
        ("ABCDEFGHIJK", False, ErrorCode.NOT_DIGITS),
        ("500.1234.5678", False, ErrorCode.NOT_DIGITS),
        ("５００１２３４５６７８", False, ErrorCode.NOT_DIGITS),  # full-width digits are not 0-9
        ("500123456７8", False, ErrorCode.NOT_DIGITS),
        ("", False, ErrorCode.EMPTY),
        ("   ", False, ErrorCode.EMPTY),
        (None, False, ErrorCode.EMPTY),
    ],
)
def test_thirty_hours_code_problem(code, foster_carer, expected):
    assert thirty_hours_code_problem(code, foster_carer=foster_carer) == expected


def test_every_error_code_has_a_message():
    assert set(MESSAGES) == set(ErrorCode)
    assert all(message and not message.endswith(".") for message in MESSAGES.values())


@pytest.mark.parametrize(
    ("code", "expected"),
    [("40012345678", True), ("400 1234 5678", True), ("50012345678", False), (None, False)],
)
def test_is_foster_carer_code(code, expected):
    assert is_foster_carer_code(code) is expected


TERM = date(2027, 9, 1)


@pytest.mark.parametrize(
    ("validity_start", "validity_end", "expected"),
    [
        (date(2027, 8, 31), date(2027, 9, 1), True),  # both at the limit
        (date(2027, 6, 1), date(2027, 11, 30), True),
        (date(2027, 9, 1), date(2027, 11, 30), False),  # starts on the term start: too late
        (date(2027, 9, 2), date(2027, 11, 30), False),
        (date(2027, 6, 1), date(2027, 8, 31), False),  # ends the day before the term
    ],
)
def test_code_valid_for_term(validity_start, validity_end, expected):
    assert code_valid_for_term(validity_start, validity_end, TERM) is expected


@pytest.mark.parametrize(
    ("validity_end", "expected"),
    [
        (date(2027, 8, 31), date(2027, 8, 3)),
        (date(2027, 3, 31), date(2027, 3, 3)),
        (date(2028, 3, 27), date(2028, 2, 28)),
        (date(2028, 3, 28), date(2028, 2, 29)),
        (date(2027, 1, 10), date(2026, 12, 13)),
    ],
)
def test_reconfirm_window_opens_28_days_before_the_end(validity_end, expected):
    assert reconfirm_window_opens(validity_end) == expected
