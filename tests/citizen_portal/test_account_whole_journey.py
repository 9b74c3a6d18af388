"""The whole citizen account journey through the web layer, with a real SMTP server on loopback:
every link and code is read from the delivered emails, as a person would."""

from datetime import timedelta

from account_helpers import (
    body,
    code_in,
    deliver,
    emails_to,
    link_in,
    register,
    secret_on,
    submit,
    text_of,
    totp_code,
)
from helpers import DEFAULT_PASSWORD, error_summary, page_title, sign_in
from sqlalchemy import select

from portal.models import AccountStatus, AuditEvent, ConsentAction, ConsentRecord, User, utcnow

INVALID_CODE = (
    "The verification code you entered is invalid. Please try again. "
    "Codes expire after 5 minutes and are 6 numbers long."
)
NEW_PASSWORD = "a brand new passphrase for testing"


def sign_out(client):
    return submit(client, "/sign-out", page_url="/account")


def test_register_activate_sign_in_2sv_reset_change_email_and_withdraw(make_app, smtp_server, db):
    # One person signs in many times here: the per-address limit (tested on its own) is raised.
    app = make_app(
        SMTP_PORT=smtp_server.port,
        CONSENT_WITHDRAWAL_ALERT_EMAILS=("dpo@council.example",),
        SIGN_IN_ADDRESS_LIMIT="100 per minute",
    )
    client = app.test_client()

    # Register: consent, details, "check your email"; the account cannot sign in before activation.
    assert register(client).headers["Location"] == "/register/check-your-email"
    check = client.get("/register/check-your-email").get_data(as_text=True)
    assert "priya@example.com" in check and "get a new activation link" in check
    not_yet = sign_in(client, "priya@example.com").get_data(as_text=True)
    assert "You need to activate your account before you can sign in" in text_of(not_yet)
    assert 'href="/register/new-link"' in not_yet
    deliver(app)
    (welcome,) = emails_to(smtp_server, "priya@example.com")
    assert "Priya Shah" in body(welcome) and "07700" not in body(welcome) and "NN1" not in body(welcome)
    activated = client.get(link_in(welcome, "/register/activate/"))
    assert page_title(activated.get_data(as_text=True)).startswith("Your account is active")

    # Sign in; the first sign-in offers 2SV.
    assert sign_in(client, "priya@example.com").headers["Location"] == "/"
    assert "Enable two-step verification now" in client.get("/").get_data(as_text=True)

    # Enable email 2SV (asks for the password again, and tells the owner).
    wrong = submit(client, "/account/two-step-verification", {"method": "email", "password": "not my password"})
    assert error_summary(wrong.get_data(as_text=True)) == ["Your password is incorrect"]
    enabled = submit(client, "/account/two-step-verification", {"method": "email", "password": DEFAULT_PASSWORD})
    assert enabled.headers["Location"] == "/account"
    sign_out(client)

    # Sign in with the emailed code.
    assert sign_in(client, "priya@example.com").headers["Location"] == "/sign-in/verify"
    assert client.get("/account").status_code == 302  # not signed in until the code is given
    deliver(app)
    code_email = emails_to(smtp_server, "priya@example.com")[-1]
    assert "two-step verification has changed" in emails_to(smtp_server, "priya@example.com")[-2]["Subject"].lower()
    verified = submit(client, "/sign-in/verify", {"code": code_in(code_email)})
    assert verified.headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    sign_out(client)

    # Four wrong codes lock the account for four minutes, even against the right code.
    sign_in(client, "priya@example.com")
    deliver(app)
    good_code = code_in(emails_to(smtp_server, "priya@example.com")[-1])
    wrong_code = "000000" if good_code != "000000" else "111111"
    for _ in range(3):
        html = submit(client, "/sign-in/verify", {"code": wrong_code}).get_data(as_text=True)
        assert error_summary(html) == [INVALID_CODE]
    locked = submit(client, "/sign-in/verify", {"code": wrong_code}).get_data(as_text=True)
    assert "locked for 4 minutes" in text_of(locked)
    still_locked = submit(client, "/sign-in/verify", {"code": good_code}).get_data(as_text=True)
    assert "locked for 4 minutes" in text_of(still_locked)
    user = db.scalars(select(User).where(User.email == "priya@example.com")).one()
    assert timedelta(minutes=3) < user.two_step_locked_until - utcnow() <= timedelta(minutes=4)
    assert "locked for 4 minutes" in text_of(sign_in(client, "priya@example.com").get_data(as_text=True))
    # Four minutes later (moved on in the database), a fresh code works.
    user.two_step_locked_until = utcnow() - timedelta(seconds=1)
    db.commit()
    sign_in(client, "priya@example.com")
    deliver(app)
    assert (
        submit(client, "/sign-in/verify", {"code": code_in(emails_to(smtp_server, "priya@example.com")[-1])}).headers[
            "Location"
        ]
        == "/"
    )

    # Switch to an authenticator app: scan (read the key), confirm one code, get ten recovery codes once.
    to_app = submit(client, "/account/two-step-verification", {"method": "app", "password": DEFAULT_PASSWORD})
    assert to_app.headers["Location"] == "/account/two-step-verification/app"
    setup = client.get("/account/two-step-verification/app").get_data(as_text=True)
    assert "<svg" in setup
    secret = secret_on(setup)
    confirmed = submit(client, "/account/two-step-verification/app", {"code": totp_code(secret)})
    assert confirmed.headers["Location"] == "/account/two-step-verification/recovery-codes"
    codes_page = client.get("/account/two-step-verification/recovery-codes").get_data(as_text=True)
    import re

    recovery_codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", codes_page)
    assert len(recovery_codes) == 10
    assert client.get("/account/two-step-verification/recovery-codes").headers["Location"] == "/account"  # once
    sign_out(client)

    # Sign in with the app (the next time step: the confirming code cannot be replayed).
    sign_in(client, "priya@example.com")
    replay = submit(client, "/sign-in/verify", {"code": totp_code(secret)})
    assert error_summary(replay.get_data(as_text=True)) == [INVALID_CODE]
    assert submit(client, "/sign-in/verify", {"code": totp_code(secret, 1)}).headers["Location"] == "/"
    sign_out(client)

    # A recovery code works once, and not twice.
    sign_in(client, "priya@example.com")
    assert submit(client, "/sign-in/verify", {"code": recovery_codes[0].upper()}).headers["Location"] == "/"
    assert "You have 9 recovery codes left" in client.get("/account").get_data(as_text=True)
    sign_out(client)
    sign_in(client, "priya@example.com")
    again = submit(client, "/sign-in/verify", {"code": recovery_codes[0]})
    assert error_summary(again.get_data(as_text=True)) == [INVALID_CODE]

    # Reset the password: no enumeration, a single-use link, other sessions end, a "changed" email.
    other_device = app.test_client()
    sign_in(other_device, "priya@example.com")
    assert submit(other_device, "/sign-in/verify", {"code": recovery_codes[1]}).headers["Location"] == "/"
    known = submit(client, "/password/forgotten", {"email": "priya@example.com"})
    unknown = submit(client, "/password/forgotten", {"email": "nobody@example.com"})
    assert known.headers["Location"] == unknown.headers["Location"] == "/password/forgotten/sent"
    deliver(app)
    assert emails_to(smtp_server, "nobody@example.com") == []
    reset_link = link_in(emails_to(smtp_server, "priya@example.com")[-1], "/password/reset/")
    done = submit(client, reset_link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.headers["Location"] == "/password/reset/done"
    assert client.get(reset_link).status_code == 404  # used once
    assert other_device.get("/account").status_code == 302  # signed out elsewhere
    deliver(app)
    changed = emails_to(smtp_server, "priya@example.com")[-1]
    assert "password has been changed" in changed["Subject"] and NEW_PASSWORD not in body(changed)

    # Change email: link to the new address, notice to the old; the old one works until confirmed.
    sign_in(client, "priya@example.com", NEW_PASSWORD)
    assert submit(client, "/sign-in/verify", {"code": recovery_codes[2]}).headers["Location"] == "/"
    requested = submit(client, "/account/email", {"email": "priya.new@example.com", "password": NEW_PASSWORD})
    assert requested.headers["Location"] == "/account/email/sent"
    deliver(app)
    notice = emails_to(smtp_server, "priya@example.com")[-1]
    assert "change of email address was requested" in notice["Subject"]
    confirm_link = link_in(emails_to(smtp_server, "priya.new@example.com")[-1], "/account/email/confirm/")
    db.expire_all()
    assert db.scalars(select(User.email).where(User.id == user.id)).one() == "priya@example.com"
    confirmed = client.get(confirm_link).get_data(as_text=True)
    assert page_title(confirmed).startswith("Your email address has been changed")
    deliver(app)
    assert "email address has been changed" in emails_to(smtp_server, "priya@example.com")[-1]["Subject"]
    sign_out(client)
    assert "incorrect" in text_of(sign_in(client, "priya@example.com", NEW_PASSWORD).get_data(as_text=True))
    assert sign_in(client, "priya.new@example.com", NEW_PASSWORD).headers["Location"] == "/sign-in/verify"
    assert submit(client, "/sign-in/verify", {"code": recovery_codes[3]}).headers["Location"] == "/"

    # Consent history, then withdraw: closed, signed out, never again; the council's list is told.
    history = client.get("/account/consent-history").get_data(as_text=True)
    assert "Agreed" in history
    statement_page = client.get("/account/withdraw-consent").get_data(as_text=True)
    assert "Data protection consent statement" in statement_page and "will be closed" in statement_page
    withdrawn = submit(client, "/account/withdraw-consent/confirm")
    assert withdrawn.headers["Location"] == "/consent-withdrawn"
    assert client.get("/account").status_code == 302
    failed = sign_in(client, "priya.new@example.com", NEW_PASSWORD).get_data(as_text=True)
    assert error_summary(failed) == ["Email address or password is incorrect"]
    db.expire_all()
    closed = db.get(User, user.id)
    assert closed.status is AccountStatus.CLOSED
    actions = db.scalars(
        select(ConsentRecord.action).where(ConsentRecord.user_id == user.id).order_by(ConsentRecord.id)
    ).all()
    assert actions == [ConsentAction.AGREED, ConsentAction.WITHDRAWN]
    deliver(app)
    (alert,) = emails_to(smtp_server, "dpo@council.example")
    assert f"Account reference: {user.id}" in body(alert) and "Priya" not in body(alert)

    # The address may register afresh.
    assert register(client, email="priya.new@example.com").headers["Location"] == "/register/check-your-email"
    deliver(app)
    assert "Activate your" in emails_to(smtp_server, "priya.new@example.com")[-1]["Subject"]

    audited = set(db.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)))
    assert {
        "registered",
        "consent_agreed",
        "account_activated",
        "sign_in",
        "sign_in_failed",
        "two_step_failed",
        "account_locked",
        "two_step_changed",
        "recovery_code_used",
        "password_reset",
        "email_change_requested",
        "email_changed",
        "consent_withdrawn",
    } <= audited
