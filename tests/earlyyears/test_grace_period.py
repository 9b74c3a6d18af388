"""Grace period end dates: seed 001 (Bolton provider agreement 2017), clause 2.20 and Table B."""

from datetime import date

import pytest

from earlyyears import GRACE_PERIOD_TABLE, grace_period_end


@pytest.mark.parametrize(
    ("decision_date", "expected"),
    [
        # Each row of Table B on its first and last day.
        (date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 2, 10), date(2027, 3, 31)),
        (date(2027, 2, 11), date(2027, 8, 31)),
        (date(2027, 3, 31), date(2027, 8, 31)),
        (date(2027, 4, 1), date(2027, 8, 31)),
        (date(2027, 5, 26), date(2027, 8, 31)),
        (date(2027, 5, 27), date(2027, 12, 31)),
        (date(2027, 8, 31), date(2027, 12, 31)),
        (date(2027, 9, 1), date(2027, 12, 31)),
        (date(2027, 10, 21), date(2027, 12, 31)),
        (date(2027, 10, 22), date(2028, 3, 31)),
        (date(2027, 12, 31), date(2028, 3, 31)),
        # Leap day falls in the 11 February - 31 March row.
        (date(2028, 2, 29), date(2028, 8, 31)),
    ],
)
def test_grace_period_end_follows_table_b(decision_date, expected):
    assert grace_period_end(decision_date) == expected


def test_every_day_of_a_leap_year_has_a_grace_period_end_on_or_after_it():
    day = date(2028, 1, 1)
    while day.year == 2028:
        assert grace_period_end(day) >= day
        day = date.fromordinal(day.toordinal() + 1)


def test_the_table_is_data_with_six_rows():
    assert len(GRACE_PERIOD_TABLE) == 6
