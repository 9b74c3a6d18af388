"""Income and savings limits of the two-year-old offer's economic criteria, as dated configuration.

The amounts change from time to time, so they are rows with the dates they apply, never constants in
the checks. To change an amount: close the current row (set ``valid_to`` to the day before the change)
and append a new row with ``valid_from`` the day of the change and ``valid_to=None``.

Amounts (restated in /work/shared/early-years-rules.md, "Two-year-old offer"):
- Universal Credit: household take-home earned income of no more than £15,400 a year;
- tax credits: household gross income of no more than £16,190 a year;
- no recourse to public funds (NRPF): household income of no more than £26,500 outside London or
  £34,500 in London with one child, £30,600 or £38,600 with two or more children; savings and
  investments of no more than £16,000.
Sources: GOV.UK "Free childcare for 2-year-olds", https://www.gov.uk/help-with-childcare-costs/free-
childcare-2-year-olds (and its "if you're a non-UK citizen who cannot claim benefits" section); DfE
"Early education and childcare: statutory guidance for local authorities",
https://www.gov.uk/government/publications/early-education-and-childcare--2. The NRPF criterion
applies from 1 September 2022 (House of Commons Library, "Free childcare entitlements for two-year-olds
in England", https://commonslibrary.parliament.uk/free-childcare-entitlements-for-two-year-olds-in-england/),
so the first row starts then: no row is configured for earlier dates.

What happens when no row covers a date: the table is checked when this module is imported (rows in
order, no gaps, no overlaps, only the last row open-ended), so a broken table fails every test run and
the application's start-up rather than giving a wrong answer. Because the last row is open-ended, the
only dates without a row are those before the first row; ``income_limits_on`` raises
``NoIncomeLimitsError`` for them, and the eligibility check turns that into "needs checking" rather
than guessing with another year's amounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal


class IncomeLimitsConfigurationError(ValueError):
    """The table of dated limits is inconsistent (raised at import time)."""


class NoIncomeLimitsError(LookupError):
    """No row of limits applies on the date asked about."""


@dataclass(frozen=True)
class TwoYearOldIncomeLimits:
    """The limits that apply from ``valid_from`` to ``valid_to`` inclusive (``None``: until replaced).

    Every amount is a yearly household amount in pounds except ``nrpf_savings``, a total. "No more
    than": an amount equal to the limit is within it.
    """

    valid_from: date
    valid_to: date | None
    universal_credit_take_home_earned_income: Decimal
    tax_credits_gross_income: Decimal
    nrpf_income_one_child_outside_london: Decimal
    nrpf_income_one_child_london: Decimal
    nrpf_income_two_or_more_children_outside_london: Decimal
    nrpf_income_two_or_more_children_london: Decimal
    nrpf_savings: Decimal
    source: str

    def applies_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def nrpf_income_limit(self, *, in_london: bool, children: int) -> Decimal:
        """The NRPF household income limit for a family in or outside London with ``children`` children."""
        if children < 1:
            raise ValueError(f"a family applying has at least one child, got {children}")
        if children == 1:
            return (
                self.nrpf_income_one_child_london if in_london else self.nrpf_income_one_child_outside_london
            )
        if in_london:
            return self.nrpf_income_two_or_more_children_london
        return self.nrpf_income_two_or_more_children_outside_london


TWO_YEAR_OLD_INCOME_LIMITS: tuple[TwoYearOldIncomeLimits, ...] = (
    TwoYearOldIncomeLimits(
        valid_from=date(2022, 9, 1),
        valid_to=None,
        universal_credit_take_home_earned_income=Decimal("15400"),
        tax_credits_gross_income=Decimal("16190"),
        nrpf_income_one_child_outside_london=Decimal("26500"),
        nrpf_income_one_child_london=Decimal("34500"),
        nrpf_income_two_or_more_children_outside_london=Decimal("30600"),
        nrpf_income_two_or_more_children_london=Decimal("38600"),
        nrpf_savings=Decimal("16000"),
        source=(
            "https://www.gov.uk/help-with-childcare-costs/free-childcare-2-year-olds; "
            "https://www.gov.uk/government/publications/early-education-and-childcare--2"
        ),
    ),
)


def check_income_limits(rows: Sequence[TwoYearOldIncomeLimits]) -> None:
    """Raise IncomeLimitsConfigurationError unless ``rows`` form one unbroken, open-ended timeline."""
    if not rows:
        raise IncomeLimitsConfigurationError("no income limits are configured")
    for number, row in enumerate(rows, start=1):
        where = f"income limits row {number} (from {row.valid_from.isoformat()})"
        if not row.source.strip():
            raise IncomeLimitsConfigurationError(f"{where} has no source")
        if row.valid_to is not None and row.valid_to < row.valid_from:
            raise IncomeLimitsConfigurationError(f"{where} ends before it starts")
        for field in fields(row):
            value = getattr(row, field.name)
            if isinstance(value, Decimal) and not (value.is_finite() and value > 0):
                raise IncomeLimitsConfigurationError(f"{where}: {field.name} must be a positive amount")
        is_last = number == len(rows)
        if is_last and row.valid_to is not None:
            raise IncomeLimitsConfigurationError(
                f"{where} is the latest row, so it must stay open (valid_to=None)"
            )
        if not is_last:
            following = rows[number]
            if row.valid_to is None:
                raise IncomeLimitsConfigurationError(f"{where} is open-ended but is not the latest row")
            if following.valid_from != row.valid_to + timedelta(days=1):
                raise IncomeLimitsConfigurationError(
                    f"{where} ends on {row.valid_to.isoformat()} but the next row starts on "
                    f"{following.valid_from.isoformat()}: rows must follow on without gaps or overlaps"
                )


check_income_limits(TWO_YEAR_OLD_INCOME_LIMITS)


def income_limits_on(
    on: date, rows: Sequence[TwoYearOldIncomeLimits] = TWO_YEAR_OLD_INCOME_LIMITS
) -> TwoYearOldIncomeLimits:
    """The row of limits that applies on ``on``; NoIncomeLimitsError if none does."""
    for row in rows:
        if row.applies_on(on):
            return row
    raise NoIncomeLimitsError(f"no two-year-old income limits are configured for {on.isoformat()}")
