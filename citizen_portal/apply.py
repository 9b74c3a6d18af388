"""The form runner: one page per visible group, driven entirely by formsengine.

    /apply/<form>                 start: pick the child (or add one), then the first page
    /apply/<form>/<group>         a page; Continue validates and saves the draft, then the next page
    /apply/<form>/<group>/remove/<n>  remove an item of a repeating group
    /apply/<form>/check           check your answers, declarations, "Accept and send"
    /apply/<form>/saved           "Save and come back later"

Which draft the pages work on is remembered in the session per form (a parent may have one draft per
child); every look-up goes through the signed-in parent, so another family's draft is never found.
Everything works without JavaScript: each action is a plain form post.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

import formsengine
from formsengine import DataType, ErrorCode, FieldError
from portal import db
from portal.access import two_step_refusal, two_step_required_for_form
from portal.form_widgets import error_list, error_text, in_page_language, widget_for
from portal.services import applications as service
from portal.services import site_settings
from portal.templating import LONDON
from portal.uploads import UploadProblem, check_upload, problem_message, storage_from_config

from . import bp

UPLOAD_TYPES = (DataType.FILE, DataType.IMAGE)


def _today() -> date:
    return datetime.now(LONDON).date()


def _expiry_days() -> int:
    return site_settings.current().draft_expiry_days


def _storage():
    return storage_from_config(current_app.config)


def _remember(form_code: str, application_id: int) -> None:
    drafts = dict(session.get("drafts") or {})
    drafts[form_code] = application_id
    session["drafts"] = drafts


def _current_draft(form_code: str) -> service.Draft:
    """The draft these pages work on; 404 when the parent has none of this form."""
    remembered = (session.get("drafts") or {}).get(form_code)
    user_id = current_user.id
    if isinstance(remembered, int):
        try:
            return service.load_draft(db.session(), user_id, remembered, form_code)
        except service.NotFound:
            pass
    drafts = service.drafts_of(db.session(), user_id, form_code)
    if not drafts:
        abort(404)
    _remember(form_code, drafts[0].id)
    return service.load_draft(db.session(), user_id, drafts[0].id, form_code)


def _page_url(form_code: str, group_code: str, change: bool = False) -> str:
    extra = {"change": 1} if change else {}
    return url_for("citizen.apply_page", form_code=form_code, group_code=group_code, **extra)


def _resume_url(draft: service.Draft, today: date) -> str:
    """The first page that still needs answers, or check your answers when none does."""
    errors = formsengine.validate_form(draft.form, draft.answers, today)
    if errors:
        return _page_url(draft.form.code, errors[0].group)
    return url_for("citizen.apply_check", form_code=draft.form.code)


# --- start ---------------------------------------------------------------------------------------------


@bp.before_request
def _two_step_for_marked_forms():
    """Forms the council marks as sensitive (TWO_STEP_REQUIRED_FORMS) need two-step verification first."""
    form_code = (request.view_args or {}).get("form_code")
    endpoint = request.endpoint or ""
    if endpoint.startswith("citizen.apply") and form_code and two_step_required_for_form(form_code):
        return two_step_refusal()
    return None


@bp.route("/apply/<form_code>", methods=["GET", "POST"])
@login_required
def apply_start(form_code: str):
    version = service.live_version(db.session(), form_code)
    if version is None:
        abort(404)
    form = service.form_for(version)
    about_child = service.asks_about_child(form)
    children = service.own_children(db.session(), current_user.id) if about_child else []
    drafts = {a.child_id for a in service.drafts_of(db.session(), current_user.id, form_code)}
    error = None
    chosen = request.values.get("child", "")
    if chosen and about_child and (not chosen.isdigit() or int(chosen) not in {c.id for c in children}):
        abort(404)  # another family's child, or none at all
    if request.method == "POST":
        child_id = int(chosen) if chosen.isdigit() else None
        if about_child and child_id is None:
            error = "Select the child you are applying for"
        else:
            try:
                existed = (child_id if about_child else None) in drafts
                draft = service.start_draft(
                    db.session(),
                    current_user,
                    form_code,
                    child_id if about_child else None,
                    expiry_days=_expiry_days(),
                )
            except service.NotFound:
                abort(404)
            else:
                _remember(form_code, draft.id)
                loaded = service.load_draft(db.session(), current_user.id, draft.id, form_code)
                if existed:
                    return redirect(_resume_url(loaded, _today()))
                first = formsengine.next_group(loaded.form, None, loaded.answers, _today())
                return redirect(_page_url(form_code, first.code))
    page_form = {"errors": [error] if error else []}
    return render_template(
        "apply/start.html",
        form=page_form,
        error=error,
        form_def=form,
        about_child=about_child,
        children=children,
        drafts=drafts,
        chosen=chosen,
    )


# --- a page --------------------------------------------------------------------------------------------


def _raw_from_answers(questions, answers) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for question in questions:
        raw.update(formsengine.raw_from_value(question, answers.get(question.code)))
    return raw


def _position(draft: service.Draft, group_code: str, today: date) -> tuple[int, int]:
    groups = formsengine.visible_groups(draft.form, draft.answers, today)
    codes = [g.code for g in groups]
    number = codes.index(group_code) + 1 if group_code in codes else 0
    return number, len(codes)


def _read_uploads(group, raw: dict[str, Any], answers: dict[str, Any]):
    """Check each chosen file; put a provisional reference into ``raw`` so formsengine can read the page."""
    checked: dict[str, Any] = {}
    problems: list[FieldError] = []
    settings = site_settings.current()
    for question in group.questions:
        if question.type not in UPLOAD_TYPES:
            continue
        file = request.files.get(question.code)
        if file is None or not file.filename:
            existing = answers.get(question.code) if group.repeat is None else None
            raw[question.code] = existing or ""
            continue
        data = file.read(settings.upload_max_bytes + 1)
        result = check_upload(
            file.filename, data, max_bytes=settings.upload_max_bytes, allowed=settings.upload_allowed_extensions
        )
        if isinstance(result, UploadProblem):
            problems.append(
                FieldError(
                    question.code,
                    question.code,
                    ErrorCode.FILE_INVALID,
                    problem_message(result, settings.upload_max_mb, settings.upload_allowed_extensions),
                    group=group.code,
                )
            )
            raw[question.code] = ""
            continue
        checked[question.code] = result
        raw[question.code] = {"upload_id": "0", "filename": result.filename, "content_type": result.content_type}
    return checked, problems


def _merge_errors(group, upload_problems, parsed_errors) -> list[FieldError]:
    """Upload problems replace formsengine's view of the same question ("Select a file" would mislead)."""
    by_question = {p.question: p for p in upload_problems}
    errors = [e for e in parsed_errors if e.question not in by_question] + list(upload_problems)
    order = {q.code: i for i, q in enumerate(group.questions)}
    return sorted(errors, key=lambda e: order.get(e.question, len(order)))


