"""Data retention: administrators' rules that delete old applications, the dry run report that must be read
before a rule is turned on, and the worker's job that carries the rules out.

A rule says: delete applications to one form (or to every form) that are in one status, a number of months
after the date they reached that status (the decision, or the withdrawal). `applications_due` is the one
place that turns a rule into the applications it deletes: the dry run report and the worker's job both call
it, with the moment to count from passed in, so what the report shows is what the job deletes.

Why only decided applications (approved, rejected, withdrawn): an application waiting for a decision or for
the parent's answer is a request the council has a duty to answer, and deleting it would leave a family
without a decision and the council without a record of why. A case the parent abandoned is closed by a
caseworker first (rejecting it sends the parent a message and records the decision); the rule for rejected
applications then deletes it in its time. Those statuses are also final, so nothing can move an application
out of a rule's reach between the report, the selection and the deletion.

A rule for one form takes precedence over the "every form" rule for the same status: the "every form" rule
leaves alone the forms that have a rule of their own, whether that rule is on or off, so a council can keep
one kind of application longer than the rest (and turning that rule off never hands its applications to the
shorter general rule).

Unsent applications (drafts) are not ruled here: `applications.delete_expired_drafts` deletes them after
`DRAFT_EXPIRY_DAYS`, and the rules page shows that as a fixed rule so the whole policy reads in one place.

Deleting an application deletes every row that refers to it (status history, uploads, messages, internal
notes, decisions, information requests, assignment: whatever table has a foreign key to applications, found
from the model so a table added later is not forgotten) in batches of `BATCH_SIZE`, one transaction each.
Uploaded files are recorded as `RetentionPendingFile` rows in the same transaction and removed from storage
after it commits, so a crash never leaves a row pointing to a missing file, and the next run removes any
file a crash left behind. What each run deleted is logged (`RetentionRun`): counts for good, the
applications' references for `REFERENCES_KEPT` only.
"""

from __future__ import annotations

import calendar
import enum
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Select, Table, delete, func, select, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..models import (
    Application,
    ApplicationStatus,
    Base,
    FormVersion,
    RetentionDeletedReference,
    RetentionPendingFile,
    RetentionRule,
    RetentionRun,
    ScheduledJob,
    StatusChange,
    Upload,
    UTCDateTime,
    utcnow,
)
from ..uploads import Storage
from . import audit

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")
S = ApplicationStatus

# The worker's job (portal/worker.py): its name in `scheduled_jobs`, and how often it runs.
RETENTION_JOB_NAME = "apply_retention_rules"
RETENTION_RUN_EVERY = timedelta(days=1)

# Statuses a rule may delete: final ones only (see the module docstring for why).
DELETABLE_STATUSES = (S.APPROVED, S.REJECTED, S.WITHDRAWN)
MONTHS_MIN = 1
MONTHS_MAX = 1200  # 100 years: anything longer is "keep for ever", which is having no rule
EVERY_FORM = "*"  # what the form choice sends for "every form" (never a form code: codes are [a-z][a-z0-9_]*)

# Applications deleted per transaction: a big backlog never holds one long transaction or lock.
BATCH_SIZE = 200
# References in the dry run report (oldest first); the counts cover every application.
REPORT_SAMPLE_SIZE = 20
# How long the references of deleted applications stay in the run log. Three months is the longest a
# council may take to answer a subject access request (one month, extended by two for complex ones), so a
# parent asking "what happened to my application?" soon after a deletion can be told. The counts stay.
REFERENCES_KEPT = timedelta(days=90)
RUNS_SHOWN = 10  # runs on the rules page


