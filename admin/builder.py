"""The form builder, for administrators: forms, their details and declarations, publishing, YAML.

/admin/builder                                  every form: status, live version, unpublished changes
/admin/builder/new                              create a form
/admin/builder/import                           import a YAML (or JSON) definition
/admin/builder/forms/<code>                     the form: details, pages and questions, problems, versions
/admin/builder/forms/<code>/details             title, portal and user type, description, guidance
/admin/builder/forms/<code>/declarations/...    add, change, delete declarations
/admin/builder/forms/<code>/clone               copy under a new code
/admin/builder/forms/<code>/export              download the working copy as YAML
/admin/builder/forms/<code>/versions/<n>/export download a published version
/admin/builder/forms/<code>/publish             run every check; make version N+1 live or list the problems
/admin/builder/forms/<code>/retire, /make-live  stop offering the form, or offer it again

Pages and questions are in builder_pages.py, the preview in builder_preview.py, the named option lists
in builder_lists.py. Every view parses its form, calls one service function and renders or redirects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Response, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user

from portal import db
from portal.models import FormStatus
from portal.services import form_builder as service

from . import bp
from .builder_forms import (
    DATA_TYPE_NAMES,
    CloneForm,
    ConfirmForm,
    DeclarationForm,
    DetailsForm,
    ImportForm,
    NewFormForm,
    PublishForm,
    StatusForm,
)

NOTICE_KEY = "builder_notice"
T = TypeVar("T")


# --- helpers shared by the builder's views ------------------------------------------------------------


def actor() -> dict:
    return {"actor_id": current_user.id, "client_address": request.remote_addr}


def found_or_404(lookup: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``lookup(*args, **kwargs)``, or the page is not found (404) when the service says ``NotFound``."""
    try:
        return lookup(*args, **kwargs)
    except service.NotFound:
        abort(404)


def working_copy_or_404(code: str) -> service.WorkingCopy:
    return found_or_404(service.working_copy, db.session(), code)


def show_problems(form, problems: list[service.FieldProblem], fallback: str) -> None:
    """Put the service's messages on the fields they belong to (the page's error summary links there)."""
    for problem in problems:
        field = getattr(form, problem.field, None) or getattr(form, fallback)
        field.errors = [*field.errors, str(problem.message)]


def show_stale(form, copy: service.WorkingCopy | None = None) -> None:
    """Another administrator changed the form: nothing was saved; the page now carries the current
    row_version, so saving again (after checking) is a deliberate choice, never a silent overwrite."""
    form.form_errors.append(
        gettext(
            "Another administrator changed this form after you opened this page, so your change has not been "
            "saved. Check the form as it is now, then make your change again."
        )
    )
    if copy is not None and hasattr(form, "row_version"):
        form.row_version.data = copy.row_version
        form.row_version.raw_data = [str(copy.row_version)]  # a posted field renders what was posted


@dataclass
class Change:
    saved: bool = False


@contextmanager
def refusals_shown(form, code: str, *, problems_on: str | None = None) -> Iterator[Change]:
    """Around a service call that changes the working copy with the row_version the page showed. When
    the service refuses, the page says why and ``saved`` stays False: its problems go on their fields (on
    ``problems_on`` when one names none), a change another administrator made first is ``show_stale``,
    and a declaration, page or question that has gone meanwhile is not found (404)."""
    change = Change()
    try:
        yield change
    except service.BuilderError as error:
        if problems_on is None:
            raise
        show_problems(form, error.problems, problems_on)
    except service.StaleWorkingCopy:
        show_stale(form, working_copy_or_404(code))
    except service.NotFound:
        abort(404)
    else:
        change.saved = True


def confirm_delete(copy: service.WorkingCopy, delete: Callable[[int], None], done: str, **page: Any):
    """The page asking to confirm a deletion (of a declaration, page or question); on yes,
    ``delete(row_version)`` and on to ``done``. ``page`` is what confirm_delete.html says about it."""
    form = ConfirmForm()
    if request.method == "GET":
        form.row_version.data = copy.row_version
    elif form.validate_on_submit():
        with refusals_shown(form, copy.code) as change:
            delete(form.row_version.data)
        if change.saved:
            return redirect(done)
    return render_template("admin/builder/confirm_delete.html", form=form, copy=copy, **page)


def notice(text: str) -> None:
    """A one-off confirmation for the next page (the form's page or the lists page)."""
    session[NOTICE_KEY] = text


