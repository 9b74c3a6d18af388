"""Data retention, for administrators: rules that delete old applications, each checked with a dry run
report before it is turned on. Thin views over portal.services.retention; the worker carries the rules out.

/admin/gdpr/retention                       the rules (with the fixed rule for drafts) and the last runs
/admin/gdpr/retention/new                   add a rule (it starts off)
/admin/gdpr/retention/<id>                  change a rule (a changed rule is turned off)
/admin/gdpr/retention/<id>/dry-run          what the rule would delete now; turn it on (or off) from here
/admin/gdpr/retention/<id>/turn-on          POST, only after the rule's current report was looked at
/admin/gdpr/retention/<id>/turn-off         POST
/admin/gdpr/retention/<id>/delete           confirm, then delete (POST)
/admin/gdpr/retention/runs/<id>             what one run deleted
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal import db
from portal.models import utcnow
from portal.services import retention as service
from portal.services import site_settings

from . import bp
from .retention_forms import (
    PROBLEM_MESSAGES,
    REFUSAL_MESSAGES,
    STATE_LABELS,
    STATE_TAG_CLASSES,
    STATUS_LABELS,
    DeleteRuleForm,
    RetentionRuleForm,
    TurnOffForm,
    TurnOnForm,
)

ID = "int(max=2147483647)"  # larger ids are simply not found, on every database


def _version(posted: str | None) -> int | None:
    """The row version a form carried; anything but a plausible number is no version at all."""
    return int(posted) if posted and posted.isdigit() and len(posted) < 10 else None


def _render(template: str, **context):
    return render_template(
        template,
        status_labels=STATUS_LABELS,
        state_labels=STATE_LABELS,
        state_tag_classes=STATE_TAG_CLASSES,
        every_form=service.EVERY_FORM,
        **context,
    )


@bp.get("/gdpr/retention")
def gdpr_retention_rules():
    view = service.overview(db.session(), draft_expiry_days=site_settings.current().draft_expiry_days)
    return _render("admin/retention/rules.html", view=view, run_every=service.RETENTION_RUN_EVERY,
                   references_kept=service.REFERENCES_KEPT)  # fmt: skip


def _show(form: RetentionRuleForm, rule) -> None:
    form.form_code.data = service.EVERY_FORM if rule.form_code is None else rule.form_code
    form.status.data = rule.status.value
    form.months.data = str(rule.months)
    form.row_version.data = str(rule.row_version)


def _edit(rule_id: int | None):
    session = db.session()
    rule = None
    if rule_id is not None:
        try:
            rule = service.get_rule(session, rule_id)
        except service.NotFound:
            abort(404)
    titles = service.form_titles(session)
    if rule is not None and rule.form_code and rule.form_code not in titles:
        titles[rule.form_code] = rule.form_code
    form = RetentionRuleForm(formdata=None) if request.method == "GET" else RetentionRuleForm()
    form.offer_forms(titles)
    if request.method == "GET" and rule is not None:
        _show(form, rule)
    if request.method == "POST" and form.validate_on_submit():
        draft = service.RuleDraft(form.form_code.data or "", form.status.data or "", form.months.data or "")
        actor = {"actor_id": current_user.id, "client_address": request.remote_addr}
        try:
            if rule is None:
                saved = service.create_rule(session, draft, **actor)
            else:
                seen = _version(form.row_version.data)
                saved = service.update_rule(session, rule.id, draft, seen_version=seen, **actor)
            return redirect(url_for("admin.gdpr_retention_dry_run", rule_id=saved.id))
        except service.RuleError as error:
            session.rollback()
            if rule is not None and any(p.problem is service.Problem.CHANGED_SINCE_OPENED for p in error.problems):
                session.refresh(rule)
                _show(form, rule)  # show what the rule says now, so the administrator decides again
            for problem in error.problems:
                field = getattr(form, problem.field)
                field.errors = [*field.errors, PROBLEM_MESSAGES[problem.problem]]
        except service.NotFound:
            abort(404)
    return _render("admin/retention/rule_edit.html", form=form, rule=rule)


@bp.route("/gdpr/retention/new", methods=["GET", "POST"])
def gdpr_retention_rule_new():
    return _edit(None)


@bp.route(f"/gdpr/retention/<{ID}:rule_id>", methods=["GET", "POST"])
def gdpr_retention_rule_edit(rule_id: int):
    return _edit(rule_id)


@bp.get(f"/gdpr/retention/<{ID}:rule_id>/dry-run")
def gdpr_retention_dry_run(rule_id: int):
    session = db.session()
    try:
        rule, report = service.view_dry_run(
            session, rule_id, now=utcnow(), actor_id=current_user.id, client_address=request.remote_addr
        )
    except service.NotFound:
        abort(404)
    turn_on = TurnOnForm(formdata=None, row_version=str(rule.row_version))
    titles = service.form_titles(session)
    return _render("admin/retention/dry_run.html", rule=rule, report=report, titles=titles, turn_on=turn_on,
                   turn_off=TurnOffForm(formdata=None), state=service.state_of(rule))  # fmt: skip


@bp.post(f"/gdpr/retention/<{ID}:rule_id>/turn-on")
def gdpr_retention_rule_turn_on(rule_id: int):
    session = db.session()
    form = TurnOnForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.turn_on(session, rule_id, seen_version=_version(form.row_version.data),
                        actor_id=current_user.id, client_address=request.remote_addr)  # fmt: skip
    except service.NotFound:
        abort(404)
    except service.TurnOnRefused as refused:
        session.rollback()
        return _render("admin/retention/turn_on_refused.html", rule=refused.rule, titles=service.form_titles(session),
                       message=REFUSAL_MESSAGES[refused.reason]), 409  # fmt: skip
    return redirect(url_for("admin.gdpr_retention_rules", turned_on=rule_id))


@bp.post(f"/gdpr/retention/<{ID}:rule_id>/turn-off")
def gdpr_retention_rule_turn_off(rule_id: int):
    session = db.session()
    if not TurnOffForm().validate_on_submit():
        abort(400)
    try:
        service.turn_off(session, rule_id, actor_id=current_user.id, client_address=request.remote_addr)
    except service.NotFound:
        abort(404)
    return redirect(url_for("admin.gdpr_retention_rules", turned_off=rule_id))


@bp.route(f"/gdpr/retention/<{ID}:rule_id>/delete", methods=["GET", "POST"])
def gdpr_retention_rule_delete(rule_id: int):
    session = db.session()
    form = DeleteRuleForm()
    if request.method == "POST" and form.validate_on_submit():
        # A rule already deleted (a second click) is not an error: the list shows it is gone.
        service.delete_rule(session, rule_id, actor_id=current_user.id, client_address=request.remote_addr)
        return redirect(url_for("admin.gdpr_retention_rules"))
    try:
        rule = service.get_rule(session, rule_id)
    except service.NotFound:
        abort(404)
    return _render("admin/retention/rule_delete.html", form=form, rule=rule,
                   titles=service.form_titles(session))  # fmt: skip


@bp.get(f"/gdpr/retention/runs/<{ID}:run_id>")
def gdpr_retention_run(run_id: int):
    session = db.session()
    try:
        view = service.get_run(session, run_id)
    except service.NotFound:
        abort(404)
    return _render("admin/retention/run.html", view=view, titles=service.form_titles(session))