# --- the rule: which applications it deletes -----------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock time in England `months` calendar months earlier (31 March less 1 month is 28 or
    29 February), as an aware UTC datetime."""
    local = moment.astimezone(LONDON)
    index = local.year * 12 + (local.month - 1) - months
    year, month = index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(moment.tzinfo)


@dataclass(frozen=True)
class RuleScope:
    """What a rule deletes: `form_code` None means every form."""

    form_code: str | None
    status: ApplicationStatus
    months: int

    @classmethod
    def of(cls, rule: RetentionRule | RetentionRun) -> RuleScope:
        return cls(rule.form_code, rule.status, rule.months)


def _reached_status_at():
    """When an application reached the status it is in: its decision or withdrawal, for the final statuses.

    The latest status change into the current status; an application with no history (rows written before
    the history existed) counts from its last update.
    """
    latest_change = (
        select(func.max(StatusChange.at))
        .where(StatusChange.application_id == Application.id, StatusChange.to_status == Application.status)
        .correlate(Application)
        .scalar_subquery()
    )
    return type_coerce(func.coalesce(latest_change, Application.updated_at), UTCDateTime())


def applications_due(scope: RuleScope, now: datetime) -> Select:
    """THE selection: the applications `scope` deletes at `now` (id, reference, form code, reached status at).

    Old enough means at least `months` calendar months have passed since the application reached its
    status. Both the dry run report and the worker's job use this, so the report shows what the job does.
    """
    reached = _reached_status_at()
    query = select(Application.id, Application.reference, Application.form_code, reached.label("reached_at")).where(
        Application.status == scope.status, reached <= months_before(now, scope.months)
    )
    if scope.form_code is None:
        forms_with_own_rule = select(RetentionRule.form_code).where(
            RetentionRule.status == scope.status, RetentionRule.form_code.is_not(None)
        )
        return query.where(Application.form_code.not_in(forms_with_own_rule))
    return query.where(Application.form_code == scope.form_code)


@dataclass(frozen=True)
class DueApplication:
    reference: str | None
    form_code: str
    reached_at: datetime


@dataclass(frozen=True)
class DryRunReport:
    """What a rule would delete if the worker ran it at `made_at`."""

    made_at: datetime
    cutoff: datetime  # applications that reached their status at or before this are deleted
    applications: int
    uploads: int
    upload_bytes: int
    oldest: datetime | None
    newest: datetime | None
    first: list[DueApplication]  # the first REPORT_SAMPLE_SIZE, oldest first
    forms_with_own_rule: list[str]  # for an "every form" rule: the forms it leaves to their own rule


def dry_run_report(db: Session, scope: RuleScope, now: datetime) -> DryRunReport:
    """Counts, dates, the first references and the files' size of what `scope` deletes at `now`. Changes nothing."""
    due = applications_due(scope, now).subquery()
    count, oldest, newest = db.execute(
        select(func.count(), func.min(due.c.reached_at), func.max(due.c.reached_at)).select_from(due)
    ).one()
    uploads, size = db.execute(
        select(func.count(Upload.id), func.coalesce(func.sum(Upload.size), 0)).where(
            Upload.application_id.in_(select(due.c.id))
        )
    ).one()
    first = db.execute(
        select(due.c.reference, due.c.form_code, due.c.reached_at)
        .order_by(due.c.reached_at, due.c.id)
        .limit(REPORT_SAMPLE_SIZE)
    ).all()
    own_rules: list[str] = []
    if scope.form_code is None:
        own_rules = list(
            db.scalars(
                select(RetentionRule.form_code)
                .where(RetentionRule.status == scope.status, RetentionRule.form_code.is_not(None))
                .order_by(RetentionRule.form_code)
            )
        )
    return DryRunReport(
        made_at=now,
        cutoff=months_before(now, scope.months),
        applications=count,
        uploads=uploads,
        upload_bytes=int(size or 0),
        oldest=_aware(oldest),
        newest=_aware(newest),
        first=[DueApplication(r.reference, r.form_code, _aware(r.reached_at)) for r in first],
        forms_with_own_rule=own_rules,
    )


