"""The review queue and a submission's page: thin views over portal.services.review*.

/admin/queue                         the queue (filters and search in the query string, keyset cursor)
/admin/queue.csv                     the current queue view as CSV, streamed
/admin/submissions/<id>              the submission as sent, history, messages, notes, decisions
/admin/submissions/<id>.pdf          the submission as a printable PDF
/admin/submissions/<id>/assign       POST: "Assign to me" or reassign
/admin/submissions/<id>/notes        POST: an internal note
/admin/submissions/<id>/decide/<d>   approve, reject or request more information, with a message
/admin/submissions/<id>/audit        the audit trail (administrators)
/admin/submissions/<id>/uploads/<n>  a document, always as a download
"""

from __future__ import annotations

import io
from datetime import date, datetime

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal import db
from portal.models import ApplicationStatus, Decision, Role
from portal.services import review as service
from portal.services import review_export as exports
from portal.services import review_queue as queue_service
from portal.services import site_settings
from portal.templating import LONDON
from portal.uploads import storage_from_config

from . import bp
from .forms import AssignForm, DecisionForm, NoteForm


def _client() -> str | None:
    return request.remote_addr


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def _filters() -> queue_service.QueueFilters:
    args = request.args
    try:
        status = ApplicationStatus(args.get("status", ""))
    except ValueError:
        status = None
    if status not in queue_service.FILTERABLE_STATUSES:
        status = None
    assignee_arg = args.get("assignee", "")
    assignee: int | str | None = None
    if assignee_arg == queue_service.UNASSIGNED:
        assignee = queue_service.UNASSIGNED
    elif assignee_arg == "me":
        assignee = current_user.id
    elif assignee_arg.isdigit():
        assignee = int(assignee_arg)
    return queue_service.QueueFilters(
        oldest_first=args.get("order", "oldest") != "newest",
        form_code=args.get("form") or None,
        status=status,
        received_from=_date("from"),
        received_to=_date("to"),
        assignee=assignee,
        search=args.get("q", "")[:100],
    )


def _filter_args() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k != "cursor" and v}


@bp.get("/queue")
def queue():
    session = db.session()
    page = queue_service.queue_page(
        session,
        _filters(),
        request.args.get("cursor"),
        page_size=int(current_app.config["QUEUE_PAGE_SIZE"]),
        age_warning_days=int(current_app.config["QUEUE_AGE_WARNING_DAYS"]),
    )
    return render_template(
        "admin/queue.html",
        page=page,
        forms=queue_service.form_choices(session),
        caseworkers=queue_service.caseworkers(session),
        args=_filter_args(),
        statuses=queue_service.FILTERABLE_STATUSES,
    )


