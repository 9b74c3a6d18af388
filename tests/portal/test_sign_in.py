from helpers import error_summary, make_user, page_title, sign_in

from portal.models import AuditEvent, Role


def test_a_parent_signs_in_and_sees_their_account(client, db):
    make_user(db, forename="Sam", surname="Parent")
    response = sign_in(client, "Parent@Example.com ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    html = client.get("/account").get_data(as_text=True)
    assert page_title(html).startswith("My account")
    assert "Sam Parent" in html and "parent@example.com" in html
    assert "Sign out" in html


def test_wrong_password_and_unknown_email_get_the_same_message(client, db):
    make_user(db)
    wrong_password = sign_in(client, "parent@example.com", "not the password").get_data(as_text=True)
    unknown_email = sign_in(client, "nobody@example.com", "not the password").get_data(as_text=True)
    assert error_summary(wrong_password) == ["Email address or password is incorrect"]
    assert error_summary(unknown_email) == ["Email address or password is incorrect"]
    assert page_title(wrong_password).startswith("Error: Sign in")


def test_empty_fields_get_gov_uk_messages(client):
    html = sign_in(client, "", "").get_data(as_text=True)
    assert error_summary(html) == ["Enter your email address", "Enter your password"]


def test_sign_in_starts_a_new_session(client, db):
    make_user(db)
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, "parent@example.com")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


def test_next_takes_staff_back_where_they_were_going_but_never_off_site(client, db):
    make_user(db, role=Role.CASEWORKER, email="case@example.com")
    assert sign_in(client, "case@example.com", next_url="/admin/").headers["Location"] == "/admin/"
    client.post("/sign-out", data={"csrf_token": _token(client)})
    assert sign_in(client, "case@example.com", next_url="//evil.example").headers["Location"] == "/"


def test_sign_out_ends_the_session(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    response = client.post("/sign-out", data={"csrf_token": _token(client)})
    assert response.headers["Location"] == "/signed-out"
    assert client.get("/account").status_code == 302


def test_sign_in_attempts_are_audited_without_the_password(client, db):
    user = make_user(db)
    sign_in(client, "parent@example.com", "wrong password here")
    sign_in(client, "parent@example.com")
    events = db.query(AuditEvent).filter(AuditEvent.action.like("sign_in%")).order_by(AuditEvent.id).all()
    assert [(e.action, e.actor_id) for e in events] == [("sign_in_failed", user.id), ("sign_in", user.id)]
    assert all("password" not in str(e.details) for e in events)


def test_sign_in_is_throttled_per_client_address(make_app):
    app = make_app()
    client = app.test_client()
    statuses = [sign_in(client, "nobody@example.com", "wrong password").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "You have tried too many times" in sign_in(client, "nobody@example.com", "x").get_data(as_text=True)


def _token(client):
    from helpers import csrf_token_from

    return csrf_token_from(client.get("/account").get_data(as_text=True))
