"""GDPR administration, for administrators: thin views over portal.services.consent_admin, withdrawals
and subject_access. (Retention rules live beside these, under /admin/gdpr/retention, in their own module.)

/admin/gdpr                                        the landing page, linking to each part
/admin/gdpr/statements                             consent statement versions
/admin/gdpr/statements/new                         write the next version (preview; publish now or on a date)
/admin/gdpr/statements/<id>                        one version as parents read it
/admin/gdpr/statements/<id>/change                 change a statement that is still scheduled
/admin/gdpr/statements/<id>/cancel                 cancel a statement that is still scheduled
/admin/gdpr/alert-list                             who is emailed about each withdrawal (add)
/admin/gdpr/alert-list/remove                      POST: take an address off the list
/admin/gdpr/withdrawals                            withdrawals, not actioned / actioned / all, paginated
/admin/gdpr/withdrawals/<id>                       one withdrawal; "Mark as actioned" (POST)
/admin/gdpr/people                                 find a parent's account by email address or reference
/admin/gdpr/people/<id>                            their consent history
/admin/gdpr/people/<id>/subject-access             what the subject access export holds; the downloads
/admin/gdpr/people/<id>/subject-access.json|.pdf   the export itself (audited)
"""

from __future__ import annotations

import io

from flask import abort, current_app, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import db
from portal.models import utcnow
from portal.services import consent_admin, site_settings, subject_access, withdrawals
from portal.services.gdpr_errors import GdprError
from portal.services.subject_access import ExportFormat
from portal.services.withdrawals import WithdrawalFilter
from portal.templating import long_date

from . import bp
from .gdpr_forms import (
    AccountSearchForm,
    ActionWithdrawalForm,
    AlertRecipientForm,
    CancelStatementForm,
    RemoveRecipientForm,
    StatementForm,
    message_for,
    show_problems,
)

_NOTICE = "gdpr_notice"
# Ids beyond the database's integer range are simply not found, rather than an error from the database.
_ID = "int(max=2147483647)"
RETENTION_PATH = "/admin/gdpr/retention"  # served by the retention rules' own module, when it is installed


def _client() -> str | None:
    return request.remote_addr


def _done(notice: str, endpoint: str, **values):
    session[_NOTICE] = notice
    return redirect(url_for(endpoint, **values))


def _notice() -> str | None:
    return session.pop(_NOTICE, None)


def _configured_alert_emails() -> tuple[str, ...]:
    return tuple(current_app.config.get("CONSENT_WITHDRAWAL_ALERT_EMAILS", ()))


