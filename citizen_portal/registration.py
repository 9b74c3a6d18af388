"""Creating an account: consent, details, "check your email", and the activation link."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import redirect, render_template, session, url_for

from portal import db
from portal.extensions import limiter
from portal.languages import current_language
from portal.services import consent, registration
from portal.services.registration import ActivationResult, ConsentGiven, RegistrationDetails

from . import bp
from .account_forms import ConsentForm, EmailOnlyForm, RegistrationForm
from .auth import client_address, settings

# How long a ticked consent box waits in the session for the details page.
CONSENT_KEY = "registration_consent"


@bp.route("/register", methods=["GET", "POST"])
def register():
    statement = consent.current_statement(db.session())
    form = ConsentForm()
    form.agree.label.text = statement.agreement_text  # the words beside the box are part of the statement
    if form.validate_on_submit():
        # Nothing is stored in the database before the account exists: the agreement waits here.
        session[CONSENT_KEY] = {"version": statement.version, "at": datetime.now(UTC).isoformat()}
        return redirect(url_for("citizen.register_details"))
    return render_template("register_consent.html", form=form, statement=statement)


@bp.route("/register/details", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register_details():
    given = session.get(CONSENT_KEY)
    if not isinstance(given, dict):
        return redirect(url_for("citizen.register"))
    form = RegistrationForm()
    if form.validate_on_submit():
        details = RegistrationDetails(
            **{
                name: (form[name].data or "").strip() or None
                for name in RegistrationDetails.__dataclass_fields__
                if name != "password"
            }
            | {"password": form.password.data}
        )
        registration.register(
            db.session(),
            details,
            ConsentGiven(version=given["version"], at=datetime.fromisoformat(given["at"])),
            client_address(),
            settings(),
            language=current_language(),
        )
        session.pop(CONSENT_KEY, None)
        session["registration_email"] = details.email
        return redirect(url_for("citizen.check_email"))
    return render_template("register_details.html", form=form)


@bp.get("/register/check-your-email")
def check_email():
    return render_template("register_check_email.html", email=session.get("registration_email"))


@bp.get("/register/activate/<token>")
def activate(token: str):
    result = registration.activate(db.session(), token, client_address())
    if result is ActivationResult.INVALID:
        return render_template("link_expired.html", purpose="activation"), 404
    return render_template("register_activated.html", already=result is ActivationResult.ALREADY_ACTIVE)


@bp.route("/register/new-link", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def new_activation_link():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        registration.send_new_activation_link(db.session(), form.email.data, settings())
        session["registration_email"] = form.email.data.strip()
        return redirect(url_for("citizen.check_email"))
    return render_template("register_new_link.html", form=form)
