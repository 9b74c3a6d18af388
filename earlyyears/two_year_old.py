"""Is a child likely to get funded early education for 2 year olds? A self-check for parents.

The criteria (restated in /work/shared/early-years-rules.md, "Two-year-old offer"; DfE statutory
guidance https://www.gov.uk/government/publications/early-education-and-childcare--2 and GOV.UK
https://www.gov.uk/help-with-childcare-costs/free-childcare-2-year-olds):
- the child has turned 2: funding starts the term after the second birthday (seed 001, clause 2.13 and
  Table A) and lasts until the child can get the universal offer for 3 and 4 year olds, the term after
  the third birthday (seed 001, clauses 2.14 and 2.23);
- and either the family meets an economic criterion (a qualifying benefit, with an income test for
  Universal Credit, tax credits and no recourse to public funds), or the child meets a non-economic one
  (looked after, left care, gets Disability Living Allowance, has an EHC plan).

The answer is never a decision. The council checks benefits and documents, so this check says at best
LIKELY_ELIGIBLE, and it says NOT_ELIGIBLE only with a reason and what the family can do instead; the
portal lets them apply either way. ``EligibilityOutcome.ELIGIBLE`` is for the council's decision, which
the portal records elsewhere.

Choices made here, each tested:
- When applications open: from the start of the term before the funding start date (a child whose
  funding starts on 1 September 2027 can apply from 1 April 2027). Before that the result is
  LIKELY_ELIGIBLE with reason ``too_young`` and the start date, unless the answers already show the
  family is over a limit (that is more useful to know).
- Too old: on or after the day the child can get the universal offer for 3 and 4 year olds.
- Missing, unreadable or contradictory answers give LIKELY_ELIGIBLE with reason ``needs_checking``:
  the check never raises on any answers mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from earlyyears.formatting import format_date, format_money
from earlyyears.income_limits import NoIncomeLimitsError, TwoYearOldIncomeLimits, income_limits_on
from earlyyears.terms import funding_start_date, previous_term_start

# Seed 002 (Northamptonshire funding page): "The reference number is active for 6 weeks."
ELIGIBILITY_REFERENCE_ACTIVE_FOR = timedelta(weeks=6)


def eligibility_reference_expires(issued_on: date) -> date:
    """The last day an eligibility reference number issued on ``issued_on`` is active (seed 002).

    Seed 002 says the reference "is active for 6 weeks" and must be checked "within 6 weeks of issue".
    We read that generously: a reference issued on 1 January can still be checked on 12 February, six
    weeks later, and has expired from 13 February.
    """
    return issued_on + ELIGIBILITY_REFERENCE_ACTIVE_FOR


def eligibility_reference_active(issued_on: date, on: date) -> bool:
    """Whether a reference issued on ``issued_on`` can still be checked on ``on`` (seed 002)."""
    return issued_on <= on <= eligibility_reference_expires(issued_on)


class EligibilityOutcome(Enum):
    ELIGIBLE = "eligible"
    LIKELY_ELIGIBLE = "likely_eligible"
    NOT_ELIGIBLE = "not_eligible"


class Reason(StrEnum):
    """Why the check gave its outcome. Values are stable codes other code and tests can rely on."""

    # Economic route, within the limits or with a benefit that has no income test.
    UNIVERSAL_CREDIT_INCOME_WITHIN_LIMIT = "universal_credit_income_within_limit"
    TAX_CREDITS_INCOME_WITHIN_LIMIT = "tax_credits_income_within_limit"
    NRPF_INCOME_AND_SAVINGS_WITHIN_LIMITS = "nrpf_income_and_savings_within_limits"
    INCOME_SUPPORT = "income_support"
    INCOME_BASED_JSA = "income_based_jsa"
    INCOME_RELATED_ESA = "income_related_esa"
    PENSION_CREDIT_GUARANTEE = "pension_credit_guarantee"
    ASYLUM_SUPPORT = "asylum_support"
    WTC_RUN_ON = "wtc_run_on"
    # Non-economic route.
    LOOKED_AFTER = "looked_after"
    LEFT_CARE = "left_care"
    DLA = "dla"
    EHC_PLAN = "ehc_plan"
    # A letter from another council.
    OTHER_COUNCIL = "other_council"
    # Not eligible.
    INCOME_ABOVE_LIMIT = "income_above_limit"
    SAVINGS_ABOVE_LIMIT = "savings_above_limit"
    TOO_OLD = "too_old"
    # Age not reached yet, or answers the council must look at.
    TOO_YOUNG = "too_young"
    NEEDS_CHECKING = "needs_checking"


@dataclass(frozen=True)
class TwoYearOldEligibility:
    """The result of ``two_year_old_eligibility``.

    ``start_date`` is the first day of two-year-old funding for this child (Table A), given whenever it
    can be worked out, or None when the date of birth is missing or unusable or the child is too old.
    ``message`` is plain English for the person who answered.
    """

    outcome: EligibilityOutcome
    reason: Reason
    start_date: date | None
    message: str


# Benefits with no income test, as answered in `benefit` (contracts.md section 3).
_BENEFITS_WITHOUT_INCOME_TEST: Mapping[str, Reason] = {
    "income_support": Reason.INCOME_SUPPORT,
    "income_based_jsa": Reason.INCOME_BASED_JSA,
    "income_related_esa": Reason.INCOME_RELATED_ESA,
    "pension_credit_guarantee": Reason.PENSION_CREDIT_GUARANTEE,
    "asylum_support": Reason.ASYLUM_SUPPORT,
    "wtc_run_on": Reason.WTC_RUN_ON,
}
_NON_ECONOMIC_REASONS: Mapping[str, Reason] = {
    "looked_after": Reason.LOOKED_AFTER,
    "left_care": Reason.LEFT_CARE,
    "dla": Reason.DLA,
    "ehc_plan": Reason.EHC_PLAN,
}

_CHECKED_BY_COUNCIL = "The council will check your details."
_STILL_APPLY = "You can still apply and the council will check your details."
_OTHER_HELP = (
    "If you're working, check if you can get free childcare for working parents on GOV.UK. You can also "
    "contact the council's Family Information Service about other help with childcare costs."
)


# --- reading typed answers defensively: anything of the wrong type counts as unanswered -------------


def _date(answers: Mapping[str, Any], code: str) -> date | None:
    value = answers.get(code)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _amount(answers: Mapping[str, Any], code: str) -> Decimal | None:
    value = answers.get(code)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal) and value.is_finite() and value >= 0:
        return value
    return None


def _choice(answers: Mapping[str, Any], code: str) -> str | None:
    value = answers.get(code)
    return value if isinstance(value, str) else None


def _yes_no(answers: Mapping[str, Any], code: str) -> bool | None:
    value = answers.get(code)
    return value if isinstance(value, bool) else None


def _positive_count(answers: Mapping[str, Any], code: str) -> int | None:
    value = answers.get(code)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None
    return value


# --- the criteria -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Criteria:
    """What the answers say about the criteria, before the child's age is considered."""

    met: bool | None  # True: likely met; False: not met; None: cannot tell from the answers
    reason: Reason
    why_not: str = ""  # for met=False: the sentence explaining which limit was exceeded


