"""The staff area's front page. Every view here is for staff only; parents get 403."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import db
from portal.access import two_step_refusal
from portal.models import FormVersion

from . import bp


@bp.before_request
@login_required
def _staff_only():
    if not current_user.role.is_staff:
        abort(403)
    return two_step_refusal()  # staff areas always need two-step verification


@bp.get("/")
def index():
    versions = db.session().scalars(select(FormVersion).order_by(FormVersion.code, FormVersion.version.desc()))
    return render_template("admin/index.html", versions=list(versions))
