"""The alert rules of portal.services.alerts, without pages: what is refused (by error code), what is kept,
and what each change writes to the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
from application_helpers import load_shipped_forms  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from portal.models import AlertAction, AlertKind, AuditEvent  # noqa: E402
from portal.services.alerts import (  # noqa: E402
    AlertDraft,
    AlertError,
    AlertErrorCode,
    check_draft,
    create_alert,
    parse_recipients,
    preview,
    set_active,
    update_alert,
)

FORMS = {"two_year_old_funding", "thirty_hours_check"}
C = AlertErrorCode


def codes(draft: AlertDraft) -> list[tuple[str, AlertErrorCode]]:
    with pytest.raises(AlertError) as refused:
        check_draft(draft, FORMS)
    return [(p.field, p.code) for p in refused.value.problems]


def test_recipients_are_split_on_lines_commas_and_semicolons_and_repeats_dropped():
    valid, invalid = parse_recipients(" A@Council.example;\nb@council.example , a@council.EXAMPLE;;\n\nnope ")
    assert valid == ["A@council.example", "b@council.example"]
    assert invalid == ["nope"]


def test_what_each_kind_needs():
    assert codes(AlertDraft("n", AlertKind.SUBMITTED, action="email_list", recipients="a@b.example")) == [
        ("form_code", C.FORM_MISSING)
    ]
    assert codes(AlertDraft("n", AlertKind.DRAFTS_EXPIRING, action="email_list", recipients="a@b.example")) == [
        ("days", C.DAYS_MISSING)
    ]
    assert codes(AlertDraft("n", AlertKind.CONSENT_WITHDRAWN, action="message_applicant", subject="s",
                            body_markdown="b")) == [("action", C.ACTION_NOT_FOR_WITHDRAWAL)]  # fmt: skip
    assert codes(AlertDraft("n", AlertKind.AWAITING_DECISION, action="", days="3")) == [("action", C.ACTION_MISSING)]


def test_fields_the_kind_or_action_does_not_use_are_not_kept():
    checked = check_draft(
        AlertDraft("  Withdrawals \n to the DPO ", AlertKind.CONSENT_WITHDRAWN, action="email_list",
                   form_code="two_year_old_funding", days="4", recipients="dpo@council.example",
                   subject="ignored", body_markdown="ignored"),
        FORMS,
    )  # fmt: skip
    assert checked.name == "Withdrawals to the DPO"
    assert (checked.form_code, checked.days, checked.subject, checked.body_markdown) == (None, None, None, None)
    checked = check_draft(
        AlertDraft("Late", AlertKind.AWAITING_DECISION, action="message_applicant", days=" 10 ",
                   recipients="not even an address", subject=" Hi {{Forename}} ", body_markdown="Body"),
        FORMS,
    )  # fmt: skip
    assert checked.days == 10 and checked.recipients == () and checked.subject == "Hi {{Forename}}"


def test_placeholder_problems_come_from_the_message_templates_tokenizer():
    problems = codes(
        AlertDraft("Late", AlertKind.AWAITING_DECISION, action="message_applicant", days="10",
                   subject="{{forename}}", body_markdown="}}"),
    )  # fmt: skip
    assert problems == [("subject", C.PLACEHOLDER), ("body_markdown", C.PLACEHOLDER)]


def test_changes_are_audited_with_before_and_after_and_a_repeat_changes_nothing(db):
    load_shipped_forms(db)
    draft = AlertDraft("Late", AlertKind.AWAITING_DECISION, action="email_list", days="10", recipients="a@b.example")
    alert = create_alert(db, draft, actor_id=None, client_address="192.0.2.1")
    # The kind never changes, whatever a page posts.
    update_alert(db, alert.id, AlertDraft("Late", AlertKind.SUBMITTED, action="email_list", days="12",
                                          recipients="a@b.example"))  # fmt: skip
    update_alert(
        db, alert.id, AlertDraft("Late", AlertKind.SUBMITTED, action="email_list", days="12", recipients="a@b.example")
    )  # the same again: nothing to record
    set_active(db, alert.id, False)
    set_active(db, alert.id, False)
    db.expire_all()
    assert alert.kind is AlertKind.AWAITING_DECISION and alert.days == 12 and alert.action is AlertAction.EMAIL_LIST
    events = db.scalars(select(AuditEvent).where(AuditEvent.object_type == "alert").order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["alert.created", "alert.changed", "alert.deactivated"]
    assert events[0].client_address == "192.0.2.1" and events[0].details["before"] is None
    assert (events[1].details["before"]["days"], events[1].details["after"]["days"]) == (10, 12)
    assert (events[2].details["before"]["active"], events[2].details["after"]["active"]) == (True, False)


def test_a_refused_change_changes_nothing(db):
    load_shipped_forms(db)
    first = create_alert(db, AlertDraft("First", AlertKind.CONSENT_WITHDRAWN, action="email_list",
                                        recipients="a@b.example"))  # fmt: skip
    create_alert(db, AlertDraft("Second", AlertKind.CONSENT_WITHDRAWN, action="email_list", recipients="a@b.example"))
    with pytest.raises(AlertError) as refused:
        update_alert(db, first.id, AlertDraft("second", AlertKind.CONSENT_WITHDRAWN, action="email_list",
                                              recipients="c@d.example"))  # fmt: skip
    assert [p.code for p in refused.value.problems] == [C.NAME_TAKEN]
    db.rollback()
    db.expire_all()
    assert first.name == "First" and first.recipients == ["a@b.example"]
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "alert.changed")) == 0


def test_a_preview_saves_and_sends_nothing(db):
    load_shipped_forms(db)
    shown = preview(
        db, AlertDraft("Drafts", AlertKind.DRAFTS_EXPIRING, action="email_list", days="3", recipients="a@b.example"),
        base_url="https://portal.example/",
    )  # fmt: skip
    assert shown.subject.startswith("Drafts: ") and "will be deleted within 3 days" in shown.subject
    assert "https://portal.example/admin/alerts/12" in shown.body_text
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_demo_alerts_are_made_once_and_only_for_forms_that_are_loaded(db):
    from datetime import date

    from portal.models import Alert
    from portal.services.demo import create_demo_data

    create_demo_data(db, date.today())
    assert db.scalar(select(func.count()).select_from(Alert)) == 2  # no SEND form loaded yet
    load_shipped_forms(db)
    create_demo_data(db, date.today())
    create_demo_data(db, date.today())
    names = db.scalars(select(Alert.name).order_by(Alert.name)).all()
    assert names == [
        "Consent withdrawn: tell the data protection officer",
        "New SEND requests",
        "Unsent applications about to be deleted",
    ]


@pytest.mark.parametrize(("value", "hour"), [("", 7), ("0", 0), ("23", 23)])
def test_the_daily_hour_is_read_from_the_environment(value, hour):
    from portal.config import load_config

    assert load_config({"ALERTS_DAILY_HOUR": value})["ALERTS_DAILY_HOUR"] == hour


@pytest.mark.parametrize("value", ["24", "-1", "seven"])
def test_a_daily_hour_that_is_not_an_hour_stops_the_start(value):
    from portal.config import ConfigurationError, load_config

    with pytest.raises(ConfigurationError, match="ALERTS_DAILY_HOUR"):
        load_config({"ALERTS_DAILY_HOUR": value})