def _aware(value: Any) -> datetime | None:
    """An aggregate over a subquery may come back from SQLite naive, or as text: it was stored in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- administrators' changes ---------------------------------------------------------------------------


class RuleState(enum.Enum):
    PENDING = "pending"  # off; its current dry run report has not been looked at
    CHECKED = "checked"  # off; its current report has been looked at, so it may be turned on
    ON = "on"


def state_of(rule: RetentionRule) -> RuleState:
    if rule.enabled:
        return RuleState.ON
    if rule.report_viewed_version == rule.row_version:
        return RuleState.CHECKED
    return RuleState.PENDING


class Problem(enum.Enum):
    """Why a rule was refused. The blueprint holds the wording (translated) for each."""

    FORM_MISSING = "form_missing"
    FORM_UNKNOWN = "form_unknown"
    STATUS_MISSING = "status_missing"
    STATUS_NOT_DECIDED = "status_not_decided"
    STATUS_UNKNOWN = "status_unknown"
    MONTHS_MISSING = "months_missing"
    MONTHS_NOT_WHOLE = "months_not_whole"
    MONTHS_OUT_OF_RANGE = "months_out_of_range"
    DUPLICATE = "duplicate"
    CHANGED_SINCE_OPENED = "changed_since_opened"


@dataclass(frozen=True)
class RuleProblem:
    field: str  # "form_code", "status" or "months": the form field to link to
    problem: Problem


class RuleError(ValueError):
    """A rule the checks refuse; `problems` holds every reason."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        super().__init__(", ".join(p.problem.value for p in problems))
        self.problems = problems


class NotFound(LookupError):
    pass


class TurnOnRefusal(enum.Enum):
    REPORT_NOT_VIEWED = "report_not_viewed"  # the rule's current dry run report has not been looked at
    CHANGED_SINCE_REPORT = "changed_since_report"  # the rule changed after the report the button was on


class TurnOnRefused(Exception):
    def __init__(self, reason: TurnOnRefusal, rule: RetentionRule) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.rule = rule


@dataclass(frozen=True)
class RuleDraft:
    """The rule as typed: every field a string, checked by `check_draft`."""

    form_code: str
    status: str
    months: str


def form_titles(db: Session) -> dict[str, str]:
    """Each form code with the title of its latest version, in code order (one query)."""
    titles: dict[str, str] = {}
    for code, title in db.execute(
        select(FormVersion.code, FormVersion.title).order_by(FormVersion.code, FormVersion.version.desc())
    ):
        titles.setdefault(code, title)
    return titles


def check_draft(draft: RuleDraft, known_forms: set[str]) -> RuleScope:
    problems: list[RuleProblem] = []
    form_code: str | None = None
    raw_form = (draft.form_code or "").strip()
    if not raw_form:
        problems.append(RuleProblem("form_code", Problem.FORM_MISSING))
    elif raw_form != EVERY_FORM:
        if raw_form not in known_forms:
            problems.append(RuleProblem("form_code", Problem.FORM_UNKNOWN))
        form_code = raw_form
    status: ApplicationStatus | None = None
    raw_status = (draft.status or "").strip()
    if not raw_status:
        problems.append(RuleProblem("status", Problem.STATUS_MISSING))
    else:
        try:
            status = ApplicationStatus(raw_status)
        except ValueError:
            problems.append(RuleProblem("status", Problem.STATUS_UNKNOWN))
        else:
            if status not in DELETABLE_STATUSES:
                problems.append(RuleProblem("status", Problem.STATUS_NOT_DECIDED))
    months = 0
    raw_months = (draft.months or "").strip()
    if not raw_months:
        problems.append(RuleProblem("months", Problem.MONTHS_MISSING))
    elif not (raw_months.isascii() and raw_months.isdigit()):
        problems.append(RuleProblem("months", Problem.MONTHS_NOT_WHOLE))
    else:
        months = int(raw_months) if len(raw_months) <= 6 else MONTHS_MAX + 1
        if not MONTHS_MIN <= months <= MONTHS_MAX:
            problems.append(RuleProblem("months", Problem.MONTHS_OUT_OF_RANGE))
    if problems:
        raise RuleError(problems)
    assert status is not None
    return RuleScope(form_code, status, months)


def _same_scope(form_code: str | None, status: ApplicationStatus):
    form = RetentionRule.form_code.is_(None) if form_code is None else RetentionRule.form_code == form_code
    return (form, RetentionRule.status == status)