def _retention_endpoint() -> str | None:
    """The retention rules' page, if that module is registered (it is built separately)."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule.rstrip("/") == RETENTION_PATH and "GET" in (rule.methods or ()) and not rule.arguments:
            return rule.endpoint
    return None


@bp.get("/gdpr")
def gdpr():
    overview = consent_admin.overview(db.session(), _configured_alert_emails())
    return render_template("admin/gdpr/index.html", overview=overview, retention_endpoint=_retention_endpoint())


# --- consent statements ------------------------------------------------------------------------------


@bp.get("/gdpr/statements")
def gdpr_statements():
    rows = consent_admin.list_statements(db.session())
    return render_template(
        "admin/gdpr/statements.html", rows=rows, scheduled=any(r.is_scheduled for r in rows), notice=_notice()
    )


def _statement_or_404(statement_id: int) -> consent_admin.StatementRow:
    row = consent_admin.get_statement(db.session(), statement_id)
    if row is None:
        abort(404)
    return row


@bp.get(f"/gdpr/statements/<{_ID}:statement_id>")
def gdpr_statement(statement_id: int):
    return render_template("admin/gdpr/statement.html", row=_statement_or_404(statement_id), notice=_notice())


def _draft(form: StatementForm) -> consent_admin.StatementDraft:
    return consent_admin.StatementDraft(
        body_markdown=form.body_markdown.data or "",
        agreement_text=form.agreement_text.data or "",
        publish_on=form.publish_on.parts,
        seen_version=form.seen_version.data or "",
    )


def _fill(form: StatementForm, draft: consent_admin.StatementDraft) -> None:
    form.body_markdown.data = draft.body_markdown
    form.agreement_text.data = draft.agreement_text
    form.publish_on.raw_data = list(draft.publish_on)
    form.publish_on.data = tuple(draft.publish_on)
    form.seen_version.data = draft.seen_version


def _saved_notice(statement) -> str:
    if statement.published_at > utcnow():
        return _(
            "Version %(version)s is scheduled. Parents will be asked to agree to it from %(date)s.",
            version=statement.version,
            date=long_date(consent_admin.london_date(statement.published_at)),
        )
    return _(
        "Version %(version)s is published. Parents will be asked to agree to it the next time they use the portal.",
        version=statement.version,
    )


@bp.route("/gdpr/statements/new", methods=["GET", "POST"])
def gdpr_statement_new():
    database = db.session()
    form = StatementForm(formdata=None) if request.method == "GET" else StatementForm()
    if request.method == "GET":
        _fill(form, consent_admin.blank_draft(database, consent_admin.london_date(utcnow())))
    preview = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            if form.preview.data:
                preview = consent_admin.preview(_draft(form))
            else:
                statement = consent_admin.create_statement(
                    database, _draft(form), actor_id=current_user.id, client_address=_client()
                )
                return _done(_saved_notice(statement), "admin.gdpr_statements")
        except GdprError as error:
            show_problems(form, error)
    return render_template("admin/gdpr/statement_edit.html", form=form, statement=None, preview=preview)


@bp.route(f"/gdpr/statements/<{_ID}:statement_id>/change", methods=["GET", "POST"])
def gdpr_statement_change(statement_id: int):
    database = db.session()
    row = _statement_or_404(statement_id)
    if not row.is_scheduled:
        return render_template("admin/gdpr/statement_published.html", row=row), 409
    form = StatementForm(formdata=None) if request.method == "GET" else StatementForm()
    if request.method == "GET":
        _fill(form, consent_admin.draft_of(row.statement))
    preview = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            if form.preview.data:
                preview = consent_admin.preview(_draft(form))
            else:
                statement = consent_admin.update_scheduled(
                    database, statement_id, _draft(form), actor_id=current_user.id, client_address=_client()
                )
                return _done(_saved_notice(statement), "admin.gdpr_statement", statement_id=statement.id)
        except GdprError as error:
            show_problems(form, error)
        except LookupError:
            abort(404)
    return render_template("admin/gdpr/statement_edit.html", form=form, statement=row.statement, preview=preview)


@bp.route(f"/gdpr/statements/<{_ID}:statement_id>/cancel", methods=["GET", "POST"])
def gdpr_statement_cancel(statement_id: int):
    row = _statement_or_404(statement_id)
    if not row.is_scheduled:
        return render_template("admin/gdpr/statement_published.html", row=row), 409
    form = CancelStatementForm()
    if form.validate_on_submit():
        try:
            version = consent_admin.cancel_scheduled(
                db.session(), statement_id, actor_id=current_user.id, client_address=_client()
            )
        except LookupError:
            abort(404)
        except GdprError:
            return render_template("admin/gdpr/statement_published.html", row=_statement_or_404(statement_id)), 409
        return _done(_("Version %(version)s has been cancelled.", version=version), "admin.gdpr_statements")
    return render_template("admin/gdpr/statement_cancel.html", form=form, row=row)


# --- the withdrawal alert list -----------------------------------------------------------------------


@bp.route("/gdpr/alert-list", methods=["GET", "POST"])
def gdpr_alert_list():
    database = db.session()
    form = AlertRecipientForm()
    if form.validate_on_submit():
        try:
            email = withdrawals.add_alert_recipient(
                database, form.email.data or "", configured=_configured_alert_emails(),
                actor_id=current_user.id, client_address=_client(),
            )  # fmt: skip
        except GdprError as error:
            show_problems(form, error)
        else:
            return _done(_("%(email)s has been added to the list.", email=email), "admin.gdpr_alert_list")
    return render_template(
        "admin/gdpr/alert_list.html",
        form=form,
        alert_list=withdrawals.alert_list(database, _configured_alert_emails()),
        notice=_notice(),
    )


@bp.post("/gdpr/alert-list/remove")
def gdpr_alert_remove():
    form = RemoveRecipientForm()
    if not form.validate_on_submit():
        abort(400)
    email = (form.email.data or "").strip()
    removed = withdrawals.remove_alert_recipient(
        db.session(), email, configured=_configured_alert_emails(), actor_id=current_user.id,
        client_address=_client(),
    )  # fmt: skip
    notice = (
        _("%(email)s has been removed from the list.", email=email)
        if removed
        else _("%(email)s was not on the list.", email=email)
    )
    return _done(notice, "admin.gdpr_alert_list")


# --- withdrawals ---------------------------------------------------------------------------------------


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else 1


@bp.get("/gdpr/withdrawals")
def gdpr_withdrawals():
    chosen = WithdrawalFilter.parse(request.args.get("status"))
    listing = withdrawals.list_withdrawals(db.session(), chosen, _page_number())
    return render_template("admin/gdpr/withdrawals.html", listing=listing, filters=list(WithdrawalFilter))


@bp.route(f"/gdpr/withdrawals/<{_ID}:withdrawal_id>", methods=["GET", "POST"])
def gdpr_withdrawal(withdrawal_id: int):
    database = db.session()
    withdrawal = withdrawals.get_withdrawal(database, withdrawal_id)
    if withdrawal is None:
        abort(404)
    form = ActionWithdrawalForm()
    refusal = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            withdrawals.mark_actioned(
                database, withdrawal_id, form.note.data or "", actor_id=current_user.id, client_address=_client()
            )
        except LookupError:
            abort(404)
        except GdprError as error:
            # Actioned already (a second tab, a repeated post): say by whom, and change nothing.
            refused = [p for p in error.problems if p.field is None]
            if refused:
                refusal = message_for(refused[0].code, refused[0].params)
                withdrawal = withdrawals.get_withdrawal(database, withdrawal_id)
            else:
                show_problems(form, error)
        else:
            return _done(_("The withdrawal has been marked as actioned."), "admin.gdpr_withdrawal",
                         withdrawal_id=withdrawal_id)  # fmt: skip
    return render_template(
        "admin/gdpr/withdrawal.html", withdrawal=withdrawal, form=form, refusal=refusal, notice=_notice()
    )


# --- consent history and subject access ----------------------------------------------------------------


@bp.get("/gdpr/people")
def gdpr_people():
    form = AccountSearchForm(request.args)
    result = None
    if "q" in request.args:
        try:
            result = subject_access.find_accounts(db.session(), form.q.data or "")
        except GdprError as error:
            show_problems(form, error)
    return render_template("admin/gdpr/people.html", form=form, result=result)


def _parent_or_404(user_id: int):
    user = subject_access.parent_account(db.session(), user_id)
    if user is None:
        abort(404)
    return user


@bp.get(f"/gdpr/people/<{_ID}:user_id>")
def gdpr_person(user_id: int):
    person = _parent_or_404(user_id)
    history = subject_access.consent_history(db.session(), person.id)
    return render_template("admin/gdpr/person.html", person=person, history=history)


@bp.get(f"/gdpr/people/<{_ID}:user_id>/subject-access")
def gdpr_subject_access(user_id: int):
    person = _parent_or_404(user_id)
    uploads = subject_access.upload_inventory(db.session(), person.id)
    return render_template("admin/gdpr/subject_access.html", person=person, uploads=uploads)


def _export(user_id: int, export_format: ExportFormat):
    try:
        file = subject_access.export_account(
            db.session(), user_id, export_format, council_name=site_settings.current().council_name,
            actor_id=current_user.id, client_address=_client(),
        )  # fmt: skip
    except LookupError:
        abort(404)
    response = send_file(io.BytesIO(file.content), mimetype=file.mimetype, as_attachment=True,
                         download_name=file.file_name)  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"/gdpr/people/<{_ID}:user_id>/subject-access.json")
def gdpr_subject_access_json(user_id: int):
    return _export(user_id, ExportFormat.JSON)


@bp.get(f"/gdpr/people/<{_ID}:user_id>/subject-access.pdf")
def gdpr_subject_access_pdf(user_id: int):
    return _export(user_id, ExportFormat.PDF)
