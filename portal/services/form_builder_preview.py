"""Preview: a form's working copy run exactly as a parent runs it, saving nothing.

The pages, their validation, the navigation, repeating pages, check your answers and the declarations
are formsengine's, run through portal.form_runner as on the parents' side; the answers live only in the
administrator's session (the view keeps them there, as ``formsengine.to_json`` gives them). Nothing here
touches applications, uploads or form versions: a chosen file is checked like a parent's would be, then
only its name is kept, under ``PREVIEW_UPLOAD_ID``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

import formsengine
from formsengine import FieldError, Form

from .form_builder import PublishProblem, publish_problems, working_copy

PREVIEW_UPLOAD_ID = "preview"  # the upload reference a previewed file gets: nothing is stored under it


class PreviewUnavailable(Exception):
    """The working copy does not load yet: the problems say what to fix first."""

    def __init__(self, problems: list[PublishProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def preview_form(db: Session, code: str) -> Form:
    """The working copy as a ``Form`` (numbered as it would be published); ``PreviewUnavailable`` when it
    has problems, ``NotFound`` when there is no such form."""
    copy = working_copy(db, code)
    if copy.problems:
        raise PreviewUnavailable([p for p in publish_problems(db, copy) if p.where is not None or p.message])
    return formsengine.form_from_dict({**copy.definition, "version": copy.next_version, "live": False}, code)


def answers_from(form: Form, stored: Any) -> dict[str, Any]:
    """Typed answers from what the session holds (anything unreadable is left out)."""
    return formsengine.from_json(form, stored if isinstance(stored, Mapping) else {})


def to_store(form: Form, answers: Mapping[str, Any], today: date) -> dict[str, Any]:
    """What the session keeps: the visible answers, as JSON (hidden pages' answers dropped, as for parents)."""
    return formsengine.to_json(form, formsengine.drop_hidden_answers(form, answers, today))


@dataclass(frozen=True)
class Finished:
    incomplete: list[FieldError]
    declaration_errors: list[FieldError]

    @property
    def sent(self) -> bool:
        return not self.incomplete and not self.declaration_errors


def finish(form: Form, answers: Mapping[str, Any], raw: Mapping[str, Any], today: date) -> Finished:
    """What "Accept and send" would say: every unanswered question, or an unticked declaration."""
    kept = formsengine.drop_hidden_answers(form, answers, today)
    incomplete = formsengine.validate_form(form, kept, today)
    declarations = formsengine.parse_declarations(form, raw)
    return Finished(incomplete, list(declarations.errors) if not incomplete else [])
