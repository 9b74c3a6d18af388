"""Running a form: which pages show, reading a page, checking the whole form, the summary, storage.

Everything here is a pure function of (form, answers, today). ``answers`` are typed (see
``formsengine.types``): question code -> value for ordinary pages; for a repeating group, group code ->
list of items, each a dict of question code -> value.

Visibility is decided by walking the form in order and evaluating each condition against the answers
*kept so far*: an answer on a hidden page or to a hidden question never counts, so hiding cascades
(changing ``claim_route`` hides the benefit page, which hides the income questions that depended on it).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from formsengine.errors import DECLARATION_NOT_AGREED, ErrorCode, FieldError, Wording, message_for, wording_for
from formsengine.model import Condition, Form, Group, Question, Rule
from formsengine.outcomes import Outcome, available_checks
from formsengine.types import (
    _INVALID,
    check_value,
    display_lines,
    parse_raw,
    raw_list,
    value_from_json,
    value_to_json,
)


def _holds(
    condition: Condition | None, answers: Mapping[str, Any], today: date, group_counts: Mapping[str, int]
) -> bool:
    if condition is None:
        return True
    try:
        return condition.compiled.evaluate(answers, today=today, group_counts=group_counts) is True
    except Exception:  # evaluate() promises not to raise; an answer must never crash a page
        return False


@dataclass
class _Item:
    values: dict[str, Any]
    questions: list[Question]


@dataclass
class _Walk:
    kept: dict[str, Any] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    questions: dict[str, list[Question]] = field(default_factory=dict)
    items: dict[str, list[_Item]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _as_mapping(answers: Any) -> Mapping[str, Any]:
    return answers if isinstance(answers, Mapping) else {}


def _walk(form: Form, answers: Mapping[str, Any], today: date) -> _Walk:
    answers = _as_mapping(answers)
    walk = _Walk()
    for group in form.groups:
        if not _holds(group.show_if, walk.kept, today, walk.counts):
            continue
        walk.groups.append(group)
        if group.repeat is None:
            shown: list[Question] = []
            for question in group.questions:
                if _holds(question.show_if, walk.kept, today, walk.counts):
                    shown.append(question)
                    value = answers.get(question.code)
                    if value is not None:
                        walk.kept[question.code] = value
            walk.questions[group.code] = shown
            continue
        raw_items = answers.get(group.code)
        items: list[_Item] = []
        if isinstance(raw_items, list):
            for raw_item in raw_items:
                if not isinstance(raw_item, Mapping):
                    continue
                scope = ChainMap({}, walk.kept)  # this item's answers over the form's, without copying
                item = _Item({}, [])
                for question in group.questions:
                    if _holds(question.show_if, scope, today, walk.counts):
                        item.questions.append(question)
                        value = raw_item.get(question.code)
                        if value is not None:
                            item.values[question.code] = value
                            scope[question.code] = value
                items.append(item)
        walk.items[group.code] = items
        walk.kept[group.code] = [item.values for item in items]
        walk.counts[group.code] = len(items)
    return walk


# --- navigation ----------------------------------------------------------------------------------------


def visible_groups(form: Form, answers: Mapping[str, Any], today: date) -> list[Group]:
    """The pages to show, in order, for these answers."""
    return _walk(form, answers, today).groups


def next_group(form: Form, current_group_code: str | None, answers: Mapping[str, Any], today: date) -> Group | None:
    """The page after ``current_group_code`` (the first page when it is ``None``); ``None`` at the end
    (go to check your answers) or when the code is not a group of the form."""
    groups = visible_groups(form, answers, today)
    if current_group_code is None:
        return groups[0] if groups else None
    current = form.group(current_group_code)
    if current is None:
        return None
    return next((g for g in groups if g.number > current.number), None)


def previous_group(form: Form, current_group_code: str, answers: Mapping[str, Any], today: date) -> Group | None:
    """The page before ``current_group_code``; ``None`` on the first page."""
    current = form.group(current_group_code)
    if current is None:
        return None
    earlier = [g for g in visible_groups(form, answers, today) if g.number < current.number]
    return earlier[-1] if earlier else None


# --- one page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageResult:
    """What a page's raw fields mean: ``values`` (question code -> typed value, ``None`` for a visible
    question left blank; hidden questions are absent) and ``errors`` in page order."""

    group: str
    values: dict[str, Any]
    errors: tuple[FieldError, ...]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error_for(self, question_code: str) -> FieldError | None:
        return next((e for e in self.errors if e.question == question_code), None)


def parse_page(
    form: Form,
    group_code: str,
    raw: Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
    *,
    today: date | None = None,
) -> PageResult:
    """Read one page's raw HTTP fields into typed values and GOV.UK errors.

    ``answers`` are the answers given so far (for conditions and cross-question rules that read earlier
    pages). For a repeating group the page is one item; store ``values`` as that item. Raises ``KeyError``
    only when ``group_code`` is not a group of the form (check ``form.group(code)`` first: a 404).
    """
    group = form.group(group_code)
    if group is None:
        raise KeyError(f"form {form.code} has no group {group_code!r}")
    today = today or date.today()
    if not isinstance(raw, Mapping):
        raw = {}
    walk = _walk(form, answers or {}, today)
    scope: dict[str, Any] = dict(walk.kept)
    for question in group.questions:  # this page's old answers must not steer its own conditions
        scope.pop(question.code, None)
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for question in group.questions:
        if not _holds(question.show_if, scope, today, walk.counts):
            continue
        value, issue = parse_raw(question, raw)
        if issue is None:
            issue = check_value(question, value, today)
        values[question.code] = value
        if value is not None:
            scope[question.code] = value
        if issue is not None:
            errors.append(issue.to_error(question, group.code))
    if group.repeat is None:
        visible_codes = set(values)
        for rule in form.rules:
            if rule.question in visible_codes and not any(e.question == rule.question for e in errors):
                error = _check_rule(form, rule, scope, today, walk.counts, group.code)
                if error is not None:
                    errors.append(error)
        order = {q.code: i for i, q in enumerate(group.questions)}
        errors.sort(key=lambda e: order.get(e.question, len(order)))
    return PageResult(group.code, values, tuple(errors))


def _check_rule(
    form: Form, rule: Rule, kept: Mapping[str, Any], today: date, counts: Mapping[str, int], group_code: str
) -> FieldError | None:
    """A rule applies once every question it reads is answered (and ``when`` holds)."""
    if any(kept.get(code) is None for code in rule.check.references):
        return None
    if rule.when is not None and not _holds(rule.when, kept, today, counts):
        return None
    if _holds(rule.check, kept, today, counts):
        return None
    question = form.question(rule.question)
    return FieldError(
        field=question.first_field_id if question else rule.question,
        question=rule.question,
        code=ErrorCode.RULE_FAILED,
        message=message_for(ErrorCode.RULE_FAILED, message=rule.message),
        group=group_code,
    )


# --- the whole form ------------------------------------------------------------------------------------


def validate_form(form: Form, answers: Mapping[str, Any], today: date) -> list[FieldError]:
    """Every error in the visible part of the form, page by page; ``[]`` when it can be submitted."""
    walk = _walk(form, answers, today)
    errors: list[FieldError] = []
    rules_by_group: dict[str, list[Rule]] = {}
    for rule in form.rules:
        owner = form.group_of(rule.question)
        if owner is not None:
            rules_by_group.setdefault(owner.code, []).append(rule)
    for group in walk.groups:
        if group.repeat is None:
            for question in walk.questions[group.code]:
                issue = check_value(question, walk.kept.get(question.code), today)
                if issue is not None:
                    errors.append(issue.to_error(question, group.code))
            shown = {q.code for q in walk.questions[group.code]}
            failed = {e.question for e in errors if e.group == group.code}
            for rule in rules_by_group.get(group.code, ()):
                if rule.question in shown and rule.question not in failed:
                    error = _check_rule(form, rule, walk.kept, today, walk.counts, group.code)
                    if error is not None:
                        errors.append(error)
            continue
        items = walk.items[group.code]
        repeat = group.repeat
        if len(items) < repeat.min_items:
            wording = wording_for(
                ErrorCode.TOO_FEW_ITEMS, min=repeat.min_items, items=repeat.items_word(repeat.min_items)
            )
            errors.append(
                FieldError(
                    group.code, group.code, ErrorCode.TOO_FEW_ITEMS, wording.render(), group.code, wording=wording
                )
            )
        if repeat.max_items is not None and len(items) > repeat.max_items:
            wording = wording_for(
                ErrorCode.TOO_MANY_ITEMS, max=repeat.max_items, items=repeat.items_word(repeat.max_items)
            )
            errors.append(
                FieldError(
                    group.code, group.code, ErrorCode.TOO_MANY_ITEMS, wording.render(), group.code, wording=wording
                )
            )
        for index, item in enumerate(items):
            for question in item.questions:
                issue = check_value(question, item.values.get(question.code), today)
                if issue is not None:
                    errors.append(issue.to_error(question, group.code, index))
    return errors


def drop_hidden_answers(form: Form, answers: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The answers without those on hidden pages or to hidden questions (and without unknown codes)."""
    return _walk(form, answers, today).kept


