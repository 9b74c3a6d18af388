"""Data retention at the service level, with the clock passed in: the one selection both the dry run report
and the worker's job use, what deleting an application takes with it (rows and files), batches, crashes
between the commit and the file removal, the references kept for a while only, and the rule's states."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
from application_helpers import load_shipped_forms, make_child, make_parent  # noqa: E402
from helpers import make_user  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from portal.models import (  # noqa: E402
    Alert,
    AlertAction,
    AlertDelivery,
    AlertKind,
    Application,
    ApplicationStatus,
    AuditEvent,
    Base,
    Decision,
    FormVersion,
    InformationRequest,
    Message,
    MessageDirection,
    RetentionDeletedReference,
    RetentionPendingFile,
    RetentionRule,
    RetentionRun,
    ReviewAssignment,
    ReviewDecision,
    ReviewNote,
    Role,
    StatusChange,
    Upload,
)
from portal.services import retention  # noqa: E402
from portal.services.retention import (  # noqa: E402
    Problem,
    RuleDraft,
    RuleError,
    RuleScope,
    RuleState,
    TurnOnRefusal,
    TurnOnRefused,
    applications_due,
    apply_retention_rules,
    dry_run_report,
    months_before,
    state_of,
)
from portal.uploads import LocalStorage  # noqa: E402

S = ApplicationStatus
NOW = datetime(2027, 5, 14, 10, 0, tzinfo=UTC)
TWO_YEAR_OLD = "two_year_old_funding"
THIRTY_HOURS = "thirty_hours_check"


# --- factories -----------------------------------------------------------------------------------------


class Family:
    """A parent, their child and a caseworker: what every application below hangs off."""

    def __init__(self, db, email: str = "parent@example.com") -> None:
        self.parent = make_parent(db, email=email)
        self.child = make_child(db, self.parent)
        self.caseworker = make_user(db, role=Role.CASEWORKER, email="case." + email, forename="Jane")
        self.alert = Alert(name="Submissions " + email, kind=AlertKind.SUBMITTED, action=AlertAction.EMAIL_LIST,
                           form_code=TWO_YEAR_OLD, recipients=["team@council.example"])  # fmt: skip
        db.add(self.alert)
        db.commit()


def decided_application(
    db,
    family: Family,
    reference: str,
    *,
    status: ApplicationStatus = S.REJECTED,
    at: datetime,
    form_code: str = TWO_YEAR_OLD,
    storage: LocalStorage | None = None,
    files: int = 0,
) -> Application:
    """A submitted application that reached `status` at `at`, with its history, and (with `storage`) a
    message, a note, a decision, an information request, an assignment and `files` uploaded files."""
    version = db.scalars(select(FormVersion).where(FormVersion.code == form_code)).first()
    sent = at - timedelta(days=10)
    application = Application(
        user_id=family.parent.id, child_id=family.child.id, form_version_id=version.id, form_code=form_code,
        status=status, answers={}, reference=reference if status is not S.DRAFT else None,
        submitted_at=None if status is S.DRAFT else sent, created_at=sent, updated_at=at,
    )  # fmt: skip
    db.add(application)
    db.flush()
    if status is not S.DRAFT:
        db.add(StatusChange(application_id=application.id, from_status=S.DRAFT, to_status=S.SUBMITTED,
                            at=sent, actor_id=family.parent.id))  # fmt: skip
    if status not in (S.DRAFT, S.SUBMITTED):
        db.add(StatusChange(application_id=application.id, from_status=S.SUBMITTED, to_status=status, at=at,
                            actor_id=family.caseworker.id))  # fmt: skip
    if storage is not None:
        staff = family.caseworker.id
        db.add_all([
            Message(application_id=application.id, user_id=family.parent.id, direction=MessageDirection.TO_PARENT,
                    sender_id=staff, subject="Your application", body="We have decided.", sent_at=at),
            ReviewNote(application_id=application.id, author_id=staff, body="Checked the evidence.", created_at=at),
            ReviewDecision(application_id=application.id, decision=Decision.REJECT, decided_by_id=staff,
                           decided_at=at, on_version=1),
            InformationRequest(application_id=application.id, requested_by_id=staff, requested_at=sent,
                               message="Send your letter"),
            ReviewAssignment(application_id=application.id, assignee_id=staff, assigned_at=sent),
            AlertDelivery(alert_id=family.alert.id, subject_key=f"application:{application.id}",
                          application_id=application.id, reference=application.reference),
        ])  # fmt: skip
        for index in range(files):
            data = b"%PDF-1.4 " + reference.encode() + bytes(index)
            db.add(Upload(user_id=family.parent.id, application_id=application.id, question_code="evidence_file",
                          original_filename=f"letter{index}.pdf", storage_key=storage.save(data), size=len(data),
                          content_type="application/pdf"))  # fmt: skip
    db.commit()
    return application


def rule(db, status=S.REJECTED, months=6, form_code: str | None = TWO_YEAR_OLD, *, on: bool = True) -> RetentionRule:
    made = RetentionRule(form_code=form_code, status=status, months=months, enabled=on, row_version=1)
    db.add(made)
    db.commit()
    return made


@pytest.fixture
def db(app):
    session = app.extensions["db_sessionmaker"]()
    load_shipped_forms(session)
    yield session
    session.close()


@pytest.fixture
def storage(app) -> LocalStorage:
    return LocalStorage(app.config["UPLOAD_FOLDER"])


# --- the clock -----------------------------------------------------------------------------------------


def test_months_are_calendar_months_on_the_clock_in_england():
    # 11am in England on 14 May (BST) is 11am on 14 November (GMT): an hour later in UTC.
    assert months_before(NOW, 6) == datetime(2026, 11, 14, 11, 0, tzinfo=UTC)
    # 31 March less a month is the last day of February (29th in a leap year).
    assert months_before(datetime(2027, 3, 31, 12, tzinfo=UTC), 1) == datetime(2027, 2, 28, 13, tzinfo=UTC)
    assert months_before(datetime(2028, 3, 31, 12, tzinfo=UTC), 1) == datetime(2028, 2, 29, 13, tzinfo=UTC)
    assert months_before(NOW, 24) == datetime(2025, 5, 14, 10, 0, tzinfo=UTC)
    assert months_before(NOW, 1200).year == 1927


# --- the selection -------------------------------------------------------------------------------------


def test_the_report_lists_exactly_the_applications_old_enough(db, storage):
    family = Family(db)
    cutoff = months_before(NOW, 6)
    decided_application(db, family, "2YO-OLD1-0001", at=NOW - timedelta(days=730), storage=storage, files=2)
    decided_application(db, family, "2YO-EDGE-0002", at=cutoff - timedelta(minutes=1), storage=storage, files=1)
    decided_application(db, family, "2YO-EDGE-0003", at=cutoff)  # exactly six months ago: old enough
    decided_application(db, family, "2YO-NEW1-0004", at=cutoff + timedelta(minutes=1))  # a minute short
    decided_application(db, family, "2YO-APPR-0005", status=S.APPROVED, at=NOW - timedelta(days=730))
    decided_application(db, family, "2YO-WITH-0006", status=S.WITHDRAWN, at=NOW - timedelta(days=730))
    decided_application(db, family, "2YO-SENT-0007", status=S.SUBMITTED, at=NOW - timedelta(days=730))
    decided_application(db, family, "2YO-REVW-0008", status=S.IN_REVIEW, at=NOW - timedelta(days=730))
    decided_application(db, family, "30H-OTHR-0009", form_code=THIRTY_HOURS, at=NOW - timedelta(days=730))

    report = dry_run_report(db, RuleScope(TWO_YEAR_OLD, S.REJECTED, 6), NOW)

    assert [a.reference for a in report.first] == ["2YO-OLD1-0001", "2YO-EDGE-0002", "2YO-EDGE-0003"]
    assert report.applications == 3
    assert report.uploads == 3
    sizes = db.scalars(select(Upload.size).join(Application).where(Application.reference.like("2YO-%"))).all()
    assert report.upload_bytes == sum(sizes) > 0
    assert report.oldest == NOW - timedelta(days=730)
    assert report.newest == cutoff
    assert report.cutoff == cutoff and report.made_at == NOW
    assert report.forms_with_own_rule == []
    # A day later the application that was a minute short is old enough too.
    assert dry_run_report(db, RuleScope(TWO_YEAR_OLD, S.REJECTED, 6), NOW + timedelta(days=1)).applications == 4


def test_the_date_counted_from_is_when_the_application_reached_its_status(db):
    family = Family(db)
    application = decided_application(db, family, "2YO-LATE-0001", at=NOW - timedelta(days=400))
    # Submitted long ago, but rejected only last month (after a request for more information): too young.
    application.submitted_at = NOW - timedelta(days=900)
    history = db.scalars(select(StatusChange).where(StatusChange.application_id == application.id,
                                                    StatusChange.to_status == S.REJECTED)).one()  # fmt: skip
    history.at = NOW - timedelta(days=30)
    db.commit()
    assert dry_run_report(db, RuleScope(TWO_YEAR_OLD, S.REJECTED, 6), NOW).applications == 0
    assert dry_run_report(db, RuleScope(TWO_YEAR_OLD, S.REJECTED, 1), NOW).applications == 1


def test_an_every_form_rule_leaves_forms_with_a_rule_of_their_own_to_that_rule(db):
    family = Family(db)
    old = NOW - timedelta(days=3 * 365)
    decided_application(db, family, "2YO-ALL1-0001", at=old)
    decided_application(db, family, "30H-ALL1-0002", form_code=THIRTY_HOURS, at=old)
    every_form = RuleScope(None, S.REJECTED, 6)
    assert dry_run_report(db, every_form, NOW).applications == 2
    rule(db, months=60, on=False)  # the council keeps two-year-old applications five years: even while off
    report = dry_run_report(db, every_form, NOW)
    assert [a.reference for a in report.first] == ["30H-ALL1-0002"]
    assert report.forms_with_own_rule == [TWO_YEAR_OLD]
    assert db.execute(applications_due(RuleScope(TWO_YEAR_OLD, S.REJECTED, 60), NOW)).all() == []


# --- the job -------------------------------------------------------------------------------------------


def tables_referring_to_applications() -> list:
    return [
        (table, fk.parent)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table is Application.__table__
    ]


def rows_of(db, application_ids: list[int]) -> dict[str, int]:
    counts = {"applications": db.scalar(select(func.count()).where(Application.id.in_(application_ids)))}
    for table, column in tables_referring_to_applications():
        counts[table.name] = db.scalar(select(func.count()).select_from(table).where(column.in_(application_ids)))
    return counts


def test_the_job_deletes_what_the_report_showed_with_every_row_and_file_and_nothing_else(db, storage):
    family = Family(db)
    old = NOW - timedelta(days=730)
    doomed = [
        decided_application(db, family, "2YO-GONE-0001", at=old, storage=storage, files=2),
        decided_application(db, family, "2YO-GONE-0002", at=months_before(NOW, 6), storage=storage, files=1),
    ]
    kept = [
        decided_application(db, family, "2YO-KEEP-0003", at=months_before(NOW, 6) + timedelta(hours=1),
                            storage=storage, files=1),
        decided_application(db, family, "2YO-KEEP-0004", status=S.APPROVED, at=old, storage=storage, files=1),
        decided_application(db, family, "30H-KEEP-0005", form_code=THIRTY_HOURS, at=old, storage=storage, files=1),
    ]  # fmt: skip
    doomed_ids, kept_ids = [a.id for a in doomed], [a.id for a in kept]
    doomed_keys = db.scalars(select(Upload.storage_key).where(Upload.application_id.in_(doomed_ids))).all()
    kept_keys = db.scalars(select(Upload.storage_key).where(Upload.application_id.in_(kept_ids))).all()
    before = rows_of(db, doomed_ids)
    assert all(count > 0 for count in before.values()), before  # every kind of row is there to delete
    kept_before = rows_of(db, kept_ids)
    made = rule(db)
    report = dry_run_report(db, RuleScope.of(made), NOW)

    result = apply_retention_rules(db, storage, now=NOW)

    assert result.applications_deleted == report.applications == 2
    assert result.files_deleted == report.uploads == 3
    db.expire_all()
    assert all(count == 0 for count in rows_of(db, doomed_ids).values()), rows_of(db, doomed_ids)
    assert rows_of(db, kept_ids) == kept_before and kept_before["applications"] == 3
    # A table whose foreign key is SET NULL lets go instead: the alert's record of what it sent stays.
    delivered = db.scalars(select(AlertDelivery).where(AlertDelivery.reference.like("2YO-GONE-%"))).all()
    assert len(delivered) == 2 and {d.application_id for d in delivered} == {None}
    for key in doomed_keys:
        with pytest.raises(FileNotFoundError):
            storage.read(key)
    assert all(storage.read(key) for key in kept_keys)
    assert db.scalars(select(RetentionPendingFile)).all() == []
    assert db.get(type(family.parent), family.parent.id) and db.get(type(family.child), family.child.id)

    run = db.scalars(select(RetentionRun)).one()
    assert (run.rule_id, run.form_code, run.status, run.months) == (made.id, TWO_YEAR_OLD, S.REJECTED, 6)
    assert (run.applications_deleted, run.files_deleted, run.bytes_deleted) == (2, 3, report.upload_bytes)
    assert sorted(db.scalars(select(RetentionDeletedReference.reference))) == ["2YO-GONE-0001", "2YO-GONE-0002"]
    audit = db.scalars(select(AuditEvent).where(AuditEvent.action == "retention.applications_deleted")).one()
    assert audit.actor_id is None and audit.object_id == str(made.id)
    assert audit.details == {"run_id": run.id, "applications": 2, "files": 3}
    assert "2YO-GONE" not in str(audit.details)  # the audit trail, kept for good, holds no references

    again = apply_retention_rules(db, storage, now=NOW + timedelta(minutes=30))
    assert (again.applications_deleted, again.files_deleted) == (0, 0)
    assert db.scalar(select(func.count()).select_from(RetentionRun)) == 1  # a run that deletes nothing is not logged
    assert rows_of(db, kept_ids) == kept_before
    # The next day, the application that was an hour short of six months is old enough.
    assert apply_retention_rules(db, storage, now=NOW + timedelta(days=1)).applications_deleted == 1


def test_every_table_that_refers_to_an_application_goes_with_it_or_lets_go():
    """A table added later with a foreign key to applications is deleted by the job (read from the model);
    a foreign key into one of those tables must say what happens on delete, or the job would fail."""
    dependents = {table for table, _ in tables_referring_to_applications()}
    assert {t.name for t in dependents} >= {
        "application_status_changes", "uploads", "application_messages", "review_notes", "review_decisions",
        "information_requests", "review_assignments",
    }  # fmt: skip
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table in dependents:
                assert fk.ondelete in ("CASCADE", "SET NULL"), f"{table.name}.{fk.parent.name} needs ondelete"


def test_a_big_backlog_goes_in_bounded_batches(db, storage):
    family = Family(db)
    for index in range(5):
        decided_application(db, family, f"2YO-BTCH-{index:04d}", at=NOW - timedelta(days=400 + index),
                            storage=storage, files=1)  # fmt: skip
    rule(db)
    result = apply_retention_rules(db, storage, now=NOW, batch_size=2)
    assert result.applications_deleted == 5 and result.files_deleted == 5
    assert db.scalar(select(func.count()).select_from(Application)) == 0
    batches = db.scalars(select(AuditEvent.details).where(AuditEvent.action == "retention.applications_deleted"))
    assert [d["applications"] for d in batches] == [2, 2, 1]
    assert db.scalars(select(RetentionRun.applications_deleted)).all() == [5]


class BrokenStorage(LocalStorage):
    """Storage whose deletes fail, as a process stopping after the commit would leave things."""

    def delete(self, key: str) -> None:
        raise OSError("the storage is unreachable")


def test_files_left_by_a_crash_after_the_commit_are_removed_by_the_next_run(db, storage, app):
    family = Family(db)
    decided_application(db, family, "2YO-CRSH-0001", at=NOW - timedelta(days=400), storage=storage, files=2)
    keys = db.scalars(select(Upload.storage_key)).all()
    rule(db)
    apply_retention_rules(db, BrokenStorage(app.config["UPLOAD_FOLDER"]), now=NOW)
    assert db.scalar(select(func.count()).select_from(Upload)) == 0  # no row points to a file...
    assert all(storage.read(key) for key in keys)  # ...the files are still there...
    assert sorted(db.scalars(select(RetentionPendingFile.storage_key))) == sorted(keys)  # ...and remembered

    storage.delete(keys[0])  # one has gone meanwhile: that is not an error
    result = apply_retention_rules(db, storage, now=NOW + timedelta(days=1))
    assert result.leftover_files_removed == 2
    assert db.scalars(select(RetentionPendingFile)).all() == []
    for key in keys:
        with pytest.raises(FileNotFoundError):
            storage.read(key)


def test_references_are_kept_for_90_days_then_only_the_counts(db, storage):
    family = Family(db)
    decided_application(db, family, "2YO-FRGT-0001", at=NOW - timedelta(days=400))
    rule(db)
    apply_retention_rules(db, storage, now=NOW)
    apply_retention_rules(db, storage, now=NOW + timedelta(days=89))
    assert db.scalars(select(RetentionDeletedReference.reference)).all() == ["2YO-FRGT-0001"]
    result = apply_retention_rules(db, storage, now=NOW + timedelta(days=91))
    assert result.references_forgotten == 1
    assert db.scalars(select(RetentionDeletedReference)).all() == []
    run = db.scalars(select(RetentionRun)).one()
    db.refresh(run)
    assert run.applications_deleted == 1 and run.references_removed_at == NOW + timedelta(days=91)


def test_a_rule_that_is_off_deletes_nothing(db, storage):
    family = Family(db)
    decided_application(db, family, "2YO-OFF1-0001", at=NOW - timedelta(days=400))
    rule(db, on=False)
    assert apply_retention_rules(db, storage, now=NOW).applications_deleted == 0
    assert db.scalar(select(func.count()).select_from(Application)) == 1


# --- the rule's states ---------------------------------------------------------------------------------


def actor(family: Family) -> dict:
    return {"actor_id": family.caseworker.id, "client_address": "192.0.2.1"}


def test_a_rule_is_turned_on_only_after_its_current_report_was_looked_at(db):
    family = Family(db)
    made = retention.create_rule(db, RuleDraft(TWO_YEAR_OLD, "rejected", "6"), **actor(family))
    assert state_of(made) is RuleState.PENDING and not made.enabled
    with pytest.raises(TurnOnRefused) as refused:
        retention.turn_on(db, made.id, seen_version=made.row_version, **actor(family))
    assert refused.value.reason is TurnOnRefusal.REPORT_NOT_VIEWED

    viewed, _ = retention.view_dry_run(db, made.id, now=NOW, **actor(family))
    assert state_of(viewed) is RuleState.CHECKED
    with pytest.raises(TurnOnRefused) as stale:
        retention.turn_on(db, made.id, seen_version=viewed.row_version - 1, **actor(family))
    assert stale.value.reason is TurnOnRefusal.CHANGED_SINCE_REPORT
    on = retention.turn_on(db, made.id, seen_version=viewed.row_version, **actor(family))
    assert on.enabled and state_of(on) is RuleState.ON
    assert retention.turn_on(db, made.id, seen_version=viewed.row_version, **actor(family)).enabled  # twice: fine

    changed = retention.update_rule(db, made.id, RuleDraft(TWO_YEAR_OLD, "rejected", "12"),
                                    seen_version=on.row_version, **actor(family))  # fmt: skip
    assert not changed.enabled and state_of(changed) is RuleState.PENDING  # a changed rule starts off again
    retention.view_dry_run(db, made.id, now=NOW, **actor(family))
    assert retention.turn_on(db, made.id, seen_version=changed.row_version, **actor(family)).enabled
    off = retention.turn_off(db, made.id, **actor(family))
    assert not off.enabled and state_of(off) is RuleState.PENDING  # turning on again needs a fresh look
    with pytest.raises(TurnOnRefused):
        retention.turn_on(db, made.id, seen_version=off.row_version, **actor(family))

    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "retention_rule")
                         .order_by(AuditEvent.id)).all()  # fmt: skip
    assert actions == [
        "retention.rule_created", "retention.dry_run_viewed", "retention.rule_turned_on", "retention.rule_changed",
        "retention.dry_run_viewed", "retention.rule_turned_on", "retention.rule_turned_off",
    ]  # fmt: skip
    changed_event = db.scalars(select(AuditEvent).where(AuditEvent.action == "retention.rule_changed")).one()
    assert changed_event.details["before"]["months"] == 6 and changed_event.details["after"]["months"] == 12
    assert changed_event.details["before"]["enabled"] is True and changed_event.details["after"]["enabled"] is False


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (RuleDraft("", "", ""), {("form_code", Problem.FORM_MISSING), ("status", Problem.STATUS_MISSING),
                                 ("months", Problem.MONTHS_MISSING)}),
        (RuleDraft("no_such_form", "rejected", "6"), {("form_code", Problem.FORM_UNKNOWN)}),
        (RuleDraft("*", "in_review", "6"), {("status", Problem.STATUS_NOT_DECIDED)}),
        (RuleDraft("*", "submitted", "6"), {("status", Problem.STATUS_NOT_DECIDED)}),
        (RuleDraft("*", "draft", "6"), {("status", Problem.STATUS_NOT_DECIDED)}),
        (RuleDraft("*", "deleted", "6"), {("status", Problem.STATUS_UNKNOWN)}),
        (RuleDraft("*", "rejected", "six"), {("months", Problem.MONTHS_NOT_WHOLE)}),
        (RuleDraft("*", "rejected", "6.5"), {("months", Problem.MONTHS_NOT_WHOLE)}),
        (RuleDraft("*", "rejected", "-6"), {("months", Problem.MONTHS_NOT_WHOLE)}),
        (RuleDraft("*", "rejected", "٦"), {("months", Problem.MONTHS_NOT_WHOLE)}),  # an Arabic-Indic six
        (RuleDraft("*", "rejected", "0"), {("months", Problem.MONTHS_OUT_OF_RANGE)}),
        (RuleDraft("*", "rejected", "1201"), {("months", Problem.MONTHS_OUT_OF_RANGE)}),
        (RuleDraft("*", "rejected", "9" * 400), {("months", Problem.MONTHS_OUT_OF_RANGE)}),
    ],
)  # fmt: skip
def test_bad_rules_are_refused_with_a_reason_for_each_field(db, draft, expected):
    with pytest.raises(RuleError) as refused:
        retention.create_rule(db, draft, actor_id=None, client_address=None)
    assert {(p.field, p.problem) for p in refused.value.problems} == expected
    assert db.scalars(select(RetentionRule)).all() == []


def test_one_rule_per_form_and_status_and_sending_it_twice_makes_one(db):
    first = retention.create_rule(db, RuleDraft("*", "rejected", "6"), actor_id=None, client_address=None)
    again = retention.create_rule(db, RuleDraft("*", "rejected", "6"), actor_id=None, client_address=None)
    assert again.id == first.id
    with pytest.raises(RuleError) as clash:
        retention.create_rule(db, RuleDraft("*", "rejected", "12"), actor_id=None, client_address=None)
    assert [p.problem for p in clash.value.problems] == [Problem.DUPLICATE]
    other = retention.create_rule(db, RuleDraft(TWO_YEAR_OLD, "rejected", "12"), actor_id=None, client_address=None)
    with pytest.raises(RuleError) as moved:
        retention.update_rule(db, other.id, RuleDraft("*", "rejected", "12"), seen_version=other.row_version,
                              actor_id=None, client_address=None)  # fmt: skip
    assert [p.problem for p in moved.value.problems] == [Problem.DUPLICATE]
    assert db.scalar(select(func.count()).select_from(RetentionRule)) == 2
