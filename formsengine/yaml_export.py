"""A definition dict -> YAML text that ``load_definition_text`` reads back to the same definition.

For people as well as machines: keys in the order the shipped definitions use (code and title first,
pages before rules and declarations; a question's code, label and type first), texts with line breaks as
literal blocks (``|``) and long texts folded (``>``), no anchors or aliases (the loader refuses them),
and strings the definition loader would read as something else quoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

# The order a person reads a definition in (the shipped files use it).
_FORM_ORDER = (
    "code",
    "title",
    "version",
    "portal_type",
    "portal_user_type",
    "live",
    "description",
    "guidance",
    "outcome_checks",
    "groups",
    "rules",
    "declarations",
)
_GROUP_ORDER = ("code", "number", "name", "guidance", "show_if", "repeat", "questions")
_QUESTION_ORDER = (
    "code",
    "label",
    "type",
    "hint",
    "error_name",
    "widget",
    "options",
    "prefix",
    "suffix",
    "show_if",
    "prefill",
    "restrictions",
)
_RULE_ORDER = ("code", "check", "when", "message", "question")

LONG_TEXT = 88  # longer single-line texts are folded over several lines
HEADER = "# Exported from the form builder. Check it with: python -m formsengine check <this file>\n"


class _Dumper(yaml.SafeDumper):
    """SafeDumper with indented lists and without anchors (the same object twice is written twice)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None
    if "\n" in text:
        style = "|"
    elif len(text) > LONG_TEXT:
        style = ">"
    # The emitter falls back to a quoted style by itself when a block style cannot hold the text exactly.
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def _ordered(data: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    out = {key: data[key] for key in order if key in data}
    out.update({key: value for key, value in data.items() if key not in out})
    return out


def _arranged(definition: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered(definition, _FORM_ORDER)
    if isinstance(out.get("groups"), list):
        groups = []
        for group in out["groups"]:
            if isinstance(group, Mapping):
                group = _ordered(group, _GROUP_ORDER)
                if isinstance(group.get("questions"), list):
                    group["questions"] = [
                        _ordered(q, _QUESTION_ORDER) if isinstance(q, Mapping) else q for q in group["questions"]
                    ]
            groups.append(group)
        out["groups"] = groups
    if isinstance(out.get("rules"), list):
        out["rules"] = [_ordered(r, _RULE_ORDER) if isinstance(r, Mapping) else r for r in out["rules"]]
    return out


def definition_to_yaml(definition: Mapping[str, Any], *, header: bool = True) -> str:
    """The YAML text of a definition (as ``Form.to_dict()`` or the form builder's working copy give it)."""
    body = yaml.dump(
        _arranged(definition),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    return (HEADER if header else "") + body
