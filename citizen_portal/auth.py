"""Sign in, sign out and My account."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import db
from portal.extensions import limiter
from portal.redirects import safe_next_url
from portal.services.signin import authenticate

from . import bp
from .forms import SignInForm


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.email.data, form.password.data, request.remote_addr)
        if user is not None:
            next_url = safe_next_url(request.args.get("next"))
            # A new session at sign-in: anything planted in the old one (a fixed session) is dropped.
            session.clear()
            login_user(user)
            return redirect(next_url or url_for("citizen.home"))
        form.email.errors = [_("Email address or password is incorrect")]
        form.password.errors = []
    return render_template("sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    logout_user()
    session.clear()
    return redirect(url_for("citizen.signed_out"))


@bp.get("/signed-out")
def signed_out():
    return render_template("signed_out.html")


@bp.get("/account")
@login_required
def account():
    return render_template("account.html", user=current_user)
