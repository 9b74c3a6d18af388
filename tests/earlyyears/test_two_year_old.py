"""The two-year-old eligibility self-check: criteria from early-years-rules.md "Two-year-old offer" (DfE
statutory guidance, GOV.UK free childcare for 2-year-olds); start dates from seed 001 Table A."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyyears import EligibilityOutcome, Reason, two_year_old_eligibility

LIKELY = EligibilityOutcome.LIKELY_ELIGIBLE
NOT_ELIGIBLE = EligibilityOutcome.NOT_ELIGIBLE

# Turns 2 on 15 May 2027, so funding starts 1 September 2027 (Table A); applications open 1 April 2027
# (the start of the term before); the universal three-year-old offer starts 1 September 2028.
BORN = date(2025, 5, 15)
STARTS = date(2027, 9, 1)
ON = date(2027, 6, 1)


def answers(**overrides):
    base = {"child_date_of_birth": BORN, "claim_route": "economic", "benefit": "income_support"}
    base.update(overrides)
    return {code: value for code, value in base.items() if value is not None}


def universal_credit(income):
    return answers(benefit="universal_credit", universal_credit_income=Decimal(income))


def tax_credits(income):
    return answers(benefit="tax_credits", tax_credits_income=Decimal(income))


def nrpf(income, *, in_london=False, children=1, savings="0"):
    return answers(
        benefit="nrpf",
        nrpf_income=Decimal(income),
        nrpf_in_london=in_london,
        nrpf_children=children,
        nrpf_savings=Decimal(savings),
    )


def test_the_message_for_a_likely_eligible_child():
    result = two_year_old_eligibility(universal_credit("12000"), ON)
    assert result.outcome is LIKELY
    assert result.reason == "universal_credit_income_within_limit"
    assert result.start_date == STARTS
    assert result.message == (
        "Based on your answers, your child may be eligible from 1 September 2027. "
        "The council will check your details."
    )


@pytest.mark.parametrize(
    ("given_answers", "outcome", "reason"),
    [
        (universal_credit("15400"), LIKELY, Reason.UNIVERSAL_CREDIT_INCOME_WITHIN_LIMIT),
        (universal_credit("15400.01"), NOT_ELIGIBLE, Reason.INCOME_ABOVE_LIMIT),
        (universal_credit("0"), LIKELY, Reason.UNIVERSAL_CREDIT_INCOME_WITHIN_LIMIT),
        (tax_credits("16190"), LIKELY, Reason.TAX_CREDITS_INCOME_WITHIN_LIMIT),
        (tax_credits("16190.01"), NOT_ELIGIBLE, Reason.INCOME_ABOVE_LIMIT),
        (
            answers(benefit="tax_credits", tax_credits_income=16190),
            LIKELY,
            Reason.TAX_CREDITS_INCOME_WITHIN_LIMIT,
        ),
    ],
)
def test_income_limits_at_the_limit_and_a_penny_over(given_answers, outcome, reason):
    result = two_year_old_eligibility(given_answers, ON)
    assert (result.outcome, result.reason) == (outcome, reason)
    assert result.start_date == STARTS


@pytest.mark.parametrize(
    ("in_london", "children", "limit"),
    [
        (False, 1, "26500"),
        (True, 1, "34500"),
        (False, 2, "30600"),
        (True, 2, "38600"),
        (False, 4, "30600"),
        (True, 4, "38600"),
    ],
)
def test_nrpf_income_limit_in_and_outside_london_for_one_or_more_children(in_london, children, limit):
    at_limit = two_year_old_eligibility(nrpf(limit, in_london=in_london, children=children), ON)
    assert (at_limit.outcome, at_limit.reason) == (LIKELY, Reason.NRPF_INCOME_AND_SAVINGS_WITHIN_LIMITS)
    over = two_year_old_eligibility(
        nrpf(Decimal(limit) + Decimal("0.01"), in_london=in_london, children=children), ON
    )
    assert (over.outcome, over.reason) == (NOT_ELIGIBLE, Reason.INCOME_ABOVE_LIMIT)
    assert f"£{int(limit):,}" in over.message


@pytest.mark.parametrize(
    ("savings", "outcome", "reason"),
    [
        ("16000", LIKELY, Reason.NRPF_INCOME_AND_SAVINGS_WITHIN_LIMITS),
        ("16000.01", NOT_ELIGIBLE, Reason.SAVINGS_ABOVE_LIMIT),
    ],
)
def test_nrpf_savings_limit(savings, outcome, reason):
    result = two_year_old_eligibility(nrpf("20000", savings=savings), ON)
    assert (result.outcome, result.reason) == (outcome, reason)


def test_over_the_limit_says_why_and_what_to_do_and_never_stops_an_application():
    result = two_year_old_eligibility(universal_credit("20000"), ON)
    assert result.outcome is NOT_ELIGIBLE
    assert "take-home earned income is more than £15,400 a year" in result.message
    assert "You can still apply" in result.message
    assert "free childcare for working parents" in result.message
    assert "Family Information Service" in result.message


@pytest.mark.parametrize(
    "benefit",
    ["income_support", "income_based_jsa", "income_related_esa", "pension_credit_guarantee",
     "asylum_support", "wtc_run_on"],
)  # fmt: skip
def test_benefits_without_an_income_test(benefit):
    result = two_year_old_eligibility(answers(benefit=benefit), ON)
    assert (result.outcome, result.reason, result.start_date) == (LIKELY, benefit, STARTS)


@pytest.mark.parametrize("reason", ["looked_after", "left_care", "dla", "ehc_plan"])
def test_non_economic_route(reason):
    result = two_year_old_eligibility(
        answers(claim_route="non_economic", benefit=None, non_economic_reason=reason), ON
    )
    assert (result.outcome, result.reason, result.start_date) == (LIKELY, reason, STARTS)


def test_a_letter_from_another_council():
    result = two_year_old_eligibility(
        answers(claim_route="other_council", benefit=None, other_council_name="Bolton Council"), ON
    )
    assert (result.outcome, result.reason, result.start_date) == (LIKELY, Reason.OTHER_COUNCIL, STARTS)


@pytest.mark.parametrize(
    "given_answers",
    [
        answers(claim_route=None),
        answers(claim_route="something_else"),
        answers(benefit=None),
        answers(benefit="child_benefit"),
        answers(benefit="universal_credit"),
        answers(benefit="universal_credit", universal_credit_income=Decimal("-1")),
        answers(benefit="universal_credit", universal_credit_income=Decimal("NaN")),
        answers(benefit="universal_credit", universal_credit_income="12000"),
        answers(benefit="universal_credit", universal_credit_income=True),
        answers(benefit="tax_credits"),
        answers(claim_route="non_economic", non_economic_reason=None),
        answers(claim_route="non_economic", non_economic_reason="other"),
        {**nrpf("20000"), "nrpf_income": None},
        {**nrpf("20000"), "nrpf_in_london": None},
        {**nrpf("20000"), "nrpf_in_london": "yes"},
        {**nrpf("20000"), "nrpf_children": None},
        {**nrpf("20000"), "nrpf_children": 0},
        {**nrpf("20000"), "nrpf_children": True},
        {**nrpf("20000"), "nrpf_savings": None},
    ],
)
def test_missing_or_unusable_answers_need_checking(given_answers):
    result = two_year_old_eligibility(given_answers, ON)
    assert (result.outcome, result.reason, result.start_date) == (LIKELY, Reason.NEEDS_CHECKING, STARTS)
    assert "You can still apply" in result.message


@pytest.mark.parametrize(
    "given_answers",
    [
        answers(child_date_of_birth=None),
        answers(child_date_of_birth="2025-05-15"),
        answers(child_date_of_birth=ON.replace(day=2)),  # after `on`: in the future
    ],
)
def test_without_a_usable_date_of_birth_there_is_no_start_date(given_answers):
    result = two_year_old_eligibility(given_answers, ON)
    assert (result.outcome, result.reason, result.start_date) == (LIKELY, Reason.NEEDS_CHECKING, None)


def test_a_datetime_date_of_birth_is_read_as_its_date():
    result = two_year_old_eligibility(answers(child_date_of_birth=datetime(2025, 5, 15, 9, 30)), ON)
    assert result.start_date == STARTS


@pytest.mark.parametrize(
    ("on", "outcome", "reason"),
    [
        (date(2027, 3, 31), LIKELY, Reason.TOO_YOUNG),  # the day before applications open
        (date(2027, 4, 1), LIKELY, Reason.INCOME_SUPPORT),  # applications open: the term before
        (date(2028, 8, 31), LIKELY, Reason.INCOME_SUPPORT),  # last day before the three-year-old offer
        (date(2028, 9, 1), NOT_ELIGIBLE, Reason.TOO_OLD),  # the universal three-year-old offer starts
        (date(2030, 1, 1), NOT_ELIGIBLE, Reason.TOO_OLD),
    ],
)
def test_the_funding_window_by_date(on, outcome, reason):
    result = two_year_old_eligibility(answers(), on)
    assert (result.outcome, result.reason) == (outcome, reason)


def test_too_young_still_gives_the_start_date_and_when_to_apply():
    result = two_year_old_eligibility(answers(), date(2026, 12, 1))
    assert result.start_date == STARTS
    assert (
        result.message == "Your child may be eligible from 1 September 2027. You can apply from 1 April 2027."
    )


def test_too_young_and_over_the_limit_says_over_the_limit():
    result = two_year_old_eligibility(universal_credit("20000"), date(2026, 12, 1))
    assert (result.outcome, result.reason, result.start_date) == (
        NOT_ELIGIBLE,
        Reason.INCOME_ABOVE_LIMIT,
        STARTS,
    )


def test_too_old_points_to_the_three_year_old_offer():
    result = two_year_old_eligibility(answers(), date(2028, 9, 1))
    assert result.start_date is None
    assert "universal 15 hours of free childcare for 3 and 4 year olds instead" in result.message


def test_a_child_already_in_the_window_may_be_eligible_now():
    result = two_year_old_eligibility(answers(), date(2027, 10, 1))
    assert result.start_date == STARTS
    assert result.message.startswith("Based on your answers, your child may be eligible now.")


def test_a_child_born_on_29_february_starts_on_1_april():
    result = two_year_old_eligibility(answers(child_date_of_birth=date(2024, 2, 29)), date(2026, 2, 1))
    assert (result.outcome, result.start_date) == (LIKELY, date(2026, 4, 1))


def test_before_any_income_limits_are_configured_an_income_test_needs_checking():
    born = date(2020, 5, 15)  # funding from 1 September 2022
    on = date(2022, 8, 31)  # the NRPF criterion and the first row of limits start on 1 September 2022
    means_tested = two_year_old_eligibility(
        answers(child_date_of_birth=born, benefit="universal_credit", universal_credit_income=Decimal(1)), on
    )
    assert (means_tested.outcome, means_tested.reason) == (LIKELY, Reason.NEEDS_CHECKING)
    not_means_tested = two_year_old_eligibility(answers(child_date_of_birth=born), on)
    assert not_means_tested.reason == Reason.INCOME_SUPPORT


def test_the_result_is_frozen():
    result = two_year_old_eligibility(answers(), ON)
    with pytest.raises(AttributeError):
        result.outcome = NOT_ELIGIBLE  # type: ignore[misc]


@pytest.mark.parametrize("not_a_mapping", [None, [], "answers", 42])
def test_answers_that_are_not_a_mapping_need_checking(not_a_mapping):
    result = two_year_old_eligibility(not_a_mapping, ON)  # type: ignore[arg-type]
    assert (result.outcome, result.reason) == (LIKELY, Reason.NEEDS_CHECKING)


QUESTION_CODES = [
    "child_date_of_birth", "claim_route", "benefit", "universal_credit_income", "tax_credits_income",
    "nrpf_income", "nrpf_in_london", "nrpf_children", "nrpf_savings", "non_economic_reason",
    "other_council_name", "other_council_reference", "parent_id_type", "parent_ni_number",
]  # fmt: skip
CHOICES = [
    "economic", "non_economic", "other_council", "universal_credit", "tax_credits", "income_support",
    "nrpf", "wtc_run_on", "looked_after", "left_care", "dla", "ehc_plan",
]  # fmt: skip
ANSWER_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(),  # includes NaN, sNaN and infinities
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(CHOICES),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
)


@given(
    given_answers=st.dictionaries(
        st.one_of(st.sampled_from(QUESTION_CODES), st.text(max_size=10)), ANSWER_VALUES
    ),
    on=st.dates(),
)
def test_never_raises_on_any_answers(given_answers, on):
    result = two_year_old_eligibility(given_answers, on)
    assert isinstance(result.outcome, EligibilityOutcome)
    assert isinstance(result.reason, Reason)
    assert result.message
    assert result.start_date is None or isinstance(result.start_date, date)


@given(
    born=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    on=st.dates(min_value=date(2022, 9, 1), max_value=date(2040, 12, 31)),
    route=st.sampled_from(["economic", "non_economic", "other_council"]),
)
def test_likely_eligible_children_are_always_inside_the_window(born, on, route):
    given_answers = {
        "child_date_of_birth": born,
        "claim_route": route,
        "benefit": "income_support",
        "non_economic_reason": "dla",
    }
    result = two_year_old_eligibility(given_answers, on)
    if result.outcome is LIKELY and born <= on:
        assert result.start_date is not None
        assert result.start_date > born.replace(year=born.year + 2, day=min(born.day, 28))
