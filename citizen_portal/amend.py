"""Answering a caseworker's request for more information: change the answers they opened up (or all, as
the council chooses), send more documents, and resubmit.

    /applications/<id>/amend                 what was asked, the pages to change, documents, Resubmit
    /applications/<id>/amend/<group>         one page of the form, with the parent's working answers
    /applications/<id>/amend/evidence        POST: another document

The pages reuse the form runner's widgets and formsengine's parsing; the working answers are kept apart
from the submission until the parent resubmits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import formsengine
from formsengine import DataType
from portal import db
from portal.form_widgets import error_list, widget_for
from portal.services import review as service
from portal.services import site_settings
from portal.templating import LONDON
from portal.uploads import UploadProblem, check_upload, problem_message, storage_from_config

from . import bp

UPLOAD_TYPES = (DataType.FILE, DataType.IMAGE)


def _today() -> date:
    return datetime.now(LONDON).date()


def _amendment(application_id: int) -> service.Amendment:
    try:
        return service.load_amendment(
            db.session(), current_user.id, application_id,
            amend_scope=current_app.config["AMEND_SCOPE"], today=_today(),
        )  # fmt: skip
    except service.NotFound:
        abort(404)


def _overview(amendment: service.Amendment, *, errors=None, evidence_error: str | None = None, status: int = 200):
    today = _today()
    summary = service.frozen_summary(amendment.form, amendment.answers, today)
    open_codes = {code for code, _ in amendment.groups}
    return (
        render_template(
            "amend/overview.html",
            amendment=amendment,
            application=amendment.application,
            sections=[s for s in summary["sections"] if s["group"] in open_codes],
            errors=error_list(errors or [], href_for={}),
            evidence_error=evidence_error,
            form={"errors": bool(errors or evidence_error)},
        ),
        status,
    )


@bp.route("/applications/<int:application_id>/amend", methods=["GET", "POST"])
@login_required
def amend(application_id: int):
    amendment = _amendment(application_id)
    if request.method == "POST":
        result = service.resubmit(
            db.session(), current_user, application_id,
            amend_scope=current_app.config["AMEND_SCOPE"], today=_today(),
        )  # fmt: skip
        if result.errors:
            return _overview(amendment, errors=result.errors)
        return redirect(url_for("citizen.application", application_id=application_id, resubmitted=1))
    return _overview(amendment)


@bp.post("/applications/<int:application_id>/amend/evidence")
@login_required
def amend_evidence(application_id: int):
    amendment = _amendment(application_id)
    settings = site_settings.current()
    file = request.files.get("evidence")
    if file is None or not file.filename:
        return _overview(amendment, evidence_error="Select a file")
    result = check_upload(
        file.filename,
        file.read(settings.upload_max_bytes + 1),
        max_bytes=settings.upload_max_bytes,
        allowed=settings.upload_allowed_extensions,
    )
    if isinstance(result, UploadProblem):
        message = problem_message(result, settings.upload_max_mb, settings.upload_allowed_extensions)
        return _overview(amendment, evidence_error=message)
    service.add_evidence(db.session(), storage_from_config(current_app.config), amendment, result)
    return redirect(url_for("citizen.amend", application_id=application_id))


def _raw_from_answers(questions, answers) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for question in questions:
        raw.update(formsengine.raw_from_value(question, answers.get(question.code)))
    return raw


@bp.route("/applications/<int:application_id>/amend/<group_code>", methods=["GET", "POST"])
@login_required
def amend_page(application_id: int, group_code: str):
    amendment = _amendment(application_id)
    if group_code not in {code for code, _ in amendment.groups}:
        abort(404)
    group = amendment.form.group(group_code)
    today = _today()
    errors = []
    if request.method == "POST":
        raw: dict[str, Any] = request.form.to_dict(flat=False)
        for question in group.questions:  # documents are sent separately, on the overview page
            if question.type in UPLOAD_TYPES:
                raw[question.code] = amendment.answers.get(question.code) or ""
        parsed = formsengine.parse_page(amendment.form, group.code, raw, amendment.answers, today=today)
        if not parsed.errors:
            service.save_amended_page(db.session(), amendment, group.code, dict(parsed.values), today)
            return redirect(url_for("citizen.amend", application_id=application_id))
        errors = list(parsed.errors)
    else:
        raw = _raw_from_answers(group.questions, amendment.answers)
    parsed = formsengine.parse_page(amendment.form, group.code, raw, amendment.answers, today=today)
    questions = [q for q in group.questions if q.code in parsed.values and q.type not in UPLOAD_TYPES]
    widgets = [widget_for(q, raw, next((e for e in errors if e.question == q.code), None)) for q in questions]
    return render_template(
        "amend/page.html",
        amendment=amendment,
        application=amendment.application,
        group=group,
        widgets=widgets,
        summary_errors=error_list(errors),
        form={"errors": errors},
    )
