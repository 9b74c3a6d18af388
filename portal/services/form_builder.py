"""The form builder: administrators design and change forms without a release (issue 8).

Each form has one *working copy* (a ``FormDraft`` row), a definition dict in the canonical shape of
``Form.to_dict()``; ``formsengine.editing`` makes every change to it, so the engine's own checks apply
and a YAML export is exact. Parents never see a working copy: *publishing* runs every engine check and
``check_compatible`` and, if nothing is wrong, stores it as version N+1, live, retiring the version that
was live (drafts and submissions keep the version they began on, because a version never changes).

- A form that only has versions (loaded from a file) has no row until an administrator first changes
  it: its working copy is then its latest version. A working copy with no changes of its own follows
  the latest version, so a file loaded later is not hidden behind an old copy.
- Optimistic concurrency: every page posts the ``row_version`` it showed; a change to a working copy
  that moved on since is refused (``StaleWorkingCopy``), so two administrators cannot silently
  overwrite each other. Each change is audited with the changed parts before and after.
- Locked questions: a question code is *locked* when it appears in a version that has applications
  (one query, whatever the number of applications). A locked question keeps its code, type and option
  values; deleting it removes it from new versions only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import formsengine
from formsengine import editing
from formsengine.yaml_export import definition_to_yaml

from ..models import Application, FormDraft, FormStatus, FormVersion, OptionList, utcnow
from . import audit
from .applications import form_for
from .forms import BUILDER_SOURCE

MAX_IMPORT_BYTES = 1_000_000
PORTAL_TYPES = ("citizen", "professional")
PORTAL_USER_TYPES = ("parent_or_carer", "young_person")
DATA_TYPES = tuple(t.value for t in formsengine.DataType)
CODE_RULE = _l("Code must start with a letter and use only lower case letters, numbers and underscores (up to 63)")


# --- errors -------------------------------------------------------------------------------------------


class NotFound(LookupError):
    """No form, page, question or declaration of that code: the page answers 404."""


class StaleWorkingCopy(Exception):
    """Another administrator changed the form after this page was shown; nothing was saved."""


@dataclass(frozen=True)
class FieldProblem:
    field: str  # the form field the message belongs to
    message: str


class BuilderError(ValueError):
    """The change cannot be made; each problem names the field it belongs to. Nothing was saved."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p.message) for p in problems))
        self.problems = problems


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _engine_problems(
    problems: Iterable[formsengine.Problem], field_for: Callable[[tuple], str], prefix: tuple
) -> list[FieldProblem]:
    out = []
    for problem in problems:
        path = editing.parse_path(problem.path)
        relative = path[len(prefix) :] if path[: len(prefix)] == prefix else path
        out.append(FieldProblem(field_for(relative), _sentence(editing.without_context(problem))))
    return out


# --- the list of forms --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    id: int
    version: int
    title: str
    status: FormStatus
    fingerprint: str
    source: str | None
    created_at: datetime
    applications: int

    @property
    def from_builder(self) -> bool:
        return self.source == BUILDER_SOURCE


@dataclass(frozen=True)
class FormRow:
    code: str
    title: str
    status: FormStatus
    live_version: int | None
    latest_version: int | None
    unpublished: bool


def _status(versions: list[Any]) -> FormStatus:
    """Live when a version is live; retired when it was published and nothing is live now; else draft."""
    statuses = {v.status for v in versions}
    if FormStatus.LIVE in statuses:
        return FormStatus.LIVE
    if FormStatus.RETIRED in statuses:
        return FormStatus.RETIRED
    return FormStatus.DRAFT


def _follows_latest(draft: Any, versions: list[Any]) -> bool:
    """A working copy with no changes of its own, based on a version older than the latest, is just that
    old version: the builder shows the latest instead (a file may have been loaded since)."""
    if draft is None or not versions:
        return False
    base = next((v for v in versions if v.version == draft.based_on_version), None)
    return base is not None and base.version < versions[-1].version and draft.fingerprint == base.fingerprint


def list_forms(db: Session) -> list[FormRow]:
    """Every form (loaded, published or only being built) with its status, in two queries."""
    versions: dict[str, list[Any]] = {}
    for row in db.execute(
        select(
            FormVersion.code, FormVersion.version, FormVersion.status, FormVersion.title, FormVersion.fingerprint
        ).order_by(FormVersion.code, FormVersion.version)
    ):
        versions.setdefault(row.code, []).append(row)
    drafts = {
        row.code: row
        for row in db.execute(
            select(FormDraft.code, FormDraft.fingerprint, FormDraft.based_on_version, FormDraft.definition)
        )
    }
    rows = []
    for code in sorted(set(versions) | set(drafts)):
        stored = versions.get(code, [])
        latest = stored[-1] if stored else None
        live = next((v for v in stored if v.status is FormStatus.LIVE), None)
        draft = None if _follows_latest(drafts.get(code), stored) else drafts.get(code)
        title = str(draft.definition.get("title") or code) if draft is not None else latest.title
        unpublished = draft is not None and (latest is None or draft.fingerprint != latest.fingerprint)
        rows.append(
            FormRow(
                code,
                title,
                _status(stored),
                live.version if live else None,
                latest.version if latest else None,
                unpublished,
            )
        )
    return sorted(rows, key=lambda r: (r.title.lower(), r.code))


# --- the working copy ---------------------------------------------------------------------------------


