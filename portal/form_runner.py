"""Running a form as a parent does, a page at a time: what the parents' apply pages (citizen_portal/apply.py)
and the form builder's preview (admin/builder_preview.py) share, so a preview behaves exactly like the
real thing.

formsengine decides which pages and questions show and reads the answers; this module turns that into what
the shared templates show (``templates/_form_runner_page.html`` and ``_form_runner_check.html``), reads a
posted page (its fields and files) and moves the runner on. Each caller brings its own addresses
(``RunnerUrls``) and its own place for the answers (an ``AnswerStore``): a parent's draft in the database,
or the administrator's session, where nothing is saved. No Flask here: views pass in the posted fields and
files and turn the results into responses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import formsengine
from formsengine import DataType, ErrorCode, FieldError, Form, Group, Outcome, SummaryRow, SummarySection

from .form_widgets import Widget, error_list, error_text, in_page_language, widget_for
from .uploads import CheckedFile, UploadProblem, check_upload, problem_message

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage, MultiDict

    from .services.site_settings import SiteSettings

UPLOAD_TYPES = (DataType.FILE, DataType.IMAGE)


@dataclass(frozen=True)
class RunnerUrls:
    """Where a runner's links and redirects go."""

    start: str  # the form's start page: the first page's and check your answers' Back link
    check: str  # check your answers
    page: Callable[..., str]  # page(group_code, change=False); with change the page comes back to check
    remove_item: Callable[[str, int], str]  # remove_item(group_code, index): where an item's Remove posts


class AnswerStore(Protocol):
    """Where a runner keeps the answers as a person gives them."""

    @property
    def answers(self) -> Mapping[str, Any]: ...

    def save_page(self, group_code: str, values: dict[str, Any], files: Mapping[str, CheckedFile]) -> None:
        """A (non-repeating) page's parsed values in place of its old ones; ``files`` are the checked files
        the values refer to, for a store that keeps them."""

    def add_item(self, group_code: str, values: dict[str, Any], files: Mapping[str, CheckedFile]) -> None:
        """One more item of a repeating page."""

    def remove_item(self, group_code: str, index: int) -> bool:
        """Remove item ``index`` of a repeating page; False when there is no such item."""

    def touch(self) -> None:
        """A page is done and its answers are unchanged (a repeating page's Continue)."""


# --- the answers ---------------------------------------------------------------------------------------


