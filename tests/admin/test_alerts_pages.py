"""Alerts administration through the staff pages: create (kind first, then the rest), preview with sample
values, change, turn off and on, delete after confirming; GOV.UK errors for bad input that change
nothing and never 500; every change audited with before and after; caseworkers and parents refused;
the list's query count does not grow with the alerts."""

from __future__ import annotations

import re

import pytest
from application_helpers import load_shipped_forms, make_child, make_parent, make_submitted_application, text_of
from helpers import (
    admin_client,
    count_queries,
    csrf_token_from,
    error_summary,
    make_user,
    page_title,
    sign_in,
    sign_in_staff,
)
from sqlalchemy import func, select

from portal.models import Alert, AlertAction, AlertDelivery, AlertKind, AuditEvent, Role, StatusChange

NEW_SUBMISSION = "/admin/alerts/new/submitted/email_list"
NEW_WAITING = "/admin/alerts/new/awaiting_decision"


def post_form(client, url: str, data: dict, *, page_url: str | None = None):
    """Open the page, then post its form with the page's CSRF token and hidden fields, as a browser does."""
    page = client.get(page_url or url).get_data(as_text=True)
    hidden = dict(re.findall(r'<input[^>]*name="(creation_token|active)"[^>]*value="([^"]*)"', page))
    return client.post(url, data={"csrf_token": csrf_token_from(page), **hidden, **data})


SUBMISSION_ALERT = {
    "name": "New two-year-old applications",
    "form_code": "two_year_old_funding",
    "recipients": "early.years@council.example; team.lead@council.example",
}


def alerts_in(db) -> list[Alert]:
    db.expire_all()
    return list(db.scalars(select(Alert).order_by(Alert.id)))


