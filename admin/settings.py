"""Site settings, for administrators: every setting with its default, one edit page per group, and reset.

/admin/settings                     every group as a summary card: the value in force, and its default
/admin/settings/<group>             change the settings of one group (service, contact, passwords, ...)
/admin/settings/<key>/reset         confirm, then go back to the default from the environment (POST)
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from portal import db
from portal.services import site_settings as service

from . import bp
from .settings_forms import FORMS, ResetSettingForm


@bp.get("/settings")
def settings():
    saved = service.GROUPS_BY_SLUG.get(request.args.get("saved", ""))
    reset = service.SETTINGS.get(request.args.get("reset", ""))
    return render_template(
        "admin/settings/index.html",
        groups=service.overview(db.session(), current_app.config),
        saved=saved,
        reset=reset,
    )


@bp.route("/settings/<slug>", methods=["GET", "POST"])
def settings_edit(slug: str):
    session = db.session()
    try:
        page = service.edit_page(session, current_app.config, slug)
    except service.UnknownGroup:
        abort(404)
    form = FORMS[slug]() if request.method == "POST" else FORMS[slug](formdata=None)
    form.fill(page, values=request.method == "GET")
    stale = False
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.save_group(
                session, current_app.config, slug, form.submitted(page),
                loaded=form.loaded.data or None, actor_id=current_user.id, client_address=request.remote_addr,
            )  # fmt: skip
            return redirect(url_for("admin.settings", saved=slug))
        except service.SettingsError as error:
            session.rollback()
            for problem in error.problems:
                field = form[problem.field]
                field.errors = [*field.errors, problem.message]
        except service.StaleSettings:
            session.rollback()
            stale = True
            page = service.edit_page(session, current_app.config, slug)
            form = FORMS[slug](formdata=None)
            form.fill(page, values=True)
    return render_template("admin/settings/edit.html", form=form, page=page, stale=stale, Kind=service.Kind)


@bp.route("/settings/<key>/reset", methods=["GET", "POST"])
def settings_reset(key: str):
    session = db.session()
    try:
        view = service.setting_view(session, current_app.config, key)
    except service.UnknownSetting:
        abort(404)
    form = ResetSettingForm()
    if request.method == "POST" and form.validate_on_submit():
        service.reset_setting(
            session, current_app.config, key, actor_id=current_user.id, client_address=request.remote_addr
        )
        return redirect(url_for("admin.settings", reset=key))
    return render_template("admin/settings/reset.html", form=form, view=view)
