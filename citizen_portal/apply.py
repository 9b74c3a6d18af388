"""The parents' form runner: one page per visible group, driven entirely by formsengine.

    /apply/<form>                 start: pick the child (or add one), then the first page
    /apply/<form>/<group>         a page; Continue validates and saves the draft, then the next page
    /apply/<form>/<group>/remove/<n>  remove an item of a repeating group
    /apply/<form>/check           check your answers, declarations, "Accept and send"
    /apply/<form>/saved           "Save and come back later"

Which draft the pages work on is remembered in the session per form (a parent may have one draft per
child); every look-up goes through the signed-in parent, so another family's draft is never found.
Everything works without JavaScript: each action is a plain form post. The pages, their checks and
check your answers are portal.form_runner's, which the form builder's preview runs too; here is what
only parents have: the draft in the database, uploads kept with it, "Save and come back later", sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

import formsengine
from portal import db, form_runner
from portal.access import two_step_refusal, two_step_required_for_form
from portal.services import applications as service
from portal.services import site_settings
from portal.templating import LONDON
from portal.uploads import CheckedFile, storage_from_config

from . import bp


def _today() -> date:
    return datetime.now(LONDON).date()


def _expiry_days() -> int:
    return site_settings.current().draft_expiry_days


def _storage():
    return storage_from_config(current_app.config)


def _remember(form_code: str, application_id: int) -> None:
    drafts = dict(session.get("drafts") or {})
    drafts[form_code] = application_id
    session["drafts"] = drafts


def _current_draft(form_code: str) -> service.Draft:
    """The draft these pages work on; 404 when the parent has none of this form."""
    remembered = (session.get("drafts") or {}).get(form_code)
    user_id = current_user.id
    if isinstance(remembered, int):
        try:
            return service.load_draft(db.session(), user_id, remembered, form_code)
        except service.NotFound:
            pass
    drafts = service.drafts_of(db.session(), user_id, form_code)
    if not drafts:
        abort(404)
    _remember(form_code, drafts[0].id)
    return service.load_draft(db.session(), user_id, drafts[0].id, form_code)


def _page_url(form_code: str, group_code: str, change: bool = False) -> str:
    extra = {"change": 1} if change else {}
    return url_for("citizen.apply_page", form_code=form_code, group_code=group_code, **extra)


def _resume_url(draft: service.Draft, today: date) -> str:
    """The first page that still needs answers, or check your answers when none does."""
    errors = formsengine.validate_form(draft.form, draft.answers, today)
    if errors:
        return _page_url(draft.form.code, errors[0].group)
    return url_for("citizen.apply_check", form_code=draft.form.code)


# --- start ---------------------------------------------------------------------------------------------


@bp.before_request
def _two_step_for_marked_forms():
    """Forms the council marks as sensitive (TWO_STEP_REQUIRED_FORMS) need two-step verification first."""
    form_code = (request.view_args or {}).get("form_code")
    endpoint = request.endpoint or ""
    if endpoint.startswith("citizen.apply") and form_code and two_step_required_for_form(form_code):
        return two_step_refusal()
    return None


@bp.route("/apply/<form_code>", methods=["GET", "POST"])
@login_required
def apply_start(form_code: str):
    version = service.live_version(db.session(), form_code)
    if version is None:
        abort(404)
    form = service.form_for(version)
    about_child = service.asks_about_child(form)
    children = service.own_children(db.session(), current_user.id) if about_child else []
    drafts = {a.child_id for a in service.drafts_of(db.session(), current_user.id, form_code)}
    error = None
    chosen = request.values.get("child", "")
    if chosen and about_child and (not chosen.isdigit() or int(chosen) not in {c.id for c in children}):
        abort(404)  # another family's child, or none at all
    if request.method == "POST":
        child_id = int(chosen) if chosen.isdigit() else None
        if about_child and child_id is None:
            error = "Select the child you are applying for"
        else:
            try:
                existed = (child_id if about_child else None) in drafts
                draft = service.start_draft(
                    db.session(),
                    current_user,
                    form_code,
                    child_id if about_child else None,
                    expiry_days=_expiry_days(),
                )
            except service.NotFound:
                abort(404)
            else:
                _remember(form_code, draft.id)
                loaded = service.load_draft(db.session(), current_user.id, draft.id, form_code)
                if existed:
                    return redirect(_resume_url(loaded, _today()))
                first = formsengine.next_group(loaded.form, None, loaded.answers, _today())
                return redirect(_page_url(form_code, first.code))
    page_form = {"errors": [error] if error else []}
    return render_template(
        "apply/start.html",
        form=page_form,
        error=error,
        form_def=form,
        about_child=about_child,
        children=children,
        drafts=drafts,
        chosen=chosen,
    )


# --- a page --------------------------------------------------------------------------------------------

# The reference a checked file has in the page's fields until it is stored, when the stored upload's takes
# its place: nothing is ever saved under it.
PROVISIONAL_UPLOAD_ID = "0"


def _urls(form_code: str) -> form_runner.RunnerUrls:
    return form_runner.RunnerUrls(
        start=url_for("citizen.apply_start", form_code=form_code),
        check=url_for("citizen.apply_check", form_code=form_code),
        page=lambda group_code, change=False: _page_url(form_code, group_code, change),
        remove_item=lambda group_code, index: url_for(
            "citizen.apply_remove_item", form_code=form_code, group_code=group_code, index=index
        ),
    )


class _DraftAnswers:
    """The runner's answers kept in the parent's draft: each page is saved at once, with its files."""

    def __init__(self, draft: service.Draft, today: date) -> None:
        self.draft = draft
        self.today = today

    @property
    def answers(self) -> dict[str, Any]:
        return self.draft.answers

    def _stored(self, values: dict[str, Any], files: Mapping[str, CheckedFile]) -> dict[str, Any]:
        for code, file in files.items():
            values[code] = service.store_upload(db.session(), _storage(), self.draft, code, file)
        return values

    def save_page(self, group_code: str, values: dict[str, Any], files: Mapping[str, CheckedFile]) -> None:
        values = self._stored(values, files)
        service.save_page(db.session(), self.draft, group_code, values, today=self.today, expiry_days=_expiry_days())

    def add_item(self, group_code: str, values: dict[str, Any], files: Mapping[str, CheckedFile]) -> None:
        values = self._stored(values, files)
        service.add_item(db.session(), self.draft, group_code, values, today=self.today, expiry_days=_expiry_days())

    def remove_item(self, group_code: str, index: int) -> bool:
        return service.remove_item(
            db.session(), _storage(), self.draft, group_code, index, today=self.today, expiry_days=_expiry_days()
        )

    def touch(self) -> None:
        service.touch(db.session(), self.draft, today=self.today, expiry_days=_expiry_days())


def _render_page(page: form_runner.RunnerPage):
    return render_template("apply/page.html", form={"errors": page.errors}, page=page)


@bp.route("/apply/<form_code>/<group_code>", methods=["GET", "POST"])
@login_required
def apply_page(form_code: str, group_code: str):
    draft = _current_draft(form_code)
    today = _today()
    group = form_runner.shown_group(draft.form, draft.answers, group_code, today)
    if group is None:
        abort(404)
    change = request.values.get("change") == "1"
    if request.method == "GET":
        raw = form_runner.raw_from_answers(group, draft.answers)
        page = form_runner.build_page(
            draft.form, draft.answers, group, raw, [], change=change, today=today, urls=_urls(form_code)
        )
        return _render_page(page)
    posted = form_runner.read_post(
        group,
        request.form,
        request.files,
        draft.answers,
        settings=site_settings.current(),
        upload_id=PROVISIONAL_UPLOAD_ID,
    )
    if posted.action == "save":
        _save_for_later(draft, group, posted, today)
        return redirect(url_for("citizen.apply_saved", form_code=form_code))
    step = form_runner.submit_page(
        draft.form, group, _DraftAnswers(draft, today), posted, change=change, today=today, urls=_urls(form_code)
    )
    return redirect(step.redirect) if step.redirect is not None else _render_page(step.page)


def _save_for_later(draft: service.Draft, group, posted: form_runner.PostedPage, today: date) -> None:
    """Keep what is valid and let the parent come back for the rest (files are chosen again then)."""
    if group.repeat is not None:
        service.touch(db.session(), draft, today=today, expiry_days=_expiry_days())
        return
    parsed = formsengine.parse_page(draft.form, group.code, posted.raw, draft.answers, today=today)
    failed = {e.question for e in form_runner.merge_errors(group, posted.upload_problems, parsed.errors)}
    values = {k: v for k, v in parsed.values.items() if k not in failed and k not in posted.files}
    keep = {k: draft.answers[k] for k in failed if k in draft.answers}
    service.save_page(db.session(), draft, group.code, {**keep, **values}, today=today, expiry_days=_expiry_days())


@bp.post("/apply/<form_code>/<group_code>/remove/<int:index>")
@login_required
def apply_remove_item(form_code: str, group_code: str, index: int):
    draft = _current_draft(form_code)
    if not form_runner.remove_item(draft.form, _DraftAnswers(draft, _today()), group_code, index):
        abort(404)
    return redirect(_page_url(form_code, group_code, request.form.get("change") == "1"))


# --- save and come back later --------------------------------------------------------------------------


@bp.get("/apply/<form_code>/saved")
@login_required
def apply_saved(form_code: str):
    draft = _current_draft(form_code)
    return render_template("apply/saved.html", draft=draft, expires_at=draft.application.expires_at)


# --- check your answers and send -----------------------------------------------------------------------


@bp.route("/apply/<form_code>/check", methods=["GET", "POST"])
@login_required
def apply_check(form_code: str):
    today = _today()
    if request.method == "POST":
        draft = _current_draft_or_sent(form_code)
        if draft is None:
            abort(404)
        result = service.submit_application(
            db.session(),
            _storage(),
            current_user,
            draft,
            request.form.to_dict(flat=False),
            today=today,
            base_url=current_app.config["PORTAL_BASE_URL"],
        )
        if not result.errors and not result.incomplete:
            drafts = dict(session.get("drafts") or {})
            drafts.pop(form_code, None)
            session["drafts"] = drafts
            return redirect(url_for("citizen.application_sent", application_id=result.application.id))
        loaded = service.load_draft(db.session(), current_user.id, draft, form_code)
        return _render_check(loaded, today, result.errors, result.incomplete, request.form.getlist("declarations"))
    draft = _current_draft(form_code)
    incomplete = formsengine.validate_form(draft.form, draft.answers, today)
    return _render_check(draft, today, [], incomplete, [])


def _current_draft_or_sent(form_code: str) -> int | None:
    """The application id the posted page was about (it may have been sent from another tab already)."""
    remembered = (session.get("drafts") or {}).get(form_code)
    if isinstance(remembered, int):
        return remembered
    drafts = service.drafts_of(db.session(), current_user.id, form_code)
    return drafts[0].id if drafts else None


def _render_check(draft, today, errors, incomplete, ticked):
    check = form_runner.build_check(
        draft.form,
        draft.answers,
        today,
        incomplete=incomplete,
        declaration_errors=errors,
        ticked=ticked,
        urls=_urls(draft.form.code),
    )
    return render_template("apply/check.html", form={"errors": check.summary_errors}, check=check)
