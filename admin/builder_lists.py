"""Named option lists ("constrained lists"), for the form builder's choice questions.

/admin/builder/lists                  every list, with the questions that use it
/admin/builder/lists/new              create a list
/admin/builder/lists/<code>           change a list (its options are copied into every linked question)
/admin/builder/lists/<code>/delete    confirm, then delete (questions keep their options)
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext

from formsengine import editing
from portal import db
from portal.services import form_builder as builder_service
from portal.services import form_builder_lists as service

from . import bp
from .builder import actor, notice, pop_notice, show_problems
from .builder_forms import DeleteListForm, OptionListForm


@bp.get("/builder/lists")
def builder_lists():
    return render_template("admin/builder/lists.html", rows=service.list_rows(db.session()), notice=pop_notice())


def _list_page(code: str | None):
    row = None
    if code is not None:
        try:
            row = service.get_option_list(db.session(), code)
        except builder_service.NotFound:
            abort(404)
    form = OptionListForm()
    if request.method == "GET" and row is not None:
        form.row_version.data = row.row_version
        form.name.data, form.code.data = row.name, row.code
        form.options_text.data = editing.option_lines(row.options or [])
    elif request.method == "POST" and form.validate_on_submit():
        data = service.ListInput(form.name.data or "", form.code.data or "", form.options_text.data or "")
        try:
            if row is None:
                service.create_option_list(db.session(), data, **actor())
                notice(gettext("List created."))
            else:
                forms = service.change_option_list(db.session(), row.code, form.row_version.data, data, **actor())
                notice(
                    gettext(
                        "List saved. Its options were copied into the working copies of: %(forms)s. "
                        "Publish them to make the change live.",
                        forms=", ".join(forms),
                    )
                    if forms
                    else gettext("List saved.")
                )
        except builder_service.BuilderError as error:
            show_problems(form, error.problems, "options_text")
        except builder_service.StaleWorkingCopy:
            form.form_errors.append(
                gettext(
                    "Another administrator changed this list after you opened this page, "
                    "so your change has not been saved."
                )
            )
            db.session().rollback()
            form.row_version.data = service.get_option_list(db.session(), row.code).row_version if row else None
        else:
            return redirect(url_for("admin.builder_lists"))
    used = service.used_by(db.session(), row.code) if row is not None else []
    return render_template("admin/builder/list.html", form=form, row=row, used=used)


@bp.route("/builder/lists/new", methods=["GET", "POST"])
def builder_list_new():
    return _list_page(None)


@bp.route("/builder/lists/<code>", methods=["GET", "POST"])
def builder_list_edit(code: str):
    return _list_page(code)


@bp.route("/builder/lists/<code>/delete", methods=["GET", "POST"])
def builder_list_delete(code: str):
    try:
        row = service.get_option_list(db.session(), code)
    except builder_service.NotFound:
        abort(404)
    form = DeleteListForm()
    if form.validate_on_submit():
        service.delete_option_list(db.session(), code, **actor())
        notice(gettext("List deleted. Questions that used it keep their options."))
        return redirect(url_for("admin.builder_lists"))
    return render_template(
        "admin/builder/list_delete.html", form=form, row=row, used=service.used_by(db.session(), code)
    )
