"""Each protection of the account pages has a test here that fails if the protection is removed:
no enumeration, throttling, session rotation, CSRF, and the server-side end of sessions."""

import hashlib
from datetime import timedelta

from account_helpers import REGISTRATION, deliver, emails_to, register, submit, text_of
from helpers import DEFAULT_PASSWORD, make_user, page_title, sign_in
from sqlalchemy import select

import portal.services.registration as registration_service
from portal.models import Role, User, WebSession, utcnow
from portal.sessions import purge_expired_sessions, token_digest


def _cookie(client) -> str:
    return client.get_cookie("portal_session").value


def _main(html: str) -> str:
    """The page's main content without its per-request tokens."""
    main = html[html.index("<main") : html.index("</main>")]
    return main


# -- enumeration ---------------------------------------------------------------------------------


def test_registering_a_taken_address_looks_the_same_and_tells_the_owner(make_app, smtp_server, db, monkeypatch):
    app = make_app(SMTP_PORT=smtp_server.port)
    make_user(db, email="taken@example.com", forename="Tess", surname="Owner")
    hashed = []
    real_hash = registration_service.hash_password
    monkeypatch.setattr(registration_service, "hash_password", lambda p: hashed.append(1) or real_hash(p))

    new = app.test_client()
    taken = app.test_client()
    first = register(new, email="fresh@example.com")
    second = register(taken, email="taken@example.com")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"] == "/register/check-your-email"
    new_page = new.get("/register/check-your-email").get_data(as_text=True)
    taken_page = taken.get("/register/check-your-email").get_data(as_text=True)
    assert _main(new_page).replace("fresh@", "X@") == _main(taken_page).replace("taken@", "X@")
    assert hashed == [1, 1]  # the same Argon2 work either way, so timing does not tell either

    deliver(app)
    (warning,) = emails_to(smtp_server, "taken@example.com")
    assert warning["Subject"] == "Someone tried to create an account with your email address"
    assert "Dear Tess Owner" in warning.get_content()
    assert db.scalars(select(User).where(User.email_normalised == "taken@example.com")).one().forename == "Tess"


def test_a_new_activation_link_is_asked_for_without_revealing_accounts(make_app, smtp_server):
    app = make_app(SMTP_PORT=smtp_server.port)
    client = app.test_client()
    register(client)
    unknown = submit(client, "/register/new-link", {"email": "nobody@example.com"})
    known = submit(client, "/register/new-link", {"email": "priya@example.com"})
    assert unknown.headers["Location"] == known.headers["Location"] == "/register/check-your-email"
    deliver(app)
    assert emails_to(smtp_server, "nobody@example.com") == []
    assert len(emails_to(smtp_server, "priya@example.com")) == 2


def _client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# -- throttling ----------------------------------------------------------------------------------


def test_sign_in_is_throttled_per_address_whichever_accounts_are_tried(make_app):
    app = make_app()
    client = app.test_client()
    statuses = [sign_in(client, f"person{n}@example.com", "wrong password").status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]


def test_sign_in_is_throttled_per_account_whichever_address_tries(make_app, db):
    app = make_app(SIGN_IN_ACCOUNT_LIMIT="3 per 15 minutes")
    with app.extensions["db_sessionmaker"]() as session:
        make_user(session)
    statuses = []
    for n in range(4):
        client = _client_from(app, f"192.0.2.{n + 1}")
        statuses.append(sign_in(client, "Parent@Example.com", "wrong password").status_code)
    assert statuses == [200, 200, 200, 429]
    other = _client_from(app, "192.0.2.99")
    assert sign_in(other, "someone.else@example.com", "wrong password").status_code == 200


def test_successful_sign_ins_do_not_count_against_the_account(make_app):
    app = make_app(SIGN_IN_ACCOUNT_LIMIT="2 per 15 minutes")
    with app.extensions["db_sessionmaker"]() as session:
        make_user(session)
    for n in range(4):
        client = _client_from(app, f"198.51.100.{n + 1}")
        assert sign_in(client, "parent@example.com").status_code == 302


