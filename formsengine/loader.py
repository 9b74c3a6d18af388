"""Loading a form definition: text -> checked, immutable ``Form``, or ``DefinitionError`` with every problem.

Three passes, each reporting all it finds:

1. syntax (YAML, or JSON), with duplicate keys;
2. structure, against the published JSON Schema (``schema/form-definition.schema.json``, Draft 2020-12);
3. meaning: unique codes and numbers, restrictions that fit the data type, patterns that compile,
   expressions that parse, name only earlier questions and are well typed, outcome checks that exist.

Pass 3 runs only on a definition that passed 2, because its checks assume the structure. Every problem
names the file, line and path: ``two_year_old_funding.yaml:88: groups[2].questions[1].show_if: form
two_year_old_funding, group 3 'Your benefits', question 'uc_income': unknown question 'uc_claim' in
condition``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from formsengine.errors import DefinitionError, ErrorCode, Problem
from formsengine.model import (
    EXPRESSION_TYPE_NAMES,
    NUMERIC,
    UPLOADS,
    Condition,
    DataType,
    Declaration,
    Form,
    Group,
    Option,
    Pattern,
    Question,
    Repeat,
    Restrictions,
    Rule,
)
from formsengine.source import SourceDocument, SourceSyntaxError, format_path, read_source

MAX_DEFINITION_BYTES = 5_000_000

# Which restrictions make sense for which data types.
_TEXT_TYPES = {DataType.TEXT, DataType.MEMO, DataType.EMAIL, DataType.PHONE}
_APPLIES: dict[str, set[DataType]] = {
    "max_length": _TEXT_TYPES,
    "pattern": {DataType.TEXT, DataType.MEMO, DataType.PHONE},
    "min_value": set(NUMERIC),
    "max_value": set(NUMERIC),
    "decimal_places": {DataType.DECIMAL},
    "in_the_past": {DataType.DATE},
    "in_the_future": {DataType.DATE},
    "before": {DataType.DATE},
    "after": {DataType.DATE},
    "at_least_years_ago": {DataType.DATE},
    "at_most_years_ago": {DataType.DATE},
    "file_types": set(UPLOADS),
}
_WIDGETS = {DataType.CHOICE: {"radios", "select"}, DataType.MULTIPLE_CHOICE: {"checkboxes"}}


@functools.cache
def definition_schema() -> dict[str, Any]:
    """The published JSON Schema for form definitions."""
    text = resources.files("formsengine").joinpath("schema/form-definition.schema.json").read_text("utf-8")
    return json.loads(text)


@functools.cache
def _part_validator(definition: str) -> jsonschema.Draft202012Validator:
    """A validator for one part of a definition: "question", "group", "code", "rule", "declaration"."""
    schema = definition_schema()
    parts = {
        "rule": schema["properties"]["rules"]["items"],
        "declaration": schema["properties"]["declarations"]["items"],
    }
    target = parts.get(definition, {"$ref": f"#/$defs/{definition}"})
    return jsonschema.Draft202012Validator(
        {"$defs": schema["$defs"], **target}, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        definition_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def load_definition_file(path: str | Path) -> Form:
    """Load and check the definition in ``path`` (YAML, or JSON). Raises ``DefinitionError``."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DefinitionError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"cannot read the file: {exc.strerror or exc}",
                    ErrorCode.DEF_FILE_UNREADABLE,
                )
            ]
        ) from None
    if len(raw) > MAX_DEFINITION_BYTES:
        raise DefinitionError(
            [Problem(name, None, "", "the file is larger than 5 MB", ErrorCode.DEF_FILE_UNREADABLE)]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DefinitionError(
            [Problem(name, None, "", f"the file is not UTF-8 text ({exc.reason})", ErrorCode.DEF_SYNTAX)]
        ) from None
    return load_definition_text(text, name)


def load_definition_text(text: str, source_name: str = "<string>") -> Form:
    """Load and check a definition held in ``text``; ``source_name`` names it in problems."""
    return _Builder(text, source_name).build()


def check_definition_files(paths: Sequence[str | Path]) -> list[Problem]:
    """Every problem in every file (for the command line and CI); ``[]`` when all are valid."""
    problems: list[Problem] = []
    for path in paths:
        try:
            load_definition_file(path)
        except DefinitionError as exc:
            problems.extend(exc.problems)
    return problems


def form_from_dict(data: Mapping[str, Any], source_name: str = "<dict>") -> Form:
    """Build a ``Form`` from already-parsed definition data (e.g. ``Form.to_dict()`` output)."""
    return _Builder(None, source_name, data=data).build()


class _Builder:
    def __init__(self, text: str | None, source_name: str, data: Any = None):
        self.text = text
        self.file = source_name
        self.document = SourceDocument(data=data)
        self.problems: list[Problem] = []
        self.form_code = "?"

    # --- reporting ---------------------------------------------------------------------------------
    def problem(self, path: Sequence[str | int], message: str, code: ErrorCode) -> None:
        self.problems.append(
            Problem(
                self.file,
                self.document.line_for(path),
                format_path(path),
                self._context(path) + message,
                code,
            )
        )

    def _context(self, path: Sequence[str | int]) -> str:
        data = self.document.data
        parts = [f"form {self.form_code}"]
        if len(path) >= 2 and path[0] == "groups" and isinstance(path[1], int):
            try:
                group = data["groups"][path[1]]
                parts.append(f"group {group.get('number', path[1] + 1)} '{group.get('name', '')}'")
                if len(path) >= 4 and path[2] == "questions" and isinstance(path[3], int):
                    parts.append(f"question '{group['questions'][path[3]].get('code', path[3])}'")
            except (KeyError, IndexError, TypeError, AttributeError):
                pass
        elif len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
                parts.append(f"rule '{data['rules'][path[1]].get('code', path[1])}'")
        return ", ".join(parts) + ": "

    def fail_if_problems(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: (p.line or 0, p.path))
            raise DefinitionError(self.problems)

    # --- passes ------------------------------------------------------------------------------------
    def build(self) -> Form:
        if self.text is not None:
            try:
                self.document = read_source(self.text)
            except SourceSyntaxError as exc:
                raise DefinitionError(
                    [
                        Problem(
                            self.file, exc.line, "", f"YAML syntax error: {exc.message}", ErrorCode.DEF_SYNTAX
                        )
                    ]
                ) from None
        data = self.document.data
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            self.form_code = data["code"]
        for path, line in self.document.duplicate_keys:
            self.problems.append(
                Problem(
                    self.file,
                    line,
                    format_path(path),
                    self._context(path) + f"'{path[-1]}' is given more than once",
                    ErrorCode.DEF_DUPLICATE_KEY,
                )
            )
        schema_problems = len(self.problems)
        self._check_schema(data)
        if len(self.problems) == schema_problems and not self.document.duplicate_keys:
            form = self._build_form(data)
            self.fail_if_problems()
            return form
        # The structure is wrong somewhere: still check the meaning of the parts that are well formed, so
        # an administrator sees every problem at once. Malformed parts are left out (as None, keeping
        # list positions so paths stay right) and conditions reading them are not checked.
        if isinstance(data, dict):
            self.broken: set[str] = set()
            cleaned = self._well_formed_parts(data)
            # Best effort: the structural problems are already reported.
            with contextlib.suppress(Exception):
                self._build_form(cleaned)
        self.fail_if_problems()
        raise AssertionError("unreachable: problems were found")  # pragma: no cover

    def _well_formed_parts(self, data: dict[str, Any]) -> dict[str, Any]:
        def valid(item: Any, definition: str) -> bool:
            try:
                return _part_validator(definition).is_valid(item)
            except RecursionError:
                return False

        def code_of(item: Any) -> None:
            if isinstance(item, dict) and isinstance(item.get("code"), str):
                self.broken.add(item["code"])

        cleaned: dict[str, Any] = {
            "code": data["code"] if valid(data.get("code"), "code") else "?",
            "title": "?",
            "version": 1,
            "groups": [],
        }
        groups = data.get("groups") if isinstance(data.get("groups"), list) else []
        for group in groups:
            if not isinstance(group, dict):
                cleaned["groups"].append(None)
                continue
            questions = group.get("questions") if isinstance(group.get("questions"), list) else []
            kept_questions = []
            for question in questions:
                if valid(question, "question"):
                    kept_questions.append(question)
                else:
                    kept_questions.append(None)
                    code_of(question)
            candidate = {**group, "questions": [q for q in kept_questions if q is not None] or [{}]}
            if valid({**candidate, "questions": [{"code": "x", "label": "x", "type": "text"}]}, "group"):
                cleaned["groups"].append({**group, "questions": kept_questions})
            else:
                cleaned["groups"].append(None)
                code_of(group)
                for question in kept_questions:
                    code_of(question)
        for key, definition in (("rules", "rule"), ("declarations", "declaration")):
            items = data.get(key)
            if isinstance(items, list):
                cleaned[key] = [item if valid(item, definition) else None for item in items]
        checks = data.get("outcome_checks")
        if isinstance(checks, list):
            cleaned["outcome_checks"] = [c for c in checks if valid(c, "code")]
        return cleaned

    def _check_schema(self, data: Any) -> None:
        if not isinstance(data, dict):
            self.problem(
                (),
                "a form definition must be a mapping with code, title, version and groups",
                ErrorCode.DEF_SCHEMA,
            )
            return
        try:
            errors = list(_validator().iter_errors(data))
        except RecursionError:
            self.problem((), "the definition is nested too deeply", ErrorCode.DEF_SCHEMA)
            return
        seen: set[tuple[str, str]] = set()
        for error in errors:
            path = tuple(error.absolute_path)
            message = _schema_message(error)
            key = (format_path(path), message)
            if key not in seen:
                seen.add(key)
                self.problem(path, message, ErrorCode.DEF_SCHEMA)

    # --- building ----------------------------------------------------------------------------------
    def _build_form(self, data: dict[str, Any]) -> Form:
        groups_data = sorted(
            ((i, g) for i, g in enumerate(data["groups"]) if g is not None),
            key=lambda pair: pair[1]["number"],
        )
        self._check_unique_codes(data)
        scope = _Scope()
        scope.broken = getattr(self, "broken", set())
        scope.later.update(q["code"] for _, g in groups_data for q in g["questions"] if q is not None)
        groups: list[Group] = []
        for index, group_data in groups_data:
            groups.append(self._build_group(("groups", index), group_data, scope))
        rules = tuple(
            self._build_rule(("rules", i), rule, scope)
            for i, rule in enumerate(data.get("rules", []))
            if rule is not None
        )
        declarations = tuple(
            Declaration(d["code"], d["text"], d.get("error_message", ""))
            for d in data.get("declarations", [])
            if d is not None
        )
        self._check_unique(
            [("declarations", i, "code") for i in range(len(declarations))],
            [d.code for d in declarations],
            "declaration code",
        )
        self._check_unique(
            [("rules", i, "code") for i in range(len(rules))], [r.code for r in rules], "rule code"
        )
        outcome_checks = tuple(data.get("outcome_checks", []))
        if outcome_checks:
            from formsengine.outcomes import available_checks

            available = available_checks()
            for i, name in enumerate(outcome_checks):
                if name not in available:
                    installed = ", ".join(sorted(available)) or "none"
                    self.problem(
                        ("outcome_checks", i),
                        f"outcome check '{name}' is not available (installed: {installed})",
                        ErrorCode.DEF_UNKNOWN_OUTCOME,
                    )
        return Form(
            code=data["code"],
            title=data["title"],
            version=data["version"],
            groups=tuple(groups),
            portal_type=data.get("portal_type", "citizen"),
            portal_user_type=data.get("portal_user_type", "parent_or_carer"),
            live=data.get("live", False),
            description=data.get("description", ""),
            guidance=data.get("guidance", ""),
            declarations=declarations,
            outcome_checks=outcome_checks,
            rules=rules,
        )

    def _check_unique(self, paths: list[tuple[str | int, ...]], values: list[Any], what: str) -> None:
        first: dict[Any, tuple[str | int, ...]] = {}
        for path, value in zip(paths, values, strict=True):
            if value in first:
                line = self.document.line_for(first[value])
                where = f" (first used on line {line})" if line else ""
                self.problem(
                    path, f"{what} '{value}' is used more than once{where}", ErrorCode.DEF_DUPLICATE_CODE
                )
            else:
                first[value] = path

    def _check_unique_codes(self, data: dict[str, Any]) -> None:
        # Group and question codes share one namespace: answers for a repeating group live under its code.
        paths: list[tuple[str | int, ...]] = []
        codes: list[str] = []
        numbers_paths: list[tuple[str | int, ...]] = []
        numbers: list[int] = []
        for gi, group in enumerate(data["groups"]):
            if group is None:
                continue
            paths.append(("groups", gi, "code"))
            codes.append(group["code"])
            numbers_paths.append(("groups", gi, "number"))
            numbers.append(group["number"])
            for qi, question in enumerate(group["questions"]):
                if question is None:
                    continue
                paths.append(("groups", gi, "questions", qi, "code"))
                codes.append(question["code"])
        self._check_unique(paths, codes, "code")
        first: dict[int, tuple[str | int, ...]] = {}
        for path, number in zip(numbers_paths, numbers, strict=True):
            if number in first:
                self.problem(
                    path, f"group number {number} is used more than once", ErrorCode.DEF_DUPLICATE_NUMBER
                )
            else:
                first[number] = path

    def _build_group(self, path: tuple[str | int, ...], data: dict[str, Any], scope: _Scope) -> Group:
        repeat = None
        if "repeat" in data:
            r = data["repeat"]
            repeat = Repeat(
                min_items=r.get("min", 0),
                max_items=r.get("max"),
                add_another_label=r.get("add_another_label", "Add another"),
                item_name=r.get("item_name", "item"),
                item_name_plural=r.get("item_name_plural", ""),
            )
            if repeat.max_items is not None and repeat.min_items > repeat.max_items:
                self.problem(
                    (*path, "repeat"),
                    f"min ({repeat.min_items}) is more than max ({repeat.max_items})",
                    ErrorCode.DEF_BAD_RESTRICTION,
                )
        show_if = None
        if "show_if" in data:
            # A page's condition reads answers from earlier pages only.
            show_if = self._condition((*path, "show_if"), data["show_if"], scope, "condition", inner=None)
        inner = _Scope(parent=scope) if repeat is not None else None
        questions = []
        for qi, question_data in enumerate(data["questions"]):
            if question_data is None:
                continue
            question = self._build_question((*path, "questions", qi), question_data, scope, inner)
            questions.append(question)
            if repeat is not None and question.restrictions.inherit_multiple:
                self.problem(
                    (*path, "questions", qi, "restrictions", "inherit_multiple"),
                    "an answer that can be inherited multiple times cannot be in a repeating group",
                    ErrorCode.DEF_BAD_RESTRICTION,
                )
            if inner is not None:
                inner.add(question, data["code"])
            else:
                scope.add(question, None)
        group = Group(
            code=data["code"],
            number=data["number"],
            name=data["name"],
            questions=tuple(questions),
            guidance=data.get("guidance", ""),
            show_if=show_if,
            repeat=repeat,
        )
        if repeat is not None:
            for question in questions:
                scope.add_hidden(question.code, group.code)
            scope.repeating_groups.append(group.code)
        return group

    def _build_question(
        self, path: tuple[str | int, ...], data: dict[str, Any], scope: _Scope, inner: _Scope | None
    ) -> Question:
        data_type = DataType(data["type"])
        options: list[Option] = []
        for option in data.get("options", []):
            if isinstance(option, str):
                options.append(Option(option, option))
            else:
                options.append(Option(option["value"], option["label"], option.get("hint", "")))
        self._check_unique(
            [(*path, "options", i) for i in range(len(options))], [o.value for o in options], "option value"
        )
        widget = data.get("widget", "")
        if widget and widget not in _WIDGETS.get(data_type, set()):
            self.problem(
                (*path, "widget"),
                f"widget '{widget}' does not fit a {data_type.value} question",
                ErrorCode.DEF_BAD_RESTRICTION,
            )
        restrictions = self._build_restrictions(
            (*path, "restrictions"), data.get("restrictions", {}), data_type
        )
        show_if = None
        if "show_if" in data:
            show_if = self._condition(
                (*path, "show_if"), data["show_if"], inner or scope, "condition", inner=inner
            )
        return Question(
            code=data["code"],
            label=data["label"],
            type=data_type,
            hint=data.get("hint", ""),
            error_name=data.get("error_name", ""),
            options=tuple(options),
            widget=widget,
            prefix=data.get("prefix", ""),
            suffix=data.get("suffix", ""),
            restrictions=restrictions,
            show_if=show_if,
            prefill=data.get("prefill", True),
        )

    def _build_restrictions(
        self, path: tuple[str | int, ...], data: dict[str, Any], data_type: DataType
    ) -> Restrictions:
        for key in data:
            allowed = _APPLIES.get(key)
            if allowed is not None and data_type not in allowed:
                self.problem(
                    (*path, key),
                    f"'{key}' does not apply to a {data_type.value} question",
                    ErrorCode.DEF_BAD_RESTRICTION,
                )
        min_value = _decimal(data.get("min_value"))
        max_value = _decimal(data.get("max_value"))
        if min_value is not None and max_value is not None and min_value > max_value:
            self.problem(
                (*path, "min_value"),
                f"min_value ({min_value}) is more than max_value ({max_value})",
                ErrorCode.DEF_BAD_RESTRICTION,
            )
        before = date.fromisoformat(data["before"]) if "before" in data else None
        after = date.fromisoformat(data["after"]) if "after" in data else None
        if before is not None and after is not None and after >= before:
            self.problem(
                (*path, "after"),
                f"no date is both after {after} and before {before}",
                ErrorCode.DEF_BAD_RESTRICTION,
            )
        if data.get("in_the_past") and data.get("in_the_future"):
            self.problem(
                (*path, "in_the_future"),
                "a date cannot be both in the past and in the future",
                ErrorCode.DEF_BAD_RESTRICTION,
            )
        least, most = data.get("at_least_years_ago"), data.get("at_most_years_ago")
        if least is not None and most is not None and least > most:
            self.problem(
                (*path, "at_least_years_ago"),
                f"at_least_years_ago ({least}) is more than at_most_years_ago ({most})",
                ErrorCode.DEF_BAD_RESTRICTION,
            )
        pattern = None
        if "pattern" in data:
            pattern = Pattern(data["pattern"]["regex"], data["pattern"]["message"])
            try:
                re.compile(pattern.regex)
            except (re.error, RecursionError, OverflowError) as exc:
                self.problem(
                    (*path, "pattern", "regex"),
                    f"the pattern is not a valid regular expression: {exc}",
                    ErrorCode.DEF_BAD_PATTERN,
                )
        return Restrictions(
            mandatory=data.get("mandatory", False),
            max_length=data.get("max_length"),
            min_value=min_value,
            max_value=max_value,
            decimal_places=data.get("decimal_places"),
            in_the_past=data.get("in_the_past", False),
            in_the_future=data.get("in_the_future", False),
            before=before,
            after=after,
            at_least_years_ago=least,
            at_most_years_ago=most,
            pattern=pattern,
            file_types=tuple(data.get("file_types", ())),
            on_child_record=data.get("on_child_record", False),
            inherit_multiple=data.get("inherit_multiple", False),
        )

    def _build_rule(self, path: tuple[str | int, ...], data: dict[str, Any], scope: _Scope) -> Rule:
        question_code = data["question"]
        if question_code not in scope.types:
            if question_code in scope.hidden:
                self.problem(
                    (*path, "question"),
                    f"question '{question_code}' is inside repeating group "
                    f"'{scope.hidden[question_code]}'; a rule can only point at other questions",
                    ErrorCode.DEF_UNKNOWN_REFERENCE,
                )
            else:
                self.problem(
                    (*path, "question"),
                    f"unknown question '{question_code}'",
                    ErrorCode.DEF_UNKNOWN_REFERENCE,
                )
        check = self._condition((*path, "check"), data["check"], scope, "rule", inner=None)
        when = (
            self._condition((*path, "when"), data["when"], scope, "rule", inner=None)
            if "when" in data
            else None
        )
        return Rule(
            code=data["code"], check=check, message=data["message"], question=question_code, when=when
        )

    def _condition(
        self, path: tuple[str | int, ...], source: str, scope: _Scope, what: str, inner: _Scope | None
    ) -> Condition:
        from formsengine import expressions

        try:
            compiled = expressions.parse(source)
        except expressions.ExpressionSyntaxError as exc:
            column = getattr(exc, "column", None)
            where = (
                f" at column {column}" if column and "column" not in str(getattr(exc, "message", "")) else ""
            )
            reason = getattr(exc, "message", None) or str(exc)
            self.problem(
                path, f"cannot read the {what} '{source}'{where}: {reason}", ErrorCode.DEF_EXPRESSION_SYNTAX
            )
            return Condition(source, None)
        condition = Condition(source, compiled)
        if (condition.references | condition.group_references) & scope.broken:
            return condition  # it reads a malformed question, already reported
        reference_problems = False
        for name in sorted(condition.references):
            if name in scope.types:
                continue
            reference_problems = True
            if name in scope.hidden:
                self.problem(
                    path,
                    f"the {what} reads '{name}', which is inside repeating group "
                    f"'{scope.hidden[name]}'; use count({scope.hidden[name]}) instead",
                    ErrorCode.DEF_REFERENCE_ORDER,
                )
            elif name in scope.later:
                self.problem(
                    path,
                    f"the {what} reads '{name}', which is not asked before it; "
                    "a condition can only read earlier answers",
                    ErrorCode.DEF_REFERENCE_ORDER,
                )
            else:
                self.problem(path, f"unknown question '{name}' in {what}", ErrorCode.DEF_UNKNOWN_REFERENCE)
        for name in sorted(condition.group_references):
            if name not in scope.repeating_group_codes:
                reference_problems = True
                self.problem(
                    path,
                    f"count({name}) needs an earlier repeating group '{name}'",
                    ErrorCode.DEF_UNKNOWN_REFERENCE,
                )
        if reference_problems:
            return condition
        types = {code: getattr(expressions.Type, type_name) for code, type_name in scope.types.items()}
        group_codes = scope.repeating_group_codes
        try:
            errors = list(compiled.check(types, group_codes))
            result_type = None if errors else compiled.result_type(types, group_codes)
        except Exception as exc:  # check() promises not to raise; a definition must never crash the loader
            errors = [f"cannot check the expression: {exc}"]
            result_type = None
        for message in errors:
            self.problem(path, f"{message} in {what} '{source}'", ErrorCode.DEF_EXPRESSION_TYPE)
        if not errors:
            self._check_option_literals(path, condition, scope, what)
        if result_type is not None and result_type is not expressions.Type.BOOLEAN:
            type_name = getattr(result_type, "name", str(result_type)).lower()
            self.problem(
                path,
                f"the {what} '{source}' must be true or false, not {type_name}",
                ErrorCode.DEF_EXPRESSION_TYPE,
            )
        return condition

    def _check_option_literals(
        self, path: tuple[str | int, ...], condition: Condition, scope: _Scope, what: str
    ) -> None:
        """``benefit = 'universal_credt'`` type-checks (text = text) but can never hold: catch the typo."""
        try:
            from formsengine.expressions.nodes import Answer, Binary, Literal, walk

            nodes = [node for node, _depth in walk(condition.compiled.tree)]
        except (ImportError, AttributeError):  # the expression module's tree is an implementation detail
            return
        for node in nodes:
            if not isinstance(node, Binary) or node.operator not in ("=", "!=", "==", "in", "not in"):
                continue
            for answer, literal in ((node.left, node.right), (node.right, node.left)):
                if not isinstance(answer, Answer) or not isinstance(literal, Literal):
                    continue
                options = scope.options.get(answer.code)
                if options is None:
                    continue
                values = literal.value if isinstance(literal.value, (tuple, list)) else (literal.value,)
                for value in values:
                    if isinstance(value, str) and value not in options:
                        self.problem(
                            path,
                            f"'{value}' is not an option of question '{answer.code}' in {what} "
                            f"'{condition.source}' (options: {', '.join(sorted(options))})",
                            ErrorCode.DEF_UNKNOWN_REFERENCE,
                        )


class _Scope:
    """Questions an expression may read at a point in the definition.

    ``types`` maps question code -> expression type name for questions already asked (outside repeating
    groups, plus, inside a repeating group, the same item's earlier questions). ``hidden`` maps codes of
    questions inside repeating groups to the group. ``later`` holds every code in the form, so a reference
    to a question that exists but comes later gets its own message.
    """

    def __init__(self, parent: _Scope | None = None):
        self.parent = parent
        self.types: dict[str, str] = dict(parent.types) if parent else {}
        self.hidden: dict[str, str] = parent.hidden if parent else {}
        self.later: set[str] = parent.later if parent else set()
        self.repeating_groups: list[str] = parent.repeating_groups if parent else []
        self.broken: set[str] = parent.broken if parent else set()
        self.options: dict[str, set[str]] = dict(parent.options) if parent else {}

    @property
    def repeating_group_codes(self) -> Collection[str]:
        return tuple(self.repeating_groups)

    def add(self, question: Question, group_code: str | None) -> None:
        self.types[question.code] = EXPRESSION_TYPE_NAMES[question.type]
        if question.options:
            self.options[question.code] = {option.value for option in question.options}

    def add_hidden(self, code: str, group_code: str) -> None:
        self.hidden[code] = group_code


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _schema_message(error: jsonschema.ValidationError) -> str:
    """A jsonschema error in words an administrator can act on."""
    kind = error.validator
    value = error.validator_value
    instance = error.instance
    if kind == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return f"'{missing[0] if missing else value}' is missing"
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {})
        extras = sorted(str(k) for k in instance if k not in known)
        allowed = ", ".join(sorted(known))
        return f"unexpected key {', '.join(repr(e) for e in extras)} (allowed: {allowed})"
    if kind == "enum":
        where = error.absolute_path[-1] if error.absolute_path else "value"
        choices = ", ".join(str(v) for v in value)
        return f"unknown {where} {_short(instance)}; use one of: {choices}"
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        return f"must be {' or '.join(_TYPE_WORDS.get(w, w) for w in wanted)}, not {_short(instance)}"
    if kind == "pattern":
        if value == "^[a-z][a-z0-9_]{0,62}$":
            return (
                f"{_short(instance)} is not a valid code: use lower case letters, digits and underscores, "
                "starting with a letter (at most 63 characters)"
            )
        return f"{_short(instance)} is not in the expected format"
    if kind == "format":
        return f"{_short(instance)} is not a real date in the form YYYY-MM-DD"
    if kind in ("minItems", "minLength") and value == 1:
        return "must not be empty"
    if kind == "minItems":
        return f"must have at least {value} items"
    if kind == "maxLength":
        return f"must be {value} characters or fewer"
    if kind == "minLength":
        return f"must be at least {value} characters"
    if kind == "minimum":
        return f"must be {value} or more, not {_short(instance)}"
    if kind == "maximum":
        return f"must be {value} or less, not {_short(instance)}"
    if kind == "uniqueItems":
        return "has the same item more than once"
    if kind == "oneOf":
        return f"{_short(instance)}: an option must be text, or a mapping with a value and a label"
    if kind == "not":
        return "options are only allowed on choice and multiple_choice questions"
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