def test_an_administrator_creates_previews_changes_turns_off_and_deletes_an_alert(make_app, db):
    app = make_app(PORTAL_BASE_URL="https://portal.example")
    load_shipped_forms(db)
    client = admin_client(app, db)
    assert 'href="/admin/alerts"' in client.get("/admin/").get_data(as_text=True)
    listing = client.get("/admin/alerts").get_data(as_text=True)
    assert page_title(listing).startswith("Alerts") and "There are no alerts yet." in listing

    # First what sets it off; nothing chosen is an error.
    chooser = client.get("/admin/alerts/new").get_data(as_text=True)
    assert page_title(chooser).startswith("What sets off the alert?")
    nothing = post_form(client, "/admin/alerts/new", {})
    assert page_title(nothing.get_data(as_text=True)).startswith("Error: What sets off the alert?")
    assert error_summary(nothing.get_data(as_text=True)) == ["Select what sets off the alert"]
    chosen = post_form(client, "/admin/alerts/new", {"kind": "submitted"})
    assert chosen.headers["Location"] == "/admin/alerts/new/submitted"

    # Then what it does, on a page of its own.
    actions = client.get("/admin/alerts/new/submitted").get_data(as_text=True)
    assert page_title(actions).startswith("What does the alert do?")
    assert "Parents' names and contact details are never included." in text_of(actions)
    nothing = post_form(client, "/admin/alerts/new/submitted", {"action": "launch_rockets"})
    assert error_summary(nothing.get_data(as_text=True)) == ["Select what the alert does"]
    chosen = post_form(client, "/admin/alerts/new/submitted", {"action": "email_list"})
    assert chosen.headers["Location"] == NEW_SUBMISSION

    details = client.get(NEW_SUBMISSION).get_data(as_text=True)
    assert page_title(details).startswith("Create an alert")
    assert "Sets it off An application for a form is submitted What it does Email a list of addresses" in text_of(
        details
    )
    assert 'href="/admin/alerts/new/submitted?action=email_list"' in details  # to change what it does
    assert 'name="subject"' not in details
    assert '<option value="two_year_old_funding">Apply for free childcare for 2-year-olds</option>' in details

    # Preview: the staff email with a sample reference and links, and no parent's details.
    previewed = post_form(client, NEW_SUBMISSION, {**SUBMISSION_ALERT, "preview": "Preview"})
    page = text_of(previewed.get_data(as_text=True))
    assert "Preview of the email, with sample values" in page
    assert "To early.years@council.example, team.lead@council.example" in page
    assert "New two-year-old applications: 2YO-7K3M-Q9TD" in page
    assert "An application for Apply for free childcare for 2-year-olds was submitted." in page
    assert "https://portal.example/admin/submissions/1234" in page
    assert alerts_in(db) == []

    saved = post_form(client, NEW_SUBMISSION, SUBMISSION_ALERT)
    (alert,) = alerts_in(db)
    assert saved.headers["Location"] == f"/admin/alerts/{alert.id}"
    assert alert.active and alert.kind is AlertKind.SUBMITTED and alert.action is AlertAction.EMAIL_LIST
    assert alert.recipients == ["early.years@council.example", "team.lead@council.example"]
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert page_title(page).startswith("New two-year-old applications")
    assert (
        '<p class="govuk-notification-banner__heading">Alert saved. It is on, and looks for what happens from now on.'
        in page
    )
    assert "An application for Apply for free childcare for 2-year-olds is submitted" in text_of(page)
    assert "It has not fired yet." in page

    listing = text_of(client.get("/admin/alerts").get_data(as_text=True))
    assert (
        "New two-year-old applications An application for Apply for free childcare for 2-year-olds is submitted "
        "Email 2 addresses On Never 0"
    ) in listing

    # Change it: the form shows what was saved, and the change is audited.
    edit_url = f"/admin/alerts/{alert.id}/edit"
    edit = client.get(edit_url).get_data(as_text=True)
    assert page_title(edit).startswith("Change alert")
    assert 'value="New two-year-old applications"' in edit and "team.lead@council.example" in edit
    changed = post_form(client, edit_url, {**SUBMISSION_ALERT, "recipients": "early.years@council.example"})
    assert changed.headers["Location"] == f"/admin/alerts/{alert.id}"
    assert alerts_in(db)[0].recipients == ["early.years@council.example"]

    # Change what it does: the message's fields replace the email addresses.
    action_page = f"/admin/alerts/{alert.id}/edit/action"
    assert 'value="email_list" checked' in client.get(action_page).get_data(as_text=True)
    moved = post_form(client, action_page, {"action": "message_applicant"})
    assert moved.headers["Location"] == f"{edit_url}?action=message_applicant"
    message_page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert 'name="subject"' in message_page and 'name="recipients"' not in message_page
    post_form(client, moved.headers["Location"], {"name": SUBMISSION_ALERT["name"], "form_code": "two_year_old_funding",
                                                  "subject": "Thank you", "body_markdown": "We have it."})  # fmt: skip
    assert alerts_in(db)[0].action is AlertAction.MESSAGE_APPLICANT and alerts_in(db)[0].recipients == []
    post_form(client, f"{edit_url}?action=email_list", SUBMISSION_ALERT)
    assert alerts_in(db)[0].action is AlertAction.EMAIL_LIST and alerts_in(db)[0].subject is None

    # Off, then on again: each a state asked for, so posting the same form twice changes nothing more.
    page_url = f"/admin/alerts/{alert.id}"
    off = post_form(client, f"/admin/alerts/{alert.id}/activation", {}, page_url=page_url)
    assert off.headers["Location"] == page_url
    assert not alerts_in(db)[0].active
    assert "Alert turned off" in client.get(page_url).get_data(as_text=True)
    on = post_form(client, f"/admin/alerts/{alert.id}/activation", {}, page_url=page_url)
    assert on.status_code == 302 and alerts_in(db)[0].active

    # Delete after confirming.
    confirm = client.get(f"/admin/alerts/{alert.id}/delete").get_data(as_text=True)
    assert page_title(confirm).startswith("Are you sure you want to delete this alert?")
    deleted = post_form(client, f"/admin/alerts/{alert.id}/delete", {})
    assert deleted.headers["Location"] == "/admin/alerts"
    assert alerts_in(db) == []
    assert "Alert deleted" in client.get("/admin/alerts").get_data(as_text=True)
    assert client.get(page_url).status_code == 404

    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "alert").order_by(AuditEvent.id))
    assert list(actions) == ["alert.created"] + ["alert.changed"] * 3 + [
        "alert.deactivated", "alert.activated", "alert.deleted"
    ]  # fmt: skip
    change = db.scalars(select(AuditEvent).where(AuditEvent.action == "alert.changed").order_by(AuditEvent.id)).first()
    assert change.details["before"]["recipients"] == ["early.years@council.example", "team.lead@council.example"]
    assert change.details["after"]["recipients"] == ["early.years@council.example"]
    assert change.actor_id is not None and change.client_address
    deletion = db.scalars(select(AuditEvent).where(AuditEvent.action == "alert.deleted")).one()
    assert deletion.details["before"]["name"] == "New two-year-old applications" and deletion.details["after"] is None


