"""Data retention pages: an administrator adds "rejected two-year-old applications after 6 months", reads the
dry run report (exactly the applications old enough), cannot turn the rule on before that, turns it on, and
the worker's pass deletes those applications with everything attached and their files, then nothing more;
the run shows on the rules page. Bad input never gives a 500; caseworkers and parents are refused."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "portal"))
from application_helpers import load_shipped_forms, text_of  # noqa: E402
from helpers import admin_client, count_queries, csrf_token_from, error_summary, page_title, sign_in, sign_in_staff  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402
from test_retention_service import THIRTY_HOURS, Family, decided_application, rows_of  # noqa: E402

from portal.models import (  # noqa: E402
    Application,
    ApplicationStatus,
    AuditEvent,
    RetentionRule,
    RetentionRun,
    Role,
    ScheduledJob,
    Upload,
    utcnow,
)
from portal.services import retention  # noqa: E402
from portal.services.retention import RETENTION_JOB_NAME, months_before  # noqa: E402
from portal.uploads import LocalStorage  # noqa: E402
from portal.worker import SCHEDULED_JOBS, run_pass  # noqa: E402

S = ApplicationStatus
RULES = "/admin/gdpr/retention"
RETENTION_JOB = next(job for job in SCHEDULED_JOBS if job.name == RETENTION_JOB_NAME)


@pytest.fixture
def db(app):
    session = app.extensions["db_sessionmaker"]()
    load_shipped_forms(session)
    yield session
    session.close()


@pytest.fixture
def admin(app, db):
    return admin_client(app, db)


def post_form(client, url: str, action: str | None = None, **fields):
    """Send the form on the page at `url` (to `action`, or back to `url`) with its token and version."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    html = page.get_data(as_text=True)
    version = re.search(r'name="row_version"[^>]*value="([^"]*)"', html)
    data = {"csrf_token": csrf_token_from(html), **({"row_version": version.group(1)} if version else {}), **fields}
    return client.post(action or url, data=data)


def post_rule(client, url: str = f"{RULES}/new", form_code="two_year_old_funding", status="rejected", months="6"):
    return post_form(client, url, form_code=form_code, status=status, months=months)


