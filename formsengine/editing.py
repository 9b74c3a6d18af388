"""Editing a form definition one change at a time, as a form builder does.

The working copy is a definition dict in the canonical shape of ``Form.to_dict()`` (defaults left out,
groups in page order), so every engine check applies to it as it is, a YAML export of it is exact, and
its fingerprint is the one a loaded version of the same content would have.

Every function here takes a definition and returns a new one; the one passed in is never changed. A
change that cannot be made raises ``EditError`` with every ``Problem`` it found, in the engine's own words
wherever the loader checks the same thing (the changed part is checked in place, with the whole form
around it, by ``form_from_dict``). Problems elsewhere in the form (a page with no questions yet, a later
condition that reads a question just deleted) do not stop an edit: a working copy is allowed to be
unfinished. They stop publishing, which runs every check (``problems_of``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from formsengine.canonical import _number
from formsengine.errors import DefinitionError, ErrorCode, Problem
from formsengine.loader import _APPLIES, _WIDGETS, _part_validator, _schema_message, form_from_dict
from formsengine.model import EXPRESSION_TYPE_NAMES, DataType
from formsengine.source import format_path

Definition = dict[str, Any]
PathTuple = tuple[str | int, ...]

SOURCE_NAME = "form builder"

# Keys in the order the canonical shape (and a person reading YAML) has them.
FORM_KEYS = (
    "code",
    "title",
    "version",
    "portal_type",
    "portal_user_type",
    "live",
    "description",
    "guidance",
    "outcome_checks",
    "declarations",
    "rules",
    "groups",
)
DETAIL_KEYS = ("title", "portal_type", "portal_user_type", "description", "guidance")
GROUP_KEYS = ("code", "number", "name", "guidance", "show_if", "repeat", "questions")
GROUP_SETTING_KEYS = ("code", "name", "guidance", "show_if", "repeat")
REPEAT_KEYS = ("min", "max", "add_another_label", "item_name", "item_name_plural")
QUESTION_KEYS = (
    "code",
    "label",
    "type",
    "hint",
    "error_name",
    "options",
    "widget",
    "prefix",
    "suffix",
    "show_if",
    "prefill",
    "restrictions",
)
RESTRICTION_KEYS = (
    "mandatory",
    "max_length",
    "min_value",
    "max_value",
    "decimal_places",
    "in_the_past",
    "in_the_future",
    "before",
    "after",
    "at_least_years_ago",
    "at_most_years_ago",
    "pattern",
    "file_types",
    "on_child_record",
    "inherit_multiple",
)
_FLAG_RESTRICTIONS = ("mandatory", "in_the_past", "in_the_future", "on_child_record", "inherit_multiple")
_NUMBER_RESTRICTIONS = ("min_value", "max_value")
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


# What each data type can be given, from the loader's own rules (one place for them).
OPTION_TYPES = frozenset({DataType.CHOICE.value, DataType.MULTIPLE_CHOICE.value})


def restrictions_for(data_type: str) -> tuple[str, ...]:
    """The restrictions that fit a data type, in the canonical order (``mandatory`` fits every type;
    ``on_child_record`` and ``inherit_multiple`` too)."""
    try:
        kind = DataType(data_type)
    except ValueError:
        return ()
    return tuple(key for key in RESTRICTION_KEYS if key not in _APPLIES or kind in _APPLIES[key])


def widgets_for(data_type: str) -> tuple[str, ...]:
    """The widgets a data type may choose between (choice: radios or select); ``()`` when it has one."""
    try:
        return tuple(sorted(_WIDGETS.get(DataType(data_type), ())))
    except ValueError:
        return ()


class EditError(DefinitionError):
    """A change that cannot be made; ``problems`` says every reason, each with the path it concerns."""


def _problem(path: PathTuple, message: str, code: ErrorCode) -> Problem:
    return Problem(SOURCE_NAME, None, format_path(path), message, code)


# --- reading a definition -----------------------------------------------------------------------------


def groups_of(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    groups = definition.get("groups")
    return [g for g in groups if isinstance(g, dict)] if isinstance(groups, list) else []


def group_index(definition: Mapping[str, Any], group_code: str) -> int:
    for index, group in enumerate(definition.get("groups") or []):
        if isinstance(group, dict) and group.get("code") == group_code:
            return index
    raise EditError([_problem(("groups",), f"there is no page '{group_code}'", ErrorCode.DEF_UNKNOWN_REFERENCE)])


def question_position(definition: Mapping[str, Any], question_code: str) -> tuple[int, int]:
    """(group index, question index) of a question; ``EditError`` when there is none."""
    for gi, group in enumerate(definition.get("groups") or []):
        if not isinstance(group, dict):
            continue
        for qi, question in enumerate(group.get("questions") or []):
            if isinstance(question, dict) and question.get("code") == question_code:
                return gi, qi
    raise EditError([_problem(("groups",), f"there is no question '{question_code}'", ErrorCode.DEF_UNKNOWN_REFERENCE)])


def all_codes(definition: Mapping[str, Any]) -> dict[str, PathTuple]:
    """Every group and question code (one namespace: a repeating group's answers live under its code)."""
    codes: dict[str, PathTuple] = {}
    for gi, group in enumerate(definition.get("groups") or []):
        if not isinstance(group, dict):
            continue
        if isinstance(group.get("code"), str):
            codes.setdefault(group["code"], ("groups", gi))
        for qi, question in enumerate(group.get("questions") or []):
            if isinstance(question, dict) and isinstance(question.get("code"), str):
                codes.setdefault(question["code"], ("groups", gi, "questions", qi))
    return codes


def question_codes(definition: Mapping[str, Any]) -> list[str]:
    return [
        q["code"]
        for g in groups_of(definition)
        for q in g.get("questions") or []
        if isinstance(q, dict) and isinstance(q.get("code"), str)
    ]


def parse_path(path: str) -> PathTuple:
    """``"groups[2].questions[0].show_if"`` -> ``("groups", 2, "questions", 0, "show_if")``."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return tuple(parts)


_CONTEXT_RE = re.compile(r"^form [^,:\s]+(?:, group \d+ '.*?')?(?:, question '[^']*')?(?:, rule '[^']*')?: ", re.S)


def without_context(problem: Problem) -> str:
    """The problem's message without the loader's "form x, group 2 'Name', question 'q': " prefix, for
    showing next to the field it concerns."""
    return _CONTEXT_RE.sub("", problem.message, count=1)


def fingerprint(definition: Mapping[str, Any]) -> str:
    """The fingerprint a loaded ``Form`` of this content has (version and live left out).

    A working copy may not load yet; its canonical dict is hashed the same way ``Form.fingerprint`` hashes
    ``to_dict()``, so an unchanged working copy matches the version it came from.
    """
    try:
        content = form_from_dict(definition, SOURCE_NAME).to_dict()
    except DefinitionError:
        content = copy.deepcopy(dict(definition))
    content.pop("version", None)
    content.pop("live", None)
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def problems_of(definition: Mapping[str, Any]) -> list[Problem]:
    """Every problem the engine finds in the whole definition; ``[]`` when it loads."""
    try:
        form_from_dict(definition, SOURCE_NAME)
    except DefinitionError as error:
        return list(error.problems)
    return []


def _problems_under(
    definition: Definition, prefixes: Iterable[PathTuple], skip: Iterable[PathTuple] = ()
) -> list[Problem]:
    prefixes, skip = list(prefixes), list(skip)
    found = []
    for problem in problems_of(definition):
        path = parse_path(problem.path)
        if any(path[: len(p)] == p for p in prefixes) and not any(path[: len(s)] == s for s in skip):
            found.append(problem)
    return found


# --- canonical parts ----------------------------------------------------------------------------------


def _ordered(data: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    out = {key: data[key] for key in keys if key in data}
    out.update({key: value for key, value in data.items() if key not in out})  # unknown keys: the schema says
    return out


def _text(value: Any) -> Any:
    """Single-line texts lose spaces at their ends; texts of several lines (Markdown) are kept exactly,
    down to a final newline, so an unchanged text never reads as a change. Blank text is empty."""
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return value if value.strip() else ""
    return value.strip()


def normalise_number(value: Any) -> Any:
    """A restriction number as the canonical shape writes it: an int when whole, else its exact text."""
    if isinstance(value, bool) or value is None:
        return value
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return value  # the schema check reports it
    if not number.is_finite():
        return value
    return _number(number)


def normalise_restrictions(restrictions: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in restrictions.items():
        if value is None or value == "" or value == [] or value == ():
            continue
        if key in _FLAG_RESTRICTIONS and value is False:
            continue
        if key in _NUMBER_RESTRICTIONS:
            value = normalise_number(value)
        if key == "file_types" and isinstance(value, (list, tuple)):
            value = list(value)
        if key == "pattern" and isinstance(value, Mapping):
            value = {"regex": value.get("regex"), "message": _text(value.get("message"))}
        out[key] = value
    return _ordered(out, RESTRICTION_KEYS)


def normalise_options(options: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for option in options:
        if isinstance(option, str):
            out.append({"value": option, "label": option})
        elif isinstance(option, Mapping):
            item = {"value": _text(option.get("value")), "label": _text(option.get("label"))}
            hint = _text(option.get("hint"))
            if hint:
                item["hint"] = hint
            out.append(item)
        else:
            out.append(option)
    return out


def normalise_question(question: Mapping[str, Any]) -> dict[str, Any]:
    """A question in canonical shape: empty texts, defaults and empty restrictions left out."""
    out: dict[str, Any] = {}
    for key, value in question.items():
        value = _text(value)
        if key in ("hint", "error_name", "widget", "prefix", "suffix", "show_if") and not value:
            continue
        if key == "prefill" and value is True:
            continue
        if key == "options":
            if not value:
                continue
            value = normalise_options(value)
        if key == "restrictions":
            value = normalise_restrictions(value) if isinstance(value, Mapping) else value
            if value == {}:
                continue
        out[key] = value
    return _ordered(out, QUESTION_KEYS)


def normalise_repeat(repeat: Mapping[str, Any]) -> dict[str, Any]:
    """Repeat settings as ``canonical.group_to_dict`` writes them (min, labels always; max if set)."""
    out: dict[str, Any] = {"min": repeat.get("min") if repeat.get("min") is not None else 0}
    if repeat.get("max") is not None:
        out["max"] = repeat["max"]
    out["add_another_label"] = _text(repeat.get("add_another_label")) or "Add another"
    out["item_name"] = _text(repeat.get("item_name")) or "item"
    if _text(repeat.get("item_name_plural")):
        out["item_name_plural"] = _text(repeat["item_name_plural"])
    return out


def _normalise_group_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in GROUP_SETTING_KEYS:
        value = _text(settings.get(key))
        if key in ("guidance", "show_if") and not value:
            continue
        if key == "repeat":
            if not value:
                continue
            value = normalise_repeat(value) if isinstance(value, Mapping) else value
        if value is None:
            continue
        out[key] = value
    return out


def _check_part(part: Any, kind: str, path: PathTuple) -> list[Problem]:
    """The published schema's verdict on one part, in the loader's words."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for error in _part_validator(kind).iter_errors(part):
        where = (*path, *error.absolute_path)
        message = _schema_message(error)
        if (format_path(where), message) not in seen:
            seen.add((format_path(where), message))
            problems.append(_problem(where, message, ErrorCode.DEF_SCHEMA))
    return problems


def _check_code_free(definition: Mapping[str, Any], code: Any, path: PathTuple, own: PathTuple | None) -> list[Problem]:
    if not isinstance(code, str):
        return []
    taken = all_codes(definition).get(code)
    if taken is None or taken == own:
        return []
    what = "page" if len(taken) == 2 else "question"
    return [_problem(path, f"code '{code}' is already used by another {what}", ErrorCode.DEF_DUPLICATE_CODE)]


def _fail_if(problems: list[Problem]) -> None:
    """Raise with the problems, each (path, error code) once: our own check and the loader's may agree."""
    kept: dict[tuple[str, ErrorCode], Problem] = {}
    for problem in problems:
        kept.setdefault((problem.path, problem.code), problem)
    if kept:
        raise EditError(list(kept.values()))


# --- a new form and its details -----------------------------------------------------------------------


def new_definition(
    code: str, title: str, *, portal_type: str = "citizen", portal_user_type: str = "parent_or_carer"
) -> Definition:
    """An empty form at version 1, not live, with no pages yet (it cannot be published until it has one)."""
    definition: Definition = {
        "code": _text(code),
        "title": _text(title),
        "version": 1,
        "portal_type": portal_type,
        "portal_user_type": portal_user_type,
        "live": False,
        "groups": [],
    }
    problems = _check_part(definition["code"], "code", ("code",))
    problems += _detail_problems(definition)
    _fail_if(problems)
    return definition


def _detail_problems(definition: Definition) -> list[Problem]:
    keys = [("title", "title"), ("portal_type", "portal_type"), ("portal_user_type", "portal_user_type")]
    keys += [("description", "description"), ("guidance", "guidance")]
    problems = []
    for problem in problems_of(definition):
        path = parse_path(problem.path)
        if path and path[0] in {k for k, _ in keys}:
            problems.append(problem)
    return problems


def change_details(definition: Mapping[str, Any], details: Mapping[str, Any]) -> Definition:
    """Title, portal type, user type, description (for administrators) and guidance (the start page)."""
    out = copy.deepcopy(dict(definition))
    for key in DETAIL_KEYS:
        if key not in details:
            continue
        value = _text(details[key])
        if key in ("description", "guidance") and not value:
            out.pop(key, None)
        else:
            out[key] = value
    out = _ordered(out, FORM_KEYS)
    _fail_if(_detail_problems(out))
    return out


def change_code(definition: Mapping[str, Any], new_code: str) -> Definition:
    """The same form under another code (a clone starts here): version 1, not live."""
    out = copy.deepcopy(dict(definition))
    out.update(code=_text(new_code), version=1, live=False)
    _fail_if(_check_part(out["code"], "code", ("code",)))
    return _ordered(out, FORM_KEYS)


# --- declarations -------------------------------------------------------------------------------------


def _declaration(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {"code": _text(data.get("code")), "text": _text(data.get("text"))}
    if _text(data.get("error_message")):
        out["error_message"] = _text(data["error_message"])
    return out


def declaration_index(definition: Mapping[str, Any], code: str) -> int:
    for index, item in enumerate(definition.get("declarations") or []):
        if isinstance(item, dict) and item.get("code") == code:
            return index
    raise EditError([_problem(("declarations",), f"there is no declaration '{code}'", ErrorCode.DEF_UNKNOWN_REFERENCE)])


def _put_declaration(definition: Mapping[str, Any], data: Mapping[str, Any], index: int | None) -> Definition:
    out = copy.deepcopy(dict(definition))
    declarations = list(out.get("declarations") or [])
    item = _declaration(data)
    position = len(declarations) if index is None else index
    path: PathTuple = ("declarations", position)
    problems = _check_part(item, "declaration", path)
    for i, other in enumerate(declarations):
        if i != index and isinstance(other, dict) and other.get("code") == item["code"]:
            problems.append(
                _problem(
                    (*path, "code"), f"declaration code '{item['code']}' is already used", ErrorCode.DEF_DUPLICATE_CODE
                )
            )
    _fail_if(problems)
    if index is None:
        declarations.append(item)
    else:
        declarations[index] = item
    out["declarations"] = declarations
    return _ordered(out, FORM_KEYS)


def add_declaration(definition: Mapping[str, Any], data: Mapping[str, Any]) -> Definition:
    return _put_declaration(definition, data, None)


def change_declaration(definition: Mapping[str, Any], code: str, data: Mapping[str, Any]) -> Definition:
    return _put_declaration(definition, data, declaration_index(definition, code))


def delete_declaration(definition: Mapping[str, Any], code: str) -> Definition:
    index = declaration_index(definition, code)
    out = copy.deepcopy(dict(definition))
    declarations = list(out["declarations"])
    del declarations[index]
    if declarations:
        out["declarations"] = declarations
    else:
        out.pop("declarations")
    return out


# --- groups (pages) -----------------------------------------------------------------------------------


def _group_problems(definition: Definition, index: int) -> list[Problem]:
    """Problems with a page's own settings, leaving out its questions (checked one by one)."""
    path: PathTuple = ("groups", index)
    group = definition["groups"][index]
    checked = {**group, "questions": [{"code": "x", "label": "x", "type": "text"}]}
    problems = _check_part(checked, "group", path)
    if problems:
        return problems
    return [
        p
        for p in _problems_under(definition, [path], skip=[(*path, "questions")])
        if not (parse_path(p.path) == path and "questions" in p.message)
    ]


def add_group(definition: Mapping[str, Any], settings: Mapping[str, Any]) -> Definition:
    """A new page at the end of the form: code, name, and optionally guidance, show_if and repeat."""
    out = copy.deepcopy(dict(definition))
    groups = list(out.get("groups") or [])
    numbers = [g.get("number") for g in groups if isinstance(g, dict) and isinstance(g.get("number"), int)]
    group = {**_normalise_group_settings(settings), "number": max(numbers, default=0) + 1, "questions": []}
    group = _ordered(group, GROUP_KEYS)
    index = len(groups)
    problems = _check_code_free(out, group.get("code"), ("groups", index, "code"), None)
    groups.append(group)
    out["groups"] = groups
    problems += _group_problems(out, index)
    _fail_if(problems)
    return out


def change_group(
    definition: Mapping[str, Any], group_code: str, settings: Mapping[str, Any], *, locked: Collection[str] = ()
) -> Definition:
    """New settings for a page (its questions stay). A repeating page with answers keeps its code."""
    index = group_index(definition, group_code)
    out = copy.deepcopy(dict(definition))
    old = out["groups"][index]
    new = _ordered(
        {**_normalise_group_settings(settings), "number": old["number"], "questions": old.get("questions", [])},
        GROUP_KEYS,
    )
    path: PathTuple = ("groups", index)
    problems = _check_code_free(out, new.get("code"), (*path, "code"), path)
    if group_code in locked and new.get("code") != group_code:
        problems.append(
            _problem(
                (*path, "code"),
                f"page '{group_code}' has answers in applications, so its code cannot change",
                ErrorCode.DEF_INCOMPATIBLE_CHANGE,
            )
        )
    out["groups"][index] = new
    problems += _group_problems(out, index)
    _fail_if(problems)
    return out


def move_group(definition: Mapping[str, Any], group_code: str, step: int) -> Definition:
    """Move a page one place earlier (``step=-1``) or later (``+1``), swapping page numbers with its neighbour.
    Moving the first page up or the last page down changes nothing."""
    index = group_index(definition, group_code)
    other = index + (1 if step > 0 else -1)
    out = copy.deepcopy(dict(definition))
    groups = out["groups"]
    if not 0 <= other < len(groups):
        return out
    groups[index]["number"], groups[other]["number"] = groups[other]["number"], groups[index]["number"]
    groups[index], groups[other] = groups[other], groups[index]
    return out


def delete_group(definition: Mapping[str, Any], group_code: str) -> Definition:
    """Remove a page and its questions (from the working copy: published versions keep them)."""
    index = group_index(definition, group_code)
    out = copy.deepcopy(dict(definition))
    del out["groups"][index]
    return out


# --- questions ----------------------------------------------------------------------------------------


def _question_problems(definition: Definition, gi: int, qi: int) -> list[Problem]:
    path: PathTuple = ("groups", gi, "questions", qi)
    problems = _check_part(definition["groups"][gi]["questions"][qi], "question", path)
    if problems:
        return problems
    return _problems_under(definition, [path])


def _locked_problems(old: Mapping[str, Any], new: Mapping[str, Any], path: PathTuple) -> list[Problem]:
    code = old.get("code")
    problems = []
    if new.get("code") != code:
        problems.append(
            _problem(
                (*path, "code"),
                f"question '{code}' has answers in applications, so its code cannot change",
                ErrorCode.DEF_INCOMPATIBLE_CHANGE,
            )
        )
    if new.get("type") != old.get("type"):
        problems.append(
            _problem(
                (*path, "type"),
                f"question '{code}' has answers in applications, so its type cannot change from "
                f"{old.get('type')} to {new.get('type')}; add a question with a new code instead",
                ErrorCode.DEF_INCOMPATIBLE_CHANGE,
            )
        )
    kept = {o.get("value") for o in normalise_options(new.get("options") or []) if isinstance(o, Mapping)}
    removed = [
        o.get("value")
        for o in normalise_options(old.get("options") or [])
        if isinstance(o, Mapping) and o.get("value") not in kept
    ]
    if removed and new.get("type") == old.get("type"):
        problems.append(
            _problem(
                (*path, "options"),
                f"question '{code}' has answers in applications, so its options cannot be removed: "
                + ", ".join(str(v) for v in removed),
                ErrorCode.DEF_INCOMPATIBLE_CHANGE,
            )
        )
    return problems


def add_question(definition: Mapping[str, Any], group_code: str, question: Mapping[str, Any]) -> Definition:
    """A new question at the end of a page."""
    gi = group_index(definition, group_code)
    out = copy.deepcopy(dict(definition))
    questions = out["groups"][gi].setdefault("questions", [])
    qi = len(questions)
    item = normalise_question(question)
    problems = _check_code_free(out, item.get("code"), ("groups", gi, "questions", qi, "code"), None)
    questions.append(item)
    problems += _question_problems(out, gi, qi)
    _fail_if(problems)
    return out


def change_question(
    definition: Mapping[str, Any], question_code: str, question: Mapping[str, Any], *, locked: Collection[str] = ()
) -> Definition:
    """Replace a question where it is. A question with answers (``locked``) keeps its code, its type and
    every option value it offered (check_compatible's rules, applied as the administrator types)."""
    gi, qi = question_position(definition, question_code)
    out = copy.deepcopy(dict(definition))
    path: PathTuple = ("groups", gi, "questions", qi)
    old = out["groups"][gi]["questions"][qi]
    item = normalise_question(question)
    problems = _check_code_free(out, item.get("code"), (*path, "code"), path)
    if question_code in locked:
        problems += _locked_problems(old, item, path)
    out["groups"][gi]["questions"][qi] = item
    problems += _question_problems(out, gi, qi)
    _fail_if(problems)
    return out


def move_question(definition: Mapping[str, Any], question_code: str, step: int) -> Definition:
    """Move a question one place up (``-1``) or down (``+1``) on its page; at either end nothing changes."""
    gi, qi = question_position(definition, question_code)
    out = copy.deepcopy(dict(definition))
    questions = out["groups"][gi]["questions"]
    other = qi + (1 if step > 0 else -1)
    if 0 <= other < len(questions):
        questions[qi], questions[other] = questions[other], questions[qi]
    return out


def delete_question(definition: Mapping[str, Any], question_code: str) -> Definition:
    """Remove a question from the working copy; versions already published keep it, and so do answers."""
    gi, qi = question_position(definition, question_code)
    out = copy.deepcopy(dict(definition))
    del out["groups"][gi]["questions"][qi]
    return out


# --- conditions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readable:
    """Something a condition at a given point may read: an earlier question, or count() of a repeating page."""

    code: str
    label: str
    type: str  # the question's data type, or "repeating page"
    expression_type: str  # TEXT, NUMBER, BOOLEAN, DATE, LIST, FILE; NUMBER for count()
    options: tuple[str, ...] = ()
    is_group: bool = False

    @property
    def usage(self) -> str:
        return f"count({self.code})" if self.is_group else self.code


def condition_scope(definition: Mapping[str, Any], group_code: str, question_code: str | None = None) -> list[Readable]:
    """What a question's condition may read: the questions of earlier pages, and the questions above it on
    its own page (``question_code=None``: a new question, at the end of the page).

    Questions inside a repeating page are only readable from later questions of the same page (the same
    item); elsewhere ``count(<page code>)`` gives the number of items.
    """
    readable: list[Readable] = []
    for group in groups_of(definition):
        questions = [q for q in group.get("questions") or [] if isinstance(q, dict)]
        if group.get("code") == group_code:
            for question in questions:
                if question_code is not None and question.get("code") == question_code:
                    break
                readable.append(_readable(question))
            return readable
        readable.extend(_earlier_page(group, questions))
    return readable


def _earlier_page(group: Mapping[str, Any], questions: list[dict[str, Any]]) -> list[Readable]:
    if "repeat" in group:
        return [Readable(group.get("code", ""), group.get("name", ""), "repeating page", "NUMBER", is_group=True)]
    return [_readable(q) for q in questions]


def page_condition_scope(definition: Mapping[str, Any], group_code: str) -> list[Readable]:
    """What a page's own condition may read: the pages before it only."""
    readable: list[Readable] = []
    for group in groups_of(definition):
        if group.get("code") == group_code:
            break
        readable.extend(_earlier_page(group, [q for q in group.get("questions") or [] if isinstance(q, dict)]))
    return readable


def _readable(question: Mapping[str, Any]) -> Readable:
    try:
        expression_type = EXPRESSION_TYPE_NAMES[DataType(question.get("type"))]
    except ValueError:
        expression_type = "NONE"
    options = tuple(o.get("value", "") if isinstance(o, Mapping) else str(o) for o in question.get("options") or [])
    return Readable(
        question.get("code", ""), question.get("label", ""), str(question.get("type", "")), expression_type, options
    )


def _placeholder(definition: Mapping[str, Any], stem: str) -> str:
    codes = all_codes(definition)
    return next(f"{stem}_{n}" for n in range(len(codes) + 2) if f"{stem}_{n}" not in codes)


def check_condition(
    definition: Mapping[str, Any],
    source: str,
    group_code: str | None,
    question_code: str | None = None,
    *,
    new: bool = False,
) -> list[Problem]:
    """The engine's problems with ``source`` as the condition of a page (``question_code=None``) or of a
    question, ``[]`` when it is fine. ``new=True`` checks it for something not added yet: a question at the
    end of the page, or (``group_code=None``) a page at the end of the form."""
    out = copy.deepcopy(dict(definition))
    if new and question_code is None and group_code is None:  # a new page, at the end of the form
        out = {**out, "groups": [*(out.get("groups") or []), {"code": _placeholder(out, "new_page"), "name": "x"}]}
        numbers = [g["number"] for g in groups_of(out) if isinstance(g.get("number"), int)]
        out["groups"][-1]["number"] = max(numbers, default=0) + 1
        gi = len(out["groups"]) - 1
        out["groups"][gi].update(show_if=source, questions=[])
        path: PathTuple = ("groups", gi, "show_if")
        problems = _check_part(source, "expression", path) if isinstance(source, str) else []
        return problems or [p for p in problems_of(out) if parse_path(p.path) == path]
    gi = group_index(out, group_code)
    group = out["groups"][gi]
    if question_code is None and not new:
        path = ("groups", gi, "show_if")
        group["show_if"] = source
        group.setdefault("questions", [])
    else:
        if new:
            group.setdefault("questions", []).append(
                {"code": _placeholder(out, "new_question"), "label": "x", "type": "text"}
            )
            qi = len(group["questions"]) - 1
        else:
            _, qi = question_position(out, question_code or "")
        group["questions"][qi]["show_if"] = source
        path = ("groups", gi, "questions", qi, "show_if")
    problems = _check_part(source, "expression", path) if isinstance(source, str) else []
    if problems:
        return problems
    return [p for p in problems_of(out) if parse_path(p.path) == path]


def references_to(definition: Mapping[str, Any], code: str) -> list[tuple[PathTuple, str]]:
    """Conditions and rules that read ``code`` (a question, or count() of a page): (path, source) each."""
    from formsengine import expressions

    found: list[tuple[PathTuple, str]] = []

    def look(path: PathTuple, source: Any) -> None:
        if not isinstance(source, str):
            return
        try:
            parsed = expressions.parse(source)
        except expressions.ExpressionSyntaxError:
            return
        if code in parsed.references or code in parsed.group_references:
            found.append((path, source))

    for gi, group in enumerate(definition.get("groups") or []):
        if not isinstance(group, dict):
            continue
        look(("groups", gi, "show_if"), group.get("show_if"))
        for qi, question in enumerate(group.get("questions") or []):
            if isinstance(question, dict):
                look(("groups", gi, "questions", qi, "show_if"), question.get("show_if"))
    for ri, rule in enumerate(definition.get("rules") or []):
        if isinstance(rule, dict):
            look(("rules", ri, "check"), rule.get("check"))
            look(("rules", ri, "when"), rule.get("when"))
            if rule.get("question") == code:
                found.append((("rules", ri, "question"), code))
    return found


# --- options ------------------------------------------------------------------------------------------


def code_from_text(text: str, taken: Collection[str] = (), *, limit: int = 40) -> str:
    """A code made from a label ("Child's date of birth" -> ``childs_date_of_birth``), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", text.lower().replace("'", "").replace("\u2019", "")).strip("_")[:limit].strip("_")
    if not base or not base[0].isalpha():
        base = ("q_" + base).strip("_") if base else "question"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}_{number}"
        number += 1
    return candidate


def parse_option_lines(text: str) -> list[dict[str, str]]:
    """Options typed one a line, as ``Label``, ``value | Label`` or ``value | Label | Hint``.

    A bare label gets a value made from it (``Universal Credit`` -> ``universal_credit``), so conditions
    can read it; blank lines are skipped.
    """
    options: list[dict[str, str]] = []
    values: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            label = parts[0]
            value = code_from_text(label, values, limit=100)
            option = {"value": value, "label": label}
        else:
            option = {"value": parts[0], "label": parts[1]}
            if len(parts) > 2 and "|".join(parts[2:]).strip():
                option["hint"] = " | ".join(parts[2:]).strip()
        values.append(option["value"])
        options.append(option)
    return options


def option_lines(options: Iterable[Any]) -> str:
    """The text ``parse_option_lines`` reads back into the same options."""
    lines = []
    for option in normalise_options(options):
        if not isinstance(option, Mapping):
            continue
        line = f"{option.get('value', '')} | {option.get('label', '')}"
        if option.get("hint"):
            line += f" | {option['hint']}"
        lines.append(line)
    return "\n".join(lines)


def option_problems(options: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """The option list on its own (a named list): each value a short text, used once; each has a label."""
    path: PathTuple = ("options",)
    problems = _check_part({"code": "x", "label": "x", "type": "choice", "options": list(options)}, "question", ())
    problems = [Problem(p.file, p.line, p.path, p.message, p.code) for p in problems]
    seen: set[Any] = set()
    for index, option in enumerate(options):
        value = option.get("value")
        if value in seen:
            problems.append(
                _problem((*path, index), f"option value '{value}' is used more than once", ErrorCode.DEF_DUPLICATE_CODE)
            )
        seen.add(value)
    return problems


def valid_code(text: Any) -> bool:
    return isinstance(text, str) and bool(_CODE_RE.match(text))


# --- what changed -------------------------------------------------------------------------------------


def changes_between(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """What differs between two definitions, part by part (for an audit trail): ``{"path", "before",
    "after"}`` each. Pages and questions are matched by code, so moving a question records a new order
    rather than a change to everything after it."""
    before, after = dict(before or {}), dict(after or {})
    changes: list[dict[str, Any]] = []

    def note(path: str, old: Any, new: Any) -> None:
        if old != new:
            changes.append({"path": path, "before": old, "after": new})

    for key in dict.fromkeys([*before, *after]):
        if key != "groups":
            note(key, before.get(key), after.get(key))
    old_groups = {g.get("code"): g for g in groups_of(before)}
    new_groups = {g.get("code"): g for g in groups_of(after)}
    note("groups (order)", list(old_groups), list(new_groups))
    for code in dict.fromkeys([*old_groups, *new_groups]):
        old, new = old_groups.get(code), new_groups.get(code)
        if old is None or new is None:
            note(f"groups.{code}", old, new)
            continue
        note(
            f"groups.{code}",
            {k: v for k, v in old.items() if k not in ("questions", "number")},
            {k: v for k, v in new.items() if k not in ("questions", "number")},
        )
        old_questions = {q.get("code"): q for q in old.get("questions") or [] if isinstance(q, dict)}
        new_questions = {q.get("code"): q for q in new.get("questions") or [] if isinstance(q, dict)}
        note(f"groups.{code}.questions (order)", list(old_questions), list(new_questions))
        for question in dict.fromkeys([*old_questions, *new_questions]):
            note(f"groups.{code}.questions.{question}", old_questions.get(question), new_questions.get(question))
    return changes
