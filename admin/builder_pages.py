"""The form builder's pages (groups) and questions: add, change, move up or down, delete.

/admin/builder/forms/<code>/pages/new                          add a page
/admin/builder/forms/<code>/pages/<page>                       change a page (heading, guidance, condition,
                                                               repeating settings)
/admin/builder/forms/<code>/pages/<page>/move                  move up or down (POST, a button per way)
/admin/builder/forms/<code>/pages/<page>/delete                confirm, then delete
/admin/builder/forms/<code>/pages/<page>/questions/new         choose the type of a new question
/admin/builder/forms/<code>/pages/<page>/questions/new/<type>  the question editor for a new question
/admin/builder/forms/<code>/questions/<question>               the question editor
/admin/builder/forms/<code>/questions/<question>/type          choose another type (not for a locked question)
/admin/builder/forms/<code>/questions/<question>/move          move up or down on its page (POST)
/admin/builder/forms/<code>/questions/<question>/delete        confirm, then delete
/admin/builder/forms/<code>/condition-check                    JSON: the engine's verdict on a condition

Everything works without JavaScript; static/builder.js only calls condition-check as the administrator
types a condition, and the same check runs when the page is saved.
"""

from __future__ import annotations

from datetime import date

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext

from formsengine import editing
from portal import db
from portal.services import form_builder as service
from portal.services import form_builder_lists as lists_service

from . import bp
from .builder import actor, confirm_delete, form_url, found_or_404, refusals_shown, working_copy_or_404
from .builder_forms import (
    DATA_TYPE_CHOICES,
    DATA_TYPE_NAMES,
    GroupForm,
    MoveForm,
    QuestionForm,
    QuestionTypeForm,
    choices,
)

MOVES = {"up": -1, "down": 1}


# --- pages --------------------------------------------------------------------------------------------


def _group_input(form: GroupForm) -> service.GroupInput:
    return service.GroupInput(
        name=form.name.data or "",
        code=form.code.data or "",
        guidance=form.guidance.data or "",
        show_if=form.show_if.data or "",
        repeating=form.repeating.data == "yes",
        min_items=form.min_items.data or "",
        max_items=form.max_items.data or "",
        add_another_label=form.add_another_label.data or "",
        item_name=form.item_name.data or "",
        item_name_plural=form.item_name_plural.data or "",
    )


def _fill_group_form(form: GroupForm, group: dict) -> None:
    form.name.data = group.get("name", "")
    form.code.data = group.get("code", "")
    form.guidance.data = group.get("guidance", "")
    form.show_if.data = group.get("show_if", "")
    repeat = group.get("repeat")
    form.repeating.data = "yes" if repeat is not None else "no"
    if repeat is not None:
        form.min_items.data = str(repeat.get("min", "")) if repeat.get("min") else ""
        form.max_items.data = str(repeat.get("max", "")) if repeat.get("max") is not None else ""
        form.item_name.data = repeat.get("item_name", "")
        form.item_name_plural.data = repeat.get("item_name_plural", "")
        form.add_another_label.data = repeat.get("add_another_label", "")


def _group_page(code: str, group_code: str | None):
    copy = working_copy_or_404(code)
    group = found_or_404(copy.group, group_code) if group_code is not None else None
    form = GroupForm()
    if request.method == "GET":
        form.row_version.data = copy.row_version
        if group is not None:
            _fill_group_form(form, group)
    elif form.validate_on_submit():
        data = _group_input(form)
        with refusals_shown(form, code, problems_on="name") as change:
            if group_code is None:
                new_code = service.add_group(db.session(), code, form.row_version.data, data, **actor())
            else:
                new_code = service.change_group(db.session(), code, group_code, form.row_version.data, data, **actor())
        if change.saved:
            return redirect(form_url(code, f"page-{new_code}"))
    # A new page goes at the end: its condition may read every page there is.
    readable = service.condition_scope(copy, group_code or "", None, page=True)
    return render_template(
        "admin/builder/group.html",
        form=form,
        copy=copy,
        group=group,
        readable=readable,
        locked=group_code in copy.locked if group_code else False,
    )


@bp.route("/builder/forms/<code>/pages/new", methods=["GET", "POST"])
def builder_group_new(code: str):
    return _group_page(code, None)


@bp.route("/builder/forms/<code>/pages/<group_code>", methods=["GET", "POST"])
def builder_group_edit(code: str, group_code: str):
    return _group_page(code, group_code)


def _move(code: str, move):
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in MOVES:
        abort(400)
    try:
        move(form.row_version.data, MOVES[form.direction.data])
    except service.NotFound:
        abort(404)
    except service.StaleWorkingCopy:
        return render_template("admin/builder/stale.html", copy=working_copy_or_404(code)), 409
    return None


@bp.post("/builder/forms/<code>/pages/<group_code>/move")
def builder_group_move(code: str, group_code: str):
    refused = _move(
        code, lambda version, step: service.move_group(db.session(), code, group_code, version, step, **actor())
    )
    return refused or redirect(form_url(code, f"page-{group_code}"))