def post_with_token(client, url: str, token_page: str, **fields):
    token = csrf_token_from(client.get(token_page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def due_again(db) -> None:
    """Make the daily job due now, as tomorrow would."""
    db.execute(update(ScheduledJob).where(ScheduledJob.name == RETENTION_JOB_NAME).values(next_run_at=utcnow()))
    db.commit()


def test_an_administrator_checks_the_dry_run_turns_the_rule_on_and_the_worker_deletes(app, db, admin):
    storage = LocalStorage(app.config["UPLOAD_FOLDER"])
    family = Family(db)
    now = utcnow()
    six_months_ago = months_before(now, 6)
    old = [
        decided_application(db, family, "2YO-GONE-0001", at=now - timedelta(days=730), storage=storage, files=2),
        decided_application(db, family, "2YO-GONE-0002", at=six_months_ago - timedelta(days=1), storage=storage,
                            files=1),
    ]  # fmt: skip
    kept = [
        decided_application(db, family, "2YO-KEEP-0003", at=six_months_ago + timedelta(days=1), storage=storage,
                            files=1),
        decided_application(db, family, "2YO-KEEP-0004", status=S.APPROVED, at=now - timedelta(days=730),
                            storage=storage, files=1),
        decided_application(db, family, "2YO-KEEP-0005", status=S.IN_REVIEW, at=now - timedelta(days=730)),
        decided_application(db, family, "30H-KEEP-0006", form_code=THIRTY_HOURS, at=now - timedelta(days=730),
                            storage=storage, files=1),
    ]  # fmt: skip
    old_ids, kept_ids = [a.id for a in old], [a.id for a in kept]
    old_keys = db.scalars(select(Upload.storage_key).where(Upload.application_id.in_(old_ids))).all()
    kept_before = rows_of(db, kept_ids)

    front = admin.get("/admin/").get_data(as_text=True)
    assert f'href="{RULES}"' in front and "Data retention" in front
    listing = admin.get(RULES).get_data(as_text=True)
    assert page_title(listing).startswith("Data retention")
    assert "28 days after they were last saved" in text_of(listing)  # the fixed rule for drafts, from the setting

    new_page = admin.get(f"{RULES}/new").get_data(as_text=True)
    assert page_title(new_page).startswith("Add a retention rule")
    created = post_rule(admin)
    made = db.scalars(select(RetentionRule)).one()
    assert created.status_code == 302 and created.headers["Location"] == f"{RULES}/{made.id}/dry-run"
    assert not made.enabled

    # Turning it on before the report has been looked at is refused.
    refused = post_with_token(admin, f"{RULES}/{made.id}/turn-on", RULES, row_version=str(made.row_version))
    assert refused.status_code == 409
    refused_html = refused.get_data(as_text=True)
    assert page_title(refused_html).startswith("The rule was not turned on")
    assert "Check the rule’s dry run report before you turn it on." in text_of(refused_html)
    db.expire_all()
    assert not db.get(RetentionRule, made.id).enabled

    report = admin.get(f"{RULES}/{made.id}/dry-run")
    html = report.get_data(as_text=True)
    assert page_title(html).startswith("Dry run report")
    assert re.findall(r'app-retention-reference">([^<]+)<', html) == ["2YO-GONE-0001", "2YO-GONE-0002"]
    assert re.search(r'app-retention-applications">\s*2\s*<', html)
    assert "3 files" in text_of(html)
    assert "Rejected applications to Apply for free childcare for 2-year-olds, 6 months after the decision" in (
        text_of(html)
    )
    assert admin.get(RULES).get_data(as_text=True).count("Report checked") == 1

    turned_on = post_form(admin, f"{RULES}/{made.id}/dry-run", f"{RULES}/{made.id}/turn-on")  # the report's button
    assert turned_on.status_code == 302
    assert "The rule is on" in admin.get(turned_on.headers["Location"]).get_data(as_text=True)
    db.expire_all()
    assert db.get(RetentionRule, made.id).enabled

    results = run_pass(app, jobs=[RETENTION_JOB])
    assert results[RETENTION_JOB_NAME].applications_deleted == 2
    db.expire_all()
    assert all(count == 0 for count in rows_of(db, old_ids).values()), rows_of(db, old_ids)
    assert rows_of(db, kept_ids) == kept_before
    for key in old_keys:
        with pytest.raises(FileNotFoundError):
            storage.read(key)

    due_again(db)
    assert run_pass(app, jobs=[RETENTION_JOB])[RETENTION_JOB_NAME].applications_deleted == 0
    assert rows_of(db, kept_ids) == kept_before
    assert db.scalar(select(func.count()).select_from(RetentionRun)) == 1

    listing = admin.get(RULES).get_data(as_text=True)
    run = db.scalars(select(RetentionRun)).one()
    assert f'href="{RULES}/runs/{run.id}"' in listing
    runs_text = text_of(listing[listing.index('id="retention-runs"') :])
    assert "Rejected applications to Apply for free childcare for 2-year-olds, 6 months after the decision 2 3" in (
        runs_text
    )
    assert "The worker last applied the rules on" in text_of(listing)
    run_page = admin.get(f"{RULES}/runs/{run.id}").get_data(as_text=True)
    assert page_title(run_page).startswith("Retention run on")
    assert "2YO-GONE-0001" in run_page and "2YO-GONE-0002" in run_page and "2YO-KEEP" not in run_page

    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("retention.%"))).all()
    assert actions == ["retention.rule_created", "retention.dry_run_viewed", "retention.rule_turned_on",
                       "retention.applications_deleted"]  # fmt: skip
    created_event = db.scalars(select(AuditEvent).where(AuditEvent.action == "retention.rule_created")).one()
    administrator = db.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "retention.rule_turned_on"))
    assert created_event.client_address and created_event.actor_id == administrator.one()
    assert created_event.details == {
        "before": None, "after": {"form_code": "two_year_old_funding", "status": "rejected", "months": 6,
                                  "enabled": False},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, ["Select which form the rule is for", "Select which applications to delete",
              "Enter how many months to keep the applications"]),
        ({"form_code": "no_such_form"}, ["Select a form from the list"]),
        ({"status": "in_review"}, ["Select approved, rejected or withdrawn: applications waiting for a decision are "
                                   "never deleted by a rule"]),
        ({"status": "x" * 5000}, ["Select approved, rejected or withdrawn"]),
        ({"months": "six"}, ["The number of months must be a whole number, like 24"]),
        ({"months": "2.5"}, ["The number of months must be a whole number, like 24"]),
        ({"months": "0"}, ["The number of months must be between 1 and 1200"]),
        ({"months": "1201"}, ["The number of months must be between 1 and 1200"]),
        ({"months": "9" * 5000}, ["The number of months must be between 1 and 1200"]),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message_and_changes_nothing(admin, db, fields, expected):
    defaults = {"form_code": "two_year_old_funding", "status": "rejected", "months": "6"}
    data = {**defaults, **fields} if fields else {}
    response = post_form(admin, f"{RULES}/new", **data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: Add a retention rule")
    assert error_summary(html) == expected
    assert db.scalar(select(func.count()).select_from(RetentionRule)) == 0


def test_the_error_summary_links_to_each_field(admin):
    html = post_form(admin, f"{RULES}/new").get_data(as_text=True)
    for href in ('href="#form_code"', 'href="#status"', 'href="#months"'):
        assert href in html, href


def test_a_double_post_makes_one_rule_and_a_clash_is_explained(admin, db):
    page = admin.get(f"{RULES}/new").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "form_code": "*", "status": "withdrawn", "months": "24"}
    first, second = admin.post(f"{RULES}/new", data=data), admin.post(f"{RULES}/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.scalar(select(func.count()).select_from(RetentionRule)) == 1
    clash = admin.post(f"{RULES}/new", data={**data, "months": "12"})
    assert error_summary(clash.get_data(as_text=True)) == [
        "There is already a rule for these applications: change that rule instead"
    ]


def test_changing_a_rule_turns_it_off_and_a_stale_page_does_not_overwrite(admin, db):
    made = retention.create_rule(db, retention.RuleDraft("two_year_old_funding", "rejected", "6"),
                                 actor_id=None, client_address=None)  # fmt: skip
    retention.view_dry_run(db, made.id, now=utcnow(), actor_id=None, client_address=None)
    retention.turn_on(db, made.id, seen_version=made.row_version, actor_id=None, client_address=None)
    url = f"{RULES}/{made.id}"
    edit = admin.get(url).get_data(as_text=True)
    assert page_title(edit).startswith("Change retention rule")
    assert "This rule is on. Saving a change turns it off" in text_of(edit)
    assert 'value="6"' in edit

    changed = post_rule(admin, url, months="12")
    assert changed.status_code == 302 and changed.headers["Location"] == f"{url}/dry-run"
    db.expire_all()
    rule = db.get(RetentionRule, made.id)
    assert (rule.months, rule.enabled) == (12, False)

    # A page opened before someone else's change does not overwrite it...
    stale_page = admin.get(url).get_data(as_text=True)
    opened_version = rule.row_version
    assert f'value="{opened_version}"' in stale_page
    retention.update_rule(db, made.id, retention.RuleDraft("two_year_old_funding", "rejected", "18"),
                          seen_version=opened_version, actor_id=None, client_address=None)  # fmt: skip
    fields = {"csrf_token": csrf_token_from(stale_page), "form_code": "two_year_old_funding", "status": "rejected"}
    stale = admin.post(url, data={**fields, "row_version": str(opened_version), "months": "24"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200 and error_summary(html) == [
        "Someone changed this rule after you opened the page. Check what it says now and make your change again"
    ]
    assert 'value="18"' in html  # ...and the page shows what the rule says now
    db.expire_all()
    assert db.get(RetentionRule, made.id).months == 18
    # ...while sending what the rule already says is simply done (a double click).
    again = admin.post(url, data={**fields, "row_version": "1", "months": "18"})
    assert again.status_code == 302


def test_a_rule_is_turned_off_and_deleted_and_its_runs_stay(admin, db, app):
    family = Family(db)
    decided_application(db, family, "2YO-LOGD-0001", at=utcnow() - timedelta(days=900))
    made = retention.create_rule(db, retention.RuleDraft("*", "rejected", "6"), actor_id=None, client_address=None)
    retention.view_dry_run(db, made.id, now=utcnow(), actor_id=None, client_address=None)
    retention.turn_on(db, made.id, seen_version=made.row_version, actor_id=None, client_address=None)
    run_pass(app, jobs=[RETENTION_JOB])

    report = admin.get(f"{RULES}/{made.id}/dry-run").get_data(as_text=True)
    assert "This rule is on" in text_of(report)
    off = post_with_token(admin, f"{RULES}/{made.id}/turn-off", f"{RULES}/{made.id}/dry-run")
    assert off.status_code == 302 and "The rule is off" in admin.get(off.headers["Location"]).get_data(as_text=True)
    db.expire_all()
    assert not db.get(RetentionRule, made.id).enabled

    confirm = admin.get(f"{RULES}/{made.id}/delete").get_data(as_text=True)
    assert page_title(confirm).startswith("Are you sure you want to delete this rule?")
    deleted = post_form(admin, f"{RULES}/{made.id}/delete")
    assert deleted.status_code == 302 and deleted.headers["Location"] == RULES
    again = post_with_token(admin, f"{RULES}/{made.id}/delete", RULES)  # a second click: already gone, no error
    assert again.status_code == 302
    db.expire_all()
    assert db.scalars(select(RetentionRule)).all() == []
    run = db.scalars(select(RetentionRun)).one()
    assert run.rule_id is None and run.applications_deleted == 1
    listing = admin.get(RULES).get_data(as_text=True)
    assert "Rejected applications to every form, 6 months after the decision" in text_of(listing)
    deleted_event = db.scalars(select(AuditEvent).where(AuditEvent.action == "retention.rule_deleted")).one()
    assert deleted_event.details["before"]["form_code"] is None and deleted_event.details["after"] is None


def test_odd_ids_and_forged_posts_never_give_a_500(admin, db):
    made = retention.create_rule(db, retention.RuleDraft("*", "approved", "60"), actor_id=None, client_address=None)
    for url in (f"{RULES}/999999", f"{RULES}/999999/dry-run", f"{RULES}/999999/delete", f"{RULES}/runs/999999",
                f"{RULES}/99999999999999999999999", f"{RULES}/99999999999999999999999/dry-run", f"{RULES}/abc",
                f"{RULES}/-1", f"{RULES}/runs/99999999999999999999"):  # fmt: skip
        assert admin.get(url).status_code == 404, url
    assert post_with_token(admin, f"{RULES}/999999/turn-on", RULES, row_version="1").status_code == 404
    assert post_with_token(admin, f"{RULES}/999999/turn-off", RULES).status_code == 404
    assert admin.post(f"{RULES}/{made.id}/turn-on", data={"row_version": "1"}).status_code == 400  # no CSRF token
    retention.view_dry_run(db, made.id, now=utcnow(), actor_id=None, client_address=None)
    for version in ("", "abc", "9" * 500, "-1", "2"):
        response = post_with_token(admin, f"{RULES}/{made.id}/turn-on", RULES, row_version=version)
        assert response.status_code == 409, version
        assert "The rule changed after the report you saw was made" in text_of(response.get_data(as_text=True))
    for months in ("9" * 500, "", " 12 "):
        response = post_form(admin, f"{RULES}/{made.id}", form_code="*", status="approved", months=months,
                             row_version="x" * 300)  # fmt: skip
        assert response.status_code in (200, 302), months
    db.expire_all()
    assert not db.get(RetentionRule, made.id).enabled


def test_caseworkers_and_parents_are_refused_every_retention_page(app, db):
    made = retention.create_rule(db, retention.RuleDraft("*", "approved", "60"), actor_id=None, client_address=None)
    pages = [RULES, f"{RULES}/new", f"{RULES}/{made.id}", f"{RULES}/{made.id}/dry-run", f"{RULES}/{made.id}/delete",
             f"{RULES}/runs/1"]  # fmt: skip
    posts = [f"{RULES}/new", f"{RULES}/{made.id}", f"{RULES}/{made.id}/turn-on", f"{RULES}/{made.id}/turn-off",
             f"{RULES}/{made.id}/delete"]  # fmt: skip
    caseworker = app.test_client()
    sign_in_staff(caseworker, db, role=Role.CASEWORKER, email="case@example.com")
    assert "Data retention" not in caseworker.get("/admin/").get_data(as_text=True)
    from helpers import make_user

    make_user(db, email="parent@example.com")
    parent = app.test_client()
    sign_in(parent, "parent@example.com")
    for client in (caseworker, parent):
        token = csrf_token_from(client.get("/account").get_data(as_text=True))
        for url in pages:
            assert client.get(url).status_code == 403, url
        for url in posts:
            data = {"csrf_token": token, "form_code": "*", "status": "rejected", "months": "1", "row_version": "1"}
            assert client.post(url, data=data).status_code == 403, url
    db.expire_all()
    assert db.get(RetentionRule, made.id).months == 60 and not db.get(RetentionRule, made.id).enabled
    assert db.scalar(select(func.count()).select_from(RetentionRule)) == 1


def test_the_rules_page_runs_the_same_number_of_queries_whatever_the_number_of_rules_and_runs(app, admin, db):
    def add(index: int) -> None:
        status = list(retention.DELETABLE_STATUSES)[index % 3]
        form_code = ["two_year_old_funding", "thirty_hours_check", None][index // 3 % 3]
        rule = RetentionRule(form_code=form_code, status=status, months=6 + index, enabled=bool(index % 2))
        db.add(rule)
        db.flush()
        db.add(RetentionRun(rule_id=rule.id, form_code=form_code, status=status, months=rule.months,
                            applications_deleted=index, files_deleted=index, bytes_deleted=index * 1000))  # fmt: skip
        db.commit()

    add(0)
    admin.get(RULES)
    with count_queries(app) as few:
        assert admin.get(RULES).status_code == 200
    for index in range(1, 9):
        add(index)
    with count_queries(app) as many:
        html = admin.get(RULES).get_data(as_text=True)
    assert html.count('class="govuk-table__row app-retention-rule"') == 9
    assert html.count('class="govuk-table__row app-retention-run"') == 9
    assert len(many) == len(few), many


def test_an_application_row_the_job_deleted_is_not_found_by_the_staff_pages(admin, db, app):
    family = Family(db)
    gone_id = decided_application(db, family, "2YO-404S-0001", at=utcnow() - timedelta(days=900)).id
    made = retention.create_rule(db, retention.RuleDraft("*", "rejected", "6"), actor_id=None, client_address=None)
    retention.view_dry_run(db, made.id, now=utcnow(), actor_id=None, client_address=None)
    retention.turn_on(db, made.id, seen_version=made.row_version, actor_id=None, client_address=None)
    run_pass(app, jobs=[RETENTION_JOB])
    assert db.scalar(select(func.count()).where(Application.id == gone_id)) == 0
    assert admin.get(f"/admin/submissions/{gone_id}").status_code == 404


def test_the_fixed_rule_for_unsent_applications_follows_the_draft_expiry_setting(make_app):
    app = make_app(DRAFT_EXPIRY_DAYS=14)
    session = app.extensions["db_sessionmaker"]()
    client = app.test_client()
    sign_in_staff(client, session, role=Role.ADMIN, email="admin@example.com")
    row = client.get(RULES).get_data(as_text=True).split('app-retention-fixed-rule">', 1)[1].split("</tr>", 1)[0]
    assert "Not sent" in row and "14 days after they were last saved" in text_of(row) and "On" in row
    assert "href" not in row  # read-only: nothing to change or delete here
    session.close()
