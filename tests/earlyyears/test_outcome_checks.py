"""The forms engine's outcome checks (contracts.md section 2) backed by earlyyears."""

import json
from datetime import date
from decimal import Decimal

import pytest

from earlyyears.outcomes import thirty_hours_code_check, two_year_old_eligibility_check
from formsengine.outcomes import Outcome

ON = date(2027, 6, 1)
BORN = date(2025, 5, 15)


def test_two_year_old_check_likely_eligible():
    outcome = two_year_old_eligibility_check(
        {"child_date_of_birth": BORN, "claim_route": "non_economic", "non_economic_reason": "looked_after"},
        ON,
    )
    assert isinstance(outcome, Outcome)
    assert outcome.result == "likely_eligible"
    assert outcome.details == {"reason": "looked_after", "start_date": "2027-09-01"}
    assert outcome.message.startswith(
        "Based on your answers, your child may be eligible from 1 September 2027."
    )
    json.dumps(outcome.details)


def test_two_year_old_check_not_eligible():
    outcome = two_year_old_eligibility_check(
        {
            "child_date_of_birth": BORN,
            "claim_route": "economic",
            "benefit": "universal_credit",
            "universal_credit_income": Decimal("15400.01"),
        },
        ON,
    )
    assert outcome.result == "not_eligible"
    assert outcome.details == {"reason": "income_above_limit", "start_date": "2027-09-01"}


def test_two_year_old_check_without_answers():
    outcome = two_year_old_eligibility_check({}, ON)
    assert outcome.result == "likely_eligible"
    assert outcome.details == {"reason": "needs_checking", "start_date": None}
    assert type(outcome.details["reason"]) is str  # plain str, not the enum, so it serialises anywhere


@pytest.mark.parametrize(
    ("code", "result", "error", "foster_carer"),
    [
        ("50012345678", "valid", None, False),
        ("501 1234 5678", "valid", None, False),
        ("40012345678", "valid", None, True),
        ("4001234567", "invalid", "not_11_digits", True),
        ("60012345678", "invalid", "wrong_prefix", False),
        ("500ABC45678", "invalid", "not_digits", False),
        ("", "invalid", "empty", False),
        (None, "invalid", "empty", False),
        (50012345678, "invalid", "empty", False),  # not text: the form engine always gives str
    ],
)
def test_thirty_hours_code_check(code, result, error, foster_carer):
    outcome = thirty_hours_code_check({"eligibility_code": code}, ON)
    assert outcome.result == result
    assert outcome.details == {"error": error, "foster_carer": foster_carer}
    json.dumps(outcome.details)


def test_thirty_hours_code_messages_come_from_the_catalogue():
    assert thirty_hours_code_check({}, ON).message == "Enter your 30 hours eligibility code"
    assert thirty_hours_code_check({"eligibility_code": "5001234567"}, ON).message == (
        "Eligibility code must be 11 numbers"
    )


def test_both_checks_are_discoverable_by_the_forms_engine():
    from formsengine.outcomes import available_checks, reset_discovery

    reset_discovery()
    checks = available_checks()
    assert checks["two_year_old_eligibility"] is two_year_old_eligibility_check
    assert checks["thirty_hours_code"] is thirty_hours_code_check
