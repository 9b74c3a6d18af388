"""Preview: the working copy run as a parent runs it, with the answers kept in the session only.

/admin/builder/forms/<code>/preview                        the start page ("Start now" clears the answers)
/admin/builder/forms/<code>/preview/<page>                 a page, with the parents' widgets and validation
/admin/builder/forms/<code>/preview/<page>/remove/<n>      remove an item of a repeating page
/admin/builder/forms/<code>/preview/check                  check your answers, declarations, "Accept and send"

Nothing is written to applications, uploads or form versions: "Accept and send" only says whether the
application could be sent. The pages are the parents' (portal.form_widgets, apply/_widget.html) with the
builder's links; CSRF is checked on every post by the app's CSRFProtect, as on the parents' pages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for

import formsengine
from formsengine import DataType, ErrorCode
from portal import db
from portal.form_widgets import error_list, widget_for
from portal.services import form_builder as builder_service
from portal.services import form_builder_preview as service
from portal.services import site_settings
from portal.templating import LONDON

from . import bp
from .builder_forms import StatusForm

PREVIEW_KEY = "builder_preview"
UPLOAD_TYPES = (DataType.FILE, DataType.IMAGE)


def _today() -> date:
    return datetime.now(LONDON).date()


def _form_or_page(code: str):
    """The previewed form, or the page saying what to fix before it can be previewed."""
    try:
        return service.preview_form(db.session(), code), None
    except builder_service.NotFound:
        abort(404)
    except service.PreviewUnavailable as unavailable:
        copy = builder_service.working_copy(db.session(), code)
        return None, render_template("admin/builder/preview_unavailable.html", copy=copy, problems=unavailable.problems)


def _answers(form) -> dict[str, Any]:
    return service.answers_from(form, (session.get(PREVIEW_KEY) or {}).get(form.code))


def _keep(form, answers, today: date) -> None:
    """Only the form being previewed is kept, so the session stays small."""
    session[PREVIEW_KEY] = {form.code: service.to_store(form, answers, today)}


def _page_url(code: str, group_code: str, change: bool = False) -> str:
    return url_for("admin.builder_preview_page", code=code, group_code=group_code, **({"change": 1} if change else {}))


@bp.route("/builder/forms/<code>/preview", methods=["GET", "POST"])
def builder_preview(code: str):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    start = StatusForm()
    if start.validate_on_submit():
        _keep(form, {}, _today())
        first = formsengine.next_group(form, None, {}, _today())
        if first is None:
            return redirect(url_for("admin.builder_preview_check", code=code))
        return redirect(_page_url(code, first.code))
    return render_template("admin/builder/preview_start.html", form_def=form, start=start)


def _visible_questions(form, group, raw, answers, today):
    if group.repeat is not None:
        return list(group.questions)
    parsed = formsengine.parse_page(form, group.code, raw, answers, today=today)
    return [q for q in group.questions if q.code in parsed.values]


def _render_page(form, answers, group, raw, errors, *, change: bool, today: date):
    groups = [g.code for g in formsengine.visible_groups(form, answers, today)]
    visible = _visible_questions(form, group, raw, answers, today)
    only = len(visible) == 1 and not group.repeating
    current_files = {}
    if group.repeat is None:
        for question in visible:
            value = answers.get(question.code)
            if question.type in UPLOAD_TYPES and isinstance(value, dict):
                current_files[question.code] = value.get("filename")
    widgets = [
        widget_for(
            q,
            raw,
            next((e for e in errors if e.question == q.code), None),
            only_question=only,
            current_file=current_files.get(q.code),
        )
        for q in visible
    ]
    previous = formsengine.previous_group(form, group.code, answers, today)
    if change:
        back = url_for("admin.builder_preview_check", code=form.code)
    elif previous is not None:
        back = _page_url(form.code, previous.code)
    else:
        back = url_for("admin.builder_preview", code=form.code)
    items, can_add = [], True
    if group.repeat is not None:
        for section in formsengine.summary(form, answers, today):
            if section.group == group.code:
                items = [[row for row in section.rows if row.item == i] for i in range(section.item_count)]
        can_add = group.repeat.max_items is None or len(items) < group.repeat.max_items
        if not can_add:
            widgets = []
    first_field = visible[0].first_field_id if visible else group.code
    return render_template(
        "admin/builder/preview_page.html",
        form={"errors": errors},
        form_def=form,
        group=group,
        widgets=widgets,
        only_question=only,
        number=groups.index(group.code) + 1 if group.code in groups else 0,
        total=len(groups),
        back=back,
        change=change,
        items=items,
        can_add=can_add,
        summary_errors=error_list(errors, href_for={group.code: f"#{first_field}"}),
        multipart=any(q.type in UPLOAD_TYPES for q in group.questions),
    )


def _chosen_files(group) -> list[service.ChosenFile]:
    limit = site_settings.current().upload_max_bytes
    chosen = []
    for question in group.questions:
        file = request.files.get(question.code) if question.type in UPLOAD_TYPES else None
        if file is not None and file.filename:
            chosen.append(service.ChosenFile(question.code, file.filename, file.read(limit + 1)))
    return chosen


def _after(form, answers, group_code: str, change: bool, today: date) -> str:
    if change:
        errors = formsengine.validate_form(form, answers, today)
        if errors:
            return _page_url(form.code, errors[0].group, change=True)
        return url_for("admin.builder_preview_check", code=form.code)
    following = formsengine.next_group(form, group_code, answers, today)
    if following is None:
        return url_for("admin.builder_preview_check", code=form.code)
    return _page_url(form.code, following.code)


def _item_fields_filled(group, raw) -> bool:
    for question in group.questions:
        if question.type in UPLOAD_TYPES:
            if raw.get(question.code):
                return True
            continue
        if any(request.form.get(name, "").strip() for name in formsengine.field_ids(question)):
            return True
    return False


@bp.route("/builder/forms/<code>/preview/<group_code>", methods=["GET", "POST"])
def builder_preview_page(code: str, group_code: str):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    today = _today()
    answers = _answers(form)
    group = form.group(group_code)
    if group is None or group.code not in {g.code for g in formsengine.visible_groups(form, answers, today)}:
        abort(404)
    change = request.values.get("change") == "1"
    if request.method == "GET":
        raw: dict[str, Any] = {}
        if group.repeat is None:
            for question in group.questions:
                raw.update(formsengine.raw_from_value(question, answers.get(question.code)))
        return _render_page(form, answers, group, raw, [], change=change, today=today)
    raw = request.form.to_dict(flat=False)
    settings = site_settings.current()
    upload_problems = service.check_files(
        group,
        _chosen_files(group),
        raw,
        answers,
        max_bytes=settings.upload_max_bytes,
        max_megabytes=settings.upload_max_mb,
        allowed=settings.upload_allowed_extensions,
    )
    action = request.form.get("action", "continue")
    if group.repeat is not None:
        count = len(answers.get(group.code) or [])
        at_max = group.repeat.max_items is not None and count >= group.repeat.max_items
        wants_add = action == "add" or (_item_fields_filled(group, raw) or bool(upload_problems))
        if wants_add and not at_max:
            parsed = formsengine.parse_page(form, group.code, raw, answers, today=today)
            errors = service.merge_errors(group, upload_problems, parsed.errors)
            if errors:
                return _render_page(form, answers, group, raw, errors, change=change, today=today)
            answers = service.with_item(answers, group.code, parsed.values)
            _keep(form, answers, today)
            if action == "add":
                return redirect(_page_url(code, group.code, change))
        problems = [
            e
            for e in formsengine.validate_form(form, answers, today)
            if e.group == group.code and e.code in (ErrorCode.TOO_FEW_ITEMS, ErrorCode.TOO_MANY_ITEMS)
        ]
        if problems:
            return _render_page(form, answers, group, {}, problems, change=change, today=today)
        return redirect(_after(form, answers, group.code, change, today))
    parsed = formsengine.parse_page(form, group.code, raw, answers, today=today)
    errors = service.merge_errors(group, upload_problems, parsed.errors)
    if errors:
        return _render_page(form, answers, group, raw, errors, change=change, today=today)
    answers = service.with_page(form, answers, group.code, parsed.values)
    _keep(form, answers, today)
    return redirect(_after(form, answers, group.code, change, today))


@bp.post("/builder/forms/<code>/preview/<group_code>/remove/<int:index>")
def builder_preview_remove(code: str, group_code: str, index: int):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    group = form.group(group_code)
    if group is None or group.repeat is None:
        abort(404)
    answers = service.without_item(_answers(form), group_code, index)
    if answers is None:
        abort(404)
    _keep(form, answers, _today())
    return redirect(_page_url(code, group_code, request.form.get("change") == "1"))


@bp.route("/builder/forms/<code>/preview/check", methods=["GET", "POST"])
def builder_preview_check(code: str):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    today = _today()
    answers = _answers(form)
    ticked: list[str] = []
    declaration_errors: list = []
    incomplete = formsengine.validate_form(form, formsengine.drop_hidden_answers(form, answers, today), today)
    if request.method == "POST":
        ticked = request.form.getlist("declarations")
        finished = service.finish(form, answers, request.form.to_dict(flat=False), today)
        if finished.sent:
            return render_template("admin/builder/preview_sent.html", form_def=form)
        incomplete, declaration_errors = finished.incomplete, finished.declaration_errors
    sections = formsengine.summary(form, answers, today)
    outcomes = formsengine.evaluate_outcomes(form, answers, today) if not incomplete else {}
    links = {e.field: _page_url(code, e.group, change=True) + f"#{e.field}" for e in incomplete if e.group}
    summary_errors = error_list(list(incomplete) + list(declaration_errors), href_for=links)
    return render_template(
        "admin/builder/preview_check.html",
        form={"errors": summary_errors},
        form_def=form,
        sections=sections,
        outcomes=outcomes,
        incomplete=incomplete,
        declaration_errors={e.question: e.message for e in declaration_errors},
        ticked=set(ticked),
        summary_errors=summary_errors,
        change_url=lambda group: _page_url(code, group, change=True),
    )