@bp.route("/builder/forms/<code>/pages/<group_code>/delete", methods=["GET", "POST"])
def builder_group_delete(code: str, group_code: str):
    copy = working_copy_or_404(code)
    group = found_or_404(copy.group, group_code)
    questions = [q.get("label", "") for q in group.get("questions") or []]
    readers = [r for q in group.get("questions") or [] for r in service.readers_of(copy, q.get("code", ""))]
    readers += service.readers_of(copy, group_code)
    return confirm_delete(
        copy,
        lambda version: service.delete_group(db.session(), code, group_code, version, **actor()),
        form_url(code, "pages"),
        heading=gettext("Are you sure you want to delete the page '%(name)s'?", name=group.get("name", "")),
        what=None,
        items=questions,
        items_heading=gettext("Its questions are deleted too:") if questions else None,
        readers=readers,
        explanation=gettext(
            "The page is removed from new versions of the form only. Applications already started or sent keep "
            "the version they began on, with their answers."
        ),
    )


# --- questions ----------------------------------------------------------------------------------------


@bp.route("/builder/forms/<code>/pages/<group_code>/questions/new", methods=["GET", "POST"])
def builder_question_type(code: str, group_code: str):
    copy = working_copy_or_404(code)
    group = found_or_404(copy.group, group_code)
    form = QuestionTypeForm()
    if form.validate_on_submit():
        if form.type.data in service.DATA_TYPES:
            return redirect(
                url_for("admin.builder_question_new", code=code, group_code=group_code, data_type=form.type.data)
            )
        form.type.errors = [gettext("Select the type of answer")]
    return render_template(
        "admin/builder/question_type.html", form=form, copy=copy, group=group, question=None, hints=_type_hints()
    )


@bp.route("/builder/forms/<code>/questions/<question_code>/type", methods=["GET", "POST"])
def builder_question_change_type(code: str, question_code: str):
    copy = working_copy_or_404(code)
    group, question = found_or_404(copy.question, question_code)
    if question_code in copy.locked:
        return redirect(url_for("admin.builder_question_edit", code=code, question_code=question_code))
    form = QuestionTypeForm()
    if request.method == "GET":
        form.type.data = question.get("type")
    elif form.validate_on_submit():
        if form.type.data in service.DATA_TYPES:
            return redirect(
                url_for("admin.builder_question_edit", code=code, question_code=question_code, type=form.type.data)
            )
        form.type.errors = [gettext("Select the type of answer")]
    return render_template(
        "admin/builder/question_type.html", form=form, copy=copy, group=group, question=question, hints=_type_hints()
    )


def _type_hints() -> dict:
    return {value: hint for value, _name, hint in DATA_TYPE_CHOICES if hint}


def _question_input(form: QuestionForm, data_type: str) -> service.QuestionInput:
    rules = set(form.answer_rules.data or [])
    return service.QuestionInput(
        type=data_type,
        label=form.label.data or "",
        code=form.code.data or "",
        hint=form.hint.data or "",
        error_name=form.error_name.data or "",
        widget=(form.widget.data or "") if data_type == "choice" else "",  # only a single choice has a choice
        options_text=form.options_text.data or "",
        option_list=form.option_list.data or "",
        show_if=form.show_if.data or "",
        prefix=form.prefix.data or "",
        suffix=form.suffix.data or "",
        mandatory="mandatory" in rules,
        max_length=form.max_length.data or "",
        min_value=form.min_value.data or "",
        max_value=form.max_value.data or "",
        decimal_places=form.decimal_places.data or "",
        date_direction=form.date_direction.data or "",
        before=form.before.parts,
        after=form.after.parts,
        at_least_years_ago=form.at_least_years_ago.data or "",
        at_most_years_ago=form.at_most_years_ago.data or "",
        pattern_regex=form.pattern_regex.data or "",
        pattern_message=form.pattern_message.data or "",
        file_types=form.file_types.data or "",
        on_child_record="on_child_record" in rules,
        inherit_multiple="inherit_multiple" in rules,
        prefill="no_prefill" not in rules,
    )


def _fill_question_form(form: QuestionForm, question: dict, link: str | None) -> None:
    r = question.get("restrictions") or {}
    form.label.data = question.get("label", "")
    form.hint.data = question.get("hint", "")
    form.code.data = question.get("code", "")
    form.error_name.data = question.get("error_name", "")
    form.widget.data = question.get("widget") or "radios"
    form.option_list.data = link or ""
    form.options_text.data = "" if link else editing.option_lines(question.get("options") or [])
    form.show_if.data = question.get("show_if", "")
    form.prefix.data = question.get("prefix", "")
    form.suffix.data = question.get("suffix", "")
    form.answer_rules.data = [key for key in ("mandatory", "on_child_record", "inherit_multiple") if r.get(key)] + (
        ["no_prefill"] if question.get("prefill") is False else []
    )
    form.max_length.data = str(r.get("max_length", ""))
    form.min_value.data = str(r.get("min_value", ""))
    form.max_value.data = str(r.get("max_value", ""))
    form.decimal_places.data = str(r.get("decimal_places", ""))
    form.date_direction.data = "past" if r.get("in_the_past") else "future" if r.get("in_the_future") else ""
    for name in ("before", "after"):
        if r.get(name):
            getattr(form, name).show_date(date.fromisoformat(r[name]))
    form.at_least_years_ago.data = str(r.get("at_least_years_ago", ""))
    form.at_most_years_ago.data = str(r.get("at_most_years_ago", ""))
    pattern = r.get("pattern") or {}
    form.pattern_regex.data = pattern.get("regex", "")
    form.pattern_message.data = pattern.get("message", "")
    form.file_types.data = ", ".join(r.get("file_types") or [])