_CANNOT_TELL = _Criteria(met=None, reason=Reason.NEEDS_CHECKING)


def _limits(on: date) -> TwoYearOldIncomeLimits | None:
    try:
        return income_limits_on(on)
    except NoIncomeLimitsError:
        return None


def _economic(answers: Mapping[str, Any], on: date) -> _Criteria:
    benefit = _choice(answers, "benefit")
    if benefit in _BENEFITS_WITHOUT_INCOME_TEST:
        return _Criteria(met=True, reason=_BENEFITS_WITHOUT_INCOME_TEST[benefit])
    limits = _limits(on)
    if limits is None:
        return _CANNOT_TELL
    if benefit == "universal_credit":
        income = _amount(answers, "universal_credit_income")
        if income is None:
            return _CANNOT_TELL
        limit = limits.universal_credit_take_home_earned_income
        if income <= limit:
            return _Criteria(met=True, reason=Reason.UNIVERSAL_CREDIT_INCOME_WITHIN_LIMIT)
        return _Criteria(
            met=False,
            reason=Reason.INCOME_ABOVE_LIMIT,
            why_not=f"your household's take-home earned income is more than {format_money(limit)} a year",
        )
    if benefit == "tax_credits":
        income = _amount(answers, "tax_credits_income")
        if income is None:
            return _CANNOT_TELL
        limit = limits.tax_credits_gross_income
        if income <= limit:
            return _Criteria(met=True, reason=Reason.TAX_CREDITS_INCOME_WITHIN_LIMIT)
        return _Criteria(
            met=False,
            reason=Reason.INCOME_ABOVE_LIMIT,
            why_not=f"your household's income before tax is more than {format_money(limit)} a year",
        )
    if benefit == "nrpf":
        return _no_recourse_to_public_funds(answers, limits)
    return _CANNOT_TELL


