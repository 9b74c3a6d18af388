"""My account: details, email, password, two-step verification, consent history and withdrawal."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from portal import db
from portal.extensions import limiter
from portal.languages import current_language, restart_session
from portal.models import TwoStepMethod
from portal.services import consent, my_account, passwords, two_step
from portal.services.accounts import AccountError
from portal.services.content import content_page
from portal.services.my_account import ContactDetails, EmailChangeResult, PersonalDetails
from portal.sessions import regenerate

from . import bp
from .account_forms import (
    AppCodeForm,
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ContactDetailsForm,
    PersonalDetailsForm,
    TwoStepMethodForm,
)
from .auth import client_address, settings

_CONTACT_FIELDS = ("postcode", "address_line_1", "address_line_2", "town", "home_phone", "mobile_phone", "work_phone")


@bp.get("/account")
@login_required
def account():
    return render_template(
        "account.html",
        user=current_user,
        codes_left=session.pop("recovery_codes_left", None),
        notice=session.pop("account_notice", None),
    )


def _done(notice: str):
    session["account_notice"] = notice
    return redirect(url_for("citizen.account"))


@bp.route("/account/personal-details", methods=["GET", "POST"])
@login_required
def personal_details():
    form = PersonalDetailsForm(obj=current_user)
    if form.validate_on_submit():
        details = PersonalDetails(form.title.data, form.forename.data, form.surname.data)
        my_account.update_personal_details(db.session(), current_user, details, client_address())
        return _done(_("Your personal details have been saved"))
    return render_template("account_personal_details.html", form=form)


@bp.route("/account/contact-details", methods=["GET", "POST"])
@login_required
def contact_details():
    form = ContactDetailsForm(obj=current_user)
    if form.validate_on_submit():
        details = ContactDetails(**{name: (form[name].data or "").strip() or None for name in _CONTACT_FIELDS})
        my_account.update_contact_details(db.session(), current_user, details, client_address())
        return _done(_("Your contact details have been saved"))
    return render_template("account_contact_details.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            my_account.request_email_change(
                db.session(), current_user, form.email.data, form.password.data, client_address(), settings()
            )
        except AccountError as error:
            form[error.field or "email"].errors = [str(error)]
        else:
            session["new_email"] = form.email.data.strip()
            return redirect(url_for("citizen.change_email_sent"))
    return render_template("account_email.html", form=form)


@bp.get("/account/email/sent")
@login_required
def change_email_sent():
    return render_template("account_email_sent.html", email=session.get("new_email"))


@bp.get("/account/email/confirm/<token>")
def confirm_email(token: str):
    result = my_account.confirm_email_change(db.session(), token, client_address(), settings())
    if result is EmailChangeResult.INVALID:
        return render_template("link_expired.html", purpose="email"), 404
    return render_template("account_email_confirmed.html", taken=result is EmailChangeResult.TAKEN)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            passwords.change_password(
                db.session(),
                current_user,
                form.current_password.data,
                form.new_password.data,
                client_address(),
                settings(),
            )
        except AccountError as error:
            form[error.field or "new_password"].errors = [str(error)]
        else:
            regenerate()  # every other session has ended; this one carries on under a new id
            return _done(_("Your password has been changed"))
    return render_template("account_password.html", form=form)


@bp.route("/account/two-step-verification", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def two_step_settings():
    form = TwoStepMethodForm()
    if current_user.role.is_staff:
        form.method.choices = [c for c in form.method.choices if c.value != TwoStepMethod.NONE.value]
    if request.method == "GET":
        form.method.data = None if not current_user.has_two_step else current_user.two_step_method.value
    if form.validate_on_submit():
        try:
            change = two_step.change_method(
                db.session(),
                current_user,
                TwoStepMethod(form.method.data),
                form.password.data,
                client_address(),
                settings(),
            )
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            session.pop("offer_two_step", None)
            if change.pending_app_secret:
                session["app_secret"] = change.pending_app_secret
                return redirect(url_for("citizen.two_step_app"))
            if change.method is TwoStepMethod.NONE:
                return _done(_("Two-step verification is turned off"))
            return _done(_("Two-step verification is on: we will email you a code each time you sign in"))
    return render_template("account_two_step.html", form=form, user=current_user)


@bp.route("/account/two-step-verification/app", methods=["GET", "POST"])
@login_required
def two_step_app():
    secret = session.get("app_secret")
    if not secret:
        return redirect(url_for("citizen.two_step_settings"))
    form = AppCodeForm()
    if form.validate_on_submit():
        try:
            change = two_step.confirm_app(
                db.session(), current_user, secret, form.code.data, client_address(), settings()
            )
        except AccountError as error:
            form.code.errors = [str(error)]
        else:
            session.pop("app_secret", None)
            session["recovery_codes"] = change.recovery_codes
            return redirect(url_for("citizen.recovery_codes"))
    config = settings()
    uri = two_step.provisioning_uri(secret, current_user.email, config.service_name)
    qr = two_step.qr_code_svg(uri, _("QR code to scan with your authenticator app"))
    return render_template("account_two_step_app.html", form=form, secret=secret, qr_svg=qr)


@bp.get("/account/two-step-verification/recovery-codes")
@login_required
def recovery_codes():
    codes = session.pop("recovery_codes", None)  # shown once: a refresh does not show them again
    if not codes:
        return redirect(url_for("citizen.account"))
    return render_template("account_recovery_codes.html", codes=codes)


@bp.get("/account/change-of-circumstances")
@login_required
def change_of_circumstances():
    page = content_page(db.session(), "change_of_circumstances", current_language())
    return render_template("content_page.html", page=page)


@bp.get("/account/consent-history")
@login_required
def consent_history():
    return render_template("account_consent_history.html", entries=consent.history(db.session(), current_user))


@bp.get("/account/withdraw-consent")
@login_required
def withdraw_consent():
    return render_template("account_withdraw.html", statement=consent.current_statement(db.session()))


@bp.route("/account/withdraw-consent/confirm", methods=["GET", "POST"])
@login_required
def withdraw_consent_confirm():
    form = ConfirmForm()
    if form.validate_on_submit():
        consent.withdraw(db.session(), current_user, client_address(), settings())
        logout_user()
        restart_session()
        return redirect(url_for("citizen.consent_withdrawn"))
    return render_template("account_withdraw_confirm.html", form=form)


@bp.get("/consent-withdrawn")
def consent_withdrawn():
    return render_template("consent_withdrawn.html")
