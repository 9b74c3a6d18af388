"""Early-years funding rules: terms, eligibility, codes and identifiers.

Pure functions on ``datetime.date`` and plain values: no Flask, no database, no I/O. The provider portal,
the funding calculation and the forms engine's outcome checks (``earlyyears.outcomes``, imported
separately so this package does not depend on the forms engine) all use this API. Each rule cites its
source: the seeds in /work/shared/seeds/ and /work/shared/early-years-rules.md.
"""

from earlyyears.errors import MESSAGES, ErrorCode, message_for
from earlyyears.identifiers import format_ni_number, is_valid_nass_number, normalise_ni_number
from earlyyears.income_limits import (
    TWO_YEAR_OLD_INCOME_LIMITS,
    IncomeLimitsConfigurationError,
    NoIncomeLimitsError,
    TwoYearOldIncomeLimits,
    income_limits_on,
)
from earlyyears.terms import TERM_STARTS, funding_start_date, next_term_start
from earlyyears.thirty_hours import (
    GRACE_PERIOD_TABLE,
    code_valid_for_term,
    grace_period_end,
    is_foster_carer_code,
    normalise_thirty_hours_code,
    reconfirm_window_opens,
    thirty_hours_code_problem,
)
from earlyyears.two_year_old import (
    EligibilityOutcome,
    Reason,
    TwoYearOldEligibility,
    eligibility_reference_active,
    eligibility_reference_expires,
    two_year_old_eligibility,
)

__all__ = [
    "GRACE_PERIOD_TABLE",
    "MESSAGES",
    "TERM_STARTS",
    "TWO_YEAR_OLD_INCOME_LIMITS",
    "EligibilityOutcome",
    "ErrorCode",
    "IncomeLimitsConfigurationError",
    "NoIncomeLimitsError",
    "Reason",
    "TwoYearOldEligibility",
    "TwoYearOldIncomeLimits",
    "code_valid_for_term",
    "eligibility_reference_active",
    "eligibility_reference_expires",
    "format_ni_number",
    "funding_start_date",
    "grace_period_end",
    "income_limits_on",
    "is_foster_carer_code",
    "is_valid_nass_number",
    "message_for",
    "next_term_start",
    "normalise_ni_number",
    "normalise_thirty_hours_code",
    "reconfirm_window_opens",
    "thirty_hours_code_problem",
    "two_year_old_eligibility",
]
