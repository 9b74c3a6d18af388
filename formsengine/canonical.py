"""``Form`` -> the definition it came from, in canonical shape (defaults left out, JSON-safe).

Loading ``form_to_dict(form)`` gives an equal ``Form``; an admin form builder can export YAML from it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from formsengine.model import Form, Group, Question, Restrictions


def _number(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


def restrictions_to_dict(restrictions: Restrictions) -> dict[str, Any]:
    out: dict[str, Any] = {}
    r = restrictions
    if r.mandatory:
        out["mandatory"] = True
    if r.max_length is not None:
        out["max_length"] = r.max_length
    if r.min_value is not None:
        out["min_value"] = _number(r.min_value)
    if r.max_value is not None:
        out["max_value"] = _number(r.max_value)
    if r.decimal_places is not None:
        out["decimal_places"] = r.decimal_places
    if r.in_the_past:
        out["in_the_past"] = True
    if r.in_the_future:
        out["in_the_future"] = True
    if r.before is not None:
        out["before"] = r.before.isoformat()
    if r.after is not None:
        out["after"] = r.after.isoformat()
    if r.at_least_years_ago is not None:
        out["at_least_years_ago"] = r.at_least_years_ago
    if r.at_most_years_ago is not None:
        out["at_most_years_ago"] = r.at_most_years_ago
    if r.pattern is not None:
        out["pattern"] = {"regex": r.pattern.regex, "message": r.pattern.message}
    if r.file_types:
        out["file_types"] = list(r.file_types)
    if r.on_child_record:
        out["on_child_record"] = True
    if r.inherit_multiple:
        out["inherit_multiple"] = True
    return out


def question_to_dict(question: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"code": question.code, "label": question.label, "type": question.type.value}
    if question.hint:
        out["hint"] = question.hint
    if question.error_name:
        out["error_name"] = question.error_name
    if question.options:
        out["options"] = [
            {"value": o.value, "label": o.label, **({"hint": o.hint} if o.hint else {})}
            for o in question.options
        ]
    if question.widget:
        out["widget"] = question.widget
    if question.prefix:
        out["prefix"] = question.prefix
    if question.suffix:
        out["suffix"] = question.suffix
    if question.show_if is not None:
        out["show_if"] = question.show_if.source
    if not question.prefill:
        out["prefill"] = False
    restrictions = restrictions_to_dict(question.restrictions)
    if restrictions:
        out["restrictions"] = restrictions
    return out


def group_to_dict(group: Group) -> dict[str, Any]:
    out: dict[str, Any] = {"code": group.code, "number": group.number, "name": group.name}
    if group.guidance:
        out["guidance"] = group.guidance
    if group.show_if is not None:
        out["show_if"] = group.show_if.source
    if group.repeat is not None:
        repeat: dict[str, Any] = {"min": group.repeat.min_items}
        if group.repeat.max_items is not None:
            repeat["max"] = group.repeat.max_items
        repeat["add_another_label"] = group.repeat.add_another_label
        repeat["item_name"] = group.repeat.item_name
        if group.repeat.item_name_plural:
            repeat["item_name_plural"] = group.repeat.item_name_plural
        out["repeat"] = repeat
    out["questions"] = [question_to_dict(q) for q in group.questions]
    return out


def form_to_dict(form: Form) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": form.code,
        "title": form.title,
        "version": form.version,
        "portal_type": form.portal_type,
        "portal_user_type": form.portal_user_type,
        "live": form.live,
    }
    if form.description:
        out["description"] = form.description
    if form.guidance:
        out["guidance"] = form.guidance
    if form.outcome_checks:
        out["outcome_checks"] = list(form.outcome_checks)
    if form.declarations:
        out["declarations"] = [
            {
                "code": d.code,
                "text": d.text,
                **({"error_message": d.error_message} if d.error_message else {}),
            }
            for d in form.declarations
        ]
    if form.rules:
        rules = []
        for rule in form.rules:
            item: dict[str, Any] = {"code": rule.code, "check": rule.check.source}
            if rule.when is not None:
                item["when"] = rule.when.source
            item["message"] = rule.message
            item["question"] = rule.question
            rules.append(item)
        out["rules"] = rules
    out["groups"] = [group_to_dict(g) for g in form.groups]
    return out
