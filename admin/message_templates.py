"""Message templates, for administrators: list, create, change, preview with sample data.

/admin/templates                 the list
/admin/templates/new             create (Preview shows it filled in with sample data; Save checks it)
/admin/templates/<id>            change
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal import db
from portal.services import message_templates as service

from . import bp
from .forms import TemplateForm


@bp.get("/templates")
def templates():
    return render_template("admin/templates.html", templates=service.list_templates(db.session()))


def _draft(form: TemplateForm) -> service.TemplateDraft:
    return service.TemplateDraft(
        name=form.name.data or "",
        decisions=form.decisions.data or [],
        subject=form.subject.data or "",
        body_markdown=form.body_markdown.data or "",
    )


def _edit(template_id: int | None):
    session = db.session()
    template = None
    if template_id is not None:
        template = service.get_template(session, template_id)
        if template is None:
            abort(404)
    form = TemplateForm(formdata=None) if request.method == "GET" else TemplateForm()
    if request.method == "GET" and template is not None:
        form.name.data = template.name
        form.decisions.data = [d.value for d in template.decisions]
        form.subject.data = template.subject
        form.body_markdown.data = template.body_markdown
    preview = None
    if request.method == "POST" and form.validate_on_submit():
        draft = _draft(form)
        try:
            if form.preview.data:
                preview = service.preview(draft)
            elif template is None:
                service.create_template(session, draft, actor_id=current_user.id, client_address=request.remote_addr)
                return redirect(url_for("admin.templates"))
            else:
                service.update_template(
                    session, template.id, draft, actor_id=current_user.id, client_address=request.remote_addr
                )
                return redirect(url_for("admin.templates"))
        except service.TemplateError as error:
            for problem in error.problems:
                getattr(form, problem.field).errors = [*getattr(form, problem.field).errors, problem.message]
    return render_template(
        "admin/template_edit.html",
        form=form,
        template=template,
        preview=preview,
        placeholders=service.PLACEHOLDERS,
    )


@bp.route("/templates/new", methods=["GET", "POST"])
def template_new():
    return _edit(None)


@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
def template_edit(template_id: int):
    return _edit(template_id)
