"""Texts people read outside the forms, for administrators: list, edit per language, preview, missing Welsh.

/admin/texts                              every text with the state of its English and Welsh versions
/admin/texts/<key>/<en|cy>                change one (Preview shows it rendered, without saving)
/admin/texts/<key>/<en|cy>/reset          go back to the shipped default
/admin/texts/missing-translations         the texts with no Welsh version
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal import db
from portal.services import content_admin as service

from . import bp
from .forms import ContentTextForm, ResetContentTextForm

LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}


@bp.get("/texts")
def texts():
    return render_template("admin/texts.html", texts=service.list_texts(db.session()), State=service.TextState)


@bp.get("/texts/missing-translations")
def texts_missing():
    return render_template("admin/texts_missing.html", texts=service.missing_translations(db.session()))


@bp.route("/texts/<key>/<any(en,cy):language>", methods=["GET", "POST"])
def text_edit(key: str, language: str):
    session = db.session()
    try:
        current, state = service.editable_text(session, key, language)
    except service.UnknownContent:
        abort(404)
    form = ContentTextForm(formdata=None) if request.method == "GET" else ContentTextForm()
    if request.method == "GET":
        form.title.data = current.title
        form.body_markdown.data = current.body_markdown
    preview = None
    if request.method == "POST" and form.validate_on_submit():
        draft = service.TextDraft(title=form.title.data or "", body_markdown=form.body_markdown.data or "")
        try:
            if form.preview.data:
                preview = service.preview(draft)
            else:
                service.save_text(
                    session, key, language, draft, actor_id=current_user.id, client_address=request.remote_addr
                )
                return redirect(url_for("admin.texts"))
        except service.TextError as error:
            for problem in error.problems:
                field = getattr(form, problem.field)
                field.errors = [*field.errors, problem.message]
    return render_template(
        "admin/text_edit.html",
        form=form,
        reset_form=ResetContentTextForm(formdata=None),
        key=key,
        language=language,
        language_name=LANGUAGE_NAMES[language],
        state=state,
        State=service.TextState,
        preview=preview,
    )


@bp.post("/texts/<key>/<any(en,cy):language>/reset")
def text_reset(key: str, language: str):
    form = ResetContentTextForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.reset_text(db.session(), key, language, actor_id=current_user.id, client_address=request.remote_addr)
    except service.UnknownContent:
        abort(404)
    return redirect(url_for("admin.texts"))
