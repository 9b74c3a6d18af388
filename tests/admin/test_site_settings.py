"""Site settings: administrators change them without a release; each is checked, audited, and in force at once.

Every page is read as a person reads it (titles, error summaries, the values shown) and every form is
posted with what the page itself holds, as a browser would send it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from account_helpers import REGISTRATION, body, code_in, deliver, register, submit
from application_helpers import load_shipped_forms, location, make_child, make_parent, post_page, signed_in_client
from helpers import (
    admin_client,
    client_signed_in_as,
    count_queries,
    csrf_token_from,
    error_summary,
    make_user,
    page_title,
    sign_in,
)
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from portal.models import (
    Application,
    AuditEvent,
    FormStatus,
    FormVersion,
    Role,
    SiteSetting,
    TwoStepMethod,
    User,
    WebSession,
    utcnow,
)

SUFFIX = " – Family services portal – Testshire Council"
GROUPS = ["service", "contact", "passwords", "two-step", "uploads", "drafts", "sessions"]


class FormReader(HTMLParser):
    """The values a browser would send from the page's settings form (text boxes, hidden, ticked boxes)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: MultiDict = MultiDict()
        self.in_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("method") == "post" and not attributes.get("action"):
            self.in_form = True
        if not self.in_form or tag != "input" or "name" not in attributes:
            return
        kind = attributes.get("type", "text")
        if kind in {"radio", "checkbox"} and "checked" not in attributes:
            return
        if kind != "submit":
            self.values.add(attributes["name"], attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def form_values(html: str) -> MultiDict:
    reader = FormReader()
    reader.feed(html)
    return reader.values


def post_group(client, slug: str, page_html: str | None = None, **changes):
    """Post the group's edit page with its own values, changed where `changes` says (a list for checkboxes)."""
    html = page_html if page_html is not None else client.get(f"/admin/settings/{slug}").get_data(as_text=True)
    values = form_values(html)
    for name, value in changes.items():
        values.setlist(name, value if isinstance(value, list) else [value])
    return client.post(f"/admin/settings/{slug}", data=values)


def reset(client, key: str):
    page = client.get(f"/admin/settings/{key}/reset").get_data(as_text=True)
    return client.post(f"/admin/settings/{key}/reset", data={"csrf_token": csrf_token_from(page)})


def rows(db) -> dict:
    db.expire_all()
    return {row.key: row.value for row in db.scalars(select(SiteSetting))}


def setting_events(db) -> list[AuditEvent]:
    db.expire_all()
    return db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "site_setting").order_by(AuditEvent.id)
    ).all()


def card(html: str, slug: str) -> str:
    match = re.search(rf'<div class="govuk-summary-card"\s+id="group-{slug}">(.*?)</dl>', html, re.S)
    assert match, f"no card for {slug}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def text(html: str) -> str:
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# -- the pages ------------------------------------------------------------------------------------------


