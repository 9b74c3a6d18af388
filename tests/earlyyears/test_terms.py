"""Funding start dates: seed 001 (Bolton provider agreement 2017), Table A; early-years-rules.md "Terms"."""

from datetime import date

import pytest

from earlyyears import TERM_STARTS, funding_start_date, next_term_start
from earlyyears.terms import birthday, previous_term_start, term_starts_in


def test_term_dates_are_those_published_in_table_a():
    assert term_starts_in(2027) == (date(2027, 1, 1), date(2027, 4, 1), date(2027, 9, 1))
    assert [term.name for term in TERM_STARTS] == ["spring", "summer", "autumn"]


@pytest.mark.parametrize(
    ("date_of_birth", "eligible_age", "expected"),
    [
        # Each band of Table A at its first and last day, for the two-year-old offer.
        (date(2025, 1, 1), 2, date(2027, 4, 1)),
        (date(2025, 3, 31), 2, date(2027, 4, 1)),
        (date(2025, 4, 1), 2, date(2027, 9, 1)),
        (date(2025, 8, 31), 2, date(2027, 9, 1)),
        (date(2025, 9, 1), 2, date(2028, 1, 1)),
        (date(2024, 12, 31), 2, date(2027, 1, 1)),
        # The same boundaries for the three-year-old offer.
        (date(2024, 1, 1), 3, date(2027, 4, 1)),
        (date(2024, 3, 31), 3, date(2027, 4, 1)),
        (date(2024, 4, 1), 3, date(2027, 9, 1)),
        (date(2024, 8, 31), 3, date(2027, 9, 1)),
        (date(2024, 9, 1), 3, date(2028, 1, 1)),
        (date(2023, 12, 31), 3, date(2027, 1, 1)),
        # Mid-band birthdays.
        (date(2025, 2, 14), 2, date(2027, 4, 1)),
        (date(2025, 5, 15), 2, date(2027, 9, 1)),
        (date(2025, 11, 5), 2, date(2028, 1, 1)),
    ],
)
def test_funding_starts_the_term_after_the_birthday(date_of_birth, eligible_age, expected):
    assert funding_start_date(date_of_birth, eligible_age) == expected


@pytest.mark.parametrize(
    ("date_of_birth", "eligible_age", "expected_birthday", "expected_start"),
    [
        # Born on leap day: in a year without 29 February the birthday is 1 March (Family Law Reform
        # Act 1969 s.9); 28 February and 1 March are both in the January-March band, so 1 April.
        (date(2024, 2, 29), 2, date(2026, 3, 1), date(2026, 4, 1)),
        (date(2024, 2, 29), 3, date(2027, 3, 1), date(2027, 4, 1)),
        (date(2024, 2, 29), 4, date(2028, 2, 29), date(2028, 4, 1)),
    ],
)
def test_a_child_born_on_29_february(date_of_birth, eligible_age, expected_birthday, expected_start):
    assert birthday(date_of_birth, eligible_age) == expected_birthday
    assert funding_start_date(date_of_birth, eligible_age) == expected_start


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 4, 1)),
        (date(2027, 3, 31), date(2027, 4, 1)),
        (date(2027, 4, 1), date(2027, 9, 1)),
        (date(2027, 8, 31), date(2027, 9, 1)),
        (date(2027, 9, 1), date(2028, 1, 1)),
    ],
)
def test_next_term_start_is_strictly_after(after, expected):
    assert next_term_start(after) == expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (date(2027, 1, 1), date(2026, 9, 1)),
        (date(2027, 1, 2), date(2027, 1, 1)),
        (date(2027, 4, 1), date(2027, 1, 1)),
        (date(2027, 9, 1), date(2027, 4, 1)),
    ],
)
def test_previous_term_start_is_strictly_before(before, expected):
    assert previous_term_start(before) == expected


def test_a_negative_age_is_a_programming_error():
    with pytest.raises(ValueError, match="negative"):
        funding_start_date(date(2025, 1, 1), -1)