CHECK_UNAVAILABLE = Outcome(
    result="unavailable",
    message="We could not check this automatically. The council will check your details.",
    details={},
)


def evaluate_outcomes(form: Form, answers: Mapping[str, Any], today: date) -> dict[str, Outcome]:
    """Run the form's outcome checks on its visible answers.

    A check comes from another package; if it fails, the person still sees a page and can still apply
    (an outcome only informs them), so a failure becomes the "unavailable" outcome instead of an error.
    """
    kept = drop_hidden_answers(form, answers, today)
    checks = available_checks()
    outcomes = {}
    for name in form.outcome_checks:
        if name not in checks:
            continue
        try:
            outcomes[name] = checks[name](kept, today)
        except Exception:
            outcomes[name] = CHECK_UNAVAILABLE
    return outcomes


# --- declarations --------------------------------------------------------------------------------------

DECLARATIONS_FIELD = "declarations"


def parse_declarations(form: Form, raw: Mapping[str, Any]) -> PageResult:
    """Read the check-your-answers page's declaration checkboxes.

    One checkbox per declaration, all named ``declarations`` with the declaration code as the value and
    ``declaration-<code>`` as the id (the error links there).
    """
    ticked = set(raw_list(raw if isinstance(raw, Mapping) else {}, DECLARATIONS_FIELD))
    errors = []
    for declaration in form.declarations:
        if declaration.code not in ticked:
            # The definition's own message is shown as written; the engine's default is translated.
            message = declaration.error_message or Wording.of(DECLARATION_NOT_AGREED)
            wording = wording_for(ErrorCode.DECLARATION_REQUIRED, message=message)
            errors.append(
                FieldError(
                    f"declaration-{declaration.code}",
                    declaration.code,
                    ErrorCode.DECLARATION_REQUIRED,
                    wording.render(),
                    wording=wording,
                )
            )
    values = {DECLARATIONS_FIELD: [d.code for d in form.declarations if d.code in ticked]}
    return PageResult(DECLARATIONS_FIELD, values, tuple(errors))