def test_a_message_alert_previews_the_message_and_its_notification(make_app, db):
    app = make_app(PORTAL_BASE_URL="https://portal.example")
    load_shipped_forms(db)
    client = admin_client(app, db)
    url = "/admin/alerts/new/drafts_expiring/message_applicant"
    page = client.get(url).get_data(as_text=True)
    assert "How many days before they are deleted?" in page and 'inputmode="numeric"' in page
    assert "{{Reference}}" not in page  # an unsent application has none
    fields = {
        "name": "Drafts about to go",
        "form_code": "",
        "days": "3",
        "subject": "{{Forename}}, your application is not sent yet",
        "body_markdown": "Dear {{Title}} {{Surname}},\n\nYour application for {{ChildName}} will be **deleted** soon.",
    }
    previewed = text_of(post_form(client, url, {**fields, "preview": "Preview"}).get_data(as_text=True))
    assert "Preview of the message, with sample values" in previewed
    assert "Siân, your application is not sent yet" in previewed
    assert "Dear Ms O'Neill, Your application for Zoë O'Neill will be deleted soon." in previewed
    assert "You have a new message about an application you have not sent yet. Sign in to read it." in previewed
    assert "https://portal.example/messages" in previewed
    assert alerts_in(db) == []
    saved = post_form(client, url, fields)
    (alert,) = alerts_in(db)
    assert saved.headers["Location"] == f"/admin/alerts/{alert.id}"
    assert alert.days == 3 and alert.form_code is None and alert.recipients == []
    assert "When it runs Every day from 7am, UK time" in text_of(
        client.get(saved.headers["Location"]).get_data(as_text=True)
    )
    listing = text_of(client.get("/admin/alerts").get_data(as_text=True))
    assert "Daily: unsent applications will be deleted within 3 days Message the applicant On" in listing