@dataclass
class WorkingCopy:
    code: str
    definition: dict[str, Any]
    row_version: int  # 0 while the form has no working-copy row yet
    based_on: int | None
    versions: list[VersionRow]  # newest first
    locked: frozenset[str]
    option_list_links: dict[str, str]
    row: FormDraft | None = field(default=None, repr=False)
    follows_latest: bool = False  # the row had no changes of its own and a newer version came in
    _problems: list[formsengine.Problem] | None = field(default=None, repr=False)

    @property
    def title(self) -> str:
        return str(self.definition.get("title") or self.code)

    @property
    def latest(self) -> VersionRow | None:
        return self.versions[0] if self.versions else None

    @property
    def live(self) -> VersionRow | None:
        return next((v for v in self.versions if v.status is FormStatus.LIVE), None)

    @property
    def status(self) -> FormStatus:
        return _status(self.versions)

    @property
    def fingerprint(self) -> str:
        return editing.fingerprint(self.definition)

    @property
    def unpublished(self) -> bool:
        return self.latest is None or self.fingerprint != self.latest.fingerprint

    @property
    def next_version(self) -> int:
        return self.latest.version + 1 if self.latest else 1

    @property
    def problems(self) -> list[formsengine.Problem]:
        """Every engine problem in the working copy (the definition as it would be published)."""
        if self._problems is None:
            self._problems = editing.problems_of(self.definition)
        return self._problems

    def group(self, group_code: str) -> dict[str, Any]:
        for group in editing.groups_of(self.definition):
            if group.get("code") == group_code:
                return group
        raise NotFound(group_code)

    def question(self, question_code: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(its page, the question)."""
        for group in editing.groups_of(self.definition):
            for question in group.get("questions") or []:
                if isinstance(question, dict) and question.get("code") == question_code:
                    return group, question
        raise NotFound(question_code)


def _locked_codes(definitions: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """Question codes (and repeating page codes, under which items are stored) that have answers."""
    codes: set[str] = set()
    for definition in definitions:
        for group in editing.groups_of(definition):
            if "repeat" in group and isinstance(group.get("code"), str):
                codes.add(group["code"])
            codes.update(q["code"] for q in group.get("questions") or [] if isinstance(q, dict) and "code" in q)
    return frozenset(codes)


def working_copy(db: Session, code: str) -> WorkingCopy:
    """The form as the builder shows it, in at most four queries whatever the number of versions,
    questions or applications. ``NotFound`` when there is no such form."""
    draft = db.scalars(select(FormDraft).where(FormDraft.code == code)).first()
    applications = (
        select(func.count(Application.id)).where(Application.form_version_id == FormVersion.id).scalar_subquery()
    )
    versions = [
        VersionRow(r.id, r.version, r.title, r.status, r.fingerprint, r.source, r.created_at, r.applications)
        for r in db.execute(
            select(
                FormVersion.id,
                FormVersion.version,
                FormVersion.title,
                FormVersion.status,
                FormVersion.fingerprint,
                FormVersion.source,
                FormVersion.created_at,
                applications.label("applications"),
            )
            .where(FormVersion.code == code)
            .order_by(FormVersion.version.desc())
        )
    ]
    if draft is None and not versions:
        raise NotFound(code)
    answered = [v.id for v in versions if v.applications]
    locked = _locked_codes(db.scalars(select(FormVersion.definition).where(FormVersion.id.in_(answered))))
    latest = versions[0] if versions else None
    if draft is not None and not _follows_latest(draft, list(reversed(versions))):
        return WorkingCopy(
            code,
            draft.definition,
            draft.row_version,
            draft.based_on_version,
            versions,
            locked,
            dict(draft.option_list_links or {}),
            draft,
        )
    assert latest is not None
    definition = db.scalar(select(FormVersion.definition).where(FormVersion.id == latest.id))
    return WorkingCopy(
        code,
        definition,
        draft.row_version if draft is not None else 0,
        latest.version,
        versions,
        locked,
        dict(draft.option_list_links or {}) if draft is not None else {},
        draft,
        follows_latest=draft is not None,
    )


def _for_update(db: Session, code: str, row_version: int | None) -> tuple[FormDraft, WorkingCopy]:
    """The working copy's row, ready to change; ``StaleWorkingCopy`` when the page that posted showed an
    older one (``row_version=None``: an explicit replace that does not depend on what was shown)."""
    copy = working_copy(db, code)
    if row_version is not None and copy.row_version != row_version:
        raise StaleWorkingCopy(code)
    draft = copy.row
    if draft is None:
        draft = FormDraft(code=code, definition=copy.definition, fingerprint=copy.fingerprint, option_list_links={})
        draft.based_on_version = copy.based_on
        db.add(draft)
    elif copy.follows_latest:
        draft.definition = copy.definition
        draft.fingerprint = copy.fingerprint
        draft.based_on_version = copy.based_on
    return draft, copy


def _commit(db: Session, code: str) -> None:
    try:
        db.commit()
    except (StaleDataError, IntegrityError):  # another administrator's change reached the row first
        db.rollback()
        raise StaleWorkingCopy(code) from None


def _audit_change(
    db: Session,
    action: str,
    code: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    actor_id: int,
    client_address: str | None,
    **details: Any,
) -> None:
    changes = editing.changes_between(before, after)
    audit.record(
        db,
        f"form_builder.{action}",
        actor_id=actor_id,
        client_address=client_address,
        object_type="form",
        object_id=code,
        before={c["path"]: c["before"] for c in changes},
        after={c["path"]: c["after"] for c in changes},
        **details,
    )


def _save(
    db: Session,
    draft: FormDraft,
    copy: WorkingCopy,
    definition: dict[str, Any],
    action: str,
    *,
    actor_id: int,
    client_address: str | None,
    links: dict[str, str] | None = None,
    **details: Any,
) -> None:
    draft.definition = definition
    draft.fingerprint = editing.fingerprint(definition)
    if links is not None:
        draft.option_list_links = links
    draft.updated_at = utcnow()
    draft.updated_by_id = actor_id
    _audit_change(
        db, action, copy.code, copy.definition, definition, actor_id=actor_id, client_address=client_address, **details
    )
    _commit(db, copy.code)


def _edit(
    db: Session,
    code: str,
    row_version: int,
    action: str,
    change: Callable[[WorkingCopy], dict[str, Any]],
    *,
    actor_id: int,
    client_address: str | None,
    links: Callable[[WorkingCopy], dict[str, str]] | None = None,
    **details: Any,
) -> WorkingCopy:
    draft, copy = _for_update(db, code, row_version)
    try:
        definition = change(copy)
    except Exception:
        db.rollback()
        raise
    _save(
        db,
        draft,
        copy,
        definition,
        action,
        actor_id=actor_id,
        client_address=client_address,
        links=links(copy) if links else None,
        **details,
    )
    return copy


# --- reading typed answers from the builder's pages ---------------------------------------------------


def _whole(
    text: str, field_name: str, name: str, problems: list[FieldProblem], *, low: int = 0, high: int | None = None
) -> int | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"-?[0-9]{1,9}", text):
        problems.append(FieldProblem(field_name, _l("%(name)s must be a whole number, like 10", name=name)))
        return None
    number = int(text)
    if number < low:
        problems.append(FieldProblem(field_name, _l("%(name)s must be %(low)s or more", name=name, low=low)))
        return None
    if high is not None and number > high:
        problems.append(FieldProblem(field_name, _l("%(name)s must be %(high)s or less", name=name, high=high)))
        return None
    return number


def _decimal(text: str, field_name: str, name: str, problems: list[FieldProblem]) -> int | str | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,10})?", text):
        problems.append(FieldProblem(field_name, _l("%(name)s must be a number, like 10 or 2.50", name=name)))
        return None
    return editing.normalise_number(text)


def _date(parts: tuple[str, str, str], field_name: str, name: str, problems: list[FieldProblem]) -> str | None:
    day, month, year = (p.strip() for p in (tuple(parts) + ("", "", ""))[:3])
    if not (day or month or year):
        return None
    try:
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise ValueError
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        problems.append(FieldProblem(field_name, _l("%(name)s must be a real date, like 1 9 2027", name=name)))
        return None


def _text(
    value: Any,
    field_name: str,
    name: Any,
    problems: list[FieldProblem],
    *,
    limit: int,
    required: Any = None,
    multiline: bool = False,
) -> str:
    """A text as typed (one line: spaces tidied; several lines: kept as typed), checked for length."""
    text = _block(value) if multiline else _line(value)
    if not text and required is not None:
        problems.append(FieldProblem(field_name, required))
    elif len(text) > limit:
        problems.append(
            FieldProblem(field_name, _l("%(name)s must be %(limit)s characters or fewer", name=name, limit=limit))
        )
    return text


def _line(value: Any) -> str:
    return " ".join(str(value or "").split())


def _block(value: Any) -> str:
    """Text of several lines kept exactly as typed (browsers send CRLF line breaks), so that saving a page
    unchanged changes nothing, down to a Markdown text's final newline; only blank text becomes empty."""
    text = str(value or "").replace("\r\n", "\n")
    return text if text.strip() else ""


def _code(value: Any, field_name: str, problems: list[FieldProblem], *, made_from: str, taken: Iterable[str]) -> str:
    """A code as typed, or one made from the label when left blank."""
    code = _line(value)
    if not code:
        return editing.code_from_text(made_from or "question", set(taken))
    if not editing.valid_code(code):
        problems.append(
            FieldProblem(
                field_name,
                CODE_RULE,
            )
        )
    return code


# --- create, import, clone, details -------------------------------------------------------------------


def _exists(db: Session, code: str) -> bool:
    return bool(
        db.scalar(select(func.count()).select_from(FormDraft).where(FormDraft.code == code))
        or db.scalar(select(func.count()).select_from(FormVersion).where(FormVersion.code == code))
    )


@dataclass(frozen=True)
class NewForm:
    code: str
    title: str
    portal_type: str = "citizen"
    portal_user_type: str = "parent_or_carer"


def _new_form_problems(db: Session, new: NewForm) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    _text(new.title, "title", _l("Title"), problems, limit=300, required=_l("Enter a title"))
    code = _line(new.code)
    if not code:
        problems.append(FieldProblem("code", _l("Enter a code for the form")))
    elif not editing.valid_code(code):
        problems.append(
            FieldProblem(
                "code",
                CODE_RULE,
            )
        )
    elif _exists(db, code):
        problems.append(FieldProblem("code", _l("A form with this code already exists: choose another code")))
    if new.portal_type not in PORTAL_TYPES:
        problems.append(FieldProblem("portal_type", _l("Select who fills in the form")))
    if new.portal_user_type not in PORTAL_USER_TYPES:
        problems.append(FieldProblem("portal_user_type", _l("Select the kind of user")))
    return problems


def _insert(
    db: Session,
    code: str,
    definition: dict[str, Any],
    action: str,
    *,
    actor_id: int,
    client_address: str | None,
    links: dict[str, str] | None = None,
    **details: Any,
) -> FormDraft:
    draft = FormDraft(
        code=code,
        definition=definition,
        fingerprint=editing.fingerprint(definition),
        option_list_links=dict(links or {}),
        updated_by_id=actor_id,
    )
    db.add(draft)
    _audit_change(db, action, code, None, definition, actor_id=actor_id, client_address=client_address, **details)
    try:
        db.commit()
    except IntegrityError:  # created a moment ago by someone else (or a double click)
        db.rollback()
        raise BuilderError(
            [FieldProblem("code", _l("A form with this code already exists: choose another code"))]
        ) from None
    return draft


def create_form(db: Session, new: NewForm, *, actor_id: int, client_address: str | None) -> str:
    """A new, empty form (not live until published). Returns its code."""
    problems = _new_form_problems(db, new)
    if problems:
        raise BuilderError(problems)
    definition = editing.new_definition(
        _line(new.code), _line(new.title), portal_type=new.portal_type, portal_user_type=new.portal_user_type
    )
    _insert(db, definition["code"], definition, "created", actor_id=actor_id, client_address=client_address)
    return definition["code"]


def clone_form(db: Session, code: str, new: NewForm, *, actor_id: int, client_address: str | None) -> str:
    """A copy of a form's working copy under a new code, at version 1 and not live. Question codes are
    kept, so answers given on the original pre-fill the clone (formsengine.clone)."""
    copy = working_copy(db, code)
    problems = _new_form_problems(db, NewForm(new.code, new.title))
    if problems:
        raise BuilderError(problems)
    try:
        definition = formsengine.clone(
            formsengine.form_from_dict(copy.definition, code), _line(new.code), title=_line(new.title)
        ).to_dict()
    except formsengine.DefinitionError:  # an unfinished working copy is copied as it is
        definition = editing.change_details(
            editing.change_code(copy.definition, _line(new.code)), {"title": _line(new.title)}
        )
    _insert(
        db,
        definition["code"],
        definition,
        "cloned",
        actor_id=actor_id,
        client_address=client_address,
        links=copy.option_list_links,
        cloned_from=code,
    )
    return definition["code"]


@dataclass(frozen=True)
class ImportResult:
    code: str
    replaced: bool


class ImportRefused(ValueError):
    """The file could not be imported; ``problems`` say why, with line numbers."""

    def __init__(self, problems: list[str], *, exists: str | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.exists = exists  # the code of an existing form, when that is the reason


def import_definition(
    db: Session, data: bytes, filename: str, *, replace: bool, actor_id: int, client_address: str | None
) -> ImportResult:
    """A YAML (or JSON) definition becomes the working copy of its form, checked by the engine first.

    An existing form's working copy is only replaced when the administrator says so; publishing is still
    a separate step, so parents see nothing until then.
    """
    name = (filename or "definition.yaml").replace("\\", "/").rsplit("/", 1)[-1][:100] or "definition.yaml"
    if not data:
        raise ImportRefused([str(_l("The selected file is empty"))])
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused([str(_l("The selected file must be smaller than 1MB"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([str(_l("The selected file must be a YAML or JSON text file (UTF-8)"))]) from None
    try:
        form = formsengine.load_definition_text(text, name)
    except formsengine.DefinitionError as error:
        raise ImportRefused([str(p) for p in error.problems]) from None
    definition = form.to_dict()
    if not _exists(db, form.code):
        _insert(db, form.code, definition, "imported", actor_id=actor_id, client_address=client_address, filename=name)
        return ImportResult(form.code, False)
    if not replace:
        raise ImportRefused([], exists=form.code)
    draft, copy = _for_update(db, form.code, None)
    _save(
        db,
        draft,
        copy,
        definition,
        "imported",
        actor_id=actor_id,
        client_address=client_address,
        links={},
        filename=name,
    )
    return ImportResult(form.code, True)


@dataclass(frozen=True)
class Details:
    title: str
    portal_type: str
    portal_user_type: str
    description: str
    guidance: str


def _details_field(path: tuple) -> str:
    return str(path[0]) if path and path[0] in editing.DETAIL_KEYS else "title"


def change_details(
    db: Session, code: str, row_version: int, details: Details, *, actor_id: int, client_address: str | None
) -> None:
    problems: list[FieldProblem] = []
    title = _text(details.title, "title", _l("Title"), problems, limit=300, required=_l("Enter a title"))
    if details.portal_type not in PORTAL_TYPES:
        problems.append(FieldProblem("portal_type", _l("Select who fills in the form")))
    if details.portal_user_type not in PORTAL_USER_TYPES:
        problems.append(FieldProblem("portal_user_type", _l("Select the kind of user")))
    description = _text(details.description, "description", _l("Description"), problems, limit=5000, multiline=True)
    guidance = _text(details.guidance, "guidance", _l("Guidance notes"), problems, limit=20_000, multiline=True)
    if problems:
        raise BuilderError(problems)
    values = {
        "title": title,
        "portal_type": details.portal_type,
        "portal_user_type": details.portal_user_type,
        "description": description,
        "guidance": guidance,
    }

    def change(copy: WorkingCopy) -> dict[str, Any]:
        try:
            return editing.change_details(copy.definition, values)
        except editing.EditError as error:
            raise BuilderError(_engine_problems(error.problems, _details_field, ())) from None

    _edit(db, code, row_version, "details_changed", change, actor_id=actor_id, client_address=client_address)


# --- declarations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationInput:
    code: str
    text: str
    error_message: str


def _declaration_change(copy: WorkingCopy, data: DeclarationInput, current: str | None) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    text = _text(
        data.text, "text", _l("Declaration"), problems, limit=5000, required=_l("Enter the declaration"), multiline=True
    )
    message = _text(data.error_message, "error_message", _l("Error message"), problems, limit=300)
    taken = [d.get("code") for d in copy.definition.get("declarations") or [] if d.get("code") != current]
    code = _code(data.code, "code", problems, made_from=" ".join(text.split()[:5]), taken=taken)
    if problems:
        raise BuilderError(problems)
    item = {"code": code, "text": text, "error_message": message}
    try:
        if current is None:
            return editing.add_declaration(copy.definition, item)
        return editing.change_declaration(copy.definition, current, item)
    except editing.EditError as error:
        fields = lambda path: str(path[2]) if len(path) > 2 and path[2] in ("code", "text", "error_message") else "text"  # noqa: E731
        raise BuilderError(_engine_problems(error.problems, fields, ())) from None


def declaration(copy: WorkingCopy, code: str) -> dict[str, Any]:
    for item in copy.definition.get("declarations") or []:
        if item.get("code") == code:
            return item
    raise NotFound(code)


def add_declaration(
    db: Session, code: str, row_version: int, data: DeclarationInput, *, actor_id: int, client_address: str | None
) -> None:
    _edit(
        db,
        code,
        row_version,
        "declaration_added",
        lambda c: _declaration_change(c, data, None),
        actor_id=actor_id,
        client_address=client_address,
    )


def change_declaration(
    db: Session,
    code: str,
    declaration_code: str,
    row_version: int,
    data: DeclarationInput,
    *,
    actor_id: int,
    client_address: str | None,
) -> None:
    def change(copy: WorkingCopy) -> dict[str, Any]:
        declaration(copy, declaration_code)
        return _declaration_change(copy, data, declaration_code)

    _edit(db, code, row_version, "declaration_changed", change, actor_id=actor_id, client_address=client_address)


def delete_declaration(
    db: Session, code: str, declaration_code: str, row_version: int, *, actor_id: int, client_address: str | None
) -> None:
    def change(copy: WorkingCopy) -> dict[str, Any]:
        declaration(copy, declaration_code)
        return editing.delete_declaration(copy.definition, declaration_code)

    _edit(db, code, row_version, "declaration_deleted", change, actor_id=actor_id, client_address=client_address)


# --- pages (groups) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupInput:
    name: str
    code: str
    guidance: str
    show_if: str
    repeating: bool
    min_items: str = ""
    max_items: str = ""
    add_another_label: str = ""
    item_name: str = ""
    item_name_plural: str = ""


_GROUP_FIELDS = {
    "code": "code",
    "name": "name",
    "guidance": "guidance",
    "show_if": "show_if",
    "repeat": "min_items",
    "repeat.min": "min_items",
    "repeat.max": "max_items",
    "repeat.add_another_label": "add_another_label",
    "repeat.item_name": "item_name",
    "repeat.item_name_plural": "item_name_plural",
}


def _field_from(table: Mapping[str, str], path: tuple, default: str) -> str:
    names = [str(p) for p in path if not isinstance(p, int)]
    while names:
        found = table.get(".".join(names))
        if found:
            return found
        names.pop()
    return default


def _group_settings(copy: WorkingCopy, data: GroupInput, current: str | None) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    name = _text(data.name, "name", _l("Page heading"), problems, limit=300, required=_l("Enter the page heading"))
    guidance = _text(data.guidance, "guidance", _l("Guidance"), problems, limit=20_000, multiline=True)
    show_if = _text(data.show_if, "show_if", _l("Condition"), problems, limit=2000)
    taken = set(editing.all_codes(copy.definition)) - {current}
    code = _code(data.code, "code", problems, made_from=name, taken=taken)
    settings: dict[str, Any] = {"code": code, "name": name, "guidance": guidance, "show_if": show_if}
    if data.repeating:
        low = _whole(data.min_items, "min_items", _l("Fewest items"), problems)
        high = _whole(data.max_items, "max_items", _l("Most items"), problems, low=1)
        settings["repeat"] = {
            "min": low or 0,
            "max": high,
            "add_another_label": _text(
                data.add_another_label, "add_another_label", _l("Add another button"), problems, limit=100
            ),
            "item_name": _text(data.item_name, "item_name", _l("Item name"), problems, limit=100),
            "item_name_plural": _text(
                data.item_name_plural, "item_name_plural", _l("Item name, plural"), problems, limit=100
            ),
        }
    if problems:
        if show_if and not any(p.field == "show_if" for p in problems):  # say everything at once
            problems += _condition_problems(copy, show_if, current or "", None, page=True)
        raise BuilderError(problems)
    return settings


def _condition_problems(
    copy: WorkingCopy, source: str, group_code: str, question_code: str | None, *, page: bool
) -> list[FieldProblem]:
    """The condition's own problems, for a page that has others too (the engine checks it in place when the
    rest can be saved)."""
    try:
        check = check_condition(copy, source, group_code, question_code, page=page)
    except NotFound:
        return []
    return [FieldProblem("show_if", message) for message in check.problems]


def add_group(
    db: Session, code: str, row_version: int, data: GroupInput, *, actor_id: int, client_address: str | None
) -> str:
    """A new page at the end of the form; returns its code."""
    added: list[str] = []

    def change(copy: WorkingCopy) -> dict[str, Any]:
        settings = _group_settings(copy, data, None)
        try:
            definition = editing.add_group(copy.definition, settings)
        except editing.EditError as error:
            index = len(editing.groups_of(copy.definition))
            raise BuilderError(
                _engine_problems(error.problems, lambda p: _field_from(_GROUP_FIELDS, p, "name"), ("groups", index))
            ) from None
        added.append(settings["code"])
        return definition

    _edit(db, code, row_version, "page_added", change, actor_id=actor_id, client_address=client_address)
    return added[0]


def change_group(
    db: Session,
    code: str,
    group_code: str,
    row_version: int,
    data: GroupInput,
    *,
    actor_id: int,
    client_address: str | None,
) -> str:
    changed: list[str] = []

    def change(copy: WorkingCopy) -> dict[str, Any]:
        copy.group(group_code)
        settings = _group_settings(copy, data, group_code)
        if group_code in copy.locked:
            settings["code"] = group_code  # shown read-only: answers are stored under it
        try:
            definition = editing.change_group(copy.definition, group_code, settings, locked=copy.locked)
        except editing.EditError as error:
            index = editing.group_index(copy.definition, group_code)
            raise BuilderError(
                _engine_problems(error.problems, lambda p: _field_from(_GROUP_FIELDS, p, "name"), ("groups", index))
            ) from None
        changed.append(settings["code"])
        return definition

    _edit(
        db, code, row_version, "page_changed", change, actor_id=actor_id, client_address=client_address, page=group_code
    )
    return changed[0]


def move_group(
    db: Session, code: str, group_code: str, row_version: int, step: int, *, actor_id: int, client_address: str | None
) -> None:
    def change(copy: WorkingCopy) -> dict[str, Any]:
        copy.group(group_code)
        return editing.move_group(copy.definition, group_code, step)

    _edit(
        db, code, row_version, "page_moved", change, actor_id=actor_id, client_address=client_address, page=group_code
    )


def delete_group(
    db: Session, code: str, group_code: str, row_version: int, *, actor_id: int, client_address: str | None
) -> None:
    def change(copy: WorkingCopy) -> dict[str, Any]:
        copy.group(group_code)
        return editing.delete_group(copy.definition, group_code)

    def links(copy: WorkingCopy) -> dict[str, str]:
        gone = {q.get("code") for q in copy.group(group_code).get("questions") or []}
        return {k: v for k, v in copy.option_list_links.items() if k not in gone}

    _edit(
        db,
        code,
        row_version,
        "page_deleted",
        change,
        actor_id=actor_id,
        client_address=client_address,
        links=links,
        page=group_code,
    )


# --- questions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    type: str
    label: str
    code: str = ""
    hint: str = ""
    error_name: str = ""
    widget: str = ""
    options_text: str = ""
    option_list: str = ""
    show_if: str = ""
    prefix: str = ""
    suffix: str = ""
    mandatory: bool = False
    max_length: str = ""
    min_value: str = ""
    max_value: str = ""
    decimal_places: str = ""
    date_direction: str = ""  # "", "past" or "future"
    before: tuple[str, str, str] = ("", "", "")
    after: tuple[str, str, str] = ("", "", "")
    at_least_years_ago: str = ""
    at_most_years_ago: str = ""
    pattern_regex: str = ""
    pattern_message: str = ""
    file_types: str = ""
    on_child_record: bool = False
    inherit_multiple: bool = False
    prefill: bool = True


_QUESTION_FIELDS = {
    "code": "code",
    "label": "label",
    "type": "type",
    "hint": "hint",
    "error_name": "error_name",
    "options": "options_text",
    "widget": "widget",
    "prefix": "prefix",
    "suffix": "suffix",
    "show_if": "show_if",
    "prefill": "settings",
    "restrictions": "mandatory",
    "restrictions.mandatory": "mandatory",
    "restrictions.max_length": "max_length",
    "restrictions.min_value": "min_value",
    "restrictions.max_value": "max_value",
    "restrictions.decimal_places": "decimal_places",
    "restrictions.in_the_past": "date_direction",
    "restrictions.in_the_future": "date_direction",
    "restrictions.before": "before",
    "restrictions.after": "after",
    "restrictions.at_least_years_ago": "at_least_years_ago",
    "restrictions.at_most_years_ago": "at_most_years_ago",
    "restrictions.pattern": "pattern_regex",
    "restrictions.pattern.regex": "pattern_regex",
    "restrictions.pattern.message": "pattern_message",
    "restrictions.file_types": "file_types",
    "restrictions.on_child_record": "settings",
    "restrictions.inherit_multiple": "settings",
}


def _question_field(path: tuple, message: str = "") -> str:
    if not path:
        return "options_text" if "option" in message else "label"
    return _field_from(_QUESTION_FIELDS, path, "label")


def _named_options(db: Session, list_code: str) -> list[dict[str, str]] | None:
    row = db.scalars(select(OptionList).where(OptionList.code == list_code)).first()
    return list(row.options) if row is not None else None


def _question_dict(
    db: Session, copy: WorkingCopy, data: QuestionInput, current: str | None, group_code: str
) -> tuple[dict[str, Any], str | None]:
    """The question the editor's fields describe, in canonical shape, and the named list it takes its
    options from; ``BuilderError`` with GOV.UK messages for what cannot be read."""
    problems: list[FieldProblem] = []
    kind = data.type
    if kind not in DATA_TYPES:
        raise BuilderError([FieldProblem("type", _l("Select the type of answer"))])
    fits = set(editing.restrictions_for(kind))
    label = _text(data.label, "label", _l("Question"), problems, limit=500, required=_l("Enter the question"))
    taken = set(editing.all_codes(copy.definition)) - {current}
    code = _code(data.code, "code", problems, made_from=label, taken=taken)
    if current is not None and current in copy.locked:
        _, old = copy.question(current)
        code, kind = current, old.get("type", kind)  # shown read-only, with the reason
    question: dict[str, Any] = {
        "code": code,
        "label": label,
        "type": kind,
        "hint": _text(data.hint, "hint", _l("Hint"), problems, limit=1000),
        "error_name": _text(data.error_name, "error_name", _l("Name in error messages"), problems, limit=200),
        "show_if": _text(data.show_if, "show_if", _l("Condition"), problems, limit=2000),
    }
    if kind in ("integer", "decimal", "text"):
        question["prefix"] = _text(data.prefix, "prefix", _l("Prefix"), problems, limit=10)
        question["suffix"] = _text(data.suffix, "suffix", _l("Suffix"), problems, limit=30)
    widgets = editing.widgets_for(kind)
    if widgets and data.widget:
        if data.widget not in widgets:
            problems.append(FieldProblem("widget", _l("Select how the options are shown")))
        question["widget"] = data.widget
    link = None
    if kind in editing.OPTION_TYPES:
        if data.option_list:
            options = _named_options(db, data.option_list)
            if options is None:
                problems.append(FieldProblem("option_list", _l("Select a named list that exists")))
            else:
                question["options"], link = options, data.option_list
        else:
            question["options"] = editing.parse_option_lines(data.options_text or "")
            if not question["options"]:
                problems.append(
                    FieldProblem("options_text", _l("Enter the options, one on each line, or choose a named list"))
                )
            else:
                problems.extend(
                    FieldProblem("options_text", _sentence(editing.without_context(p)))
                    for p in editing.option_problems(question["options"])
                )
    restrictions: dict[str, Any] = {"mandatory": data.mandatory}
    if "max_length" in fits:
        restrictions["max_length"] = _whole(data.max_length, "max_length", _l("Maximum length"), problems, low=1)
    if "min_value" in fits:
        restrictions["min_value"] = _decimal(data.min_value, "min_value", _l("Smallest value"), problems)
        restrictions["max_value"] = _decimal(data.max_value, "max_value", _l("Largest value"), problems)
    if "decimal_places" in fits:
        restrictions["decimal_places"] = _whole(
            data.decimal_places, "decimal_places", _l("Decimal places"), problems, high=10
        )
    if "in_the_past" in fits:
        if data.date_direction not in ("", "past", "future"):
            problems.append(FieldProblem("date_direction", _l("Select when the date can be")))
        restrictions["in_the_past"] = data.date_direction == "past"
        restrictions["in_the_future"] = data.date_direction == "future"
        restrictions["before"] = _date(data.before, "before", _l("Before"), problems)
        restrictions["after"] = _date(data.after, "after", _l("After"), problems)
        restrictions["at_least_years_ago"] = _whole(
            data.at_least_years_ago, "at_least_years_ago", _l("At least this many years ago"), problems, high=150
        )
        restrictions["at_most_years_ago"] = _whole(
            data.at_most_years_ago, "at_most_years_ago", _l("At most this many years ago"), problems, high=150
        )
    if "pattern" in fits:
        regex = (data.pattern_regex or "").strip()
        message = _text(data.pattern_message, "pattern_message", _l("Message"), problems, limit=300)
        if regex and not message:
            problems.append(
                FieldProblem(
                    "pattern_message", _l("Enter the message people see when their answer does not match the pattern")
                )
            )
        elif message and not regex:
            problems.append(FieldProblem("pattern_regex", _l("Enter the pattern, or remove its message")))
        elif len(regex) > 500:
            problems.append(FieldProblem("pattern_regex", _l("Pattern must be 500 characters or fewer")))
        if regex and message:
            restrictions["pattern"] = {"regex": regex, "message": message}
    if "file_types" in fits:
        types = [t.lower().lstrip(".") for t in re.split(r"[\s,;]+", data.file_types or "") if t]
        if any(not re.fullmatch(r"[a-z0-9]{1,10}", t) for t in types):
            problems.append(
                FieldProblem("file_types", _l("File types must be extensions separated by commas, like pdf, jpg"))
            )
        restrictions["file_types"] = list(dict.fromkeys(types))
    restrictions["on_child_record"] = data.on_child_record
    restrictions["inherit_multiple"] = data.inherit_multiple
    question["restrictions"] = restrictions
    question["prefill"] = bool(data.prefill)
    if problems:
        if question["show_if"] and not any(p.field == "show_if" for p in problems):  # say everything at once
            problems += _condition_problems(copy, question["show_if"], group_code, current, page=False)
        raise BuilderError(problems)
    return editing.normalise_question(question), link


def _question_error(copy_definition: Mapping[str, Any], error: editing.EditError, prefix: tuple) -> BuilderError:
    problems = []
    for problem in error.problems:
        path = editing.parse_path(problem.path)
        relative = path[len(prefix) :] if path[: len(prefix)] == prefix else path
        message = _sentence(editing.without_context(problem))
        problems.append(FieldProblem(_question_field(relative, problem.message), message))
    return BuilderError(problems)


def add_question(
    db: Session,
    code: str,
    group_code: str,
    row_version: int,
    data: QuestionInput,
    *,
    actor_id: int,
    client_address: str | None,
) -> str:
    """A new question at the end of a page; returns its code."""
    added: list[tuple[str, str | None]] = []

    def change(copy: WorkingCopy) -> dict[str, Any]:
        group = copy.group(group_code)
        question, link = _question_dict(db, copy, data, None, group_code)
        try:
            definition = editing.add_question(copy.definition, group_code, question)
        except editing.EditError as error:
            index = editing.group_index(copy.definition, group_code)
            raise _question_error(
                copy.definition, error, ("groups", index, "questions", len(group.get("questions") or []))
            ) from None
        added.append((question["code"], link))
        return definition

    def links(copy: WorkingCopy) -> dict[str, str]:
        out = dict(copy.option_list_links)
        question_code, link = added[0]
        if link:
            out[question_code] = link
        return out

    _edit(
        db,
        code,
        row_version,
        "question_added",
        change,
        actor_id=actor_id,
        client_address=client_address,
        links=links,
        page=group_code,
    )
    return added[0][0]


def change_question(
    db: Session,
    code: str,
    question_code: str,
    row_version: int,
    data: QuestionInput,
    *,
    actor_id: int,
    client_address: str | None,
) -> str:
    """Change a question where it is; returns its (perhaps new) code."""
    changed: list[tuple[str, str | None]] = []

    def change(copy: WorkingCopy) -> dict[str, Any]:
        group, _ = copy.question(question_code)
        question, link = _question_dict(db, copy, data, question_code, group["code"])
        try:
            definition = editing.change_question(copy.definition, question_code, question, locked=copy.locked)
        except editing.EditError as error:
            gi, qi = editing.question_position(copy.definition, question_code)
            raise _question_error(copy.definition, error, ("groups", gi, "questions", qi)) from None
        changed.append((question["code"], link))
        return definition

    def links(copy: WorkingCopy) -> dict[str, str]:
        out = {k: v for k, v in copy.option_list_links.items() if k != question_code}
        new_code, link = changed[0]
        if link:
            out[new_code] = link
        return out

    _edit(
        db,
        code,
        row_version,
        "question_changed",
        change,
        actor_id=actor_id,
        client_address=client_address,
        links=links,
        question=question_code,
    )
    return changed[0][0]


def move_question(
    db: Session,
    code: str,
    question_code: str,
    row_version: int,
    step: int,
    *,
    actor_id: int,
    client_address: str | None,
) -> None:
    def change(copy: WorkingCopy) -> dict[str, Any]:
        copy.question(question_code)
        return editing.move_question(copy.definition, question_code, step)

    _edit(
        db,
        code,
        row_version,
        "question_moved",
        change,
        actor_id=actor_id,
        client_address=client_address,
        question=question_code,
    )


def delete_question(
    db: Session, code: str, question_code: str, row_version: int, *, actor_id: int, client_address: str | None
) -> None:
    """Remove a question from the working copy: published versions, and the answers given to them, keep it."""

    def change(copy: WorkingCopy) -> dict[str, Any]:
        copy.question(question_code)
        return editing.delete_question(copy.definition, question_code)

    def links(copy: WorkingCopy) -> dict[str, str]:
        return {k: v for k, v in copy.option_list_links.items() if k != question_code}

    _edit(
        db,
        code,
        row_version,
        "question_deleted",
        change,
        actor_id=actor_id,
        client_address=client_address,
        links=links,
        question=question_code,
    )


def readers_of(copy: WorkingCopy, code: str) -> list[str]:
    """Where conditions or rules read a question or page, in words, for the delete confirmation."""
    places = []
    groups = editing.groups_of(copy.definition)
    for path, _source in editing.references_to(copy.definition, code):
        if path[0] == "rules":
            rule = (copy.definition.get("rules") or [])[path[1]]
            places.append(str(_l("the rule '%(rule)s'", rule=rule.get("code", ""))))
        elif len(path) == 3:
            places.append(str(_l("the condition of the page '%(page)s'", page=groups[path[1]].get("name", ""))))
        else:
            question = groups[path[1]]["questions"][path[3]]
            places.append(str(_l("the condition of the question '%(question)s'", question=question.get("label", ""))))
    return places


# --- conditions as the administrator types ------------------------------------------------------------


@dataclass(frozen=True)
class ConditionCheck:
    problems: list[str]
    readable: list[editing.Readable]

    @property
    def ok(self) -> bool:
        return not self.problems


def condition_scope(
    copy: WorkingCopy, group_code: str, question_code: str | None, *, page: bool
) -> list[editing.Readable]:
    if page:
        return editing.page_condition_scope(copy.definition, group_code)
    return editing.condition_scope(copy.definition, group_code, question_code)


def check_condition(
    copy: WorkingCopy, source: str, group_code: str, question_code: str | None, *, page: bool
) -> ConditionCheck:
    """The engine's verdict on a condition at one point of the form, and what it may read there.

    ``page=True``: a page's condition (``group_code=""``: a new page, at the end); otherwise a question's
    (``question_code=None``: a new question, at the end of the page).
    """
    if group_code or not page:
        copy.group(group_code)
    if question_code is not None:
        copy.question(question_code)
    readable = condition_scope(copy, group_code, question_code, page=page)
    source = (source or "").strip()
    if not source:
        return ConditionCheck([], readable)
    if page:
        problems = editing.check_condition(copy.definition, source[:2000], group_code or None, new=not group_code)
    else:
        problems = editing.check_condition(
            copy.definition, source[:2000], group_code, question_code, new=question_code is None
        )
    return ConditionCheck([_sentence(editing.without_context(p)) for p in problems], readable)


# --- publishing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """The builder page a problem is fixed on: ``kind`` is details, declarations, pages, page or question."""

    kind: str
    group: str = ""
    question: str = ""
    declaration: str = ""


@dataclass(frozen=True)
class PublishProblem:
    message: str
    where: Where | None


class PublishRefused(ValueError):
    def __init__(self, problems: list[PublishProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _where(definition: Mapping[str, Any], path: tuple) -> tuple[Where | None, str]:
    """The page to fix a problem at ``path`` on, and the place in words."""
    groups = definition.get("groups") or []
    if not path:
        return None, ""
    if path[0] == "groups":
        if len(path) < 2 or not isinstance(path[1], int) or path[1] >= len(groups):
            return Where("pages"), str(_l("Pages"))
        group = groups[path[1]] or {}
        place = str(
            _l("Page %(number)s, %(name)s", number=group.get("number", path[1] + 1), name=group.get("name", ""))
        )
        questions = group.get("questions") or []
        if len(path) >= 4 and path[2] == "questions" and isinstance(path[3], int) and path[3] < len(questions):
            question = questions[path[3]] or {}
            return Where(
                "question", group.get("code", ""), question.get("code", "")
            ), f"{place}: {question.get('label', '')}"
        return Where("page", group.get("code", "")), place
    if path[0] == "declarations":
        items = definition.get("declarations") or []
        if len(path) >= 2 and isinstance(path[1], int) and path[1] < len(items):
            return Where("declaration", declaration=items[path[1]].get("code", "")), str(_l("Declarations"))
        return Where("declarations"), str(_l("Declarations"))
    if path[0] in editing.DETAIL_KEYS or path[0] == "code":
        return Where("details"), str(_l("Form details"))
    if path[0] == "rules":
        return None, str(_l("Rules (change them in the YAML file and import it)"))
    return None, ""


def _compatibility_where(definition: Mapping[str, Any], problem: formsengine.Problem) -> tuple[Where | None, str]:
    match = re.match(r"(question|group) '([a-z0-9_]+)'", problem.path)
    if match:
        for gi, group in enumerate(editing.groups_of(definition)):
            if match.group(1) == "group" and group.get("code") == match.group(2):
                return _where(definition, ("groups", gi))
            for qi, question in enumerate(group.get("questions") or []):
                if question.get("code") == match.group(2):
                    return _where(definition, ("groups", gi, "questions", qi))
    return None, ""


def publish_problems(db: Session, copy: WorkingCopy) -> list[PublishProblem]:
    """Everything that stops the working copy being published, each with the page to fix it on."""
    problems: list[PublishProblem] = []
    for problem in copy.problems:
        where, place = _where(copy.definition, editing.parse_path(problem.path))
        message = _sentence(editing.without_context(problem))
        problems.append(PublishProblem(f"{place}: {message}" if place else message, where))
    if problems:
        return problems
    if copy.latest is not None and not copy.unpublished:
        return [PublishProblem(str(_l("There are no changes to publish")), None)]
    data = {**copy.definition, "version": copy.next_version, "live": True}
    new = formsengine.form_from_dict(data, copy.code)
    checked = [copy.latest] if copy.latest else []
    checked += [v for v in copy.versions if v.applications and v not in checked]
    stored = {row.id: row for row in db.scalars(select(FormVersion).where(FormVersion.id.in_([v.id for v in checked])))}
    seen: set[str] = set()
    for version in checked:
        old = form_for(stored[version.id])
        for problem in formsengine.check_compatible(old, new, copy.locked):
            message = re.sub(r"^form [a-z0-9_]+ version \d+: ", "", problem.message)
            if message in seen:
                continue
            seen.add(message)
            where, place = _compatibility_where(copy.definition, problem)
            text = _sentence(message)
            problems.append(PublishProblem(f"{place}: {text}" if place else text, where))
    return problems


def _stored_form(db: Session, version: VersionRow) -> formsengine.Form:
    row = db.get(FormVersion, version.id)
    assert row is not None
    return form_for(row)


@dataclass(frozen=True)
class Published:
    version: int
    retired: int | None


def publish(db: Session, code: str, row_version: int, *, actor_id: int, client_address: str | None) -> Published:
    """Make the working copy version N+1, live, retiring the live version; or ``PublishRefused`` listing
    every problem. Drafts and submissions keep the version they began on."""
    draft, copy = _for_update(db, code, row_version)
    problems = publish_problems(db, copy)
    if problems:
        db.rollback()
        raise PublishRefused(problems)
    number = copy.next_version
    form = formsengine.form_from_dict({**copy.definition, "version": number, "live": True}, code)
    retired = copy.live.version if copy.live else None
    db.execute(
        update(FormVersion)
        .where(FormVersion.code == code, FormVersion.status == FormStatus.LIVE)
        .values(status=FormStatus.RETIRED)
        .execution_options(synchronize_session=False)
    )
    stored = form.to_dict()
    db.add(
        FormVersion(
            code=code,
            version=number,
            title=form.title,
            status=FormStatus.LIVE,
            fingerprint=form.fingerprint,
            definition=stored,
            source=BUILDER_SOURCE,
        )
    )
    draft.definition = stored
    draft.fingerprint = editing.fingerprint(stored)
    draft.based_on_version = number
    draft.updated_at = utcnow()
    draft.updated_by_id = actor_id
    before = _stored_form(db, copy.latest).to_dict() if copy.latest else None
    _audit_change(
        db,
        "published",
        code,
        before,
        stored,
        actor_id=actor_id,
        client_address=client_address,
        version=number,
        retired_version=retired,
        fingerprint=form.fingerprint,
    )
    _commit(db, code)
    return Published(number, retired)


def retire(db: Session, code: str, *, actor_id: int, client_address: str | None) -> int | None:
    """Stop offering the form to new applicants (drafts already started can still be sent). Returns the
    version retired, or ``None`` when nothing was live (a second press changes nothing)."""
    copy = working_copy(db, code)
    live = copy.live
    if live is None:
        return None
    changed = db.execute(
        update(FormVersion)
        .where(FormVersion.id == live.id, FormVersion.status == FormStatus.LIVE)
        .values(status=FormStatus.RETIRED)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        audit.record(
            db,
            "form_builder.retired",
            actor_id=actor_id,
            client_address=client_address,
            object_type="form",
            object_id=code,
            before={"status": "live", "version": live.version},
            after={"status": "retired", "version": live.version},
        )
    db.commit()
    return live.version if changed else None


def make_live_again(db: Session, code: str, *, actor_id: int, client_address: str | None) -> int | None:
    """Offer the latest version again; ``None`` when a version is live already or none was published."""
    copy = working_copy(db, code)
    latest = copy.latest
    if latest is None or copy.live is not None:
        return None
    changed = db.execute(
        update(FormVersion)
        .where(FormVersion.id == latest.id, FormVersion.status != FormStatus.LIVE)
        .values(status=FormStatus.LIVE)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        audit.record(
            db,
            "form_builder.made_live",
            actor_id=actor_id,
            client_address=client_address,
            object_type="form",
            object_id=code,
            before={"status": latest.status.value, "version": latest.version},
            after={"status": "live", "version": latest.version},
        )
    try:
        db.commit()
    except IntegrityError:  # pragma: no cover - no unique rule on live versions, kept for safety
        db.rollback()
        return None
    return latest.version if changed else None


# --- export -------------------------------------------------------------------------------------------


def export_working_copy(db: Session, code: str) -> tuple[str, str]:
    """(file name, YAML) of the working copy, numbered as it would be published (or as the version it
    equals), so `forms load` of the file changes nothing that is already there."""
    copy = working_copy(db, code)
    version = copy.next_version if copy.unpublished else copy.latest.version  # type: ignore[union-attr]
    # Unpublished changes are exported as publishing would store them: the next version, live.
    live = copy.unpublished or copy.status is FormStatus.LIVE
    definition = {**copy.definition, "version": version, "live": live}
    return f"{code}.yaml", definition_to_yaml(definition)


def export_version(db: Session, code: str, version: int) -> tuple[str, str]:
    row = db.scalars(select(FormVersion).where(FormVersion.code == code, FormVersion.version == version)).first()
    if row is None:
        raise NotFound(f"{code} v{version}")
    return f"{code}-v{version}.yaml", definition_to_yaml(row.definition)