def _question_page(code: str, group_code: str | None, question_code: str | None, data_type: str | None):
    copy = working_copy_or_404(code)
    question = None
    if question_code is not None:
        group, question = found_or_404(copy.question, question_code)
    else:
        group = found_or_404(copy.group, group_code or "")
    locked = question_code in copy.locked if question_code else False
    if question is not None and (locked or not data_type):
        data_type = question.get("type")
    if data_type not in service.DATA_TYPES:
        abort(404)
    form = QuestionForm()
    form.option_list.choices = choices(
        [("", gettext("No, type the options above"))]
        + [(row.code, row.name) for row in lists_service.list_option_lists(db.session())]
    )
    if request.method == "GET":
        form.row_version.data = copy.row_version
        if question is not None:
            _fill_question_form(form, question, copy.option_list_links.get(question_code or ""))
    elif form.validate_on_submit():
        data = _question_input(form, data_type)
        with refusals_shown(form, code, problems_on="label") as change:
            if question_code is None:
                saved = service.add_question(db.session(), code, group["code"], form.row_version.data, data, **actor())
            else:
                saved = service.change_question(
                    db.session(), code, question_code, form.row_version.data, data, **actor()
                )
        if change.saved:
            return redirect(form_url(code, f"question-{saved}"))
    return render_template(
        "admin/builder/question.html",
        form=form,
        copy=copy,
        group=group,
        question=question,
        data_type=data_type,
        type_name=DATA_TYPE_NAMES.get(data_type, data_type),
        fits=set(editing.restrictions_for(data_type)),
        has_options=data_type in editing.OPTION_TYPES,
        has_widget=bool(editing.widgets_for(data_type)) and data_type == "choice",
        readable=service.condition_scope(copy, group["code"], question_code, page=False),
        locked=locked,
        changing_type=question is not None and data_type != question.get("type"),
    )


@bp.route("/builder/forms/<code>/pages/<group_code>/questions/new/<data_type>", methods=["GET", "POST"])
def builder_question_new(code: str, group_code: str, data_type: str):
    return _question_page(code, group_code, None, data_type)


@bp.route("/builder/forms/<code>/questions/<question_code>", methods=["GET", "POST"])
def builder_question_edit(code: str, question_code: str):
    return _question_page(code, None, question_code, request.args.get("type"))


@bp.post("/builder/forms/<code>/questions/<question_code>/move")
def builder_question_move(code: str, question_code: str):
    refused = _move(
        code, lambda version, step: service.move_question(db.session(), code, question_code, version, step, **actor())
    )
    return refused or redirect(form_url(code, f"question-{question_code}"))


@bp.route("/builder/forms/<code>/questions/<question_code>/delete", methods=["GET", "POST"])
def builder_question_delete(code: str, question_code: str):
    copy = working_copy_or_404(code)
    group, question = found_or_404(copy.question, question_code)
    locked = question_code in copy.locked
    if locked:
        explanation = gettext(
            "Applications have answers to this question. Deleting it removes it from new versions of the form "
            "only: applications already started or sent keep it, with their answers."
        )
    else:
        explanation = gettext("It is removed from new versions of the form only.")
    return confirm_delete(
        copy,
        lambda version: service.delete_question(db.session(), code, question_code, version, **actor()),
        form_url(code, f"page-{group['code']}"),
        heading=gettext("Are you sure you want to delete the question '%(label)s'?", label=question.get("label", "")),
        what=None,
        readers=service.readers_of(copy, question_code),
        explanation=explanation,
    )


# --- live validation of conditions --------------------------------------------------------------------


@bp.get("/builder/forms/<code>/condition-check")
def builder_condition_check(code: str):
    """The engine's verdict on a condition as it is typed (static/builder.js); saving checks it again."""
    copy = working_copy_or_404(code)
    group_code = request.args.get("page", "")
    question_code = request.args.get("question") or None
    check = found_or_404(
        service.check_condition,
        copy,
        request.args.get("condition", ""),
        group_code,
        question_code,
        page=request.args.get("of") == "page",
    )
    return jsonify(
        ok=check.ok,
        problems=check.problems,
        readable=[{"code": r.usage, "label": r.label, "type": r.type} for r in check.readable],
    )
