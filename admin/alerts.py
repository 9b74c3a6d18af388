"""Alerts, for administrators: thin views over portal.services.alerts.

/admin/alerts                       the list: name, what sets it off, what it does, on or off, last fired, count
/admin/alerts/new                   choose what sets the alert off
/admin/alerts/new/<kind>            choose what it does (skipped when it can do one thing only)
/admin/alerts/new/<kind>/<action>   the rest (Preview shows what it would send, with sample values)
/admin/alerts/<id>                  the alert, turn it on or off, its recent deliveries
/admin/alerts/<id>/edit             change it (not its kind), with Preview; ?action= for another action
/admin/alerts/<id>/edit/action      choose another action
/admin/alerts/<id>/activation       POST: turn it on or off
/admin/alerts/<id>/delete           confirm, then delete (POST)

The worker delivers alerts (portal.services.alert_jobs); nothing here sends anything.
"""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal import db
from portal.models import AlertAction, AlertKind
from portal.services import alerts as service

from . import bp
from .alert_forms import (
    ACTION_HINTS,
    ACTION_LABELS,
    DAYS_HINTS,
    DAYS_LABELS,
    KIND_HINTS,
    KIND_LABELS,
    AlertActionForm,
    AlertActivationForm,
    AlertForm,
    AlertKindForm,
    DeleteAlertForm,
    message_for,
)


@bp.get("/alerts")
def alerts():
    return render_template("admin/alerts/list.html", rows=service.list_alerts(db.session()))


@bp.route("/alerts/new", methods=["GET", "POST"])
def alert_new():
    form = AlertKindForm()
    if form.validate_on_submit():
        return redirect(url_for("admin.alert_new_action", kind=form.kind.data))
    return render_template("admin/alerts/new.html", form=form, hints={k.value: v for k, v in KIND_HINTS.items()})


def _kind(value: str) -> AlertKind:
    try:
        return AlertKind(value)
    except ValueError:
        abort(404)


def _action_page(kind: AlertKind, alert, chosen: str | None, next_url):
    """Choose what the alert does: one question on its own page, so each action's fields come after it."""
    actions = service.actions_for(kind)
    if len(actions) == 1:  # someone who withdrew consent can only be reported to staff
        return redirect(next_url(actions[0].value))
    form = AlertActionForm(formdata=None, action=chosen) if request.method == "GET" else AlertActionForm()
    form.action.choices = [SelectChoice(a.value, ACTION_LABELS[a]) for a in actions]
    if form.validate_on_submit():
        if form.action.data in {a.value for a in actions}:
            return redirect(next_url(form.action.data))
        form.action.errors = [message_for(service.AlertProblem("action", service.AlertErrorCode.ACTION_MISSING))]
    hints = {action.value: hint for action, hint in ACTION_HINTS.items()}
    return render_template(
        "admin/alerts/action.html", form=form, kind_label=KIND_LABELS[kind], alert=alert, hints=hints
    )


@bp.route("/alerts/new/<kind>", methods=["GET", "POST"])
def alert_new_action(kind: str):
    chosen = _kind(kind)
    return _action_page(
        chosen, None, request.args.get("action"),
        lambda action: url_for("admin.alert_new_details", kind=chosen.value, action=action),
    )  # fmt: skip


def _prepare(form: AlertForm, kind: AlertKind, forms: list[tuple[str, str]]) -> None:
    """The choices and labels that depend on the alert's kind."""
    first = SelectChoice("", _("Any form") if kind not in service.FORM_REQUIRED else _("Select a form"))
    form.form_code.choices = [first] + [SelectChoice(code, title) for code, title in forms]
    if kind in DAYS_LABELS:
        form.days.label.text = DAYS_LABELS[kind]
        form.days.description = DAYS_HINTS[kind]


def _draft(form: AlertForm, kind: AlertKind, action: AlertAction) -> service.AlertDraft:
    return service.AlertDraft(
        name=form.name.data or "",
        kind=kind,
        action=action.value,
        form_code=form.form_code.data or "",
        days=form.days.data or "",
        recipients=form.recipients.data or "",
        subject=form.subject.data or "",
        body_markdown=form.body_markdown.data or "",
    )


def _show(form: AlertForm, alert) -> None:
    form.name.data = alert.name
    form.form_code.data = alert.form_code or ""
    form.days.data = "" if alert.days is None else str(alert.days)
    form.recipients.data = "\n".join(alert.recipients or [])
    form.subject.data = alert.subject or ""
    form.body_markdown.data = alert.body_markdown or ""


