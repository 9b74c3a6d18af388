"""Sign in (with its second step), sign out, announcements, forgotten passwords and the consent gate."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import db
from portal.config import AccountSettings
from portal.extensions import limiter
from portal.languages import adopt_account_language, current_language, restart_session
from portal.models import Role, TwoStepMethod, User
from portal.redirects import safe_next_url
from portal.services import consent, passwords, site_settings, two_step
from portal.services.accounts import AccountError, normalise_email
from portal.services.my_account import current_announcements
from portal.services.signin import SignInStatus, check_password
from portal.services.texts import message
from portal.templating import LONDON

from . import bp
from .account_forms import CodeForm, ConsentForm, EmailOnlyForm, NewPasswordForm
from .forms import SignInForm

# How long the password step stays good while the person finds their code.
SECOND_STEP_WINDOW = timedelta(minutes=10)

# Pages a parent may open before agreeing to a newer consent statement.
CONSENT_GATE_EXEMPT = frozenset(
    {
        "citizen.new_consent",
        "citizen.change_language",
        "citizen.sign_out",
        "citizen.signed_out",
        "citizen.content",
        "citizen.withdraw_consent",
        "citizen.withdraw_consent_confirm",
        "citizen.consent_withdrawn",
    }
)


def settings() -> AccountSettings:
    """The account rules in force: the site settings administrators changed, over the environment's."""
    return site_settings.account_settings()


def client_address() -> str | None:
    return request.remote_addr


def london_today() -> date:
    return datetime.now(LONDON).date()


def _account_key() -> str:
    """Rate-limit key for one account (the address typed), hashed so the store holds no email addresses."""
    typed = normalise_email(request.form.get("email", ""))
    return "account:" + hashlib.sha256(typed.encode()).hexdigest()


def _failed_attempt(response) -> bool:
    return response.status_code == 200  # a sign-in that worked redirects; one that failed shows the form


def _address_limit() -> str:
    return current_app.config["SIGN_IN_ADDRESS_LIMIT"]


def _account_limit() -> str:
    return current_app.config["SIGN_IN_ACCOUNT_LIMIT"]


@bp.before_app_request
def _consent_gate():
    """A parent who has not agreed to the current consent statement agrees (or withdraws) first."""
    if request.blueprint not in {"citizen", "admin"} or request.endpoint in CONSENT_GATE_EXEMPT:
        return None
    if current_user.is_authenticated and consent.must_agree(db.session(), current_user):
        return redirect(url_for("citizen.new_consent"))
    return None


