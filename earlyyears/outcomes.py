"""Outcome checks the forms engine can run: adapters from typed answers to ``formsengine.outcomes.Outcome``.

Registered in pyproject.toml under the entry point group "formsengine.outcomes" (contracts.md section 2).
The rules themselves live in ``earlyyears.two_year_old`` and ``earlyyears.thirty_hours``; this module only
translates their results into the engine's shape, with JSON-safe details.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from earlyyears.errors import message_for
from earlyyears.thirty_hours import is_foster_carer_code, thirty_hours_code_problem
from earlyyears.two_year_old import two_year_old_eligibility
from formsengine.outcomes import Outcome

VALID_CODE_MESSAGE = (
    "This looks like a valid 30 hours eligibility code. Your childcare provider will check it with your "
    "child's date of birth and your National Insurance number."
)


def two_year_old_eligibility_check(answers: Mapping[str, Any], on: date) -> Outcome:
    """The two-year-old eligibility self-check (``earlyyears.two_year_old_eligibility``) as an Outcome.

    ``result`` is "eligible", "likely_eligible" or "not_eligible"; ``details`` holds the ``reason`` code
    and the ``start_date`` as an ISO date string or None.
    """
    result = two_year_old_eligibility(answers, on)
    return Outcome(
        result=result.outcome.value,
        message=result.message,
        details={
            "reason": result.reason.value,
            "start_date": result.start_date.isoformat() if result.start_date else None,
        },
    )


def thirty_hours_code_check(answers: Mapping[str, Any], on: date) -> Outcome:
    """Whether ``eligibility_code`` is a well-formed 30 hours code: result "valid" or "invalid".

    The check cannot see which form asked, so the code's own prefix says whose it is: a code starting
    400 is a foster carer's code from the council, any other is checked as an HMRC code (seed 002).
    ``details`` holds ``error`` (an ``ErrorCode`` value or None) and ``foster_carer``.
    """
    code = answers.get("eligibility_code") if isinstance(answers, Mapping) else None
    if not isinstance(code, str):
        code = None
    foster_carer = is_foster_carer_code(code)
    problem = thirty_hours_code_problem(code, foster_carer=foster_carer)
    if problem is None:
        return Outcome(
            result="valid",
            message=VALID_CODE_MESSAGE,
            details={"error": None, "foster_carer": foster_carer},
        )
    return Outcome(
        result="invalid",
        message=message_for(problem),
        details={"error": problem.value, "foster_carer": foster_carer},
    )