def _edit(kind: AlertKind | None, action: AlertAction, alert_id: int | None):
    session = db.session()
    editor = service.editor(session, alert_id)
    if editor is None:
        abort(404)
    alert = editor.alert
    kind = alert.kind if alert is not None else kind
    form = AlertForm(formdata=None) if request.method == "GET" else AlertForm()
    _prepare(form, kind, editor.forms)
    if request.method == "GET":
        if alert is not None:
            _show(form, alert)
        else:
            form.creation_token.data = secrets.token_urlsafe(24)
    preview = None
    if request.method == "POST" and form.validate_on_submit():
        draft = _draft(form, kind, action)
        try:
            if form.preview.data:
                preview = service.preview(
                    session, draft, base_url=current_app.config["PORTAL_BASE_URL"], alert_id=alert_id
                )
            elif alert is None:
                created = service.create_alert(
                    session, draft, creation_token=form.creation_token.data, actor_id=current_user.id,
                    client_address=request.remote_addr,
                )  # fmt: skip
                flash(_("Alert saved. It is on, and looks for what happens from now on."))
                return redirect(url_for("admin.alert", alert_id=created.id))
            else:
                service.update_alert(
                    session, alert.id, draft, actor_id=current_user.id, client_address=request.remote_addr
                )
                flash(_("Alert saved"))
                return redirect(url_for("admin.alert", alert_id=alert.id))
        except service.AlertError as error:
            session.rollback()
            for problem in error.problems:
                field = getattr(form, problem.field, None) or form.name  # (the action comes from the address)
                field.errors = [*field.errors, message_for(problem)]
    if alert is None:
        change_action = url_for("admin.alert_new_action", kind=kind.value, action=action.value)
    else:
        change_action = url_for("admin.alert_edit_action", alert_id=alert.id, action=action.value)
    return render_template(
        "admin/alerts/edit.html",
        form=form,
        kind=kind,
        kind_label=KIND_LABELS[kind],
        action=action,
        action_label=ACTION_LABELS[action],
        change_action=change_action if len(service.actions_for(kind)) > 1 else None,
        alert=alert,
        preview=preview,
        placeholders=service.placeholders_for(kind),
    )


def _action(kind: AlertKind, value: str | None) -> AlertAction | None:
    """The action named in the address, if it is one this kind of alert can have."""
    try:
        action = AlertAction(value or "")
    except ValueError:
        return None
    return action if action in service.actions_for(kind) else None


@bp.route("/alerts/new/<kind>/<action>", methods=["GET", "POST"])
def alert_new_details(kind: str, action: str):
    chosen = _kind(kind)
    does = _action(chosen, action)
    if does is None:
        abort(404)
    return _edit(chosen, does, None)


def _clock(hour: int) -> str:
    """GOV.UK style: 7am, midday, 3pm, midnight."""
    if hour == 0:
        return _("midnight")
    if hour == 12:
        return _("midday")
    return f"{hour % 12}{'am' if hour < 12 else 'pm'}"


@bp.get("/alerts/<int:alert_id>")
def alert(alert_id: int):
    view = service.view_alert(db.session(), alert_id)
    if view is None:
        abort(404)
    activation = AlertActivationForm(formdata=None, active="off" if view.alert.active else "on")
    return render_template(
        "admin/alerts/alert.html",
        view=view,
        alert=view.alert,
        activation=activation,
        daily_time=_clock(int(current_app.config["ALERTS_DAILY_HOUR"])),
    )


@bp.route("/alerts/<int:alert_id>/edit", methods=["GET", "POST"])
def alert_edit(alert_id: int):
    """Change the alert; `?action=` (from the "what it does" page) shows another action's fields."""
    found = service.editor(db.session(), alert_id)
    if found is None:
        abort(404)
    does = _action(found.alert.kind, request.args.get("action")) or found.alert.action
    return _edit(None, does, alert_id)


@bp.route("/alerts/<int:alert_id>/edit/action", methods=["GET", "POST"])
def alert_edit_action(alert_id: int):
    found = service.editor(db.session(), alert_id)
    if found is None:
        abort(404)
    current = _action(found.alert.kind, request.args.get("action")) or found.alert.action
    return _action_page(
        found.alert.kind, found.alert, current.value,
        lambda action: url_for("admin.alert_edit", alert_id=alert_id, action=action),
    )  # fmt: skip


@bp.post("/alerts/<int:alert_id>/activation")
def alert_activation(alert_id: int):
    form = AlertActivationForm()
    if not form.validate_on_submit() or form.active.data not in ("on", "off"):
        abort(400)
    try:
        changed = service.set_active(
            db.session(), alert_id, form.active.data == "on", actor_id=current_user.id,
            client_address=request.remote_addr,
        )  # fmt: skip
    except LookupError:
        abort(404)
    flash(_("Alert turned on. It looks for what happens from now on.") if changed.active else _("Alert turned off"))
    return redirect(url_for("admin.alert", alert_id=alert_id))


@bp.route("/alerts/<int:alert_id>/delete", methods=["GET", "POST"])
def alert_delete(alert_id: int):
    session = db.session()
    form = DeleteAlertForm()
    if request.method == "POST" and form.validate_on_submit():
        # Already deleted (a second click, another tab): the result the administrator wanted all the same.
        service.delete_alert(session, alert_id, actor_id=current_user.id, client_address=request.remote_addr)
        flash(_("Alert deleted"))
        return redirect(url_for("admin.alerts"))
    view = service.view_alert(session, alert_id)
    if view is None:
        abort(404)
    return render_template("admin/alerts/delete.html", form=form, alert=view.alert, view=view)