def _snapshot(rule: RetentionRule) -> dict[str, Any]:
    return {
        "form_code": rule.form_code,
        "status": rule.status.value,
        "months": rule.months,
        "enabled": rule.enabled,
    }


def get_rule(db: Session, rule_id: int) -> RetentionRule:
    rule = db.get(RetentionRule, rule_id)
    if rule is None:
        raise NotFound(rule_id)
    return rule


def create_rule(db: Session, draft: RuleDraft, *, actor_id: int | None, client_address: str | None) -> RetentionRule:
    """A new rule, off until its dry run report has been looked at.

    Sending the same rule twice (a double click) gives the rule made the first time.
    """
    scope = check_draft(draft, set(form_titles(db)))
    existing = db.scalar(select(RetentionRule).where(*_same_scope(scope.form_code, scope.status)))
    if existing is not None:
        if existing.months == scope.months:
            return existing
        raise RuleError([RuleProblem("form_code", Problem.DUPLICATE)])
    now = utcnow()
    rule = RetentionRule(
        form_code=scope.form_code,
        status=scope.status,
        months=scope.months,
        enabled=False,
        row_version=1,
        created_at=now,
        updated_at=now,
        updated_by_id=actor_id,
    )
    db.add(rule)
    try:
        db.flush()
    except IntegrityError:  # another administrator made the same rule a moment ago
        db.rollback()
        raise RuleError([RuleProblem("form_code", Problem.DUPLICATE)]) from None
    audit.record(
        db, "retention.rule_created", actor_id=actor_id, client_address=client_address,
        object_type="retention_rule", object_id=rule.id, before=None, after=_snapshot(rule),
    )  # fmt: skip
    db.commit()
    return rule