def _item_fields_filled(group, raw) -> bool:
    for question in group.questions:
        if question.type in UPLOAD_TYPES:
            if raw.get(question.code):
                return True
            continue
        for name in formsengine.field_ids(question):
            value = request.form.get(name, "")
            if value.strip():
                return True
    return False


def _render_page(draft, group, raw, errors, *, change: bool, today: date, status: int = 200):
    answers = draft.answers
    number, total = _position(draft, group.code, today)
    visible_questions = _visible_questions(draft, group, raw, today)
    only = len(visible_questions) == 1 and not group.repeating
    current_files = {}
    if group.repeat is None:
        for question in visible_questions:
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
        for q in visible_questions
    ]
    previous = formsengine.previous_group(draft.form, group.code, answers, today)
    if change:
        back = url_for("citizen.apply_check", form_code=draft.form.code)
    elif previous is not None:
        back = _page_url(draft.form.code, previous.code)
    else:
        back = url_for("citizen.apply_start", form_code=draft.form.code)
    items = []
    can_add = True
    if group.repeat is not None:
        for section in formsengine.summary(draft.form, answers, today, wording=in_page_language):
            if section.group == group.code:
                for index in range(section.item_count):
                    items.append([row for row in section.rows if row.item == index])
        can_add = group.repeat.max_items is None or len(items) < group.repeat.max_items
        if not can_add:
            widgets = []
    first_field = visible_questions[0].first_field_id if visible_questions else group.code
    summary_errors = error_list(errors, href_for={group.code: f"#{first_field}"})
    return (
        render_template(
            "apply/page.html",
            form={"errors": errors},
            draft=draft,
            group=group,
            widgets=widgets,
            only_question=only,
            number=number,
            total=total,
            back=back,
            change=change,
            items=items,
            can_add=can_add,
            summary_errors=summary_errors,
            multipart=any(q.type in UPLOAD_TYPES for q in group.questions),
        ),
        status,
    )