# -- session rotation and server-side sessions ---------------------------------------------------


def test_sign_in_gives_a_new_session_id_and_the_old_one_is_dead(make_app, db):
    app = make_app()
    make_user(db)
    client = app.test_client()
    client.get("/sign-in")
    before = _cookie(client)
    sign_in(client, "parent@example.com")
    after = _cookie(client)
    assert before != after
    assert db.get(WebSession, token_digest(before)) is None
    planted = app.test_client()
    planted.set_cookie("portal_session", before)
    assert planted.get("/account").status_code == 302  # the pre-sign-in id does not carry the sign-in


def test_completing_two_step_verification_gives_another_new_session_id(make_app, db, smtp_server):
    app = make_app(SMTP_PORT=smtp_server.port)
    user = make_user(db)
    user.two_step_method = user.two_step_method.EMAIL
    db.commit()
    client = app.test_client()
    sign_in(client, "parent@example.com")
    between = _cookie(client)
    deliver(app)
    from account_helpers import code_in

    submit(client, "/sign-in/verify", {"code": code_in(smtp_server.messages[-1])})
    assert _cookie(client) != between
    assert client.get("/account").status_code == 200


def test_only_a_hash_of_the_session_token_is_stored(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    token = _cookie(client)
    row = db.get(WebSession, hashlib.sha256(token.encode()).hexdigest())
    assert row is not None and row.user_id is not None
    assert db.scalars(select(WebSession).where(WebSession.id == token)).first() is None


def test_sign_out_ends_the_session_on_the_server_even_for_a_copied_cookie(make_app, db):
    app = make_app()
    make_user(db)
    client = app.test_client()
    sign_in(client, "parent@example.com")
    copy = app.test_client()
    copy.set_cookie("portal_session", _cookie(client))
    assert copy.get("/account").status_code == 200
    submit(client, "/sign-out", page_url="/account")
    assert copy.get("/account").status_code == 302


def test_an_idle_session_ends_after_the_idle_timeout(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    row = db.get(WebSession, token_digest(_cookie(client)))
    row.last_seen_at = utcnow() - timedelta(minutes=29)
    db.commit()
    assert client.get("/account").status_code == 200  # 29 minutes idle: still signed in
    db.refresh(row)
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    db.commit()
    assert client.get("/account").status_code == 302
    assert db.scalars(select(WebSession).where(WebSession.user_id.is_not(None))).all() == []


def test_a_busy_session_still_ends_at_its_absolute_lifetime(make_app, db):
    app = make_app(SESSION_ABSOLUTE_HOURS=12)
    make_user(db)
    client = app.test_client()
    sign_in(client, "parent@example.com")
    row = db.get(WebSession, token_digest(_cookie(client)))
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.commit()
    assert client.get("/account").status_code == 302


def test_reading_pages_touches_the_session_at_most_once_a_minute(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    client.get("/account")  # the first page after sign-in stores its new CSRF token
    digest = token_digest(_cookie(client))
    row = db.get(WebSession, digest)
    recent = utcnow() - timedelta(seconds=20)
    row.last_seen_at = recent
    db.commit()
    client.get("/account")
    db.refresh(row)
    assert row.last_seen_at == recent
    row.last_seen_at = utcnow() - timedelta(minutes=2)
    db.commit()
    client.get("/account")
    db.refresh(row)
    assert row.last_seen_at > utcnow() - timedelta(seconds=10)


def test_the_worker_purges_expired_sessions(app, db):
    old = WebSession(id="a" * 64, data={}, created_at=utcnow(), last_seen_at=utcnow() - timedelta(hours=1))
    fresh = WebSession(id="b" * 64, data={}, created_at=utcnow(), last_seen_at=utcnow())
    db.add_all([old, fresh])
    db.commit()
    with app.app_context():
        assert purge_expired_sessions(db) == 1
    assert [row.id for row in db.scalars(select(WebSession))] == ["b" * 64]


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(make_app, db, smtp_server):
    app = make_app(SMTP_PORT=smtp_server.port)
    make_user(db)
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "parent@example.com")
    sign_in(elsewhere, "parent@example.com")
    new = "another long passphrase"
    response = submit(
        here,
        "/account/password",
        {"current_password": DEFAULT_PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.headers["Location"] == "/account"
    assert "Your password has been changed" in here.get("/account").get_data(as_text=True)
    assert elsewhere.get("/account").status_code == 302
    deliver(app)
    assert smtp_server.messages[-1]["Subject"] == "Your Family services portal password has been changed"


# -- CSRF ----------------------------------------------------------------------------------------


def test_account_changes_without_the_csrf_token_are_refused_and_change_nothing(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    response = client.post("/account/withdraw-consent/confirm", data={})
    assert response.status_code == 400
    assert page_title(response.get_data(as_text=True)).startswith("This page has expired")
    personal = client.post("/account/personal-details", data={"forename": "Mallory", "surname": "Evil"})
    assert personal.status_code == 400
    db.expire_all()
    user = db.scalars(select(User)).one()
    assert user.is_active and user.forename == "Sam"
    assert client.get("/account").status_code == 200


# -- registration rules --------------------------------------------------------------------------


def test_nothing_is_stored_before_the_consent_statement_is_agreed(client, db):
    assert client.get("/register/details").headers["Location"] == "/register"
    refused = submit(client, "/register", {})
    html = refused.get_data(as_text=True)
    assert "Select that you agree to the data protection consent statement" in text_of(html)
    skipped = client.post("/register/details", data=REGISTRATION)
    assert skipped.status_code in (302, 400)
    assert db.scalars(select(User)).all() == []


def test_registration_checks_each_field_with_gov_uk_messages(client, db):
    html = register(
        client, forename="", postcode="", email="not-an-email", password="password123", confirm_password="other"
    ).get_data(as_text=True)
    assert page_title(html).startswith("Error: Create an account")
    text = text_of(html)
    for expected in (
        "Enter your first name",
        "Enter your postcode",
        "Enter an email address in the correct format, like name@example.com",
        "Password is too common and easy to guess",
        "Passwords must match",
    ):
        assert expected in text
    assert db.scalars(select(User)).all() == []


def test_an_expired_activation_link_offers_a_new_one(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    client = app.test_client()
    register(client)
    from portal.models import AccountToken

    token = db.scalars(select(AccountToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    deliver(app)
    from account_helpers import link_in

    response = client.get(link_in(smtp_server.messages[-1], "/register/activate/"))
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("This link has expired")
    assert 'href="/register/new-link"' in html


def test_an_email_code_expires_after_five_minutes(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    user = make_user(db)
    user.two_step_method = user.two_step_method.EMAIL
    db.commit()
    client = app.test_client()
    sign_in(client, "parent@example.com")
    deliver(app)
    from account_helpers import code_in

    from portal.models import AccountToken

    token = db.scalars(select(AccountToken)).one()
    assert timedelta(minutes=4) < token.expires_at - utcnow() <= timedelta(minutes=5)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    html = submit(client, "/sign-in/verify", {"code": code_in(smtp_server.messages[-1])}).get_data(as_text=True)
    assert "Codes expire after 5 minutes" in text_of(html)


def test_staff_need_two_step_verification_for_the_staff_area(make_app, db):
    app = make_app()
    make_user(db, role=Role.CASEWORKER, email="case@example.com")
    client = app.test_client()
    sign_in(client, "case@example.com")
    refused = client.get("/admin/")
    assert refused.status_code == 403
    text = text_of(refused.get_data(as_text=True))
    assert (
        "This area requires two-step verification to be enabled before you can access it. "
        "Please enable this in My account before continuing." in text
    )
    assert "You need to set up two-step verification before you can use the staff area" in text
    choices = client.get("/account/two-step-verification").get_data(as_text=True)
    assert 'value="none"' not in choices  # staff cannot turn it off
    submit(client, "/account/two-step-verification", {"method": "email", "password": DEFAULT_PASSWORD})
    assert client.get("/admin/").status_code == 200