def _finish_sign_in(user: User, first_sign_in: bool, next_url: str | None):
    # A new session id at sign-in: a token planted before it (session fixation) is worthless now.
    restart_session()
    login_user(user)
    adopt_account_language(db.session(), user)
    if first_sign_in and user.role is Role.PARENT and not user.has_two_step:
        session["offer_two_step"] = True
    if current_announcements(db.session(), london_today()):
        session["after_sign_in"] = next_url
        return redirect(url_for("citizen.announcements"))
    return redirect(next_url or url_for("citizen.home"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(
    _account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed_attempt, scope="sign-in-account"
)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        outcome = check_password(db.session(), form.email.data, form.password.data, client_address(), settings())
        next_url = safe_next_url(request.args.get("next"))
        if outcome.status is SignInStatus.SIGNED_IN:
            return _finish_sign_in(outcome.user, outcome.first_sign_in, next_url)
        if outcome.status is SignInStatus.NEEDS_SECOND_STEP:
            restart_session()
            session["second_step"] = {
                "user_id": outcome.user.id,
                "next": next_url,
                "since": datetime.now(UTC).isoformat(),
            }
            return redirect(url_for("citizen.verify_code"))
        if outcome.status is SignInStatus.NOT_ACTIVATED:
            form.email.errors = [
                _(
                    "You need to activate your account before you can sign in. Use the link in the email we "
                    "sent you, or get a new link."
                )
            ]
            return render_template("sign_in.html", form=form, not_activated=True)
        if outcome.status is SignInStatus.LOCKED:
            form.email.errors = [_locked_message()]
            return render_template("sign_in.html", form=form)
        form.email.errors = [_("Email address or password is incorrect")]
        form.password.errors = []
    return render_template("sign_in.html", form=form)


def _locked_message() -> str:
    minutes = int(settings().lock_duration.total_seconds() // 60)
    return message(db.session(), "two_step_locked", current_language(), minutes=minutes)


def _second_step_user() -> User | None:
    pending = session.get("second_step")
    if not isinstance(pending, dict):
        return None
    since = datetime.fromisoformat(pending["since"])
    if datetime.now(UTC) - since > SECOND_STEP_WINDOW:
        session.pop("second_step", None)
        return None
    user = db.session().get(User, pending["user_id"])
    return user if user is not None and user.is_active and user.has_two_step else None


@bp.route("/sign-in/verify", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def verify_code():
    user = _second_step_user()
    if user is None:
        return redirect(url_for("citizen.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = two_step.verify_sign_in(db.session(), user, form.code.data, client_address(), settings())
        if outcome.result is two_step.CodeResult.ACCEPTED:
            next_url = session["second_step"].get("next")
            response = _finish_sign_in(user, outcome.first_sign_in, next_url)
            if outcome.used_recovery_code:
                session["recovery_codes_left"] = outcome.recovery_codes_left
            return response
        if outcome.result is two_step.CodeResult.LOCKED:
            form.code.errors = [_locked_message()]
        else:
            config = settings()
            form.code.errors = [
                message(
                    db.session(),
                    "two_step_invalid_code",
                    current_language(),
                    minutes=int(config.code_valid.total_seconds() // 60),
                    digits=config.code_digits,
                )
            ]
    return render_template("sign_in_verify.html", form=form, method=user.two_step_method, TwoStepMethod=TwoStepMethod)


@bp.post("/sign-in/verify/new-code")
@limiter.limit("5 per 15 minutes")
def send_new_code():
    user = _second_step_user()
    if user is None:
        return redirect(url_for("citizen.sign_in"))
    if user.two_step_method is TwoStepMethod.EMAIL:
        two_step.send_sign_in_code(db.session(), user, settings())
    return redirect(url_for("citizen.verify_code", sent=1))


@bp.get("/announcements")
@login_required
def announcements():
    items = current_announcements(db.session(), london_today())
    return render_template("announcements.html", announcements=items)


@bp.get("/announcements/continue")
@login_required
def announcements_continue():
    next_url = safe_next_url(session.pop("after_sign_in", None))
    return redirect(next_url or url_for("citizen.home"))


@bp.post("/two-step-verification/not-now")
@login_required
def dismiss_two_step_offer():
    session.pop("offer_two_step", None)
    return redirect(safe_next_url(request.form.get("back")) or url_for("citizen.home"))


@bp.post("/sign-out")
def sign_out():
    logout_user()
    restart_session()  # the old row is deleted: the cookie is dead even if copied
    return redirect(url_for("citizen.signed_out"))


@bp.get("/signed-out")
def signed_out():
    return render_template("signed_out.html")


@bp.route("/consent/new", methods=["GET", "POST"])
@login_required
def new_consent():
    statement = consent.current_statement(db.session())
    form = ConsentForm()
    form.agree.label.text = statement.agreement_text  # the words beside the box are part of the statement
    if form.agrees_to(statement.version):
        consent.agree(db.session(), current_user, statement.version, client_address())
        return redirect(url_for("citizen.home"))
    form.statement_version.data = str(statement.version)
    return render_template("consent_new.html", form=form, statement=statement)


@bp.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def forgotten_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        passwords.request_reset(db.session(), form.email.data, client_address(), settings())
        session["reset_email"] = form.email.data.strip()
        return redirect(url_for("citizen.reset_link_sent"))
    return render_template("password_forgotten.html", form=form)


@bp.get("/password/forgotten/sent")
def reset_link_sent():
    return render_template("password_reset_sent.html", email=session.get("reset_email"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str):
    if not passwords.reset_link_is_usable(db.session(), token):
        return render_template("link_expired.html", purpose="reset"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(db.session(), token, form.new_password.data, client_address(), settings())
        except AccountError as error:
            form.new_password.errors = [str(error)]
        else:
            logout_user()
            restart_session()
            session["password_reset_done"] = True
            return redirect(url_for("citizen.password_reset_done"))
    return render_template("password_reset.html", form=form)


@bp.get("/password/reset/done")
def password_reset_done():
    return render_template("password_reset_done.html")
