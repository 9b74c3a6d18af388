"""The staff area's guard and front page: staff only, with 2SV; some areas for administrators only."""

from __future__ import annotations

from typing import NamedTuple

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from portal import db
from portal.access import two_step_refusal
from portal.models import FormVersion, Role

from . import bp

# Areas for administrators only (by endpoint prefix); caseworkers get 403 there. Each area's endpoints
# share its prefix, so a new view in an area is guarded without anyone remembering to guard it.
ADMINISTRATOR_AREAS = (
    "admin.announcement",
    "admin.template",
    "admin.text",
    "admin.audit_trail",
    "admin.builder",  # the form builder: /admin/builder/...
    "admin.settings",  # site settings: /admin/settings/...
    "admin.gdpr",  # consent statements, withdrawals, subject access, retention: /admin/gdpr/...
    "admin.staff",  # staff users and invitations: /admin/staff/...
    "admin.alert",  # triggered and scheduled alerts: /admin/alerts/...
)


class Section(NamedTuple):
    """A link on the staff area's front page."""

    endpoint: str
    title: str
    description: str


# Every member of staff's sections, then the administrators', in the order the front page lists them.
CASEWORK_SECTIONS = (
    Section("admin.queue", _l("Review queue"), _l("Applications waiting for a decision, oldest first.")),
)
ADMINISTRATOR_SECTIONS = (
    Section("admin.builder_forms", _l("Form builder"), _l("Design forms, preview them and publish new versions.")),
    Section("admin.templates", _l("Message templates"), _l("The messages caseworkers send with each decision.")),
    Section("admin.texts", _l("Texts"), _l("Pages and emails people read outside the forms, in English and Welsh.")),
    Section("admin.announcements", _l("Announcements"), _l("Notices parents see after they sign in.")),
    Section("admin.alerts", _l("Alerts"), _l("Emails or messages when something happens, or daily.")),
    Section("admin.gdpr", _l("GDPR administration"), _l("Consent statements, withdrawals and subject access.")),
    Section("admin.gdpr_retention_rules", _l("Data retention"), _l("When old applications are deleted.")),
    Section(
        "admin.staff",
        _l("Staff users"),
        _l("Invite staff, change their roles, deactivate accounts and reset two-step verification."),
    ),
    Section("admin.settings", _l("Site settings"), _l("Names, contact details, passwords, 2SV, uploads, timeouts.")),
)


# The pages an invited person opens from the emailed link, before they can sign in (admin/invitation.py).
# The link itself is their credential; these endpoints, and only these, are outside the guard.
INVITATION_PAGES = "admin.invitation_"


@bp.before_request
def _staff_only():
    if (request.endpoint or "").startswith(INVITATION_PAGES):
        return None
    return _staff_guard()


@login_required
def _staff_guard():
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
    administration = ADMINISTRATOR_SECTIONS if current_user.role is Role.ADMIN else ()
    return render_template(
        "admin/index.html", versions=list(versions), casework=CASEWORK_SECTIONS, administration=administration
    )
