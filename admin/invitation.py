"""Accepting an invitation to the staff area, for someone who cannot sign in yet.

/admin/invitation/<token>                              create a password (the emailed, single-use link)
/admin/invitation/two-step-verification                choose how to get security codes
/admin/invitation/two-step-verification/app            scan the QR code, enter one code from the app
/admin/invitation/recovery-codes                       the app's recovery codes, shown once

These endpoints (all named admin.invitation_*) are the only ones the staff guard in admin/views.py lets
through without signing in: the link is the credential, and the browser that used it carries on to set
up two-step verification for a short while (services.invitations.SET_UP_WINDOW). The person is signed
in only once 2SV is on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from portal import db
from portal.config import AccountSettings
from portal.extensions import limiter
from portal.languages import adopt_account_language, restart_session
from portal.services import invitations, site_settings, two_step
from portal.services.accounts import AccountError

from . import bp
from .staff_forms import AcceptInvitationForm, AppCodeForm, SetUpTwoStepForm

SETTING_UP = "staff_set_up"  # {"member_id": ..., "since": ...} once the password is set
APP_SECRET = "staff_app_secret"  # noqa: S105 - the session key it is kept under, not a secret
RECOVERY_CODES = "staff_recovery_codes"


def _settings() -> AccountSettings:
    return site_settings.account_settings()


def _member_setting_up():
    pending = session.get(SETTING_UP)
    if not isinstance(pending, dict):
        return None
    try:
        since = datetime.fromisoformat(str(pending.get("since")))
    except ValueError:
        return None
    if datetime.now(UTC) - since > invitations.SET_UP_WINDOW:
        session.pop(SETTING_UP, None)
        return None
    return invitations.person_setting_up(db.session(), pending.get("member_id"))


def _password_hint() -> str:
    minimum = site_settings.current().password_min_length
    return _(
        "Use at least %(minimum)s characters. A few unrelated words together are strong and easy to remember.",
        minimum=minimum,
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def invitation_accept(token: str):
    if _member_setting_up() is not None:  # this browser accepted already (a second click on the button)
        return redirect(url_for("admin.invitation_two_step"))
    member = invitations.invited_person(db.session(), token)
    hours = invitations.link_hours(_settings())
    if member is None:
        return render_template("admin/staff/invitation_expired.html", hours=hours), 404
    form = AcceptInvitationForm()
    form.password.description = _password_hint()
    if form.validate_on_submit():
        try:
            member = invitations.accept(db.session(), token, form.password.data, request.remote_addr, _settings())
        except invitations.InvitationUnusable:
            return render_template("admin/staff/invitation_expired.html", hours=hours), 404
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            logout_user()  # whoever was signed in in this browser, it is the invited person's now
            restart_session()
            session[SETTING_UP] = {"member_id": member.id, "since": datetime.now(UTC).isoformat()}
            return redirect(url_for("admin.invitation_two_step"))
    return render_template("admin/staff/invitation_accept.html", form=form, member=member)


@bp.route("/invitation/two-step-verification", methods=["GET", "POST"])
def invitation_two_step():
    member = _member_setting_up()
    if member is None:
        return redirect(url_for("citizen.sign_in"))
    form = SetUpTwoStepForm()
    if form.validate_on_submit():
        if form.method.data == "app":
            session[APP_SECRET] = two_step.new_app_secret()
            return redirect(url_for("admin.invitation_app"))
        invitations.finish_with_email_codes(db.session(), member, request.remote_addr, _settings())
        _sign_in(member)
        return redirect(url_for("admin.index"))
    return render_template("admin/staff/invitation_two_step.html", form=form, member=member)


def _sign_in(member) -> None:
    # A new session id at sign-in: a token planted before it (session fixation) is worthless now.
    restart_session()
    login_user(member)
    adopt_account_language(db.session(), member)


@bp.route("/invitation/two-step-verification/app", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def invitation_app():
    member = _member_setting_up()
    if member is None:
        return redirect(url_for("citizen.sign_in"))
    secret = session.get(APP_SECRET)
    if not isinstance(secret, str):
        return redirect(url_for("admin.invitation_two_step"))
    form = AppCodeForm()
    if form.validate_on_submit():
        try:
            codes = invitations.finish_with_app(
                db.session(), member, secret, form.code.data, request.remote_addr, _settings()
            )
        except AccountError as error:
            form.code.errors = [str(error)]
        else:
            _sign_in(member)
            session[RECOVERY_CODES] = codes
            return redirect(url_for("admin.invitation_recovery_codes"))
    uri = two_step.provisioning_uri(secret, member.email, _settings().service_name)
    qr = two_step.qr_code_svg(uri, _("QR code to scan with your authenticator app"))
    return render_template("admin/staff/invitation_app.html", form=form, secret=secret, qr_svg=qr)


@bp.get("/invitation/recovery-codes")
def invitation_recovery_codes():
    codes = session.pop(RECOVERY_CODES, None)  # shown once: a refresh does not show them again
    if not codes:
        return redirect(url_for("admin.index"))
    return render_template("admin/staff/invitation_recovery_codes.html", codes=codes)
