"""The one catalogue of errors the engine reports.

Two audiences:

* administrators, whose form definitions are checked when they are loaded (``Problem``,
  ``DefinitionError``); and
* people filling in forms, whose answers are checked page by page (``FieldError``), with messages in
  the GOV.UK Design System's wording ("Enter your date of birth", "Date of birth must be a real date").

Every error carries an ``ErrorCode`` so tests can key on the code and never on the English text.
Templates use ``{name}`` (the question's ``error_name``, e.g. "your date of birth"), ``{Label}`` (the short
label, e.g. "Date of birth") and per-error values.

The engine speaks English and knows nothing of translation. Its messages are marked with ``N_`` so the
portal's catalogue picks them up (``pybabel extract -k N_``), and a ``FieldError`` keeps its ``Wording``
(the template and its values) beside the English ``message``: the portal words it again in the reader's
language with ``FieldError.text(translate, format_date)``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from formsengine.formats import format_date


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, do not translate here"
    """Mark ``message`` for the translation catalogue and return it unchanged."""
    return message


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Wording:
    """A message before it is put into words: an ``N_``-marked English template and its values.

    A value is shown as it is (text from the form definition, such as a label or a rule's message, is shown
    as the administrator wrote it), except a ``date``, written out by ``format_date``, and a nested
    ``Wording``: the engine's own words ("a day and month"), translated like the template.
    """

    template: str
    values: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, template: str, **values: object) -> Wording:
        return cls(template, tuple(values.items()))

    def render(
        self, translate: Callable[[str], str] = _same, format_date: Callable[[date], str] = format_date
    ) -> str:
        """The message, translated by ``translate`` (English by default); a broken translation falls back
        to the English template rather than failing the page."""
        filled = {}
        for name, value in self.values:
            if isinstance(value, Wording):
                value = value.render(translate, format_date)
            elif isinstance(value, date):
                value = format_date(value)
            filled[name] = value
        try:
            return translate(self.template).format(**filled)
        except (KeyError, IndexError, ValueError):
            return self.template.format(**filled)


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
# ``error_name`` ("your date of birth"). "{message}" is the definition's own text, so it is not marked.
MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.REQUIRED: N_("Enter {name}"),
    ErrorCode.REQUIRED_CHOICE: N_("Select {name}"),
    ErrorCode.REQUIRED_FILE: N_("Select {name}"),
    ErrorCode.INVALID_CHOICE: N_("Select {name}"),
    ErrorCode.TOO_LONG: N_("{Label} must be {max} characters or fewer"),
    ErrorCode.NOT_A_NUMBER: N_("{Label} must be a number"),
    ErrorCode.NOT_A_WHOLE_NUMBER: N_("{Label} must be a whole number"),
    ErrorCode.TOO_MANY_DECIMAL_PLACES: N_("{Label} must have {places} decimal places or fewer"),
    ErrorCode.TOO_SMALL: N_("{Label} must be {min} or more"),
    ErrorCode.TOO_LARGE: N_("{Label} must be {max} or less"),
    ErrorCode.DATE_MISSING_PARTS: N_("{Label} must include {parts}"),
    ErrorCode.DATE_NOT_REAL: N_("{Label} must be a real date"),
    ErrorCode.DATE_YEAR_FORMAT: N_("Year must include 4 numbers"),
    ErrorCode.DATE_NOT_IN_PAST: N_("{Label} must be in the past"),
    ErrorCode.DATE_NOT_IN_FUTURE: N_("{Label} must be in the future"),
    ErrorCode.DATE_NOT_BEFORE: N_("{Label} must be before {date}"),
    ErrorCode.DATE_NOT_AFTER: N_("{Label} must be after {date}"),
    ErrorCode.DATE_TOO_RECENT: N_("{Label} must be at least {years} years ago"),
    ErrorCode.DATE_TOO_LONG_AGO: N_("{Label} must be within the last {years} years"),
    ErrorCode.EMAIL_FORMAT: N_("Enter an email address in the correct format, like name@example.com"),
    ErrorCode.PHONE_FORMAT: N_("Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
    ErrorCode.POSTCODE_FORMAT: N_("Enter a real postcode"),
    ErrorCode.NI_NUMBER_FORMAT: N_("National Insurance number must be like QQ 12 34 56 C"),
    ErrorCode.PATTERN_MISMATCH: "{message}",
    ErrorCode.FILE_INVALID: N_("The selected file could not be uploaded – try again"),
    ErrorCode.FILE_TYPE: N_("The selected file must be {types}"),
    ErrorCode.TOO_FEW_ITEMS: N_("Add at least {min} {items}"),
    ErrorCode.TOO_MANY_ITEMS: N_("You can add up to {max} {items}"),
    ErrorCode.RULE_FAILED: "{message}",
    ErrorCode.DECLARATION_REQUIRED: "{message}",
    ErrorCode.INVALID_ANSWER: N_("Check {name}"),
}


# The engine's own words inside messages: which parts of a date are missing ("must include a day and
# month"), and the list of file types a question allows.
MISSING_DATE_PARTS: dict[tuple[str, ...], str] = {
    ("day",): N_("a day"),
    ("month",): N_("a month"),
    ("year",): N_("a year"),
    ("day", "month"): N_("a day and month"),
    ("day", "year"): N_("a day and year"),
    ("month", "year"): N_("a month and year"),
}
ONE_FILE_TYPE = N_("a {type}")
FILE_TYPES = N_("a {types} or {last}")
DECLARATION_NOT_AGREED = N_("Confirm that you agree with this declaration")
YES = N_("Yes")  # a yes/no answer, as check-your-answers shows it
NO = N_("No")


def wording_for(code: ErrorCode, **values: object) -> Wording:
    """The message for ``code`` with its values, ready to be worded in any language."""
    return Wording.of(MESSAGES[code], **values)


def message_for(code: ErrorCode, **values: object) -> str:
    """The English message for ``code`` with ``values`` filled in."""
    return wording_for(code, **values).render()


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
    message: str  # in English
    group: str = ""
    item: int | None = None
    wording: Wording | None = dataclasses.field(default=None, compare=False)  # the message before it was worded

    def text(self, translate: Callable[[str], str] = _same, format_date: Callable[[date], str] = format_date) -> str:
        """The message in the reader's language: ``translate`` is the portal's gettext."""
        return self.message if self.wording is None else self.wording.render(translate, format_date)

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
