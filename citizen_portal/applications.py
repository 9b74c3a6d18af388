"""A parent's sent applications, their uploads and their messages from the council."""

from __future__ import annotations

import contextlib
import io

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from portal import db
from portal.services import applications as service
from portal.services import messages as message_service
from portal.services import review as review_service
from portal.services.application_status import IllegalTransition, can_withdraw
from portal.uploads import storage_from_config

from . import bp


def _own(application_id: int):
    try:
        return service.own_application(db.session(), current_user.id, application_id)
    except service.NotFound:
        abort(404)


@bp.get("/applications/<int:application_id>/sent")
@login_required
def application_sent(application_id: int):
    return render_template("applications/sent.html", application=_own(application_id))


@bp.get("/applications/<int:application_id>")
@login_required
def application(application_id: int):
    application = _own(application_id)
    uploads = service.application_uploads(db.session(), application)
    return render_template(
        "applications/application.html",
        application=application,
        summary=application.submitted_summary or {},
        uploads=uploads,
        can_withdraw=can_withdraw(application),
        review=review_service.parent_view(db.session(), application),
    )


@bp.route("/applications/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def application_withdraw(application_id: int):
    application = _own(application_id)
    if not can_withdraw(application):
        return redirect(url_for("citizen.application", application_id=application.id))
    if request.method == "POST":
        with contextlib.suppress(IllegalTransition):  # decided meanwhile: the application page shows how
            service.withdraw(db.session(), current_user, application.id)
        return redirect(url_for("citizen.application", application_id=application.id))
    return render_template("applications/withdraw.html", application=application)


@bp.get("/uploads/<int:upload_id>")
@login_required
def upload_download(upload_id: int):
    try:
        upload = service.upload_for_download(db.session(), current_user, upload_id)
    except service.NotFound:
        abort(404)
    try:
        data = storage_from_config(current_app.config).read(upload.storage_key)
    except (KeyError, FileNotFoundError):
        abort(404)
    # Always a download, never shown inline: an uploaded file must not run in the portal's origin.
    response = send_file(
        io.BytesIO(data), mimetype=upload.content_type, as_attachment=True, download_name=upload.original_filename
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/messages")
@login_required
def messages():
    return render_template("messages/inbox.html", messages=message_service.inbox(db.session(), current_user.id))


@bp.get("/messages/<int:message_id>")
@login_required
def message(message_id: int):
    try:
        found = message_service.read_message(db.session(), current_user.id, message_id)
    except service.NotFound:
        abort(404)
    return render_template("messages/message.html", message=found)
