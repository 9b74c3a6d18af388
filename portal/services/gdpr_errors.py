"""What the GDPR administration services refuse, as codes: the admin area words each one (in English and
Welsh, through its message catalogue in admin/gdpr_forms.py) and links it to the field it is about.

Services stay free of wording and of Flask; tests may assert on a code or on the words a person sees.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class ProblemCode(enum.Enum):
    # Consent statements
    STATEMENT_MISSING = "statement_missing"
    STATEMENT_TOO_LONG = "statement_too_long"
    AGREEMENT_MISSING = "agreement_missing"
    AGREEMENT_TOO_LONG = "agreement_too_long"
    DATE_MISSING = "date_missing"
    DATE_INCOMPLETE = "date_incomplete"  # params: missing ("day", "month and year" ...)
    DATE_NOT_REAL = "date_not_real"
    DATE_IN_PAST = "date_in_past"
    DATE_TOO_FAR = "date_too_far"  # params: years
    ALREADY_SCHEDULED = "already_scheduled"  # params: version, date
    NEWER_VERSION = "newer_version"  # params: version
    ALREADY_PUBLISHED = "already_published"  # params: version
    # The withdrawal alert list
    EMAIL_MISSING = "email_missing"
    EMAIL_TOO_LONG = "email_too_long"
    EMAIL_FORMAT = "email_format"
    EMAIL_ALREADY_LISTED = "email_already_listed"  # params: email
    # Withdrawals
    NOTE_MISSING = "note_missing"
    NOTE_TOO_LONG = "note_too_long"
    ALREADY_ACTIONED = "already_actioned"  # params: name, when
    # Finding an account
    SEARCH_MISSING = "search_missing"
    SEARCH_TOO_LONG = "search_too_long"


@dataclass(frozen=True)
class Problem:
    field: str | None  # the form field the message belongs to; None for the page as a whole
    code: ProblemCode
    params: dict[str, Any] = field(default_factory=dict)


class GdprError(ValueError):
    """A request the rules refuse; nothing was changed. `problems` holds every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.code.value for p in problems))
        self.problems = problems

    @property
    def codes(self) -> list[ProblemCode]:
        return [p.code for p in self.problems]


def refuse(field_name: str | None, code: ProblemCode, **params: Any) -> GdprError:
    return GdprError([Problem(field_name, code, params)])
