"""Staff users, for administrators: who has access to the staff area, and what they may do there.

/admin/staff                              every invited, active and deactivated member of staff
/admin/staff/invite                       invite someone by email (name, email, role)
/admin/staff/<id>                         one person: details, what can be done and why not, history
/admin/staff/<id>/role                    change their role (administrator or caseworker)
/admin/staff/<id>/<action>                confirm, then deactivate, reactivate, reset two-step
                                          verification, re-send or cancel the invitation (POST)

The rules (nobody removes their own administrator role or the last administrator, ...) are in
portal.services.staff; this module words its answers.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import db
from portal.config import AccountSettings
from portal.models import Role
from portal.services import site_settings
from portal.services import staff as service
from portal.services.staff import Action, Refusal

from . import bp
from .staff_forms import ChangeForm, InviteForm, RoleForm

NOTICE = "staff_notice"

REFUSALS = {
    Refusal.OWN_ADMIN_ROLE: _l("You cannot remove your own administrator role. Another administrator can change it."),
    Refusal.OWN_ACCOUNT: _l("You cannot deactivate your own account. Another administrator can deactivate it."),
    Refusal.OWN_TWO_STEP: _l(
        "You cannot reset your own two-step verification here. You can change it in My account, "
        "or another administrator can reset it."
    ),
    Refusal.LAST_ADMINISTRATOR: _l(
        "%(name)s is the only active administrator. Make someone else an administrator first, so that "
        "someone can always manage the portal."
    ),
    Refusal.STALE: _l(
        "Someone else changed %(name)s’s account while you had this page open. Check their details and try again."
    ),
    Refusal.NOT_APPLICABLE: _l("This change cannot be made to %(name)s’s account as it is now."),
}

INVITE_PROBLEMS = {
    service.InviteProblem.PARENT_ACCOUNT: _l(
        "This email address belongs to a parent’s account on the portal. A parent’s account cannot become a "
        "staff account: invite them with a different email address, such as their work email address"
    ),
    service.InviteProblem.ALREADY_INVITED: _l(
        "%(name)s has already been invited with this email address. Re-send their invitation from their page"
    ),
    service.InviteProblem.ALREADY_STAFF: _l("%(name)s already has a staff account with this email address"),
    service.InviteProblem.DEACTIVATED_STAFF: _l(
        "%(name)s has a deactivated staff account with this email address. Reactivate it from their page"
    ),
}

DONE = {
    Action.MAKE_ADMIN: _l("%(name)s is now an administrator"),
    Action.MAKE_CASEWORKER: _l("%(name)s is now a caseworker"),
    Action.DEACTIVATE: _l("%(name)s’s account has been deactivated. They have been signed out and cannot sign in."),
    Action.REACTIVATE: _l("%(name)s’s account has been reactivated. They can sign in again."),
    Action.RESET_TWO_STEP: _l(
        "Two-step verification has been reset for %(name)s. They have been signed out, and will set it up "
        "again when they next sign in. We have emailed them to say so."
    ),
    Action.RESEND_INVITATION: _l("A new invitation has been sent to %(email)s"),
    Action.CANCEL_INVITATION: _l("The invitation to %(name)s has been cancelled"),
}

# The actions that have a confirmation page at /admin/staff/<id>/<action> (the role has its own page).
CONFIRMED_ACTIONS = frozenset(Action) - {Action.MAKE_ADMIN, Action.MAKE_CASEWORKER}


def _settings() -> AccountSettings:
    return site_settings.account_settings()


def _done(action: Action, member):
    session[NOTICE] = str(DONE[action] % {"name": member.full_name, "email": member.email})
    if action is Action.CANCEL_INVITATION:
        return redirect(url_for("admin.staff"))
    return redirect(url_for("admin.staff_member", member_id=member.id))


def _refusal_text(refusal: Refusal, member) -> str:
    return str(REFUSALS[refusal] % {"name": member.full_name})


@bp.get("/staff")
def staff():
    return render_template(
        "admin/staff/list.html", rows=service.list_staff(db.session()), notice=session.pop(NOTICE, None)
    )


@bp.route("/staff/invite", methods=["GET", "POST"])
def staff_invite():
    form = InviteForm()
    existing = None
    if form.validate_on_submit():
        invitee = service.Invitee(form.forename.data, form.surname.data, form.email.data, Role(form.role.data))
        try:
            outcome = service.invite(
                db.session(),
                invitee,
                actor_id=current_user.id,
                client_address=request.remote_addr,
                settings=_settings(),
            )
        except service.InviteRefused as refused:
            existing = refused.member
            name = existing.full_name if existing is not None else ""
            form.email.errors = [str(INVITE_PROBLEMS[refused.problem] % {"name": name})]
        else:
            session[NOTICE] = _("An invitation has been sent to %(email)s", email=outcome.member.email)
            return redirect(url_for("admin.staff_member", member_id=outcome.member.id))
    hours = int(_settings().staff_invitation_link.total_seconds() // 3600)
    return render_template("admin/staff/invite.html", form=form, existing=existing, hours=hours)


def _page_or_404(member_id: int) -> service.StaffMemberPage:
    page = service.member_page(db.session(), member_id, actor_id=current_user.id)
    if page is None:
        abort(404)
    return page


def _member_page(page: service.StaffMemberPage, problem: str | None = None, status: int = 200):
    return (
        render_template(
            "admin/staff/member.html",
            page=page,
            member=page.member,
            Action=Action,
            refusals={refusal: _refusal_text(refusal, page.member) for refusal in page.withheld()},
            problem=problem,
            notice=None if problem else session.pop(NOTICE, None),
            form=ChangeForm(formdata=None, version=page.version),
        ),
        status,
    )


@bp.get("/staff/<int:member_id>")
def staff_member(member_id: int):
    return _member_page(_page_or_404(member_id))


def _change(action: Action, member_id: int, form, on_refusal):
    try:
        outcome = service.change(
            db.session(),
            action,
            member_id=member_id,
            actor_id=current_user.id,
            version=form.version.data,
            client_address=request.remote_addr,
            settings=_settings(),
            shown_invitation_id=getattr(form, "shown_invitation_id", None),
        )
    except LookupError:
        abort(404)
    except service.ChangeRefused as refused:
        return on_refusal(refused)
    return _done(action, outcome.member)


@bp.route("/staff/<int:member_id>/role", methods=["GET", "POST"])
def staff_role(member_id: int):
    page = _page_or_404(member_id)
    form = RoleForm()
    if request.method == "GET":
        form.role.data = page.member.role.value
        form.version.data = page.version
    if form.validate_on_submit():

        def refused(error: service.ChangeRefused):
            form.role.errors = [_refusal_text(error.refusal, error.member)]
            form.version.data = service.version_of(error.member)
            return render_template("admin/staff/role.html", form=form, page=page, member=page.member), 409

        return _change(service.ROLE_ACTIONS[Role(form.role.data)], member_id, form, refused)
    return render_template("admin/staff/role.html", form=form, page=page, member=page.member)


@bp.route("/staff/<int:member_id>/<action_name>", methods=["GET", "POST"])
def staff_action(member_id: int, action_name: str):
    try:
        action = Action(action_name)
    except ValueError:
        abort(404)
    if action not in CONFIRMED_ACTIONS:
        abort(404)
    form = ChangeForm()
    if request.method == "POST" and form.validate_on_submit():

        def refused(error: service.ChangeRefused):
            fresh = _page_or_404(member_id)
            return _member_page(fresh, problem=_refusal_text(error.refusal, error.member), status=409)

        return _change(action, member_id, form, refused)
    page = _page_or_404(member_id)
    if action not in page.actions:
        return redirect(url_for("admin.staff_member", member_id=member_id))
    if page.actions[action] is not None:
        return _member_page(page, problem=_refusal_text(page.actions[action], page.member), status=409)
    form = ChangeForm(formdata=None, version=page.version, invitation=page.invitation.id if page.invitation else "")
    return render_template(
        "admin/staff/confirm.html", form=form, page=page, member=page.member, action=action, Action=Action
    )
