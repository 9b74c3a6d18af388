"""The one catalogue of errors the engine reports.

Two audiences:

* administrators, whose form definitions are checked when they are loaded (``Problem``,
  ``DefinitionError``); and
* people filling in forms, whose answers are checked page by page (``FieldError``), with messages in
  the GOV.UK Design System's wording ("Enter your date of birth", "Date of birth must be a real date").

Every error carries an ``ErrorCode`` so tests and a future Welsh catalogue can key on the code and
never on the English text. Templates use ``{name}`` (the question's ``error_name``, e.g. "your date of
birth"), ``{Label}`` (the short label, e.g. "Date of birth") and per-error values.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ErrorCode(enum.Enum):
    # --- answers (people filling in a form) ---
    REQUIRED = "required"
    REQUIRED_CHOICE = "required_choice"
    REQUIRED_FILE = "required_file"
    INVALID_CHOICE = "invalid_choice"
    TOO_LONG = "too_long"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    TOO_MANY_DECIMAL_PLACES = "too_many_decimal_places"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    DATE_MISSING_PARTS = "date_missing_parts"
    DATE_NOT_REAL = "date_not_real"
    DATE_YEAR_FORMAT = "date_year_format"
    DATE_NOT_IN_PAST = "date_not_in_past"
    DATE_NOT_IN_FUTURE = "date_not_in_future"
    DATE_NOT_BEFORE = "date_not_before"
    DATE_NOT_AFTER = "date_not_after"
    DATE_TOO_RECENT = "date_too_recent"
    DATE_TOO_LONG_AGO = "date_too_long_ago"
    EMAIL_FORMAT = "email_format"
    PHONE_FORMAT = "phone_format"
    POSTCODE_FORMAT = "postcode_format"
    NI_NUMBER_FORMAT = "ni_number_format"
    PATTERN_MISMATCH = "pattern_mismatch"
    FILE_INVALID = "file_invalid"
    FILE_TYPE = "file_type"
    TOO_FEW_ITEMS = "too_few_items"
    TOO_MANY_ITEMS = "too_many_items"
    RULE_FAILED = "rule_failed"
    DECLARATION_REQUIRED = "declaration_required"
    INVALID_ANSWER = "invalid_answer"

    # --- definitions (administrators and CI) ---
    DEF_FILE_UNREADABLE = "def_file_unreadable"
    DEF_SYNTAX = "def_syntax"
    DEF_DUPLICATE_KEY = "def_duplicate_key"
    DEF_SCHEMA = "def_schema"
    DEF_DUPLICATE_CODE = "def_duplicate_code"
    DEF_DUPLICATE_NUMBER = "def_duplicate_number"
    DEF_BAD_RESTRICTION = "def_bad_restriction"
    DEF_BAD_PATTERN = "def_bad_pattern"
    DEF_EXPRESSION_SYNTAX = "def_expression_syntax"
    DEF_EXPRESSION_TYPE = "def_expression_type"
    DEF_UNKNOWN_REFERENCE = "def_unknown_reference"
    DEF_REFERENCE_ORDER = "def_reference_order"
    DEF_UNKNOWN_OUTCOME = "def_unknown_outcome"
    DEF_INCOMPATIBLE_CHANGE = "def_incompatible_change"


# Messages for answers. ``{Label}`` is the question's label as a sentence subject; ``{name}`` is the
# ``error_name`` ("your date of birth").
MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.REQUIRED: "Enter {name}",
    ErrorCode.REQUIRED_CHOICE: "Select {name}",
    ErrorCode.REQUIRED_FILE: "Select {name}",
    ErrorCode.INVALID_CHOICE: "Select {name}",
    ErrorCode.TOO_LONG: "{Label} must be {max} characters or fewer",
    ErrorCode.NOT_A_NUMBER: "{Label} must be a number",
    ErrorCode.NOT_A_WHOLE_NUMBER: "{Label} must be a whole number",
    ErrorCode.TOO_MANY_DECIMAL_PLACES: "{Label} must have {places} decimal places or fewer",
    ErrorCode.TOO_SMALL: "{Label} must be {min} or more",
    ErrorCode.TOO_LARGE: "{Label} must be {max} or less",
    ErrorCode.DATE_MISSING_PARTS: "{Label} must include {parts}",
    ErrorCode.DATE_NOT_REAL: "{Label} must be a real date",
    ErrorCode.DATE_YEAR_FORMAT: "Year must include 4 numbers",
    ErrorCode.DATE_NOT_IN_PAST: "{Label} must be in the past",
    ErrorCode.DATE_NOT_IN_FUTURE: "{Label} must be in the future",
    ErrorCode.DATE_NOT_BEFORE: "{Label} must be before {date}",
    ErrorCode.DATE_NOT_AFTER: "{Label} must be after {date}",
    ErrorCode.DATE_TOO_RECENT: "{Label} must be at least {years} years ago",
    ErrorCode.DATE_TOO_LONG_AGO: "{Label} must be within the last {years} years",
    ErrorCode.EMAIL_FORMAT: "Enter an email address in the correct format, like name@example.com",
    ErrorCode.PHONE_FORMAT: "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
    ErrorCode.POSTCODE_FORMAT: "Enter a real postcode",
    ErrorCode.NI_NUMBER_FORMAT: "National Insurance number must be like QQ 12 34 56 C",
    ErrorCode.PATTERN_MISMATCH: "{message}",
    ErrorCode.FILE_INVALID: "The selected file could not be uploaded – try again",
    ErrorCode.FILE_TYPE: "The selected file must be {types}",
    ErrorCode.TOO_FEW_ITEMS: "Add at least {min} {items}",
    ErrorCode.TOO_MANY_ITEMS: "You can add up to {max} {items}",
    ErrorCode.RULE_FAILED: "{message}",
    ErrorCode.DECLARATION_REQUIRED: "{message}",
    ErrorCode.INVALID_ANSWER: "Check {name}",
}


def message_for(code: ErrorCode, **values: object) -> str:
    """The English message for ``code`` with ``values`` filled in."""
    return MESSAGES[code].format(**values)


@dataclass(frozen=True)
class FieldError:
    """One error on an answer, ready for a GOV.UK error summary and the field's error message.

    ``field`` is the id of the HTML input to link to (``child_date_of_birth-day`` for a date whose day is
    wrong); ``question`` is the question code (or the rule code for a cross-question rule with no
    question, or the group code for too few / too many items); ``item`` is the index of the item of a
    repeating group, or ``None``.
    """

    field: str
    question: str
    code: ErrorCode
    message: str
    group: str = ""
    item: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "question": self.question,
            "group": self.group,
            "item": self.item,
            "code": self.code.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a form definition, located by file, line and path."""

    file: str
    line: int | None
    path: str
    message: str
    code: ErrorCode

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path or '(top)'}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "message": self.message,
            "code": self.code.value,
        }


class DefinitionError(Exception):
    """A form definition could not be loaded; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
