"""The staff area's guard and front page: staff only, with 2SV; some areas for administrators only."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import db
from portal.access import two_step_refusal
from portal.models import FormVersion, Role

from . import bp

# Areas for administrators only (by endpoint prefix); caseworkers get 403 there.
ADMINISTRATOR_AREAS = ("admin.announcement", "admin.template", "admin.text", "admin.audit_trail")


@bp.before_request
@login_required
def _staff_only():
    if not current_user.role.is_staff:
        abort(403)
    refusal = two_step_refusal()  # staff areas always need two-step verification
    if refusal is not None:
        return refusal
    if (request.endpoint or "").startswith(ADMINISTRATOR_AREAS) and current_user.role is not Role.ADMIN:
        abort(403)
    return None


@bp.get("/")
def index():
    versions = db.session().scalars(select(FormVersion).order_by(FormVersion.code, FormVersion.version.desc()))
    return render_template("admin/index.html", versions=list(versions))
