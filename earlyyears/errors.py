"""Errors a person can see: one code per problem and its GOV.UK-style message, in one catalogue.

Code asserts on the code; people read the message. A Welsh catalogue can sit beside ``MESSAGES``
later without touching the checks. Wording follows the GOV.UK Design System error message pattern
("Enter ...", "... must be ...").
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class ErrorCode(StrEnum):
    """Problems with a 30 hours eligibility code (see ``earlyyears.thirty_hours``)."""

    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    NOT_11_DIGITS = "not_11_digits"
    WRONG_PREFIX = "wrong_prefix"


MESSAGES: Mapping[ErrorCode, str] = MappingProxyType(
    {
        ErrorCode.EMPTY: "Enter your 30 hours eligibility code",
        ErrorCode.NOT_DIGITS: "Eligibility code must only include numbers 0 to 9",
        ErrorCode.NOT_11_DIGITS: "Eligibility code must be 11 numbers",
        ErrorCode.WRONG_PREFIX: (
            "Eligibility code must start with 500 or 501, or with 400 if it is a foster carer's code "
            "from the council"
        ),
    }
)


def message_for(code: ErrorCode) -> str:
    """The message shown for an error code."""
    return MESSAGES[code]