def update_rule(
    db: Session,
    rule_id: int,
    draft: RuleDraft,
    *,
    seen_version: int | None,
    actor_id: int | None,
    client_address: str | None,
) -> RetentionRule:
    """Change a rule. A changed rule is turned off and needs its new dry run report looked at again.

    `seen_version` is the rule's row version when the administrator opened the page: a change someone else
    made since is not overwritten. Saving what the rule already says changes nothing (a double click).
    """
    rule = get_rule(db, rule_id)
    scope = check_draft(draft, set(form_titles(db)) | ({rule.form_code} if rule.form_code else set()))
    if RuleScope.of(rule) == scope:
        return rule
    if seen_version != rule.row_version:
        raise RuleError([RuleProblem("months", Problem.CHANGED_SINCE_OPENED)])
    clash = db.scalar(
        select(RetentionRule.id).where(*_same_scope(scope.form_code, scope.status), RetentionRule.id != rule.id)
    )
    if clash is not None:
        raise RuleError([RuleProblem("form_code", Problem.DUPLICATE)])
    before = _snapshot(rule)
    try:
        changed = db.execute(
            update(RetentionRule)
            .where(RetentionRule.id == rule.id, RetentionRule.row_version == seen_version)
            .values(
                form_code=scope.form_code,
                status=scope.status,
                months=scope.months,
                enabled=False,
                row_version=RetentionRule.row_version + 1,
                updated_at=utcnow(),
                updated_by_id=actor_id,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    except IntegrityError:
        db.rollback()
        raise RuleError([RuleProblem("form_code", Problem.DUPLICATE)]) from None
    if changed != 1:
        db.rollback()
        raise RuleError([RuleProblem("months", Problem.CHANGED_SINCE_OPENED)])
    db.refresh(rule)
    audit.record(
        db, "retention.rule_changed", actor_id=actor_id, client_address=client_address,
        object_type="retention_rule", object_id=rule.id, before=before, after=_snapshot(rule),
    )  # fmt: skip
    db.commit()
    return rule


def view_dry_run(
    db: Session, rule_id: int, *, now: datetime, actor_id: int | None, client_address: str | None
) -> tuple[RetentionRule, DryRunReport]:
    """The rule's dry run report at `now`. For a rule that is off, the first look at its current version is
    recorded (and audited with the counts shown): it is what allows the rule, at this version, to be turned on.

    The rule comes back as it was read for the report (its row version is the one the report was made for,
    which the page's "Turn on" button carries), even if someone changes it meanwhile.
    """
    rule = get_rule(db, rule_id)
    report = dry_run_report(db, RuleScope.of(rule), now)
    if not rule.enabled and rule.report_viewed_version != rule.row_version:
        recorded = db.execute(
            update(RetentionRule)
            .where(RetentionRule.id == rule.id, RetentionRule.row_version == rule.row_version)
            .values(report_viewed_version=rule.row_version, report_viewed_at=now, report_viewed_by_id=actor_id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if recorded == 1:
            audit.record(
                db, "retention.dry_run_viewed", actor_id=actor_id, client_address=client_address,
                object_type="retention_rule", object_id=rule.id, row_version=rule.row_version,
                applications=report.applications, files=report.uploads, bytes=report.upload_bytes,
            )  # fmt: skip
            for name, value in (("report_viewed_version", rule.row_version), ("report_viewed_at", now),
                                ("report_viewed_by_id", actor_id)):  # fmt: skip
                set_committed_value(rule, name, value)  # what the row now says, without another write
        db.commit()
    return rule, report


def turn_on(
    db: Session, rule_id: int, *, seen_version: int | None, actor_id: int | None, client_address: str | None
) -> RetentionRule:
    """Turn a rule on: only after its current dry run report was looked at, from that report's page.

    `seen_version` is the version the report was made for; a rule changed since is refused, so what is
    turned on is what the administrator saw. A rule already on stays on (a double click).
    """
    rule = get_rule(db, rule_id)
    if rule.enabled:
        return rule
    if rule.report_viewed_version != rule.row_version:
        raise TurnOnRefused(TurnOnRefusal.REPORT_NOT_VIEWED, rule)
    if seen_version != rule.row_version:
        raise TurnOnRefused(TurnOnRefusal.CHANGED_SINCE_REPORT, rule)
    before = _snapshot(rule)
    now = utcnow()
    changed = db.execute(
        update(RetentionRule)
        .where(
            RetentionRule.id == rule.id,
            RetentionRule.row_version == seen_version,
            RetentionRule.report_viewed_version == seen_version,
            RetentionRule.enabled.is_(False),
        )
        .values(
            enabled=True,
            row_version=RetentionRule.row_version + 1,
            enabled_at=now,
            enabled_by_id=actor_id,
            updated_at=now,
            updated_by_id=actor_id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.rollback()
        db.refresh(rule)
        if rule.enabled:
            return rule
        raise TurnOnRefused(TurnOnRefusal.CHANGED_SINCE_REPORT, rule)
    db.refresh(rule)
    audit.record(
        db, "retention.rule_turned_on", actor_id=actor_id, client_address=client_address,
        object_type="retention_rule", object_id=rule.id, before=before, after=_snapshot(rule),
    )  # fmt: skip
    db.commit()
    return rule


def turn_off(db: Session, rule_id: int, *, actor_id: int | None, client_address: str | None) -> RetentionRule:
    """Turn a rule off at once. Turning it on again needs a fresh look at its dry run report."""
    rule = get_rule(db, rule_id)
    if not rule.enabled:
        return rule
    before = _snapshot(rule)
    changed = db.execute(
        update(RetentionRule)
        .where(RetentionRule.id == rule.id, RetentionRule.enabled.is_(True))
        .values(enabled=False, row_version=RetentionRule.row_version + 1, updated_at=utcnow(), updated_by_id=actor_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.refresh(rule)
    if changed == 1:
        audit.record(
            db, "retention.rule_turned_off", actor_id=actor_id, client_address=client_address,
            object_type="retention_rule", object_id=rule.id, before=before, after=_snapshot(rule),
        )  # fmt: skip
    db.commit()
    return rule


def delete_rule(db: Session, rule_id: int, *, actor_id: int | None, client_address: str | None) -> None:
    """Delete a rule (its runs stay in the log). A rule already deleted is not an error (a double click)."""
    rule = db.get(RetentionRule, rule_id)
    if rule is None:
        return
    audit.record(
        db, "retention.rule_deleted", actor_id=actor_id, client_address=client_address,
        object_type="retention_rule", object_id=rule.id, before=_snapshot(rule), after=None,
    )  # fmt: skip
    db.delete(rule)
    db.commit()


# --- the rules page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    rule: RetentionRule
    state: RuleState


@dataclass(frozen=True)
class Overview:
    rules: list[RuleRow]
    runs: list[RetentionRun]
    form_titles: dict[str, str]
    draft_expiry_days: int
    last_checked: datetime | None
    next_check: datetime | None


def overview(db: Session, *, draft_expiry_days: int) -> Overview:
    """Everything the rules page shows, in four queries whatever the number of rules and runs."""
    rules = db.scalars(
        select(RetentionRule).order_by(
            RetentionRule.form_code.is_not(None), RetentionRule.form_code, RetentionRule.status, RetentionRule.id
        )
    ).all()
    runs = db.scalars(
        select(RetentionRun).order_by(RetentionRun.ran_at.desc(), RetentionRun.id.desc()).limit(RUNS_SHOWN)
    ).all()
    job = db.get(ScheduledJob, RETENTION_JOB_NAME)
    return Overview(
        rules=[RuleRow(rule, state_of(rule)) for rule in rules],
        runs=list(runs),
        form_titles=form_titles(db),
        draft_expiry_days=draft_expiry_days,
        last_checked=job.last_run_at if job else None,
        next_check=job.next_run_at if job else None,
    )


@dataclass(frozen=True)
class RunView:
    run: RetentionRun
    references: list[str]
    references_kept_until: datetime


def get_run(db: Session, run_id: int) -> RunView:
    run = db.get(RetentionRun, run_id)
    if run is None:
        raise NotFound(run_id)
    references = db.scalars(
        select(RetentionDeletedReference.reference)
        .where(RetentionDeletedReference.run_id == run.id)
        .order_by(RetentionDeletedReference.reference)
    ).all()
    return RunView(run, list(references), run.ran_at + REFERENCES_KEPT)


# --- the worker's job ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PassResult:
    applications_deleted: int
    files_deleted: int
    leftover_files_removed: int
    references_forgotten: int


def apply_retention_rules(
    db: Session, storage: Storage, *, now: datetime | None = None, batch_size: int = BATCH_SIZE
) -> PassResult:
    """The worker's job: every rule that is on deletes what `applications_due` selects at `now`.

    Safe to run again at any time, and by several workers: each batch deletes by id what is still there and
    counts only what it deleted; the job itself is claimed by one worker at a time (portal/worker.py).
    """
    now = now or utcnow()
    leftovers = _remove_pending_files(db, storage)
    forgotten = _forget_old_references(db, now)
    applications = files = 0
    for rule_id in db.scalars(
        select(RetentionRule.id).where(RetentionRule.enabled.is_(True)).order_by(RetentionRule.id)
    ).all():
        deleted_applications, deleted_files = _apply_rule(db, storage, rule_id, now, batch_size)
        applications += deleted_applications
        files += deleted_files
    db.commit()
    return PassResult(applications, files, leftovers, forgotten)


def _dependent_tables() -> list[tuple[Table, Column]]:
    """Every table with a foreign key to applications whose rows go with the application (not SET NULL),
    read from the model so that a table added later is deleted too. Uploads are handled on their own (their
    files must be removed); the rest are in an order where a table referring to another comes first."""
    applications = Application.__table__
    found: list[tuple[Table, Column]] = []
    for table in reversed(Base.metadata.sorted_tables):
        if table is Upload.__table__:
            continue
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table is applications and (foreign_key.ondelete or "").upper() != "SET NULL":
                found.append((table, foreign_key.parent))
    return found


def _apply_rule(db: Session, storage: Storage, rule_id: int, now: datetime, batch_size: int) -> tuple[int, int]:
    run: RetentionRun | None = None
    applications = files = 0
    while True:
        # Read (and on PostgreSQL lock) the rule for each batch: a rule turned off or changed meanwhile stops here.
        rule = db.scalar(
            select(RetentionRule).where(RetentionRule.id == rule_id, RetentionRule.enabled.is_(True)).with_for_update()
        )
        if rule is None:
            db.rollback()
            break
        due = db.execute(applications_due(RuleScope.of(rule), now).order_by(Application.id).limit(batch_size)).all()
        if not due:
            db.commit()
            break
        ids = [row.id for row in due]
        deleted_files = db.execute(
            delete(Upload.__table__)
            .where(Upload.__table__.c.application_id.in_(ids))
            .returning(Upload.__table__.c.storage_key, Upload.__table__.c.size)
        ).all()
        for table, column in _dependent_tables():
            db.execute(delete(table).where(column.in_(ids)))
        references = (
            db.execute(
                delete(Application.__table__)
                .where(Application.__table__.c.id.in_(ids))
                .returning(Application.__table__.c.reference)
            )
            .scalars()
            .all()
        )
        if not references:  # another worker deleted them first
            db.commit()
            break
        if run is None:
            run = RetentionRun(
                rule_id=rule.id, form_code=rule.form_code, status=rule.status, months=rule.months, ran_at=now,
                applications_deleted=0, files_deleted=0, bytes_deleted=0,
            )  # fmt: skip
            db.add(run)
            db.flush()
        run.applications_deleted += len(references)
        run.files_deleted += len(deleted_files)
        run.bytes_deleted += sum(size for _, size in deleted_files)
        db.add_all(RetentionDeletedReference(run_id=run.id, reference=r) for r in references if r)
        db.add_all(RetentionPendingFile(storage_key=key, recorded_at=now) for key, _ in deleted_files)
        audit.record(
            db, "retention.applications_deleted", object_type="retention_rule", object_id=rule.id,
            run_id=run.id, applications=len(references), files=len(deleted_files),
        )  # fmt: skip
        db.commit()
        _remove_files(db, storage, [key for key, _ in deleted_files])
        applications += len(references)
        files += len(deleted_files)
        if len(due) < batch_size:
            break
    return applications, files


def _remove_files(db: Session, storage: Storage, keys: list[str]) -> int:
    """Remove files whose rows are already deleted, then their pending rows. A file already gone is fine;
    a storage error leaves the pending row for the next run."""
    removed: list[str] = []
    for key in keys:
        try:
            storage.delete(key)
        except KeyError:  # not a key any storage could hold: there is no file to remove
            pass
        except Exception:
            log.exception("could not remove an uploaded file; the next retention run tries again")
            continue
        removed.append(key)
    if removed:
        db.execute(delete(RetentionPendingFile).where(RetentionPendingFile.storage_key.in_(removed)))
        db.commit()
    return len(removed)


def _remove_pending_files(db: Session, storage: Storage) -> int:
    """Files an earlier run recorded but did not get to remove (the process stopped after its commit)."""
    removed = 0
    last_id = 0
    while True:
        pending = db.execute(
            select(RetentionPendingFile.id, RetentionPendingFile.storage_key)
            .where(RetentionPendingFile.id > last_id)
            .order_by(RetentionPendingFile.id)
            .limit(BATCH_SIZE)
        ).all()
        if not pending:
            return removed
        last_id = pending[-1].id
        removed += _remove_files(db, storage, [row.storage_key for row in pending])


def _forget_old_references(db: Session, now: datetime) -> int:
    """Remove the references of applications deleted more than REFERENCES_KEPT ago; the counts stay."""
    old_runs = select(RetentionRun.id).where(
        RetentionRun.ran_at < now - REFERENCES_KEPT, RetentionRun.references_removed_at.is_(None)
    )
    forgotten = db.execute(
        delete(RetentionDeletedReference).where(RetentionDeletedReference.run_id.in_(old_runs))
    ).rowcount
    db.execute(
        update(RetentionRun)
        .where(RetentionRun.id.in_(old_runs.scalar_subquery()))
        .values(references_removed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return forgotten