def pop_notice() -> str | None:
    return session.pop(NOTICE_KEY, None)


def form_url(code: str, anchor: str | None = None) -> str:
    return url_for("admin.builder_form", code=code, _anchor=anchor)


# --- the list, create, import -------------------------------------------------------------------------


@bp.get("/builder")
def builder_forms():
    return render_template("admin/builder/forms.html", rows=service.list_forms(db.session()), Status=FormStatus)


@bp.route("/builder/new", methods=["GET", "POST"])
def builder_form_new():
    form = NewFormForm()
    if form.validate_on_submit():
        new = service.NewForm(
            form.code.data or "", form.title.data or "", form.portal_type.data or "", form.portal_user_type.data or ""
        )
        try:
            code = service.create_form(db.session(), new, **actor())
        except service.BuilderError as error:
            show_problems(form, error.problems, "title")
        else:
            notice(gettext("Form created. Add its first page."))
            return redirect(form_url(code))
    return render_template("admin/builder/form_new.html", form=form)


@bp.route("/builder/import", methods=["GET", "POST"])
def builder_import():
    form = ImportForm()
    problems: list[str] = []
    exists = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            form.file.errors = [gettext("Select a form definition file")]
        else:
            data = upload.read(service.MAX_IMPORT_BYTES + 1)
            try:
                result = service.import_definition(
                    db.session(), data, upload.filename, replace="yes" in (form.replace.data or []), **actor()
                )
            except service.ImportRefused as refused:
                problems, exists = refused.problems, refused.exists
                if exists:
                    form.replace.errors = [
                        gettext(
                            "A form with the code %(code)s already exists: tick the box to replace its working copy, "
                            "or change the code in the file",
                            code=exists,
                        )
                    ]
                else:
                    form.file.errors = [gettext("The file has problems: nothing was imported")]
            else:
                notice(
                    gettext("The working copy was replaced by the imported file. Publish it to make it live.")
                    if result.replaced
                    else gettext("Form imported. Publish it to make it live.")
                )
                return redirect(form_url(result.code))
    return render_template("admin/builder/import.html", form=form, problems=problems, exists=exists)


# --- one form -----------------------------------------------------------------------------------------


@bp.get("/builder/forms/<code>")
def builder_form(code: str):
    copy = working_copy_or_404(code)
    problems = service.publish_problems(db.session(), copy) if copy.unpublished else []
    return render_template(
        "admin/builder/form.html",
        copy=copy,
        problems=problems,
        notice=pop_notice(),
        Status=FormStatus,
        type_names=DATA_TYPE_NAMES,
    )


@bp.route("/builder/forms/<code>/details", methods=["GET", "POST"])
def builder_details(code: str):
    copy = working_copy_or_404(code)
    form = DetailsForm()
    if request.method == "GET":
        d = copy.definition
        form.row_version.data = copy.row_version
        form.title.data = d.get("title", "")
        form.portal_type.data = d.get("portal_type", "citizen")
        form.portal_user_type.data = d.get("portal_user_type", "parent_or_carer")
        form.description.data = d.get("description", "")
        form.guidance.data = d.get("guidance", "")
    elif form.validate_on_submit():
        details = service.Details(
            form.title.data or "",
            form.portal_type.data or "",
            form.portal_user_type.data or "",
            form.description.data or "",
            form.guidance.data or "",
        )
        with refusals_shown(form, code, problems_on="title") as change:
            service.change_details(db.session(), code, form.row_version.data, details, **actor())
        if change.saved:
            return redirect(form_url(code, "details"))
    return render_template("admin/builder/details.html", form=form, copy=copy)


@bp.route("/builder/forms/<code>/clone", methods=["GET", "POST"])
def builder_clone(code: str):
    copy = working_copy_or_404(code)
    form = CloneForm()
    if request.method == "GET":
        form.title.data = gettext("Copy of %(title)s", title=copy.title)
    elif form.validate_on_submit():
        new = service.NewForm(form.code.data or "", form.title.data or "")
        try:
            new_code = service.clone_form(db.session(), code, new, **actor())
        except service.BuilderError as error:
            show_problems(form, error.problems, "title")
        else:
            notice(gettext("This is a copy of %(title)s. Nothing is live until you publish it.", title=copy.title))
            return redirect(form_url(new_code))
    return render_template("admin/builder/clone.html", form=form, copy=copy)


def _yaml_download(filename: str, text: str) -> Response:
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.get("/builder/forms/<code>/export")
def builder_export(code: str):
    return _yaml_download(*found_or_404(service.export_working_copy, db.session(), code))


