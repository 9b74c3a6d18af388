"""Matching a submission's child against the children the council already knows: thin views over
portal.services.record_matching.

/admin/submissions/<id>/matching   the ranked candidates with their reasons; POST links or confirms as new
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal import db
from portal.services import record_matching as service

from . import bp
from .forms import LinkChildForm

NEW = "new"


def _page(view: service.MatchingView, form: LinkChildForm, status: int = 200):
    return render_template("admin/matching.html", view=view, form=form, application=view.application), status


def _form(view: service.MatchingView, formdata=None) -> LinkChildForm:
    form = LinkChildForm() if formdata is None else LinkChildForm(formdata=formdata)
    form.record.choices = [
        SelectChoice(str(c.child.id), f"{c.child.forename} {c.child.surname}") for c in view.children
    ] + [SelectChoice(NEW, _("A new child: not known to the council"))]
    return form


@bp.route("/submissions/<int:application_id>/matching", methods=["GET", "POST"])
def matching(application_id: int):
    session = db.session()
    try:
        view = service.matching_view(session, application_id)
    except service.NotFound:
        abort(404)
    if request.method == "GET":
        return _page(view, _form(view, formdata=None))
    form = _form(view)
    if not form.validate_on_submit():
        return _page(view, form)
    chosen = None if form.record.data == NEW else int(form.record.data)
    try:
        service.link_child(
            session, application_id, chosen, actor_id=current_user.id, client_address=request.remote_addr
        )
    except service.NotFound:
        abort(404)
    return redirect(url_for("admin.matching", application_id=application_id, saved=1))
