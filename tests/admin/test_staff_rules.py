"""The staff role rules: changing roles, deactivating and resetting 2SV take effect at once; nobody
removes their own administrator role, deactivates themself, or removes the last administrator; every
change is audited with before and after; a double POST changes once; a stale form is refused."""

from __future__ import annotations

import pyotp
import pytest
from account_helpers import body, deliver, emails_to, secret_on, submit, text_of, totp_code
from helpers import DEFAULT_PASSWORD, admin_client, csrf_token_from, error_summary, make_user, page_title, sign_in
from sqlalchemy import func, select
from staff_helpers import (
    caseworker_client,
    change_role,
    confirm_form,
    do,
    invite,
    member_by_email,
    role_form,
)

from portal.config import AccountSettings
from portal.models import AccountStatus, AuditEvent, RecoveryCode, Role, TwoStepMethod, WebSession
from portal.services import staff
from portal.services.staff import Action, Refusal, Result


def audit_rows(db, action: str, member_id: int) -> list[AuditEvent]:
    db.expire_all()
    return list(
        db.scalars(select(AuditEvent).where(AuditEvent.action == action, AuditEvent.object_id == str(member_id))).all()
    )


def test_making_a_caseworker_an_administrator_gives_access_at_once_and_is_audited(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    jane = caseworker_client(app, db)
    member = member_by_email(db, "case@example.com")
    assert jane.get("/admin/staff").status_code == 403

    role_page = admin.get(f"/admin/staff/{member.id}/role").get_data(as_text=True)
    assert page_title(role_page).startswith("Change role for Jane Smith")
    assert 'value="caseworker" checked' in role_page
    changed = change_role(admin, member.id, "admin")
    assert changed.headers["Location"] == f"/admin/staff/{member.id}"
    shown = admin.get(changed.headers["Location"]).get_data(as_text=True)
    assert "Jane Smith is now an administrator" in text_of(shown)
    assert jane.get("/admin/staff").status_code == 200  # the same session, on its next page

    (event,) = audit_rows(db, "staff.role_changed", member.id)
    admin_user = member_by_email(db, "admin@example.com")
    assert event.actor_id == admin_user.id and event.object_type == "staff_member" and event.at is not None
    assert event.details["before"]["role"] == "caseworker" and event.details["after"]["role"] == "admin"

    # And back: caseworker again, administrator pages refused at once.
    change_role(admin, member.id, "caseworker")
    assert jane.get("/admin/staff").status_code == 403
    assert jane.get("/admin/queue").status_code == 200
    history = text_of(admin.get(f"/admin/staff/{member.id}").get_data(as_text=True))
    assert "Role changed: Caseworker → Administrator" in history
    assert "Role changed: Administrator → Caseworker" in history


def test_deactivating_ends_the_session_at_once_and_sign_in_fails_like_a_wrong_password(make_app, db):
    app = make_app(SIGN_IN_ADDRESS_LIMIT="100 per minute")
    admin = admin_client(app, db)
    jane = caseworker_client(app, db)
    member = member_by_email(db, "case@example.com")
    assert jane.get("/admin/queue").status_code == 200

    confirm = admin.get(f"/admin/staff/{member.id}/deactivate").get_data(as_text=True)
    assert page_title(confirm).startswith("Are you sure you want to deactivate Jane Smith’s account?")
    done = do(admin, member.id, "deactivate")
    assert done.headers["Location"] == f"/admin/staff/{member.id}"
    page = text_of(admin.get(done.headers["Location"]).get_data(as_text=True))
    assert "Jane Smith’s account has been deactivated" in page and "Deactivated" in page
    assert "Deactivated" in text_of(admin.get("/admin/staff").get_data(as_text=True))

    assert jane.get("/admin/queue").headers["Location"].startswith("/sign-in")
    assert db.scalars(select(func.count()).where(WebSession.user_id == member.id)).one() == 0
    deactivated = error_summary(sign_in(app.test_client(), "case@example.com").get_data(as_text=True))
    wrong = sign_in(app.test_client(), "case@example.com", "not the password")
    wrong_password = error_summary(wrong.get_data(as_text=True))
    unknown = error_summary(sign_in(app.test_client(), "nobody@example.com").get_data(as_text=True))
    assert deactivated == wrong_password == unknown == ["Email address or password is incorrect"]

    (event,) = audit_rows(db, "staff.deactivated", member.id)
    assert event.details["before"]["status"] == "active" and event.details["after"]["status"] == "deactivated"
    assert event.details["after"]["sessions_ended"] >= 1

    # Reactivated, she signs in again with her password and app.
    assert do(admin, member.id, "reactivate").status_code == 302
    again = app.test_client()
    assert sign_in(again, "case@example.com").headers["Location"] == "/sign-in/verify"
    member = member_by_email(db, "case@example.com")
    member.totp_last_step = None  # the code of her first sign-in may still be the current one
    db.commit()
    assert submit(again, "/sign-in/verify", {"code": pyotp.TOTP(member.totp_secret).now()}).status_code == 302
    assert again.get("/admin/queue").status_code == 200
    assert len(audit_rows(db, "staff.reactivated", member.id)) == 1


def test_resetting_2sv_ends_sessions_emails_the_person_and_forces_set_up_at_next_sign_in(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port, SIGN_IN_ADDRESS_LIMIT="100 per minute")
    admin = admin_client(app, db)
    jane = caseworker_client(app, db)
    member = member_by_email(db, "case@example.com")
    db.add_all(RecoveryCode(user_id=member.id, code_hash=f"{n:064d}") for n in range(3))
    db.commit()

    confirm = admin.get(f"/admin/staff/{member.id}/reset-two-step-verification").get_data(as_text=True)
    assert page_title(confirm).startswith("Are you sure you want to reset two-step verification for Jane Smith?")
    done = do(admin, member.id, "reset-two-step-verification")
    page = text_of(admin.get(done.headers["Location"]).get_data(as_text=True))
    assert "Two-step verification has been reset for Jane Smith" in page
    assert jane.get("/admin/queue").headers["Location"].startswith("/sign-in")

    member = member_by_email(db, "case@example.com")
    assert member.two_step_method is TwoStepMethod.NONE and member.totp_secret is None
    assert member.totp_last_step is None
    assert db.scalars(select(func.count()).where(RecoveryCode.user_id == member.id)).one() == 0
    deliver(app)
    (notice,) = emails_to(smtp_server, "case@example.com")
    assert notice["Subject"] == "Two-step verification has been reset on your Family services portal staff account"
    assert "set up two-step verification again" in body(notice) and "/sign-in" in body(notice)
    (event,) = audit_rows(db, "staff.two_step_reset", member.id)
    assert event.details["before"]["two_step"] == "app" and event.details["after"]["two_step"] == "none"

    # At the next sign-in the password is enough to sign in, but the staff area asks for 2SV first.
    back = app.test_client()
    assert sign_in(back, "case@example.com").headers["Location"] == "/"
    refused = back.get("/admin/queue")
    assert refused.status_code == 403
    assert page_title(refused.get_data(as_text=True)).startswith("Two-step verification needed")
    to_app = submit(back, "/account/two-step-verification", {"method": "app", "password": DEFAULT_PASSWORD})
    assert to_app.headers["Location"] == "/account/two-step-verification/app"
    key = secret_on(back.get("/account/two-step-verification/app").get_data(as_text=True))
    submit(back, "/account/two-step-verification/app", {"code": totp_code(key)})
    assert back.get("/admin/queue").status_code == 200


def test_an_administrator_cannot_remove_their_own_role_deactivate_or_reset_themself(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    admin_client(app, db, email="other@example.com", forename="Olu", surname="Other")  # not the last one
    me = member_by_email(db, "admin@example.com")
    page = admin.get(f"/admin/staff/{me.id}").get_data(as_text=True)
    words = text_of(page)
    assert "You cannot remove your own administrator role. Another administrator can change it." in words
    assert "You cannot deactivate your own account. Another administrator can deactivate it." in words
    assert "You cannot reset your own two-step verification here" in words
    assert f"/admin/staff/{me.id}/role" not in page and f"/admin/staff/{me.id}/deactivate" not in page

    demoted = admin.post(f"/admin/staff/{me.id}/role", data=role_form(admin, me.id, "caseworker"))
    html = demoted.get_data(as_text=True)
    assert demoted.status_code == 409 and page_title(html).startswith("Error: Change role")
    assert error_summary(html) == [
        "You cannot remove your own administrator role. Another administrator can change it."
    ]
    for action, message in (
        ("deactivate", "You cannot deactivate your own account. Another administrator can deactivate it."),
        ("reset-two-step-verification", "You cannot reset your own two-step verification here."),
    ):
        shown = admin.get(f"/admin/staff/{me.id}/{action}")
        assert shown.status_code == 409 and message in text_of(shown.get_data(as_text=True))
        version = staff.version_of(member_by_email(db, "admin@example.com"))
        html = admin.get(f"/admin/staff/{me.id}").get_data(as_text=True)
        data = {"csrf_token": csrf_token_from(html), "version": version}
        posted = admin.post(f"/admin/staff/{me.id}/{action}", data=data)
        assert posted.status_code == 409 and message in text_of(posted.get_data(as_text=True))
        assert page_title(posted.get_data(as_text=True)).startswith("Error: Ada Admin")
    me = member_by_email(db, "admin@example.com")
    assert me.role is Role.ADMIN and me.status is AccountStatus.ACTIVE and me.two_step_method is TwoStepMethod.APP
    assert db.scalars(select(func.count()).where(AuditEvent.object_type == "staff_member")).one() == 0


def test_nobody_can_demote_or_deactivate_the_last_active_administrator(make_app, db):
    """Two administrators removing each other at the same moment: the second change finds one left."""
    app = make_app()
    admin_client(app, db)
    admin_client(app, db, email="other@example.com", forename="Olu", surname="Other")
    ada = member_by_email(db, "admin@example.com")
    olu = member_by_email(db, "other@example.com")
    settings = AccountSettings.from_config(app.config)

    def attempt(action, member, actor):
        return staff.change(db, action, member_id=member.id, actor_id=actor.id, version=staff.version_of(member),
                            client_address=None, settings=settings)  # fmt: skip

    assert attempt(Action.MAKE_CASEWORKER, olu, ada).result is Result.DONE
    for action in (Action.MAKE_CASEWORKER, Action.DEACTIVATE):
        with pytest.raises(staff.ChangeRefused) as refused:
            attempt(action, ada, olu)  # Olu's request was on its way when Ada demoted Olu
        assert refused.value.refusal is Refusal.LAST_ADMINISTRATOR
    db.expire_all()
    assert db.get(type(ada), ada.id).role is Role.ADMIN and db.get(type(ada), ada.id).status is AccountStatus.ACTIVE

    # The page says why, in words, when the rule withholds a button.
    page = staff.member_page(db, ada.id, actor_id=olu.id)
    assert page.actions[Action.MAKE_CASEWORKER] is Refusal.LAST_ADMINISTRATOR
    assert page.actions[Action.DEACTIVATE] is Refusal.LAST_ADMINISTRATOR
    # An invited or deactivated administrator does not count as one who can manage the portal.
    make_user(db, role=Role.ADMIN, email="third@example.com", forename="Tia", surname="Third")
    third = member_by_email(db, "third@example.com")
    third.status = AccountStatus.DEACTIVATED
    db.commit()
    with pytest.raises(staff.ChangeRefused) as refused:
        attempt(Action.DEACTIVATE, ada, olu)
    assert refused.value.refusal is Refusal.LAST_ADMINISTRATOR
    # With a second active administrator again, the change is allowed.
    assert attempt(Action.REACTIVATE, member_by_email(db, "third@example.com"), ada).result is Result.DONE
    assert attempt(Action.DEACTIVATE, member_by_email(db, "admin@example.com"), olu).result is Result.DONE


def test_every_refusal_is_worded_for_the_administrator(app):
    from admin.staff import REFUSALS

    with app.test_request_context():
        assert set(REFUSALS) == set(Refusal)
        assert str(REFUSALS[Refusal.LAST_ADMINISTRATOR] % {"name": "Ada Admin"}) == (
            "Ada Admin is the only active administrator. Make someone else an administrator first, so that "
            "someone can always manage the portal."
        )


def test_a_double_post_changes_once_and_says_the_same(make_app, db):
    app = make_app()
    admin = admin_client(app, db)
    make_user(db, role=Role.CASEWORKER, email="case@example.com", forename="Jane", surname="Smith")
    member = member_by_email(db, "case@example.com")
    for action in ("deactivate", "reactivate"):
        data = confirm_form(admin, member.id, action)
        first = admin.post(f"/admin/staff/{member.id}/{action}", data=data)
        second = admin.post(f"/admin/staff/{member.id}/{action}", data=data)
        assert first.status_code == second.status_code == 302
        assert len(audit_rows(db, f"staff.{action}d", member.id)) == 1
    data = role_form(admin, member.id, "admin")
    assert admin.post(f"/admin/staff/{member.id}/role", data=data).status_code == 302
    repeated = admin.post(f"/admin/staff/{member.id}/role", data=data)
    assert repeated.status_code == 302
    shown = admin.get(repeated.headers["Location"]).get_data(as_text=True)
    assert "Jane Smith is now an administrator" in text_of(shown)
    assert len(audit_rows(db, "staff.role_changed", member.id)) == 1


def test_a_stale_form_is_refused_with_a_clear_message_and_changes_nothing(make_app, db):
    app = make_app()
    ada = admin_client(app, db)
    olu = admin_client(app, db, email="other@example.com", forename="Olu", surname="Other")
    make_user(db, role=Role.CASEWORKER, email="case@example.com", forename="Jane", surname="Smith")
    member = member_by_email(db, "case@example.com")
    make_user(db, role=Role.CASEWORKER, email="case2@example.com", forename="Kit", surname="Kay")
    member.two_step_method = TwoStepMethod.EMAIL
    db.commit()

    stale_deactivation = confirm_form(ada, member.id, "deactivate")
    stale_role = role_form(ada, member.id, "admin")
    # Olu resets Jane's 2SV meanwhile: Ada's forms were for a person who no longer looks like that.
    do(olu, member.id, "reset-two-step-verification")

    refused = ada.post(f"/admin/staff/{member.id}/deactivate", data=stale_deactivation)
    html = refused.get_data(as_text=True)
    message = (
        "Someone else changed Jane Smith’s account while you had this page open. Check their details and try again."
    )
    assert refused.status_code == 409 and error_summary(html) == [message]
    assert page_title(html).startswith("Error: Jane Smith")
    assert "Two-step verification" in text_of(html) and "Off" in text_of(html)  # the page shows what changed
    refused_role = ada.post(f"/admin/staff/{member.id}/role", data=stale_role)
    assert refused_role.status_code == 409 and error_summary(refused_role.get_data(as_text=True)) == [message]
    member = member_by_email(db, "case@example.com")
    assert member.status is AccountStatus.ACTIVE and member.role is Role.CASEWORKER
    # Sent again from the refreshed page, it works.
    assert change_role(ada, member.id, "admin").status_code == 302


def test_every_change_is_audited_with_who_when_before_and_after(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    invite(admin)
    carol = member_by_email(db, "carol@council.example")
    change_role(admin, carol.id, "admin")
    do(admin, carol.id, "resend-invitation")
    do(admin, carol.id, "cancel-invitation")
    jane = caseworker_client(app, db)
    assert jane.get("/admin/").status_code == 200
    member = member_by_email(db, "case@example.com")
    do(admin, member.id, "deactivate")
    do(admin, member.id, "reactivate")
    do(admin, member.id, "reset-two-step-verification")
    db.expire_all()
    events = db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "staff_member").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == [
        "staff.invited",
        "staff.role_changed",
        "staff.invitation_resent",
        "staff.invitation_cancelled",
        "staff.deactivated",
        "staff.reactivated",
        "staff.two_step_reset",
    ]
    ada = member_by_email(db, "admin@example.com")
    for event in events:
        assert event.actor_id == ada.id and event.at is not None and event.client_address == "127.0.0.1"
        assert "before" in event.details and "after" in event.details
        assert event.details["after"] != event.details["before"] or event.action == "staff.invitation_resent"
    assert events[3].details["after"]["status"] == "closed"
    assert "invitation_expires_at" in events[2].details["after"]


def test_invited_and_deactivated_staff_are_not_sent_a_password_reset_link(make_app, smtp_server, db):
    app = make_app(SMTP_PORT=smtp_server.port)
    admin = admin_client(app, db)
    caseworker_client(app, db)
    deactivated = member_by_email(db, "case@example.com")
    assert do(admin, deactivated.id, "deactivate").status_code == 302
    assert invite(admin).status_code == 302  # Carol is invited and has not accepted yet
    make_user(db, email="parent@example.com")

    for address in ("case@example.com", "carol@council.example", "parent@example.com"):
        answer = submit(app.test_client(), "/password/forgotten", {"email": address})
        assert answer.status_code == 302, address  # the same answer whoever asks
    deliver(app)
    assert [m["To"] for m in smtp_server.messages if "password" in m["Subject"].lower()] == ["parent@example.com"]