@bp.get("/builder/forms/<code>/versions/<int:version>/export")
def builder_version_export(code: str, version: int):
    return _yaml_download(*found_or_404(service.export_version, db.session(), code, version))


# --- declarations -------------------------------------------------------------------------------------


def _declaration_page(code: str, declaration_code: str | None):
    copy = working_copy_or_404(code)
    current = found_or_404(service.declaration, copy, declaration_code) if declaration_code is not None else None
    form = DeclarationForm()
    if request.method == "GET":
        form.row_version.data = copy.row_version
        if current is not None:
            form.text.data, form.code.data = current.get("text", ""), current.get("code", "")
            form.error_message.data = current.get("error_message", "")
    elif form.validate_on_submit():
        data = service.DeclarationInput(form.code.data or "", form.text.data or "", form.error_message.data or "")
        with refusals_shown(form, code, problems_on="text") as change:
            if declaration_code is None:
                service.add_declaration(db.session(), code, form.row_version.data, data, **actor())
            else:
                service.change_declaration(db.session(), code, declaration_code, form.row_version.data, data, **actor())
        if change.saved:
            return redirect(form_url(code, "declarations"))
    return render_template("admin/builder/declaration.html", form=form, copy=copy, current=current)


@bp.route("/builder/forms/<code>/declarations/new", methods=["GET", "POST"])
def builder_declaration_new(code: str):
    return _declaration_page(code, None)


@bp.route("/builder/forms/<code>/declarations/<declaration_code>", methods=["GET", "POST"])
def builder_declaration_edit(code: str, declaration_code: str):
    return _declaration_page(code, declaration_code)


@bp.route("/builder/forms/<code>/declarations/<declaration_code>/delete", methods=["GET", "POST"])
def builder_declaration_delete(code: str, declaration_code: str):
    copy = working_copy_or_404(code)
    current = found_or_404(service.declaration, copy, declaration_code)
    return confirm_delete(
        copy,
        lambda version: service.delete_declaration(db.session(), code, declaration_code, version, **actor()),
        form_url(code, "declarations"),
        heading=gettext("Are you sure you want to delete this declaration?"),
        what=current.get("text", ""),
        explanation=gettext("It is removed from new versions of the form only."),
    )


# --- publish, retire, make live -----------------------------------------------------------------------


@bp.route("/builder/forms/<code>/publish", methods=["GET", "POST"])
def builder_publish(code: str):
    copy = working_copy_or_404(code)
    form = PublishForm()
    if request.method == "GET":
        form.row_version.data = copy.row_version
        problems = service.publish_problems(db.session(), copy)
    elif form.validate_on_submit():
        try:
            published = service.publish(db.session(), code, form.row_version.data, **actor())
        except service.PublishRefused as refused:
            problems = refused.problems
        except service.StaleWorkingCopy:
            copy = working_copy_or_404(code)
            show_stale(form, copy)
            problems = service.publish_problems(db.session(), copy)
        else:
            notice(
                gettext(
                    "Version %(version)s is live. Parents who start the form now get this version.",
                    version=published.version,
                )
            )
            return redirect(form_url(code))
    else:
        problems = service.publish_problems(db.session(), copy)
    return render_template("admin/builder/publish.html", form=form, copy=copy, problems=problems)


@bp.route("/builder/forms/<code>/retire", methods=["GET", "POST"])
def builder_retire(code: str):
    copy = working_copy_or_404(code)
    form = StatusForm()
    if copy.live is None:
        return redirect(form_url(code))
    if form.validate_on_submit():
        retired = service.retire(db.session(), code, **actor())
        if retired is not None:
            notice(gettext("Version %(version)s is retired: new applicants cannot start the form.", version=retired))
        return redirect(form_url(code))
    return render_template("admin/builder/status.html", form=form, copy=copy, retiring=True)


@bp.route("/builder/forms/<code>/make-live", methods=["GET", "POST"])
def builder_make_live(code: str):
    copy = working_copy_or_404(code)
    form = StatusForm()
    if copy.live is not None or copy.latest is None:
        return redirect(form_url(code))
    if form.validate_on_submit():
        made = service.make_live_again(db.session(), code, **actor())
        if made is not None:
            notice(gettext("Version %(version)s is live again.", version=made))
        return redirect(form_url(code))
    return render_template("admin/builder/status.html", form=form, copy=copy, retiring=False)