def _visible_questions(draft, group, raw, today):
    """The page's questions as the parent sees them now (conditions read earlier pages' answers)."""
    if group.repeat is not None:
        return list(group.questions)
    parsed = formsengine.parse_page(draft.form, group.code, raw, draft.answers, today=today)
    return [q for q in group.questions if q.code in parsed.values]


@bp.route("/apply/<form_code>/<group_code>", methods=["GET", "POST"])
@login_required
def apply_page(form_code: str, group_code: str):
    draft = _current_draft(form_code)
    form = draft.form
    group = form.group(group_code)
    today = _today()
    if group is None or group.code not in {g.code for g in formsengine.visible_groups(form, draft.answers, today)}:
        abort(404)
    change = request.values.get("change") == "1"
    if request.method == "GET":
        raw = _raw_from_answers(group.questions, draft.answers) if group.repeat is None else {}
        return _render_page(draft, group, raw, [], change=change, today=today)

    action = request.form.get("action", "continue")
    raw: dict[str, Any] = request.form.to_dict(flat=False)
    checked, upload_problems = _read_uploads(group, raw, draft.answers)

    if group.repeat is not None:
        return _repeating_post(draft, group, raw, checked, upload_problems, action, change, today)

    parsed = formsengine.parse_page(form, group.code, raw, draft.answers, today=today)
    errors = _merge_errors(group, upload_problems, parsed.errors)
    if action == "save":
        # Keep what is valid and let the parent come back for the rest.
        failed = {e.question for e in errors}
        values = {k: v for k, v in parsed.values.items() if k not in failed and k not in checked}
        keep = {k: draft.answers[k] for k in failed if k in draft.answers}
        service.save_page(db.session(), draft, group.code, {**keep, **values}, today=today, expiry_days=_expiry_days())
        return redirect(url_for("citizen.apply_saved", form_code=form_code))
    if errors:
        return _render_page(draft, group, raw, errors, change=change, today=today)
    values = dict(parsed.values)
    for code, file in checked.items():
        values[code] = service.store_upload(db.session(), _storage(), draft, code, file)
    service.save_page(db.session(), draft, group.code, values, today=today, expiry_days=_expiry_days())
    return redirect(_after(draft, group.code, change, today))


def _after(draft: service.Draft, group_code: str, change: bool, today: date) -> str:
    if change:
        # A changed answer may show a page that needs answering; otherwise back to the summary.
        errors = formsengine.validate_form(draft.form, draft.answers, today)
        if errors:
            return _page_url(draft.form.code, errors[0].group, change=True)
        return url_for("citizen.apply_check", form_code=draft.form.code)
    following = formsengine.next_group(draft.form, group_code, draft.answers, today)
    if following is None:
        return url_for("citizen.apply_check", form_code=draft.form.code)
    return _page_url(draft.form.code, following.code)