def test_a_withdrawal_alert_only_emails_a_list(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    assert client.get("/admin/alerts/new/consent_withdrawn").headers["Location"] == (
        "/admin/alerts/new/consent_withdrawn/email_list"
    )  # nothing to choose: the person's account is closed, so they cannot be sent a message
    assert client.get("/admin/alerts/new/consent_withdrawn/message_applicant").status_code == 404
    url = "/admin/alerts/new/consent_withdrawn/email_list"
    page = client.get(url).get_data(as_text=True)
    assert 'name="form_code"' not in page and 'name="subject"' not in page and 'name="days"' not in page
    assert "Change" not in text_of(page).split("What it does")[1].split("Name")[0]
    preview = text_of(post_form(client, url, {"name": "Withdrawals", "recipients": "dpo@council.example",
                                              "preview": "Preview"}).get_data(as_text=True))  # fmt: skip
    assert "Account reference: 5678" in preview and "Siân" not in preview
    saved = post_form(client, url, {"name": "Withdrawals", "recipients": "dpo@council.example"})
    assert saved.status_code == 302
    (alert,) = alerts_in(db)
    assert alert.kind is AlertKind.CONSENT_WITHDRAWN and alert.recipients == ["dpo@council.example"]
    edit = f"/admin/alerts/{alert.id}/edit"
    assert client.get(f"{edit}/action").headers["Location"] == f"{edit}?action=email_list"
    assert 'name="subject"' not in client.get(f"{edit}?action=message_applicant").get_data(as_text=True)


WAITING_LIST = f"{NEW_WAITING}/email_list"
WAITING_MESSAGE = f"{NEW_WAITING}/message_applicant"
TEAM = {"recipients": "a@council.example"}


@pytest.mark.parametrize(
    ("url", "fields", "expected"),
    [
        (NEW_SUBMISSION, {"name": "", "form_code": ""},
         ["Enter a name for the alert", "Select a form", "Enter at least one email address"]),
        (NEW_SUBMISSION, {**SUBMISSION_ALERT, "name": "x" * 101}, ["Name must be 100 characters or fewer"]),
        (NEW_SUBMISSION, {**SUBMISSION_ALERT, "name": " \t "}, ["Enter a name for the alert"]),
        (NEW_SUBMISSION, {**SUBMISSION_ALERT, "form_code": "no_such_form"}, ["Select a form from the list"]),
        (NEW_SUBMISSION, {**SUBMISSION_ALERT, "recipients": ""}, ["Enter at least one email address"]),
        (NEW_SUBMISSION, {**SUBMISSION_ALERT, "recipients": " ; ,\n"}, ["Enter at least one email address"]),
        (NEW_SUBMISSION, {**SUBMISSION_ALERT, "recipients": "a@council.example, not-an-address"},
         ["not-an-address is not a valid email address. Enter email addresses in the correct format, "
          "like name@example.com"]),
        (NEW_SUBMISSION, {**SUBMISSION_ALERT, "recipients": ",".join(f"p{i}@council.example" for i in range(21))},
         ["Enter 20 email addresses or fewer"]),
        (WAITING_LIST, {"name": "Late", "days": "", **TEAM}, ["Enter the number of days"]),
        (WAITING_LIST, {"name": "Late", "days": "2.5", **TEAM}, ["Number of days must be a whole number, like 3"]),
        (WAITING_LIST, {"name": "Late", "days": "-1", **TEAM}, ["Number of days must be a whole number, like 3"]),
        (WAITING_LIST, {"name": "Late", "days": "٣", **TEAM}, ["Number of days must be a whole number, like 3"]),
        (WAITING_LIST, {"name": "Late", "days": "0", **TEAM}, ["Number of days must be between 1 and 365"]),
        (WAITING_LIST, {"name": "Late", "days": "9" * 400, **TEAM}, ["Number of days must be between 1 and 365"]),
        ("/admin/alerts/new/drafts_expiring/email_list", {"name": "Soon", "days": "91", **TEAM},
         ["Number of days must be between 1 and 90"]),
        (WAITING_MESSAGE, {"name": "Late", "days": "10", "subject": "", "body_markdown": ""},
         ["Enter a subject", "Enter a message"]),
        (WAITING_MESSAGE, {"name": "Late", "days": "10", "subject": "Hello {{forename}}",
                           "body_markdown": "{{Nickname}} hi"},
         ["{{forename}} is not a placeholder you can use. Did you mean {{Forename}}?",
          "{{Nickname}} is not a placeholder you can use. Use one of: {{Title}}, {{Forename}}, {{Surname}}, "
          "{{BusPhone}}, {{Mobile}}, {{HomePhone}}, {{Reference}}, {{ChildName}}, {{FundingStart}}"]),
        (WAITING_MESSAGE, {"name": "Late", "days": "10", "subject": "x" * 151, "body_markdown": "b" * 10_001},
         ["Subject must be 150 characters or fewer", "Message must be 10,000 characters or fewer"]),
        (WAITING_MESSAGE, {"name": "Late", "days": "10", "subject": "Two\nlines", "body_markdown": "{{Forename"},
         ["Subject must be on one line", "{{Forename must end with }}, like {{Forename}}"]),
        ("/admin/alerts/new/drafts_expiring/message_applicant",
         {"name": "Soon", "days": "3", "subject": "About {{Reference}}", "body_markdown": "Hi"},
         ["Unsent applications do not have a reference yet. Remove {{Reference}}"]),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_gov_uk_words_and_saves_nothing(make_app, db, url, fields, expected):
    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)
    for button in ({}, {"preview": "Preview"}):
        response = post_form(client, url, {**fields, **button})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert page_title(html).startswith("Error: Create an alert")
        assert error_summary(html) == expected
    assert alerts_in(db) == []


def test_error_summary_links_go_to_their_fields(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)
    html = post_form(client, WAITING_LIST, {"name": "", "days": "x"}).get_data(as_text=True)
    for field in ("name", "days", "recipients"):
        assert f'href="#{field}"' in html and f'id="{field}"' in html
    html = post_form(client, NEW_SUBMISSION, {**SUBMISSION_ALERT, "recipients": ""}).get_data(as_text=True)
    assert 'href="#recipients"' in html and 'id="recipients"' in html


def test_names_are_unique_whatever_their_case_and_a_double_post_makes_one_alert(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)
    page = client.get(NEW_SUBMISSION).get_data(as_text=True)
    token = re.search(r'name="creation_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_token_from(page), "creation_token": token, **SUBMISSION_ALERT}
    first = client.post(NEW_SUBMISSION, data=data)
    second = client.post(NEW_SUBMISSION, data=data)  # the same page posted again: the same alert
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(alerts_in(db)) == 1
    again = post_form(client, NEW_SUBMISSION, {**SUBMISSION_ALERT, "name": "NEW TWO-YEAR-OLD APPLICATIONS"})
    assert error_summary(again.get_data(as_text=True)) == [
        "There is already an alert called NEW TWO-YEAR-OLD APPLICATIONS. Enter a different name"
    ]
    assert len(alerts_in(db)) == 1
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "alert.created")) == 1


def test_odd_ids_kinds_and_posts_never_500(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)
    for url in ("/admin/alerts/999", "/admin/alerts/999/edit", "/admin/alerts/999/edit/action",
                "/admin/alerts/999/delete", "/admin/alerts/new/nothing", "/admin/alerts/new/nothing/email_list",
                "/admin/alerts/abc", "/admin/alerts/new/SUBMITTED", "/admin/alerts/new/submitted/launch_rockets",
                "/admin/alerts/new/submitted/" + "x" * 5000):  # fmt: skip
        assert client.get(url).status_code == 404, url
    page = client.get("/admin/alerts").get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.post("/admin/alerts/999/activation", data={"csrf_token": token, "active": "on"}).status_code == 404
    post_form(client, NEW_SUBMISSION, SUBMISSION_ALERT)
    alert = alerts_in(db)[0]
    assert client.get(f"/admin/alerts/{alert.id}/edit?action=rubbish").status_code == 200  # the alert's own action
    for active in ("maybe", "", "on" * 500):
        assert (
            client.post(
                f"/admin/alerts/{alert.id}/activation", data={"csrf_token": token, "active": active}
            ).status_code
            == 400
        )
    assert client.post(f"/admin/alerts/{alert.id}/activation", data={"active": "off"}).status_code == 400  # no CSRF
    assert alerts_in(db)[0].active
    # A post without its CSRF token saves nothing; deleting twice is the same as deleting once.
    assert client.post(NEW_SUBMISSION, data={**SUBMISSION_ALERT, "name": "Other"}).status_code in (200, 400)
    assert len(alerts_in(db)) == 1
    delete_url = f"/admin/alerts/{alert.id}/delete"
    delete_token = csrf_token_from(client.get(delete_url).get_data(as_text=True))
    assert client.post(delete_url, data={"csrf_token": delete_token}).headers["Location"] == "/admin/alerts"
    assert client.post(delete_url, data={"csrf_token": delete_token}).headers["Location"] == "/admin/alerts"
    assert alerts_in(db) == []
    # Fields missing altogether, or absurdly long, are errors like any other.
    page = client.get(NEW_SUBMISSION).get_data(as_text=True)
    missing = client.post(NEW_SUBMISSION, data={"csrf_token": csrf_token_from(page)})
    assert missing.status_code == 200 and "Enter a name for the alert" in error_summary(missing.get_data(as_text=True))
    huge = post_form(client, NEW_SUBMISSION, {**SUBMISSION_ALERT, "recipients": "a@b.example\n" * 5000,
                                             "creation_token": "t" * 5000})  # fmt: skip
    assert huge.status_code == 302  # repeats of one address are one address; an unusable token is ignored
    assert alerts_in(db)[0].recipients == ["a@b.example"]


def test_what_an_administrator_types_is_shown_as_text(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)
    saved = post_form(client, NEW_SUBMISSION, {**SUBMISSION_ALERT, "name": "<script>alert(1)</script>"})
    for url in ("/admin/alerts", saved.headers["Location"], saved.headers["Location"] + "/delete"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_caseworkers_and_parents_are_refused_every_alerts_page(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    admin = admin_client(app, db)
    post_form(admin, NEW_SUBMISSION, SUBMISSION_ALERT)
    alert_id = alerts_in(db)[0].id
    caseworker = app.test_client()
    sign_in_staff(caseworker, db, role=Role.CASEWORKER, email="case@example.com")
    make_user(db, email="parent@example.com")
    parent = app.test_client()
    sign_in(parent, "parent@example.com")
    urls = ["/admin/alerts", "/admin/alerts/new", "/admin/alerts/new/submitted", NEW_SUBMISSION,
            f"/admin/alerts/{alert_id}", f"/admin/alerts/{alert_id}/edit", f"/admin/alerts/{alert_id}/edit/action",
            f"/admin/alerts/{alert_id}/delete"]  # fmt: skip
    for client in (caseworker, parent):
        token = csrf_token_from(client.get("/account").get_data(as_text=True))  # the sign-out form's
        for url in urls:
            assert client.get(url).status_code == 403, url
            assert client.post(url, data={"csrf_token": token, **SUBMISSION_ALERT}).status_code in (403, 405), url
        assert (
            client.post(f"/admin/alerts/{alert_id}/activation", data={"csrf_token": token, "active": "off"}).status_code
            == 403
        )
    assert 'href="/admin/alerts"' not in caseworker.get("/admin/").get_data(as_text=True)
    assert len(alerts_in(db)) == 1 and alerts_in(db)[0].active
    anonymous = app.test_client()
    assert anonymous.get("/admin/alerts").status_code == 302


def test_the_list_runs_the_same_queries_however_many_alerts_and_deliveries(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)

    def add_alerts(start: int, count: int) -> None:
        for index in range(start, start + count):
            alert = Alert(name=f"Alert {index:03d}", kind=AlertKind.SUBMITTED, action=AlertAction.EMAIL_LIST,
                          form_code="two_year_old_funding", recipients=["a@council.example"])  # fmt: skip
            db.add(alert)
            db.flush()
            db.add_all(AlertDelivery(alert_id=alert.id, subject_key=f"k{n}") for n in range(index % 4))
        db.commit()

    add_alerts(0, 2)
    client.get("/admin/alerts")  # (the session's last-seen time is written at most once a minute: not now)
    with count_queries(app) as few:
        assert client.get("/admin/alerts").status_code == 200
    add_alerts(2, 30)
    client.get("/admin/alerts")
    with count_queries(app) as many:
        html = client.get("/admin/alerts").get_data(as_text=True)
    assert "Alert 031" in html
    assert len(many) == len(few)


def test_the_deliveries_of_an_alert_are_listed_with_links_to_the_submissions(make_app, db):
    from portal.services.alert_jobs import deliver_triggered_alerts

    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)
    post_form(client, NEW_SUBMISSION, SUBMISSION_ALERT)
    alert = alerts_in(db)[0]
    parent = make_parent(db)
    application = make_submitted_application(db, parent, make_child(db, parent), reference="2YO-DELI-VERY")
    assert db.scalar(select(func.count()).select_from(StatusChange)) == 1
    assert deliver_triggered_alerts(db, base_url="http://x") == 1
    page = client.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert "It has fired 1 time." in page
    assert f'<a class="govuk-link" href="/admin/submissions/{application.id}">2YO-DELI-VERY</a>' in page
    assert "2 email addresses" in text_of(page)
    listing = text_of(client.get("/admin/alerts").get_data(as_text=True))
    assert re.search(r"Email 2 addresses On \d{1,2} \w+ \d{4}, \d{1,2}:\d\d[ap]m 1\b", listing), listing