# --- check your answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    question: str
    label: str
    lines: tuple[str, ...]  # the displayed answer, one line each (empty when not answered)
    change_group: str  # the page to go back to
    change_field: str  # the input to focus: /apply/<form>/<change_group>#<change_field>
    item: int | None = None  # index of the item in a repeating group

    @property
    def display(self) -> str:
        return "\n".join(self.lines)

    @property
    def answered(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class SummarySection:
    group: str
    number: int
    title: str
    rows: tuple[SummaryRow, ...]
    repeating: bool = False
    item_count: int = 0


def summary(
    form: Form, answers: Mapping[str, Any], today: date, *, wording: Callable[[Wording], str] = Wording.render
) -> list[SummarySection]:
    """Check-your-answers: every visible page with its visible questions and displayed answers.

    ``wording`` words the engine's own words in answers (yes or no, dates); English unless the portal
    passes its translation (what is stored for caseworkers stays English)."""
    walk = _walk(form, answers, today)
    sections = []
    for group in walk.groups:
        rows: list[SummaryRow] = []
        if group.repeat is None:
            for question in walk.questions[group.code]:
                rows.append(
                    SummaryRow(
                        question.code,
                        question.label,
                        _display(question, walk.kept.get(question.code), wording),
                        group.code,
                        question.first_field_id,
                    )
                )
            sections.append(SummarySection(group.code, group.number, group.name, tuple(rows)))
            continue
        items = walk.items[group.code]
        for index, item in enumerate(items):
            for question in item.questions:
                rows.append(
                    SummaryRow(
                        question.code,
                        question.label,
                        _display(question, item.values.get(question.code), wording),
                        group.code,
                        question.first_field_id,
                        index,
                    )
                )
        sections.append(SummarySection(group.code, group.number, group.name, tuple(rows), True, len(items)))
    return sections


def _display(question: Question, value: Any, wording: Callable[[Wording], str]) -> tuple[str, ...]:
    try:
        return display_lines(question, value, wording=wording)
    except Exception:  # a wrongly typed stored answer shows as text rather than breaking the page
        return (str(value),)


# --- storage -------------------------------------------------------------------------------------------


def to_json(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Typed answers -> JSON-safe values for storage (unknown codes are left out)."""
    answers = _as_mapping(answers)
    out: dict[str, Any] = {}
    for group in form.groups:
        if group.repeat is None:
            for question in group.questions:
                if answers.get(question.code) is not None:
                    out[question.code] = value_to_json(question, answers[question.code])
            continue
        items = answers.get(group.code)
        if isinstance(items, list):
            out[group.code] = [
                {q.code: value_to_json(q, item[q.code]) for q in group.questions if item.get(q.code) is not None}
                for item in items
                if isinstance(item, Mapping)
            ]
    return out


def from_json(form: Form, data: Mapping[str, Any]) -> dict[str, Any]:
    """Stored JSON -> typed answers. Never raises: values that cannot be read are left out (and so show
    up as unanswered when the form is validated)."""
    data = _as_mapping(data)
    out: dict[str, Any] = {}
    for group in form.groups:
        if group.repeat is None:
            for question in group.questions:
                value = value_from_json(question, data.get(question.code))
                if value is not None and value is not _INVALID:
                    out[question.code] = value
            continue
        items = data.get(group.code)
        if isinstance(items, list):
            typed_items = []
            for item in items:
                if not isinstance(item, Mapping):
                    continue
                typed: dict[str, Any] = {}
                for question in group.questions:
                    value = value_from_json(question, item.get(question.code))
                    if value is not None and value is not _INVALID:
                        typed[question.code] = value
                typed_items.append(typed)
            out[group.code] = typed_items
    return out
