"""Preview: a form's working copy run exactly as a parent runs it, saving nothing.

The pages, their validation, the navigation, repeating pages, check your answers and the declarations
are formsengine's, as on the parents' side; the answers live only in the administrator's session (the
view keeps them there, as ``formsengine.to_json`` gives them). Nothing here touches applications,
uploads or form versions: a chosen file is checked like a parent's would be, then only its name is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

import formsengine
from formsengine import DataType, ErrorCode, FieldError, Form

from ..uploads import UploadProblem, check_upload, problem_message
from .form_builder import PublishProblem, publish_problems, working_copy

UPLOAD_TYPES = (DataType.FILE, DataType.IMAGE)
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


def with_page(form: Form, answers: Mapping[str, Any], group_code: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with one (non-repeating) page's parsed values in place of its old ones."""
    out = dict(answers)
    group = form.group(group_code)
    if group is not None:
        for question in group.questions:
            out.pop(question.code, None)
    out.update({k: v for k, v in values.items() if v is not None})
    return out


def with_item(answers: Mapping[str, Any], group_code: str, values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(answers)
    out[group_code] = [*list(out.get(group_code) or []), {k: v for k, v in values.items() if v is not None}]
    return out


def without_item(answers: Mapping[str, Any], group_code: str, index: int) -> dict[str, Any] | None:
    """The answers without item ``index`` of a repeating page; ``None`` when there is no such item."""
    items = list(answers.get(group_code) or [])
    if not 0 <= index < len(items):
        return None
    del items[index]
    return {**answers, group_code: items}


@dataclass(frozen=True)
class ChosenFile:
    question: str
    filename: str
    data: bytes


def check_files(
    group: formsengine.Group,
    chosen: list[ChosenFile],
    raw: dict[str, Any],
    answers: Mapping[str, Any],
    *,
    max_bytes: int,
    max_megabytes: int,
    allowed: tuple[str, ...],
) -> list[FieldError]:
    """Check each chosen file as the parents' pages do and put a reference to it (name only) into ``raw``
    for formsengine to read; a question with no file chosen keeps the file already given."""
    problems: list[FieldError] = []
    files = {c.question: c for c in chosen}
    for question in group.questions:
        if question.type not in UPLOAD_TYPES:
            continue
        file = files.get(question.code)
        if file is None or not file.filename:
            existing = answers.get(question.code) if group.repeat is None else None
            raw[question.code] = existing or ""
            continue
        result = check_upload(file.filename, file.data, max_bytes=max_bytes, allowed=allowed)
        if isinstance(result, UploadProblem):
            problems.append(
                FieldError(
                    question.code,
                    question.code,
                    ErrorCode.FILE_INVALID,
                    problem_message(result, max_megabytes, allowed),
                    group=group.code,
                )
            )
            raw[question.code] = ""
            continue
        raw[question.code] = {
            "upload_id": PREVIEW_UPLOAD_ID,
            "filename": result.filename,
            "content_type": result.content_type,
            "size": result.size,
        }
    return problems


def merge_errors(
    group: formsengine.Group, upload_problems: list[FieldError], parsed: tuple[FieldError, ...]
) -> list[FieldError]:
    """A file's own problem replaces formsengine's view of the same question ("Select a file" would mislead)."""
    by_question = {p.question for p in upload_problems}
    errors = [e for e in parsed if e.question not in by_question] + list(upload_problems)
    order = {q.code: i for i, q in enumerate(group.questions)}
    return sorted(errors, key=lambda e: order.get(e.question, len(order)))


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
