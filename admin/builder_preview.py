"""Preview: the working copy run as a parent runs it, with the answers kept in the session only.

/admin/builder/forms/<code>/preview                        the start page ("Start now" clears the answers)
/admin/builder/forms/<code>/preview/<page>                 a page, with the parents' widgets and validation
/admin/builder/forms/<code>/preview/<page>/remove/<n>      remove an item of a repeating page
/admin/builder/forms/<code>/preview/check                  check your answers, declarations, "Accept and send"

Nothing is written to applications, uploads or form versions: "Accept and send" only says whether the
application could be sent. The pages and their checks are the parents' (portal.form_runner and its
templates) with the builder's links, and the answers kept in the session; CSRF is checked on every post by
the app's CSRFProtect, as on the parents' pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for

import formsengine
from portal import db, form_runner
from portal.services import form_builder as builder_service
from portal.services import form_builder_preview as service
from portal.services import site_settings
from portal.templating import LONDON
from portal.uploads import CheckedFile

from . import bp
from .builder_forms import StatusForm

PREVIEW_KEY = "builder_preview"


def _today() -> date:
    return datetime.now(LONDON).date()


def _form_or_page(code: str):
    """The previewed form, or the page saying what to fix before it can be previewed."""
    try:
        return service.preview_form(db.session(), code), None
    except builder_service.NotFound:
        abort(404)
    except service.PreviewUnavailable as unavailable:
        copy = builder_service.working_copy(db.session(), code)
        return None, render_template("admin/builder/preview_unavailable.html", copy=copy, problems=unavailable.problems)


def _answers(form) -> dict[str, Any]:
    return service.answers_from(form, (session.get(PREVIEW_KEY) or {}).get(form.code))


def _keep(form, answers, today: date) -> None:
    """Only the form being previewed is kept, so the session stays small."""
    session[PREVIEW_KEY] = {form.code: service.to_store(form, answers, today)}


def _page_url(code: str, group_code: str, change: bool = False) -> str:
    return url_for("admin.builder_preview_page", code=code, group_code=group_code, **({"change": 1} if change else {}))


def _urls(code: str) -> form_runner.RunnerUrls:
    return form_runner.RunnerUrls(
        start=url_for("admin.builder_preview", code=code),
        check=url_for("admin.builder_preview_check", code=code),
        page=lambda group_code, change=False: _page_url(code, group_code, change),
        remove_item=lambda group_code, index: url_for(
            "admin.builder_preview_remove", code=code, group_code=group_code, index=index
        ),
    )


class _SessionAnswers:
    """The runner's answers kept in the administrator's session only. A chosen file was checked and only
    its name is kept (``form_runner.read_post`` put it in the values); the file itself is dropped."""

    def __init__(self, form, today: date) -> None:
        self.form = form
        self.today = today
        self.answers = _answers(form)

    def _keep(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        _keep(self.form, answers, self.today)

    def save_page(self, group_code: str, values: dict[str, Any], files: Mapping[str, CheckedFile]) -> None:
        self._keep(form_runner.with_page(self.form, self.answers, group_code, values))

    def add_item(self, group_code: str, values: dict[str, Any], files: Mapping[str, CheckedFile]) -> None:
        self._keep(form_runner.with_item(self.answers, group_code, values))

    def remove_item(self, group_code: str, index: int) -> bool:
        answers = form_runner.without_item(self.answers, group_code, index)
        if answers is None:
            return False
        self._keep(answers)
        return True

    def touch(self) -> None:
        """Nothing changed, so there is nothing to keep."""


@bp.route("/builder/forms/<code>/preview", methods=["GET", "POST"])
def builder_preview(code: str):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    start = StatusForm()
    if start.validate_on_submit():
        _keep(form, {}, _today())
        first = formsengine.next_group(form, None, {}, _today())
        if first is None:
            return redirect(url_for("admin.builder_preview_check", code=code))
        return redirect(_page_url(code, first.code))
    return render_template("admin/builder/preview_start.html", form_def=form, start=start)


def _render_page(page: form_runner.RunnerPage):
    return render_template(
        "admin/builder/preview_page.html", form={"errors": page.errors}, form_def=page.form, page=page
    )


@bp.route("/builder/forms/<code>/preview/<group_code>", methods=["GET", "POST"])
def builder_preview_page(code: str, group_code: str):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    today = _today()
    store = _SessionAnswers(form, today)
    group = form_runner.shown_group(form, store.answers, group_code, today)
    if group is None:
        abort(404)
    change = request.values.get("change") == "1"
    if request.method == "GET":
        raw = form_runner.raw_from_answers(group, store.answers)
        return _render_page(
            form_runner.build_page(form, store.answers, group, raw, [], change=change, today=today, urls=_urls(code))
        )
    posted = form_runner.read_post(
        group,
        request.form,
        request.files,
        store.answers,
        settings=site_settings.current(),
        upload_id=service.PREVIEW_UPLOAD_ID,
    )
    step = form_runner.submit_page(form, group, store, posted, change=change, today=today, urls=_urls(code))
    return redirect(step.redirect) if step.redirect is not None else _render_page(step.page)


@bp.post("/builder/forms/<code>/preview/<group_code>/remove/<int:index>")
def builder_preview_remove(code: str, group_code: str, index: int):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    if not form_runner.remove_item(form, _SessionAnswers(form, _today()), group_code, index):
        abort(404)
    return redirect(_page_url(code, group_code, request.form.get("change") == "1"))


@bp.route("/builder/forms/<code>/preview/check", methods=["GET", "POST"])
def builder_preview_check(code: str):
    form, unavailable = _form_or_page(code)
    if unavailable is not None:
        return unavailable
    today = _today()
    answers = _answers(form)
    ticked: list[str] = []
    declaration_errors: list = []
    incomplete = formsengine.validate_form(form, formsengine.drop_hidden_answers(form, answers, today), today)
    if request.method == "POST":
        ticked = request.form.getlist("declarations")
        finished = service.finish(form, answers, request.form.to_dict(flat=False), today)
        if finished.sent:
            return render_template("admin/builder/preview_sent.html", form_def=form)
        incomplete, declaration_errors = finished.incomplete, finished.declaration_errors
    check = form_runner.build_check(
        form,
        answers,
        today,
        incomplete=incomplete,
        declaration_errors=declaration_errors,
        ticked=ticked,
        urls=_urls(code),
    )
    return render_template(
        "admin/builder/preview_check.html", form={"errors": check.summary_errors}, form_def=form, check=check
    )