def test_the_settings_page_shows_every_group_with_its_values_and_defaults(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    front = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/settings"' in front and "Site settings" in front
    html = client.get("/admin/settings").get_data(as_text=True)
    assert page_title(html) == "Site settings" + SUFFIX
    service = card(html, "service")
    assert "Council name Testshire Council This is the default" in service
    assert "Phase banner Beta" in service
    assert "Minimum password length 10 characters" in card(html, "passwords")
    two_step = card(html, "two-step")
    assert "Length of emailed codes 6 digits" in two_step
    assert "Wrong codes before an account is locked 4 wrong codes" in two_step
    assert "Largest file 10MB" in card(html, "uploads") and ".pdf" in card(html, "uploads")
    assert "How long an unsent application is kept 28 days" in card(html, "drafts")
    assert "30 minutes" in card(html, "sessions") and "12 hours" in card(html, "sessions")
    assert "Email address Not set" in card(html, "contact")
    assert "/reset" not in html  # nothing changed yet, so nothing to reset
    for slug in GROUPS:
        assert f'href="/admin/settings/{slug}"' in html
        page = client.get(f"/admin/settings/{slug}").get_data(as_text=True)
        assert page_title(page).endswith("– Site settings" + SUFFIX)
    titles = {page_title(client.get(f"/admin/settings/{slug}").get_data(as_text=True)) for slug in GROUPS}
    assert len(titles) == len(GROUPS)  # every page title is unique


def test_each_edit_page_shows_the_default_and_the_bounds(make_app, db):
    app = make_app(UPLOAD_MAX_MB=20)
    client = admin_client(app, db)
    passwords = text(client.get("/admin/settings/passwords").get_data(as_text=True))
    assert "Default: 10 characters" in passwords
    assert "At least 8, the NCSC Cyber Essentials minimum" in passwords
    uploads = text(client.get("/admin/settings/uploads").get_data(as_text=True))
    assert "This portal was started with a limit of 20MB." in uploads
    assert "Default: 20MB" in uploads


# -- checking what is typed -----------------------------------------------------------------------------

REFUSED = [
    ("service", {"council_name": ""}, "council_name", "Enter the council’s name"),
    ("service", {"council_name": "   "}, "council_name", "Enter the council’s name"),
    ("service", {"council_name": "x" * 101}, "council_name", "Council name must be 100 characters or fewer"),
    ("service", {"service_name": ""}, "service_name", "Enter the service name"),
    ("service", {"phase": "gamma"}, "phase", "Select a phase banner"),
    ("service", {"phase": []}, "phase", "Select a phase banner"),
    ("contact", {"contact_email": "not an email"}, "contact_email",
     "Enter an email address in the correct format, like name@example.com"),
    ("contact", {"contact_phone": "ring us"}, "contact_phone",
     "Enter a telephone number, like 01632 960 001 or 0300 123 4567"),
    ("contact", {"contact_hours": "y" * 201}, "contact_hours", "Opening hours must be 200 characters or fewer"),
    ("passwords", {"password_min_length": ""}, "password_min_length", "Enter the minimum password length"),
    ("passwords", {"password_min_length": "ten"}, "password_min_length",
     "Minimum password length must be a whole number, like 10"),
    ("passwords", {"password_min_length": "10.5"}, "password_min_length",
     "Minimum password length must be a whole number, like 10"),
    ("passwords", {"password_min_length": "7"}, "password_min_length",
     "Minimum password length must be 8 characters or more"),
    ("passwords", {"password_min_length": "-12"}, "password_min_length",
     "Minimum password length must be 8 characters or more"),
    ("passwords", {"password_min_length": "65"}, "password_min_length",
     "Minimum password length must be 64 characters or fewer"),
    ("passwords", {"password_min_length": "9" * 5000}, "password_min_length",
     "Minimum password length must be 64 characters or fewer"),
    ("two-step", {"two_step_code_digits": "5"}, "two_step_code_digits", "Emailed codes must be 6 digits or longer"),
    ("two-step", {"two_step_code_digits": "11"}, "two_step_code_digits", "Emailed codes must be 10 digits or shorter"),
    ("two-step", {"two_step_code_minutes": "11"}, "two_step_code_minutes",
     "An emailed code must work for 10 minutes or less"),
    ("two-step", {"two_step_max_attempts": "2"}, "two_step_max_attempts",
     "Wrong codes before an account is locked must be 3 or more"),
    ("two-step", {"two_step_max_attempts": "11"}, "two_step_max_attempts",
     "Wrong codes before an account is locked must be 10 or fewer"),
    ("two-step", {"two_step_lock_minutes": "0"}, "two_step_lock_minutes",
     "An account must stay locked for 1 minute or more"),
    ("two-step", {"two_step_required_forms": ["no_such_form"]}, "two_step_required_forms",
     "Select forms from the list"),
    ("uploads", {"upload_allowed_extensions": ["pdf", "exe"]}, "upload_allowed_extensions",
     "Select file types from the list"),
    ("uploads", {"upload_allowed_extensions": []}, "upload_allowed_extensions", "Select at least one file type"),
    ("uploads", {"upload_max_mb": "0"}, "upload_max_mb", "Largest file size must be 1MB or more"),
    ("uploads", {"upload_max_mb": "11"}, "upload_max_mb",
     "Largest file size must be 10MB or less. The portal was started with UPLOAD_MAX_MB=10, which caps every "
     "request: to allow larger files, restart it with a higher UPLOAD_MAX_MB"),
    ("drafts", {"draft_expiry_days": "7"}, "draft_expiry_days",
     "An unsent application must be kept for 8 days or more"),
    ("drafts", {"draft_expiry_days": "366"}, "draft_expiry_days",
     "An unsent application must be kept for 365 days or less"),
    ("sessions", {"session_idle_minutes": "9"}, "session_idle_minutes",
     "Time without activity must be 10 minutes or more"),
    ("sessions", {"session_absolute_hours": "25"}, "session_absolute_hours",
     "Longest session must be 24 hours or less"),
    ("sessions", {"session_idle_minutes": "120", "session_absolute_hours": "2"}, "session_idle_minutes",
     "Time without activity must be shorter than the longest session"),
]  # fmt: skip


@pytest.mark.parametrize(("slug", "changes", "field", "message"), REFUSED)
def test_a_wrong_value_gets_a_specific_message_and_nothing_changes(make_app, db, slug, changes, field, message):
    app = make_app()
    load_shipped_forms(db)
    client = admin_client(app, db)
    response = post_group(client, slug, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page_title(html).startswith("Error: ")
    assert error_summary(html) == [message]
    assert f'href="#{field}"' in html  # the summary links to the field
    assert rows(db) == {} and setting_events(db) == []


def test_every_problem_of_a_group_is_listed_and_nothing_of_it_is_stored(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    response = post_group(client, "two-step", two_step_code_digits="6", two_step_code_minutes="x",
                          two_step_max_attempts="99", two_step_lock_minutes="30")  # fmt: skip
    assert error_summary(response.get_data(as_text=True)) == [
        "How long an emailed code works must be a whole number of minutes, like 5",
        "Wrong codes before an account is locked must be 10 or fewer",
    ]
    assert rows(db) == {}  # the valid lock time is not stored either


def test_odd_requests_never_fail(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    assert client.get("/admin/settings/no-such-group").status_code == 404
    assert client.get("/admin/settings/no_such_setting/reset").status_code == 404
    assert client.get("/admin/settings/council_name").status_code == 404  # a key is not a group
    page = client.get("/admin/settings/service").get_data(as_text=True)
    token = csrf_token_from(page)
    assert client.post("/admin/settings/service", data={"council_name": "X"}).status_code == 400  # no CSRF token
    missing = client.post("/admin/settings/service", data={"csrf_token": token})  # every field left out
    assert error_summary(missing.get_data(as_text=True)) == [
        "Enter the council’s name", "Enter the service name", "Select a phase banner"
    ]
    doubled = client.post("/admin/settings/passwords", data=MultiDict(
        [("csrf_token", token), ("password_min_length", "12"), ("password_min_length", "abc")]
    ))  # fmt: skip
    assert doubled.status_code == 302 and rows(db) == {"password_min_length": 12}
    assert client.post("/admin/settings/no_such_setting/reset", data={"csrf_token": token}).status_code == 404
    assert rows(db) == {"password_min_length": 12}


# -- a change in force at once --------------------------------------------------------------------------


def test_a_new_council_name_and_no_phase_banner_show_at_once_in_every_process(make_app, db):
    app = make_app()
    other_process = make_app()  # a second web process on the same database
    client = admin_client(app, db)
    public = other_process.test_client()
    before = public.get("/").get_data(as_text=True)
    assert page_title(before).endswith("– Testshire Council") and "govuk-phase-banner" in before

    saved = post_group(client, "service", council_name="  Northshire   Council ", phase="none")
    assert location(saved) == "/admin/settings?saved=service"
    banner = client.get(location(saved)).get_data(as_text=True)
    assert "Your changes to Service have been saved." in banner

    after = public.get("/").get_data(as_text=True)
    assert page_title(after) == page_title(after).split(" – ")[0] + " – Family services portal – Northshire Council"
    assert "Northshire Council" in after.split("</header>")[0]  # the header
    assert "This service is run by Northshire Council." in after  # the footer
    assert "govuk-phase-banner" not in after
    assert "Testshire" not in after
    assert page_title(public.get("/no-such-page").get_data(as_text=True)).endswith("– Northshire Council")

    html = client.get("/admin/settings").get_data(as_text=True)
    assert "Council name Northshire Council Default: Testshire Council" in card(html, "service")
    assert "Phase banner No phase banner Default: Beta" in card(html, "service")


def test_a_council_name_with_markup_is_shown_as_text(make_app, db):
    app = make_app()
    post_group(admin_client(app, db), "service", council_name='<script>alert(1)</script> & "Co"')
    html = app.test_client().get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html


def test_changes_are_audited_with_before_and_after_and_reset_goes_back_to_the_default(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    admin = db.scalars(select(User).where(User.email == "admin@example.com")).one()
    post_group(client, "service", council_name="Northshire Council")
    assert rows(db) == {"council_name": "Northshire Council"}  # only what changed is stored
    [changed] = setting_events(db)
    assert (changed.action, changed.object_id, changed.actor_id) == ("site_setting.changed", "council_name", admin.id)
    assert changed.details["before"] == {"value": "Testshire Council", "source": "default"}
    assert changed.details["after"] == {"value": "Northshire Council", "source": "administrator"}

    confirm = client.get("/admin/settings/council_name/reset").get_data(as_text=True)
    assert page_title(confirm) == "Reset council name to its default – Family services portal – Northshire Council"
    assert "Northshire Council" in confirm and "Testshire Council" in confirm
    done = reset(client, "council_name")
    assert location(done) == "/admin/settings?reset=council_name"
    assert "Council name is back to its default." in client.get(location(done)).get_data(as_text=True)
    assert rows(db) == {}
    assert page_title(app.test_client().get("/").get_data(as_text=True)).endswith("– Testshire Council")
    reset_event = setting_events(db)[-1]
    assert reset_event.action == "site_setting.reset" and reset_event.actor_id == admin.id
    assert reset_event.details["before"] == {"value": "Northshire Council", "source": "administrator"}
    assert reset_event.details["after"] == {"value": "Testshire Council", "source": "default"}

    again = client.get("/admin/settings/council_name/reset").get_data(as_text=True)
    assert "This setting already uses its default." in again and "Reset to default</button>" not in again
    assert location(reset(client, "council_name")) == "/admin/settings?reset=council_name"
    assert len(setting_events(db)) == 2  # resetting a default changes nothing and records nothing


def test_typing_the_default_again_follows_the_environment_again(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    post_group(client, "passwords", password_min_length="12")
    assert rows(db) == {"password_min_length": 12}
    post_group(client, "passwords", password_min_length="10")
    assert rows(db) == {}
    assert "Minimum password length 10 characters This is the default" in card(
        client.get("/admin/settings").get_data(as_text=True), "passwords"
    )
    assert [e.details["after"]["source"] for e in setting_events(db)] == ["administrator", "default"]


def test_the_same_form_posted_twice_changes_things_once(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    page = client.get("/admin/settings/sessions").get_data(as_text=True)
    first = post_group(client, "sessions", page, session_idle_minutes="20", session_absolute_hours="8")
    second = post_group(client, "sessions", page, session_idle_minutes="20", session_absolute_hours="8")
    assert first.status_code == 302 and second.status_code == 302
    assert rows(db) == {"session_idle_minutes": 20, "session_absolute_hours": 8}
    assert [e.object_id for e in setting_events(db)] == ["session_idle_minutes", "session_absolute_hours"]


def test_a_form_left_open_while_someone_else_saved_does_not_undo_their_change(make_app, db):
    app = make_app()
    ada = admin_client(app, db)
    bob = admin_client(app, db, email="bob@example.com")
    stale_page = ada.get("/admin/settings/service").get_data(as_text=True)
    post_group(bob, "service", council_name="Northshire Council")
    refused = post_group(ada, "service", stale_page, service_name="Families portal")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Someone else changed these settings while you had this page open." in html
    assert 'value="Northshire Council"' in html  # the page now shows what is saved
    assert rows(db) == {"council_name": "Northshire Council"}
    assert post_group(ada, "service", html, service_name="Families portal").status_code == 302
    assert rows(db) == {"council_name": "Northshire Council", "service_name": "Families portal"}


def test_contact_details_show_in_the_footer_and_on_error_pages(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    assert "Contact Testshire Council" not in app.test_client().get("/").get_data(as_text=True)
    post_group(client, "contact", contact_email="fis@testshire.gov.uk", contact_phone="0300 123 4567",
               contact_hours="Monday to Friday, 9am to 5pm")  # fmt: skip
    public = app.test_client()
    home = public.get("/").get_data(as_text=True)
    footer = home.split('<footer class="govuk-footer">')[1]
    assert 'href="mailto:fis@testshire.gov.uk"' in footer
    assert "0300 123 4567" in footer and "Monday to Friday, 9am to 5pm" in footer
    missing = public.get("/no-such-page").get_data(as_text=True)
    content = missing.split('<main')[1].split("</main>")[0]
    assert "Contact Testshire Council" in content and "0300 123 4567" in content


# -- where the settings matter --------------------------------------------------------------------------


def test_a_longer_minimum_password_refuses_a_shorter_password_at_registration(make_app, db):
    app = make_app()
    post_group(admin_client(app, db), "passwords", password_min_length="14")
    refused = register(app.test_client(), password="plum orchard", confirm_password="plum orchard")  # 12 long
    html = refused.get_data(as_text=True)
    assert error_summary(html) == ["Password must be 14 characters or more"]
    assert "Use at least 14 characters." in html
    assert db.scalar(select(func.count()).select_from(User).where(User.email == REGISTRATION["email"])) == 0
    accepted = register(app.test_client(), password="plum orchard gate", confirm_password="plum orchard gate")
    assert accepted.status_code == 302


def test_an_emailed_code_has_the_new_length_and_the_lock_comes_after_the_new_number_of_attempts(
    make_app, db, smtp_server
):
    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    post_group(admin, "two-step", two_step_code_digits="8", two_step_code_minutes="3",
               two_step_max_attempts="3", two_step_lock_minutes="7")  # fmt: skip
    post_group(admin, "service", council_name="Northshire Council")
    user = make_user(db, email="priya@example.com")
    user.two_step_method = TwoStepMethod.EMAIL
    db.commit()
    parent = app.test_client()
    sign_in(parent, "priya@example.com")
    deliver(app)
    email = [m for m in smtp_server.messages if m["To"] == "priya@example.com"][-1]
    assert len(code_in(email)) == 8
    assert "It expires after 3 minutes" in body(email)
    assert body(email).rstrip().endswith("Northshire Council")  # emails sign off with the council in force
    for attempt in range(2):
        wrong = submit(parent, "/sign-in/verify", {"code": "00000000"})
        assert "locked" not in text(wrong.get_data(as_text=True)), attempt
    locked = submit(parent, "/sign-in/verify", {"code": "00000000"})
    assert "locked for 7 minutes" in text(locked.get_data(as_text=True))
    db.expire_all()
    user = db.get(User, user.id)
    assert timedelta(minutes=6) < user.two_step_locked_until - utcnow() <= timedelta(minutes=7)


def test_the_two_step_page_names_the_code_length_in_force(make_app, db):
    app = make_app()
    post_group(admin_client(app, db), "two-step", two_step_code_digits="8")
    make_user(db)
    parent = signed_in_client(app, "parent@example.com")
    assert "We email you a 8-digit code" in parent.get("/account/two-step-verification").get_data(as_text=True)


def test_a_form_newly_marked_as_needing_two_step_verification_refuses_the_runner(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    make_parent(db)
    parent = signed_in_client(app, "parent@example.com")
    assert parent.get("/apply/thirty_hours_check").status_code == 200
    page = admin_client(app, db).get("/admin/settings/two-step").get_data(as_text=True)
    assert "30 hours" in page and "(thirty_hours_check)" in page  # the loaded forms, by title and code
    saved = post_group(admin_client(app, db, email="bob@example.com"), "two-step",
                       two_step_required_forms=["send_request_for_assessment", "thirty_hours_check"])  # fmt: skip
    assert saved.status_code == 302
    refused = parent.get("/apply/thirty_hours_check")
    assert refused.status_code == 403
    assert "This area requires two-step verification" in refused.get_data(as_text=True)
    assert parent.get("/apply/two_year_old_funding").status_code == 200


def test_a_shorter_idle_timeout_ends_a_session_already_open(make_app, db):
    app = make_app()
    user = make_user(db)
    parent = signed_in_client(app, "parent@example.com")
    row = db.scalars(select(WebSession).where(WebSession.user_id == user.id)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=15)
    db.commit()
    assert parent.get("/account").status_code == 200  # 15 minutes idle is fine under the default 30
    post_group(admin_client(app, db), "sessions", session_idle_minutes="10")
    db.expire_all()
    row = db.get(WebSession, row.id)
    row.last_seen_at = utcnow() - timedelta(minutes=11)
    db.commit()
    assert location(parent.get("/account")).startswith("/sign-in")
    db.expire_all()
    assert db.scalars(select(WebSession).where(WebSession.user_id == user.id)).all() == []


def test_the_worker_purges_sessions_with_the_timeout_in_force(make_app, db):
    from portal.sessions import purge_expired_sessions

    app = make_app()
    post_group(admin_client(app, db), "sessions", session_idle_minutes="10")
    idle = WebSession(id="c" * 64, data={}, created_at=utcnow(), last_seen_at=utcnow() - timedelta(minutes=12))
    db.add(idle)
    db.commit()
    worker = make_app()  # the worker is another process
    with worker.app_context():
        from portal import db as portal_db

        assert purge_expired_sessions(portal_db.session()) >= 1
    db.expire_all()
    assert db.scalars(select(WebSession.id).where(WebSession.id == "c" * 64)).all() == []


@pytest.fixture
def at_the_evidence_page(make_app, db):
    """An administrator's client, and a parent's client on the two-year-old form's evidence page."""
    from test_apply import CHILD_DOB, FORM, answer_to_claim_page

    app = make_app()
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent, dob=CHILD_DOB)
    client = signed_in_client(app, parent.email)
    answer_to_claim_page(client, child.id)
    assert location(post_page(client, f"{FORM}/claim", {"claim_route": "non_economic"})) == f"{FORM}/circumstances"
    assert location(post_page(client, f"{FORM}/circumstances", {"non_economic_reason": "dla"})) == f"{FORM}/evidence"
    return admin_client(app, db), client, f"{FORM}/evidence"


def test_an_upload_type_turned_off_is_refused_and_the_message_names_what_is_allowed(at_the_evidence_page, db):
    from application_helpers import tiny_pdf, tiny_png

    admin, parent, evidence = at_the_evidence_page
    post_group(admin, "uploads", upload_allowed_extensions=["png", "jpg", "jpeg"])
    refused = post_page(parent, evidence, {"action": "add"}, files={"evidence_file": ("letter.pdf", tiny_pdf())})
    assert error_summary(refused.get_data(as_text=True)) == ["The selected file must be an image"]
    kept = post_page(parent, evidence, {"action": "add"}, files={"evidence_file": ("photo.png", tiny_png())})
    assert location(kept) == evidence


def test_a_smaller_upload_limit_refuses_a_larger_file(at_the_evidence_page, db):
    from application_helpers import tiny_pdf

    admin, parent, evidence = at_the_evidence_page
    post_group(admin, "uploads", upload_max_mb="1")
    big = tiny_pdf() + b"0" * (1024 * 1024)
    refused = post_page(parent, evidence, {"action": "add"}, files={"evidence_file": ("big.pdf", big)})
    assert error_summary(refused.get_data(as_text=True)) == ["The selected file must be smaller than 1MB"]


def test_a_new_draft_expiry_applies_to_drafts_saved_from_then_on(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    post_group(admin_client(app, db), "drafts", draft_expiry_days="10")
    client = signed_in_client(app, parent.email)
    post_page(client, "/apply/two_year_old_funding", {"child": str(child.id)})
    draft = db.scalars(select(Application)).one()
    assert timedelta(days=9, hours=23) < draft.expires_at - utcnow() <= timedelta(days=10)


def test_a_stored_upload_limit_above_a_lowered_cap_gives_way_to_the_cap(make_app, db):
    db.add(SiteSetting(key="upload_max_mb", value=8))
    db.commit()
    app = make_app(UPLOAD_MAX_MB=5)
    html = admin_client(app, db).get("/admin/settings").get_data(as_text=True)
    uploads = card(html, "uploads")
    assert "Largest file 5MB" in uploads
    assert "Set to 8MB, but the portal was restarted with UPLOAD_MAX_MB=5, so 5MB applies." in uploads


# -- who may use these pages ----------------------------------------------------------------------------


def settings_urls() -> list[str]:
    from portal.services.site_settings import SETTINGS

    return ["/admin/settings", *(f"/admin/settings/{slug}" for slug in GROUPS),
            *(f"/admin/settings/{key}/reset" for key in SETTINGS)]  # fmt: skip


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PARENT])
def test_caseworkers_and_parents_get_403_on_every_settings_page(make_app, db, role):
    app = make_app()
    client = client_signed_in_as(app, db, role)
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    for url in settings_urls():
        assert client.get(url).status_code == 403, url
        if url != "/admin/settings":  # the summary page takes no posts at all (405 for everyone)
            assert client.post(url, data={"csrf_token": token, "council_name": "Hacked"}).status_code == 403, url
    assert rows(db) == {}
    with app.test_request_context():
        from flask import current_app

        rules = current_app.url_map.iter_rules()
        endpoints = {rule.endpoint for rule in rules if rule.rule.startswith("/admin/settings")}
    assert endpoints == {"admin.settings", "admin.settings_edit", "admin.settings_reset"}


def test_signed_out_people_are_sent_to_sign_in(make_app):
    client = make_app().test_client()
    assert location(client.get("/admin/settings")).startswith("/sign-in")


# -- query counts ---------------------------------------------------------------------------------------


def test_pages_read_the_settings_with_one_query_however_many_are_changed(make_app, db):
    app = make_app()
    load_shipped_forms(db)
    public = app.test_client()
    admin = admin_client(app, db)

    def counts():
        result = {}
        pages = [("home", public, "/"), ("about", public, "/about"), ("settings", admin, "/admin/settings")]
        for name, client, url in pages:
            client.get(url)
            with count_queries(app) as statements:
                assert client.get(url).status_code == 200
            result[name] = len(statements)
            if client is public:  # one read of the settings for the whole request
                assert sum("FROM site_settings" in s for s in statements) == 1, (name, statements)
        return result

    few = counts()
    post_group(admin, "service", council_name="Northshire Council", phase="alpha")
    post_group(admin, "contact", contact_email="fis@example.com", contact_phone="0300 123 4567")
    post_group(admin, "passwords", password_min_length="12")
    post_group(admin, "sessions", session_idle_minutes="20", session_absolute_hours="8")
    post_group(admin, "uploads", upload_allowed_extensions=["pdf"], upload_max_mb="5")
    for number in range(20):  # the 2SV form list grows with the forms loaded
        db.add(FormVersion(code=f"extra_{number}", version=1, title=f"Extra {number}", status=FormStatus.LIVE,
                           fingerprint="x", definition={}))  # fmt: skip
    db.commit()
    many = counts()
    assert many == few
    assert few["about"] == 2  # the page's text, and the settings
    assert db.scalar(select(func.count()).select_from(SiteSetting)) >= 8
