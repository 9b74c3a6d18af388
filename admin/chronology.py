"""A child's chronology: a thin view over portal.services.chronology.

/admin/children/<id>/chronology   every submission, decision, message and document, newest first
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from portal import db
from portal.services import chronology as service

from . import bp


@bp.get("/children/<int:child_id>/chronology")
def chronology(child_id: int):
    try:
        found = service.child_chronology(
            db.session(), child_id, actor_id=current_user.id, client_address=request.remote_addr
        )
    except service.NotFound:
        abort(404)
    return render_template("admin/chronology.html", chronology=found, child=found.child)