def with_page(form: Form, answers: Mapping[str, Any], group_code: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with one (non-repeating) page's parsed values in place of its old ones."""
    out = dict(answers)
    group = form.group(group_code)
    if group is not None:
        for question in group.questions:
            out.pop(question.code, None)
    out.update({k: v for k, v in values.items() if v is not None})
    return out


def with_item(answers: Mapping[str, Any], group_code: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with one more item of a repeating page."""
    out = dict(answers)
    out[group_code] = [*list(out.get(group_code) or []), {k: v for k, v in values.items() if v is not None}]
    return out


def without_item(answers: Mapping[str, Any], group_code: str, index: int) -> dict[str, Any] | None:
    """The answers without item ``index`` of a repeating page; ``None`` when there is no such item."""
    items = list(answers.get(group_code) or [])
    if not 0 <= index < len(items):
        return None
    del items[index]
    return {**answers, group_code: items}


# --- a page --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """An item already added on a repeating page, as its summary card shows it."""

    rows: list[SummaryRow]
    remove_url: str


@dataclass(frozen=True)
class RunnerPage:
    """What ``templates/_form_runner_page.html`` shows."""

    form: Form
    group: Group
    errors: list[FieldError]
    summary_errors: list[dict[str, str]]
    widgets: list[Widget]
    only_question: bool  # the question's label is the page's heading
    number: int  # "Page 2 of 5"
    total: int
    back: str
    change: bool  # reached from check your answers, and goes back there
    items: list[Item]
    can_add: bool  # a repeating page has room for another item
    multipart: bool


def shown_group(form: Form, answers: Mapping[str, Any], group_code: str, today: date) -> Group | None:
    """The page ``group_code`` when these answers show it; ``None`` for a page that does not exist or is hidden."""
    group = form.group(group_code)
    if group is None or group.code not in {g.code for g in formsengine.visible_groups(form, answers, today)}:
        return None
    return group


def raw_from_answers(group: Group, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A page's fields as the answers given so far fill them in (a repeating page's fields start empty)."""
    raw: dict[str, Any] = {}
    if group.repeat is None:
        for question in group.questions:
            raw.update(formsengine.raw_from_value(question, answers.get(question.code)))
    return raw


def _visible_questions(form: Form, group: Group, raw: Mapping[str, Any], answers: Mapping[str, Any], today: date):
    """The page's questions as the person sees them now (conditions read earlier pages' answers)."""
    if group.repeat is not None:
        return list(group.questions)
    parsed = formsengine.parse_page(form, group.code, raw, answers, today=today)
    return [q for q in group.questions if q.code in parsed.values]


def build_page(
    form: Form,
    answers: Mapping[str, Any],
    group: Group,
    raw: Mapping[str, Any],
    errors: list[FieldError],
    *,
    change: bool,
    today: date,
    urls: RunnerUrls,
) -> RunnerPage:
    """The page ``group`` showing ``raw`` (its fields, as given or as posted) and ``errors``."""
    codes = [g.code for g in formsengine.visible_groups(form, answers, today)]
    visible = _visible_questions(form, group, raw, answers, today)
    only = len(visible) == 1 and not group.repeating
    current_files = {}
    if group.repeat is None:
        for question in visible:
            value = answers.get(question.code)
            if question.type in UPLOAD_TYPES and isinstance(value, dict):
                current_files[question.code] = value.get("filename")
    widgets = [
        widget_for(
            q,
            raw,
            next((e for e in errors if e.question == q.code), None),
            only_question=only,
            current_file=current_files.get(q.code),
        )
        for q in visible
    ]
    previous = formsengine.previous_group(form, group.code, answers, today)
    if change:
        back = urls.check
    elif previous is not None:
        back = urls.page(previous.code)
    else:
        back = urls.start
    items: list[Item] = []
    can_add = True
    if group.repeat is not None:
        for section in formsengine.summary(form, answers, today, wording=in_page_language):
            if section.group == group.code:
                for index in range(section.item_count):
                    rows = [row for row in section.rows if row.item == index]
                    items.append(Item(rows, urls.remove_item(group.code, index)))
        can_add = group.repeat.max_items is None or len(items) < group.repeat.max_items
        if not can_add:
            widgets = []
    first_field = visible[0].first_field_id if visible else group.code
    return RunnerPage(
        form=form,
        group=group,
        errors=errors,
        summary_errors=error_list(errors, href_for={group.code: f"#{first_field}"}),
        widgets=widgets,
        only_question=only,
        number=codes.index(group.code) + 1 if group.code in codes else 0,
        total=len(codes),
        back=back,
        change=change,
        items=items,
        can_add=can_add,
        multipart=any(q.type in UPLOAD_TYPES for q in group.questions),
    )


# --- a posted page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostedPage:
    """A posted page, read: the button pressed, the fields (with a reference to each chosen file, for
    formsengine to read), the files that passed the checks (not stored yet) and the problems of those that
    did not."""

    action: str  # "continue", "add" (a repeating page's item) or "save" (the parents' "Save and come back later")
    raw: dict[str, Any]
    files: dict[str, CheckedFile]
    upload_problems: list[FieldError]
    item_filled: bool  # on a repeating page: something was typed or chosen for a new item


def read_post(
    group: Group,
    form_data: MultiDict,
    files: Mapping[str, FileStorage],
    answers: Mapping[str, Any],
    *,
    settings: SiteSettings,
    upload_id: str,
) -> PostedPage:
    """Read a posted page. Each chosen file is checked as the settings in force say; a good one goes into
    the fields as ``{"upload_id": upload_id, ...}`` (the caller's reference until, or instead of, storing
    it), and a question with no file chosen keeps the file already given."""
    raw: dict[str, Any] = form_data.to_dict(flat=False)
    checked: dict[str, CheckedFile] = {}
    problems: list[FieldError] = []
    for question in group.questions:
        if question.type not in UPLOAD_TYPES:
            continue
        file = files.get(question.code)
        if file is None or not file.filename:
            existing = answers.get(question.code) if group.repeat is None else None
            raw[question.code] = existing or ""
            continue
        data = file.read(settings.upload_max_bytes + 1)
        result = check_upload(
            file.filename, data, max_bytes=settings.upload_max_bytes, allowed=settings.upload_allowed_extensions
        )
        if isinstance(result, UploadProblem):
            problems.append(
                FieldError(
                    question.code,
                    question.code,
                    ErrorCode.FILE_INVALID,
                    problem_message(result, settings.upload_max_mb, settings.upload_allowed_extensions),
                    group=group.code,
                )
            )
            raw[question.code] = ""
            continue
        checked[question.code] = result
        raw[question.code] = {
            "upload_id": upload_id,
            "filename": result.filename,
            "content_type": result.content_type,
            "size": result.size,
        }
    return PostedPage(
        action=form_data.get("action", "continue"),
        raw=raw,
        files=checked,
        upload_problems=problems,
        item_filled=group.repeat is not None and _item_fields_filled(group, raw, form_data),
    )


def _item_fields_filled(group: Group, raw: Mapping[str, Any], form_data: MultiDict) -> bool:
    for question in group.questions:
        if question.type in UPLOAD_TYPES:
            if raw.get(question.code):
                return True
            continue
        if any(form_data.get(name, "").strip() for name in formsengine.field_ids(question)):
            return True
    return False


def merge_errors(group: Group, upload_problems: list[FieldError], parsed: tuple[FieldError, ...]) -> list[FieldError]:
    """A file's own problem replaces formsengine's view of the same question ("Select a file" would mislead)."""
    by_question = {p.question for p in upload_problems}
    errors = [e for e in parsed if e.question not in by_question] + list(upload_problems)
    order = {q.code: i for i, q in enumerate(group.questions)}
    return sorted(errors, key=lambda e: order.get(e.question, len(order)))


@dataclass(frozen=True)
class Step:
    """Where a posted page leads: to another address, or the same page again, with its problems."""

    redirect: str | None = None
    page: RunnerPage | None = None


def submit_page(
    form: Form,
    group: Group,
    store: AnswerStore,
    posted: PostedPage,
    *,
    change: bool,
    today: date,
    urls: RunnerUrls,
) -> Step:
    """Continue (or, on a repeating page, add an item): the page's answers are checked and kept in ``store``."""

    def again(raw: Mapping[str, Any], errors: list[FieldError]) -> Step:
        return Step(page=build_page(form, store.answers, group, raw, errors, change=change, today=today, urls=urls))

    if group.repeat is None:
        parsed = formsengine.parse_page(form, group.code, posted.raw, store.answers, today=today)
        errors = merge_errors(group, posted.upload_problems, parsed.errors)
        if errors:
            return again(posted.raw, errors)
        store.save_page(group.code, dict(parsed.values), posted.files)
        return Step(redirect=next_url(form, store.answers, group.code, change=change, today=today, urls=urls))

    count = len(store.answers.get(group.code) or [])
    at_max = group.repeat.max_items is not None and count >= group.repeat.max_items
    wants_add = posted.action == "add" or posted.item_filled or bool(posted.upload_problems)
    if wants_add and not at_max:
        parsed = formsengine.parse_page(form, group.code, posted.raw, store.answers, today=today)
        errors = merge_errors(group, posted.upload_problems, parsed.errors)
        if errors:
            return again(posted.raw, errors)
        store.add_item(group.code, dict(parsed.values), posted.files)
        if posted.action == "add":
            return Step(redirect=urls.page(group.code, change))
    problems = [
        e
        for e in formsengine.validate_form(form, store.answers, today)
        if e.group == group.code and e.code in (ErrorCode.TOO_FEW_ITEMS, ErrorCode.TOO_MANY_ITEMS)
    ]
    if problems:
        return again({}, problems)
    store.touch()
    return Step(redirect=next_url(form, store.answers, group.code, change=change, today=today, urls=urls))


def next_url(
    form: Form, answers: Mapping[str, Any], group_code: str, *, change: bool, today: date, urls: RunnerUrls
) -> str:
    """After a page: the next one, or check your answers."""
    if change:
        # A changed answer may show a page that needs answering; otherwise back to the summary.
        errors = formsengine.validate_form(form, answers, today)
        if errors:
            return urls.page(errors[0].group, change=True)
        return urls.check
    following = formsengine.next_group(form, group_code, answers, today)
    if following is None:
        return urls.check
    return urls.page(following.code)


def remove_item(form: Form, store: AnswerStore, group_code: str, index: int) -> bool:
    """Remove item ``index`` of the repeating page ``group_code``; False when there is no such page or item."""
    group = form.group(group_code)
    if group is None or group.repeat is None:
        return False
    return store.remove_item(group_code, index)


# --- check your answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckPage:
    """What ``templates/_form_runner_check.html`` shows."""

    form: Form
    back: str
    sections: list[SummarySection]
    outcomes: dict[str, Outcome]  # what happens next (only once every question is answered)
    incomplete: list[FieldError]
    declaration_errors: dict[str, str]  # declaration code: message
    ticked: set[str]
    summary_errors: list[dict[str, str]]
    change_url: Callable[[str], str]  # change_url(group_code): the page, coming back here


def build_check(
    form: Form,
    answers: Mapping[str, Any],
    today: date,
    *,
    incomplete: list[FieldError],
    declaration_errors: list[FieldError],
    ticked: list[str],
    urls: RunnerUrls,
) -> CheckPage:
    """Check your answers: every visible page's answers, what is still unanswered, and the declarations."""
    links = {e.field: urls.page(e.group, change=True) + f"#{e.field}" for e in incomplete if e.group}
    return CheckPage(
        form=form,
        back=urls.start,
        sections=formsengine.summary(form, answers, today, wording=in_page_language),
        outcomes=formsengine.evaluate_outcomes(form, answers, today) if not incomplete else {},
        incomplete=incomplete,
        declaration_errors={e.question: error_text(e) for e in declaration_errors},
        ticked=set(ticked),
        summary_errors=error_list(list(incomplete) + list(declaration_errors), href_for=links),
        change_url=lambda group_code: urls.page(group_code, change=True),
    )
