"""My Family: the children linked to the parent's account."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal import db
from portal.services import family as service
from portal.services.applications import NotFound, own_child

from . import bp
from .family_forms import ChildForm


def _details(form: ChildForm) -> service.ChildDetails:
    return service.ChildDetails(
        forename=form.forename.data.strip(),
        surname=form.surname.data.strip(),
        date_of_birth=form.date_of_birth.data,
        gender=form.gender.data or None,
    )


def _return_to_application() -> str | None:
    """Adding a child from an application's start page goes back there, with the child chosen."""
    form_code = request.args.get("apply", "")
    return form_code if form_code.replace("_", "").isalnum() and len(form_code) <= 100 else None


@bp.get("/family")
@login_required
def family():
    return render_template("family/family.html", members=service.family(db.session(), current_user.id))


@bp.route("/family/children/new", methods=["GET", "POST"])
@login_required
def family_add_child():
    form = ChildForm()
    if form.validate_on_submit():
        child = service.add_child(db.session(), current_user.id, _details(form))
        form_code = _return_to_application()
        if form_code:
            return redirect(url_for("citizen.apply_start", form_code=form_code, child=child.id))
        return redirect(url_for("citizen.family"))
    return render_template("family/child.html", form=form, child=None)


@bp.route("/family/children/<int:child_id>", methods=["GET", "POST"])
@login_required
def family_edit_child(child_id: int):
    child = own_child(db.session(), current_user.id, child_id)
    if child is None:
        abort(404)
    form = ChildForm(obj=child)
    if form.validate_on_submit():
        service.edit_child(db.session(), current_user.id, child.id, _details(form))
        return redirect(url_for("citizen.family"))
    member = next(m for m in service.family(db.session(), current_user.id) if m.child.id == child.id)
    return render_template("family/child.html", form=form, child=child, removable=not member.named_in_application)


@bp.post("/family/children/<int:child_id>/remove")
@login_required
def family_remove_child(child_id: int):
    try:
        service.remove_child(db.session(), current_user.id, child_id)
    except NotFound:
        abort(404)
    except service.ChildInUse:
        return redirect(url_for("citizen.family_edit_child", child_id=child_id))
    return redirect(url_for("citizen.family"))
