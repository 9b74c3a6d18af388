"""Dated income and savings limits (early-years-rules.md "Two-year-old offer"; GOV.UK free childcare for
2-year-olds; NRPF criterion from 1 September 2022, House of Commons Library)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from earlyyears import (
    TWO_YEAR_OLD_INCOME_LIMITS,
    IncomeLimitsConfigurationError,
    NoIncomeLimitsError,
    income_limits_on,
)
from earlyyears.income_limits import check_income_limits

CURRENT = TWO_YEAR_OLD_INCOME_LIMITS[-1]


def test_configured_amounts_match_the_rules():
    limits = income_limits_on(date(2027, 6, 1))
    assert limits.universal_credit_take_home_earned_income == Decimal("15400")
    assert limits.tax_credits_gross_income == Decimal("16190")
    assert limits.nrpf_savings == Decimal("16000")
    assert limits.source.startswith("https://www.gov.uk/")


@pytest.mark.parametrize(
    ("in_london", "children", "expected"),
    [
        (False, 1, Decimal("26500")),
        (True, 1, Decimal("34500")),
        (False, 2, Decimal("30600")),
        (True, 2, Decimal("38600")),
        (False, 5, Decimal("30600")),
        (True, 5, Decimal("38600")),
    ],
)
def test_nrpf_income_limit_by_place_and_family_size(in_london, children, expected):
    assert CURRENT.nrpf_income_limit(in_london=in_london, children=children) == expected


def test_nrpf_income_limit_needs_a_child():
    with pytest.raises(ValueError, match="at least one child"):
        CURRENT.nrpf_income_limit(in_london=False, children=0)


def test_the_first_row_starts_with_the_nrpf_criterion_and_the_last_is_open():
    assert TWO_YEAR_OLD_INCOME_LIMITS[0].valid_from == date(2022, 9, 1)
    assert TWO_YEAR_OLD_INCOME_LIMITS[-1].valid_to is None
    assert income_limits_on(date(2022, 9, 1)) is TWO_YEAR_OLD_INCOME_LIMITS[0]


def test_no_row_before_the_first_is_a_lookup_error():
    with pytest.raises(NoIncomeLimitsError, match="2022-08-31"):
        income_limits_on(date(2022, 8, 31))


def _row(valid_from, valid_to, **changes):
    return replace(CURRENT, valid_from=valid_from, valid_to=valid_to, **changes)


def test_a_next_year_row_is_chosen_by_date():
    rows = (
        _row(date(2022, 9, 1), date(2028, 3, 31)),
        _row(date(2028, 4, 1), None, universal_credit_take_home_earned_income=Decimal("16000")),
    )
    check_income_limits(rows)
    assert income_limits_on(date(2028, 3, 31), rows) is rows[0]
    assert income_limits_on(date(2028, 4, 1), rows) is rows[1]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ((), "no income limits"),
        ((_row(date(2022, 9, 1), date(2028, 3, 31)),), "must stay open"),
        ((_row(date(2022, 9, 1), None), _row(date(2028, 4, 1), None)), "open-ended but is not the latest"),
        ((_row(date(2022, 9, 1), date(2028, 3, 30)), _row(date(2028, 4, 1), None)), "without gaps"),
        ((_row(date(2022, 9, 1), date(2028, 4, 1)), _row(date(2028, 4, 1), None)), "without gaps"),
        ((_row(date(2022, 9, 1), date(2022, 8, 1)), _row(date(2022, 8, 2), None)), "ends before it starts"),
        ((_row(date(2022, 9, 1), None, source=" "),), "no source"),
        ((_row(date(2022, 9, 1), None, nrpf_savings=Decimal("0")),), "nrpf_savings must be a positive"),
        ((_row(date(2022, 9, 1), None, tax_credits_gross_income=Decimal("NaN")),), "positive amount"),
    ],
)
def test_inconsistent_tables_are_rejected(rows, problem):
    with pytest.raises(IncomeLimitsConfigurationError, match=problem):
        check_income_limits(rows)
