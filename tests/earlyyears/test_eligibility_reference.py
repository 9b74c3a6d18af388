"""Eligibility reference numbers from the council's checker are active for 6 weeks (seed 002)."""

from datetime import date

import pytest

from earlyyears import eligibility_reference_active, eligibility_reference_expires


@pytest.mark.parametrize(
    ("issued_on", "expires"),
    [
        (date(2027, 1, 1), date(2027, 2, 12)),
        (date(2028, 1, 30), date(2028, 3, 12)),  # across 29 February
        (date(2027, 12, 1), date(2028, 1, 12)),
    ],
)
def test_reference_expires_six_weeks_after_issue(issued_on, expires):
    assert eligibility_reference_expires(issued_on) == expires


@pytest.mark.parametrize(
    ("on", "active"),
    [
        (date(2026, 12, 31), False),
        (date(2027, 1, 1), True),
        (date(2027, 2, 12), True),
        (date(2027, 2, 13), False),
    ],
)
def test_reference_is_active_up_to_and_including_the_expiry_date(on, active):
    assert eligibility_reference_active(date(2027, 1, 1), on) is active
