"""Named option lists for the form builder ("constrained lists managed as named lists").

A list (value, label and hint for each option) is managed on its own pages; a choice question can take
its options from one. Definitions still hold the options inline, so a form's YAML stays self-contained:
the working copy remembers which questions are linked to which list, and changing a list copies the new
options into every linked question of every working copy (published versions never change; the change
reaches parents when each form is published). A change that would take an option away from a question
with answers is refused, like any change to a locked question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from formsengine import editing

from ..models import FormDraft, OptionList, utcnow
from . import audit
from .form_builder import CODE_RULE, BuilderError, FieldProblem, NotFound, StaleWorkingCopy, working_copy


@dataclass(frozen=True)
class ListRow:
    code: str
    name: str
    options: int
    used_by: tuple[str, ...]  # "form code: question code"


def list_option_lists(db: Session) -> list[OptionList]:
    return list(db.scalars(select(OptionList).order_by(OptionList.name, OptionList.code)))


def _links(db: Session) -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for code, links in db.execute(select(FormDraft.code, FormDraft.option_list_links)):
        for question, list_code in (links or {}).items():
            used.setdefault(list_code, []).append(f"{code}: {question}")
    return used


def list_rows(db: Session) -> list[ListRow]:
    """Every named list with where it is used, in two queries."""
    used = _links(db)
    return [
        ListRow(r.code, r.name, len(r.options or []), tuple(sorted(used.get(r.code, []))))
        for r in list_option_lists(db)
    ]


def get_option_list(db: Session, code: str) -> OptionList:
    row = db.scalars(select(OptionList).where(OptionList.code == code)).first()
    if row is None:
        raise NotFound(code)
    return row


def used_by(db: Session, code: str) -> list[str]:
    return sorted(_links(db).get(code, []))


@dataclass(frozen=True)
class ListInput:
    name: str
    code: str
    options_text: str


def _checked(db: Session, data: ListInput, current: OptionList | None) -> tuple[str, str, list[dict[str, str]]]:
    problems: list[FieldProblem] = []
    name = " ".join((data.name or "").split())
    if not name:
        problems.append(FieldProblem("name", _l("Enter a name for the list")))
    elif len(name) > 200:
        problems.append(FieldProblem("name", _l("Name must be 200 characters or fewer")))
    code = " ".join((data.code or "").split())
    if current is not None:
        code = current.code  # the code links questions to the list: it does not change
    elif not code:
        taken = set(db.scalars(select(OptionList.code)))
        code = editing.code_from_text(name or "list", taken)
    elif not editing.valid_code(code):
        problems.append(FieldProblem("code", CODE_RULE))
    elif db.scalar(select(OptionList.id).where(OptionList.code == code)) is not None:
        problems.append(FieldProblem("code", _l("A list with this code already exists: choose another code")))
    options = editing.parse_option_lines(data.options_text or "")
    if not options:
        problems.append(FieldProblem("options_text", _l("Enter the options, one on each line")))
    problems.extend(
        FieldProblem("options_text", editing.without_context(p).capitalize()) for p in editing.option_problems(options)
    )
    if problems:
        raise BuilderError(problems)
    return code, name, options


def create_option_list(db: Session, data: ListInput, *, actor_id: int, client_address: str | None) -> str:
    code, name, options = _checked(db, data, None)
    db.add(OptionList(code=code, name=name, options=options, updated_by_id=actor_id))
    audit.record(
        db,
        "form_builder.list_created",
        actor_id=actor_id,
        client_address=client_address,
        object_type="option_list",
        object_id=code,
        before=None,
        after={"name": name, "options": options},
    )
    try:
        db.commit()
    except IntegrityError:  # the same code, created a moment ago
        db.rollback()
        raise BuilderError(
            [FieldProblem("code", _l("A list with this code already exists: choose another code"))]
        ) from None
    return code


def change_option_list(
    db: Session, code: str, row_version: int | None, data: ListInput, *, actor_id: int, client_address: str | None
) -> list[str]:
    """New name and options; the options are copied into every linked question of every working copy.
    Returns the forms changed. Refused (nothing changes) if a linked question has answers that need an
    option taken away, or if the list changed since the page was shown."""
    row = get_option_list(db, code)
    if row_version is not None and row.row_version != row_version:
        raise StaleWorkingCopy(code)
    _, name, options = _checked(db, data, row)
    before = {"name": row.name, "options": list(row.options or [])}
    changed_forms: list[str] = []
    problems: list[FieldProblem] = []
    for draft in db.scalars(select(FormDraft).order_by(FormDraft.code)):
        linked = [q for q, list_code in (draft.option_list_links or {}).items() if list_code == code]
        if not linked:
            continue
        copy = working_copy(db, draft.code)
        definition = copy.definition
        for question_code in linked:
            try:
                _, question = copy.question(question_code)
                definition = editing.change_question(
                    definition, question_code, {**question, "options": options}, locked=copy.locked
                )
            except NotFound:
                continue
            except editing.EditError as error:
                problems.extend(
                    FieldProblem("options_text", f"{draft.code}, {question_code}: {editing.without_context(p)}")
                    for p in error.problems
                )
        if definition != copy.definition:
            draft.definition, draft.fingerprint = definition, editing.fingerprint(definition)
            draft.based_on_version = copy.based_on
            draft.updated_at, draft.updated_by_id = utcnow(), actor_id
            changed_forms.append(draft.code)
            changes = editing.changes_between(copy.definition, definition)
            audit.record(
                db,
                "form_builder.options_from_list",
                actor_id=actor_id,
                client_address=client_address,
                object_type="form",
                object_id=draft.code,
                option_list=code,
                before={c["path"]: c["before"] for c in changes},
                after={c["path"]: c["after"] for c in changes},
            )
    if problems:
        db.rollback()
        raise BuilderError(problems)
    row.name, row.options, row.updated_at, row.updated_by_id = name, options, utcnow(), actor_id
    audit.record(
        db,
        "form_builder.list_changed",
        actor_id=actor_id,
        client_address=client_address,
        object_type="option_list",
        object_id=code,
        before=before,
        after={"name": name, "options": options},
        forms=changed_forms,
    )
    try:
        db.commit()
    except (StaleDataError, IntegrityError):
        db.rollback()
        raise StaleWorkingCopy(code) from None
    return changed_forms


def delete_option_list(db: Session, code: str, *, actor_id: int, client_address: str | None) -> None:
    """Delete a list; questions that used it keep the options they have (as their own)."""
    row = get_option_list(db, code)
    for draft in db.scalars(select(FormDraft)):
        links: dict[str, Any] = dict(draft.option_list_links or {})
        if code in links.values():
            draft.option_list_links = {q: c for q, c in links.items() if c != code}
    audit.record(
        db,
        "form_builder.list_deleted",
        actor_id=actor_id,
        client_address=client_address,
        object_type="option_list",
        object_id=code,
        before={"name": row.name, "options": list(row.options or [])},
        after=None,
    )
    db.delete(row)
    db.commit()