def _repeating_post(draft, group, raw, checked, upload_problems, action, change, today):
    form = draft.form
    if action == "save":
        service.touch(db.session(), draft, today=today, expiry_days=_expiry_days())
        return redirect(url_for("citizen.apply_saved", form_code=form.code))
    count = len(draft.answers.get(group.code) or [])
    at_max = group.repeat.max_items is not None and count >= group.repeat.max_items
    wants_add = action == "add" or (not at_max and (_item_fields_filled(group, raw) or upload_problems))
    if wants_add and not at_max:
        parsed = formsengine.parse_page(form, group.code, raw, draft.answers, today=today)
        errors = _merge_errors(group, upload_problems, parsed.errors)
        if errors:
            return _render_page(draft, group, raw, errors, change=change, today=today)
        values = dict(parsed.values)
        for code, file in checked.items():
            values[code] = service.store_upload(db.session(), _storage(), draft, code, file)
        service.add_item(db.session(), draft, group.code, values, today=today, expiry_days=_expiry_days())
        if action == "add":
            return redirect(_page_url(form.code, group.code, change))
    problems = [
        e
        for e in formsengine.validate_form(form, draft.answers, today)
        if e.group == group.code and e.code in (ErrorCode.TOO_FEW_ITEMS, ErrorCode.TOO_MANY_ITEMS)
    ]
    if problems:
        return _render_page(draft, group, {}, problems, change=change, today=today)
    service.touch(db.session(), draft, today=today, expiry_days=_expiry_days())
    return redirect(_after(draft, group.code, change, today))


@bp.post("/apply/<form_code>/<group_code>/remove/<int:index>")
@login_required
def apply_remove_item(form_code: str, group_code: str, index: int):
    draft = _current_draft(form_code)
    group = draft.form.group(group_code)
    if group is None or group.repeat is None:
        abort(404)
    removed = service.remove_item(
        db.session(), _storage(), draft, group_code, index, today=_today(), expiry_days=_expiry_days()
    )
    if not removed:
        abort(404)
    return redirect(_page_url(form_code, group_code, request.form.get("change") == "1"))


# --- save and come back later --------------------------------------------------------------------------


@bp.get("/apply/<form_code>/saved")
@login_required
def apply_saved(form_code: str):
    draft = _current_draft(form_code)
    return render_template("apply/saved.html", draft=draft, expires_at=draft.application.expires_at)


# --- check your answers and send -----------------------------------------------------------------------


@bp.route("/apply/<form_code>/check", methods=["GET", "POST"])
@login_required
def apply_check(form_code: str):
    today = _today()
    if request.method == "POST":
        draft = _current_draft_or_sent(form_code)
        if draft is None:
            abort(404)
        result = service.submit_application(
            db.session(),
            _storage(),
            current_user,
            draft,
            request.form.to_dict(flat=False),
            today=today,
            base_url=current_app.config["PORTAL_BASE_URL"],
        )
        if not result.errors and not result.incomplete:
            drafts = dict(session.get("drafts") or {})
            drafts.pop(form_code, None)
            session["drafts"] = drafts
            return redirect(url_for("citizen.application_sent", application_id=result.application.id))
        loaded = service.load_draft(db.session(), current_user.id, draft, form_code)
        return _render_check(loaded, today, result.errors, result.incomplete, request.form.getlist("declarations"))
    draft = _current_draft(form_code)
    incomplete = formsengine.validate_form(draft.form, draft.answers, today)
    return _render_check(draft, today, [], incomplete, [])


def _current_draft_or_sent(form_code: str) -> int | None:
    """The application id the posted page was about (it may have been sent from another tab already)."""
    remembered = (session.get("drafts") or {}).get(form_code)
    if isinstance(remembered, int):
        return remembered
    drafts = service.drafts_of(db.session(), current_user.id, form_code)
    return drafts[0].id if drafts else None


def _render_check(draft, today, errors, incomplete, ticked):
    form = draft.form
    sections = formsengine.summary(form, draft.answers, today, wording=in_page_language)
    outcomes = formsengine.evaluate_outcomes(form, draft.answers, today) if not incomplete else {}
    links = {e.field: _page_url(form.code, e.group, change=True) + f"#{e.field}" for e in incomplete if e.group}
    summary_errors = error_list(list(incomplete) + list(errors), href_for=links)
    return render_template(
        "apply/check.html",
        form={"errors": summary_errors},
        draft=draft,
        sections=sections,
        outcomes=outcomes,
        incomplete=incomplete,
        declaration_errors={e.question: error_text(e) for e in errors},
        ticked=set(ticked),
        summary_errors=summary_errors,
        change_url=lambda group: _page_url(form.code, group, change=True),
    )