@bp.get("/queue.csv")
def queue_csv():
    session = db.session()
    filters = _filters()
    exports.record_queue_export(session, actor_id=current_user.id, client_address=_client(), filters=_filter_args())
    rows = queue_service.all_rows(session, filters, age_warning_days=int(current_app.config["QUEUE_AGE_WARNING_DAYS"]))
    stamp = datetime.now(LONDON).strftime("%Y-%m-%d-%H%M")
    return Response(
        stream_with_context(exports.queue_csv(rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="review-queue-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/submissions/<int:application_id>/assign")
def assign(application_id: int):
    form = AssignForm()
    form.assignee.choices = [SelectChoice(u.id, u.full_name) for u in queue_service.caseworkers(db.session())]
    if request.form.get("assignee") == "me":
        assignee_id = current_user.id
    elif form.validate_on_submit():
        assignee_id = form.assignee.data
    else:
        abort(400)
    try:
        queue_service.assign(
            db.session(), application_id, assignee_id, actor_id=current_user.id, client_address=_client()
        )
    except LookupError:
        abort(404)
    except queue_service.AssignmentRefused:
        abort(400)
    back = request.form.get("back", "")
    if back.startswith("/admin/") and not back.startswith("//"):
        return redirect(back)
    return redirect(url_for("admin.submission", application_id=application_id))


def _submission_page(submission, note_form=None, status=200):
    assign_form = AssignForm()
    assign_form.assignee.choices = [SelectChoice(u.id, u.full_name) for u in queue_service.caseworkers(db.session())]
    if submission.assignee:
        assign_form.assignee.data = submission.assignee.id
    return (
        render_template(
            "admin/submission.html",
            s=submission,
            application=submission.application,
            note_form=note_form or NoteForm(formdata=None),
            form=note_form,
            assign_form=assign_form,
            decisions=service.allowed_decisions(submission.application),
            is_admin=current_user.role is Role.ADMIN,
        ),
        status,
    )


@bp.get("/submissions/<int:application_id>")
def submission(application_id: int):
    try:
        found = service.view_submission(
            db.session(), application_id, actor_id=current_user.id, client_address=_client()
        )
    except service.NotFound:
        abort(404)
    return _submission_page(found)


@bp.post("/submissions/<int:application_id>/notes")
def add_note(application_id: int):
    form = NoteForm()
    try:
        if not form.validate_on_submit():
            return _submission_page(service.load_submission(db.session(), application_id), form)
        service.add_note(
            db.session(), application_id, form.body.data, actor_id=current_user.id, client_address=_client()
        )
    except service.NotFound:
        abort(404)
    return redirect(url_for("admin.submission", application_id=application_id) + "#notes")


@bp.get("/submissions/<int:application_id>/audit")
def audit_trail(application_id: int):
    try:
        application = service.load_submission(db.session(), application_id).application
    except service.NotFound:
        abort(404)
    return render_template(
        "admin/audit.html", application=application, events=service.audit_trail(db.session(), application_id)
    )


@bp.get("/submissions/<int:application_id>.pdf")
def submission_pdf(application_id: int):
    try:
        data, reference = exports.submission_pdf(
            db.session(),
            application_id,
            council_name=site_settings.current().council_name,
            actor_id=current_user.id,
            client_address=_client(),
        )
    except service.NotFound:
        abort(404)
    response = send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=f"{reference}.pdf"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/submissions/<int:application_id>/uploads/<int:upload_id>")
def upload_download(application_id: int, upload_id: int):
    try:
        upload = service.staff_upload(db.session(), upload_id)
    except service.NotFound:
        abort(404)
    if upload.application_id != application_id:
        abort(404)
    try:
        data = storage_from_config(current_app.config).read(upload.storage_key)
    except (KeyError, FileNotFoundError):
        abort(404)
    service.record_access(
        db.session(), "upload_downloaded", application_id, actor_id=current_user.id, client_address=_client(),
        upload_id=upload.id,
    )  # fmt: skip
    # Always a download, never inline: an uploaded file must not run in the portal's origin.
    response = send_file(
        io.BytesIO(data), mimetype=upload.content_type, as_attachment=True, download_name=upload.original_filename
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/submissions/<int:application_id>/decide/<decision>", methods=["GET", "POST"])
def decide(application_id: int, decision: str):
    try:
        chosen = Decision(decision)
    except ValueError:
        abort(404)
    session = db.session()
    try:
        found = service.load_submission(session, application_id)
    except service.NotFound:
        abort(404)
    application = found.application
    template_id = request.values.get("template_id", type=int)
    drafted = service.draft_message(session, application_id, chosen, template_id)
    form = DecisionForm()
    groups = [SelectChoice(code, title) for code, title in service.amendable_groups(application)]
    form.open_groups.choices = groups
    amend_all = current_app.config["AMEND_SCOPE"] == "all"
    stale = None
    if request.method == "GET" or request.form.get("action") == "template":
        form = DecisionForm(formdata=None)
        form.open_groups.choices = groups
        form.version.data = (
            application.row_version if request.method == "GET" else request.form.get("version", type=int)
        )
        form.template_id.data = drafted.template.id if drafted.template else ""
        form.subject.data = drafted.subject
        form.body.data = drafted.body_markdown
    elif form.validate_on_submit():
        given = service.DecisionInput(
            decision=chosen,
            version=form.version.data,
            subject=form.subject.data,
            body_markdown=form.body.data,
            template_id=int(form.template_id.data) if str(form.template_id.data or "").isdigit() else None,
            open_groups=None if amend_all else list(form.open_groups.data or []),
        )
        try:
            service.decide(
                session, application_id, given, actor=current_user, client_address=_client(),
                base_url=current_app.config["PORTAL_BASE_URL"], today=datetime.now(LONDON).date(),
            )  # fmt: skip
        except service.StaleDecision as refused:
            stale = refused.message
        except service.DecisionNotAllowed:
            stale = service.stale_message(session, application_id)
        else:
            return redirect(url_for("admin.submission", application_id=application_id, decided=chosen.value))
    if stale is not None:
        return render_template(
            "admin/decision_refused.html", application=application, message=stale, decision=chosen
        ), 409
    if chosen not in service.allowed_decisions(application) and request.method == "GET":
        return redirect(url_for("admin.submission", application_id=application_id))
    return render_template(
        "admin/decide.html",
        form=form,
        application=application,
        decision=chosen,
        drafted=drafted,
        amend_all=amend_all,
        groups=groups,
    )
