"""Announcements, for administrators: list, create, change (with a preview), delete after confirming.

/admin/announcements                 the list, with each one's state (scheduled, showing now, ended)
/admin/announcements/new             create
/admin/announcements/<id>            change
/admin/announcements/<id>/delete     confirm, then delete (POST)
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal import db
from portal.services import announcements_admin as service

from . import bp
from .announcement_forms import AnnouncementForm, DeleteAnnouncementForm


@bp.get("/announcements")
def announcements():
    rows = service.list_announcements(db.session(), service.london_today())
    return render_template("admin/announcements.html", rows=rows)


def _draft(form: AnnouncementForm) -> service.AnnouncementDraft:
    return service.AnnouncementDraft(
        title=form.title.data or "",
        body_markdown=form.body_markdown.data or "",
        starts=form.starts_on.parts,
        ends=form.ends_on.parts,
    )


def _edit(announcement_id: int | None):
    session = db.session()
    announcement = None
    if announcement_id is not None:
        announcement = service.get_announcement(session, announcement_id)
        if announcement is None:
            abort(404)
    form = AnnouncementForm(formdata=None) if request.method == "GET" else AnnouncementForm()
    if request.method == "GET" and announcement is not None:
        form.title.data = announcement.title
        form.body_markdown.data = announcement.body_markdown
        form.starts_on.show_date(announcement.starts_on)
        form.ends_on.show_date(announcement.ends_on)
    preview = None
    if request.method == "POST" and form.validate_on_submit():
        draft = _draft(form)
        try:
            if form.preview.data:
                preview = service.preview(draft)
            elif announcement is None:
                service.create_announcement(
                    session, draft, actor_id=current_user.id, client_address=request.remote_addr
                )
                return redirect(url_for("admin.announcements"))
            else:
                service.update_announcement(
                    session, announcement.id, draft, actor_id=current_user.id, client_address=request.remote_addr
                )
                return redirect(url_for("admin.announcements"))
        except service.AnnouncementError as error:
            session.rollback()
            for problem in error.problems:
                field = getattr(form, problem.field)
                field.errors = [*field.errors, problem.message]
    return render_template("admin/announcement_edit.html", form=form, announcement=announcement, preview=preview)


@bp.route("/announcements/new", methods=["GET", "POST"])
def announcement_new():
    return _edit(None)


@bp.route("/announcements/<int:announcement_id>", methods=["GET", "POST"])
def announcement_edit(announcement_id: int):
    return _edit(announcement_id)


@bp.route("/announcements/<int:announcement_id>/delete", methods=["GET", "POST"])
def announcement_delete(announcement_id: int):
    session = db.session()
    announcement = service.get_announcement(session, announcement_id)
    if announcement is None:
        abort(404)
    form = DeleteAnnouncementForm()
    if request.method == "POST" and form.validate_on_submit():
        service.delete_announcement(
            session, announcement.id, actor_id=current_user.id, client_address=request.remote_addr
        )
        return redirect(url_for("admin.announcements"))
    return render_template("admin/announcement_delete.html", form=form, announcement=announcement)