def _no_recourse_to_public_funds(answers: Mapping[str, Any], limits: TwoYearOldIncomeLimits) -> _Criteria:
    income = _amount(answers, "nrpf_income")
    in_london = _yes_no(answers, "nrpf_in_london")
    children = _positive_count(answers, "nrpf_children")
    savings = _amount(answers, "nrpf_savings")
    if income is None or in_london is None or children is None or savings is None:
        return _CANNOT_TELL
    income_limit = limits.nrpf_income_limit(in_london=in_london, children=children)
    if income > income_limit:
        return _Criteria(
            met=False,
            reason=Reason.INCOME_ABOVE_LIMIT,
            why_not=f"your household's income is more than {format_money(income_limit)} a year",
        )
    if savings > limits.nrpf_savings:
        return _Criteria(
            met=False,
            reason=Reason.SAVINGS_ABOVE_LIMIT,
            why_not=f"your savings and investments are more than {format_money(limits.nrpf_savings)}",
        )
    return _Criteria(met=True, reason=Reason.NRPF_INCOME_AND_SAVINGS_WITHIN_LIMITS)


def _criteria(answers: Mapping[str, Any], on: date) -> _Criteria:
    route = _choice(answers, "claim_route")
    if route == "economic":
        return _economic(answers, on)
    if route == "non_economic":
        reason = _NON_ECONOMIC_REASONS.get(_choice(answers, "non_economic_reason") or "")
        return _CANNOT_TELL if reason is None else _Criteria(met=True, reason=reason)
    if route == "other_council":
        return _Criteria(met=True, reason=Reason.OTHER_COUNCIL)
    return _CANNOT_TELL


# --- putting it together ----------------------------------------------------------------------------


def _now_or_from(start: date, on: date) -> str:
    return "now" if start <= on else f"from {format_date(start)}"


def two_year_old_eligibility(answers: Mapping[str, Any], on: date) -> TwoYearOldEligibility:
    """Whether, on ``on``, the answers suggest a child can get funded childcare for 2 year olds.

    ``answers`` uses the question codes of contracts.md section 3 with typed values. Never raises
    because of the answers: anything missing or of the wrong type is treated as unanswered.
    """
    if not isinstance(answers, Mapping):
        answers = {}
    date_of_birth = _date(answers, "child_date_of_birth")
    if date_of_birth is None or date_of_birth > on:
        return TwoYearOldEligibility(
            outcome=EligibilityOutcome.LIKELY_ELIGIBLE,
            reason=Reason.NEEDS_CHECKING,
            start_date=None,
            message=(
                "We could not work out your child's start date from your answers. Check your child's date "
                f"of birth. {_STILL_APPLY}"
            ),
        )
    try:
        start = funding_start_date(date_of_birth, 2)
        three_year_old_start = funding_start_date(date_of_birth, 3)
        applications_open = previous_term_start(start)
    except (ValueError, OverflowError):  # a date of birth near the ends of the calendar
        return TwoYearOldEligibility(
            outcome=EligibilityOutcome.LIKELY_ELIGIBLE,
            reason=Reason.NEEDS_CHECKING,
            start_date=None,
            message=f"Check your child's date of birth. {_STILL_APPLY}",
        )

    if on >= three_year_old_start:
        return TwoYearOldEligibility(
            outcome=EligibilityOutcome.NOT_ELIGIBLE,
            reason=Reason.TOO_OLD,
            start_date=None,
            message=(
                "Your child is too old for funded childcare for 2 year olds. Your child can get the "
                "universal 15 hours of free childcare for 3 and 4 year olds instead. If you're working, you "
                "may be able to get 30 hours: check on GOV.UK."
            ),
        )

    criteria = _criteria(answers, on)
    if criteria.met is False:
        return TwoYearOldEligibility(
            outcome=EligibilityOutcome.NOT_ELIGIBLE,
            reason=criteria.reason,
            start_date=start,
            message=(
                f"Based on your answers, your child is unlikely to be eligible because {criteria.why_not}. "
                f"{_STILL_APPLY} {_OTHER_HELP}"
            ),
        )
    if on < applications_open:
        return TwoYearOldEligibility(
            outcome=EligibilityOutcome.LIKELY_ELIGIBLE,
            reason=Reason.TOO_YOUNG,
            start_date=start,
            message=(
                f"Your child may be eligible from {format_date(start)}. You can apply from "
                f"{format_date(applications_open)}."
            ),
        )
    if criteria.met is None:
        return TwoYearOldEligibility(
            outcome=EligibilityOutcome.LIKELY_ELIGIBLE,
            reason=Reason.NEEDS_CHECKING,
            start_date=start,
            message=(
                "We need to check some of your answers. If your child is eligible, they can get funded "
                f"childcare {_now_or_from(start, on)}. {_STILL_APPLY}"
            ),
        )
    return TwoYearOldEligibility(
        outcome=EligibilityOutcome.LIKELY_ELIGIBLE,
        reason=criteria.reason,
        start_date=start,
        message=f"Based on your answers, your child may be eligible {_now_or_from(start, on)}. "
        + _CHECKED_BY_COUNCIL,
    )
