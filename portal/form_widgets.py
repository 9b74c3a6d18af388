"""Turning formsengine questions into GOV.UK Frontend macro parameters.

The parents' form runner and amend pages (citizen_portal) and the form builder's preview (admin) show
questions through here, so a preview looks exactly like the real thing.

Each question of a page becomes ``(macro name, params)``; the template calls the matching GOV.UK
macro. Field names and ids are the ones formsengine reads and links its errors to
(``formsengine.field_ids``), so the error summary's links land on the right input.

formsengine words its errors in English; ``error_text`` words them again in the reader's language, from
the catalogue (the engine marks its message templates with ``N_``) and with dates written in that language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from formsengine import DataType, FieldError, Question
from formsengine.errors import Wording

from .dates import long_date

INPUT_TYPES = {
    DataType.EMAIL: {"type": "email", "autocomplete": "email", "spellcheck": False},
    DataType.PHONE: {"type": "tel", "autocomplete": "tel", "classes": "govuk-input--width-20"},
    DataType.POSTCODE: {"autocomplete": "postal-code", "classes": "govuk-input--width-10"},
    DataType.NI_NUMBER: {"classes": "govuk-input--width-10", "spellcheck": False},
    DataType.INTEGER: {"inputmode": "numeric", "classes": "govuk-input--width-5", "spellcheck": False},
    DataType.DECIMAL: {"inputmode": "decimal", "classes": "govuk-input--width-10", "spellcheck": False},
}


def in_page_language(wording: Wording) -> str:
    """formsengine's own words (a message, a yes or no, a date) in the language of the page."""
    return wording.render(gettext, long_date)


def error_text(error: FieldError) -> str:
    """A formsengine error in the language of the page."""
    return error.text(gettext, long_date)


@dataclass(frozen=True)
class Widget:
    macro: str  # input, textarea, radios, checkboxes, select, date, file
    params: dict[str, Any]


def _first(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if isinstance(v, str)), "")
    return value if isinstance(value, str) else ""


def _many(raw: Mapping[str, Any], name: str) -> list[str]:
    value = raw.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def widget_for(
    question: Question,
    raw: Mapping[str, Any],
    error: FieldError | None,
    *,
    only_question: bool = False,
    current_file: str | None = None,
) -> Widget:
    """The GOV.UK component for ``question`` showing ``raw`` (the page's fields) and its error."""
    code = question.code
    label_classes = "govuk-label--l" if only_question else "govuk-label--s"
    legend_classes = "govuk-fieldset__legend--l" if only_question else "govuk-fieldset__legend--s"
    common: dict[str, Any] = {}
    if question.hint:
        common["hint"] = {"text": question.hint}
    if error is not None:
        common["errorMessage"] = {"text": error_text(error)}
    label = {"text": question.label, "classes": label_classes, "isPageHeading": only_question}
    legend = {"text": question.label, "classes": legend_classes, "isPageHeading": only_question}
    t = question.type

    if t is DataType.DATE:
        wrong = error.field.rpartition("-")[2] if error is not None else ""
        part_labels = {"day": gettext("Day"), "month": gettext("Month"), "year": gettext("Year")}
        items = []
        for part, width in (("day", 2), ("month", 2), ("year", 4)):
            classes = f"govuk-input--width-{width}"
            if error is not None and (not wrong or wrong in (part, code)):
                classes += " govuk-input--error"
            items.append(
                {
                    "id": f"{code}-{part}",
                    "name": f"{code}-{part}",
                    "label": part_labels[part],
                    "value": _first(raw, f"{code}-{part}"),
                    "classes": classes,
                    "inputmode": "numeric",
                }
            )
        return Widget("date", {"id": code, "items": items, "fieldset": {"legend": legend}, **common})

    if t in (DataType.FILE, DataType.IMAGE):
        params = {"id": code, "name": code, "label": label, **common}
        if current_file:
            params["hint"] = {
                "text": gettext("You have uploaded %(file)s. Choose a new file to replace it.", file=current_file)
            }
        return Widget("file", params)

    if t is DataType.MEMO:
        return Widget(
            "textarea", {"id": code, "name": code, "label": label, "value": _first(raw, code), "rows": 5, **common}
        )

    if t is DataType.YES_NO:
        chosen = _first(raw, code)
        items = [
            {"value": "yes", "text": gettext("Yes"), "checked": chosen == "yes"},
            {"value": "no", "text": gettext("No"), "checked": chosen == "no"},
        ]
        return Widget(
            "radios",
            {
                "idPrefix": code,
                "name": code,
                "classes": "govuk-radios--inline",
                "fieldset": {"legend": legend},
                "items": items,
                **common,
            },
        )

    if t is DataType.CHOICE:
        chosen = _first(raw, code)
        if question.widget == "select":
            items = [{"value": "", "text": gettext("Choose")}] + [
                {"value": o.value, "text": o.label, "selected": o.value == chosen} for o in question.options
            ]
            return Widget("select", {"id": code, "name": code, "label": label, "items": items, **common})
        items = [
            {
                "value": o.value,
                "text": o.label,
                "checked": o.value == chosen,
                **({"hint": {"text": o.hint}} if o.hint else {}),
            }
            for o in question.options
        ]
        return Widget(
            "radios", {"idPrefix": code, "name": code, "fieldset": {"legend": legend}, "items": items, **common}
        )

    if t is DataType.MULTIPLE_CHOICE:
        chosen_many = set(_many(raw, code))
        items = [
            {
                "value": o.value,
                "text": o.label,
                "checked": o.value in chosen_many,
                **({"hint": {"text": o.hint}} if o.hint else {}),
            }
            for o in question.options
        ]
        return Widget(
            "checkboxes", {"idPrefix": code, "name": code, "fieldset": {"legend": legend}, "items": items, **common}
        )

    params = {"id": code, "name": code, "label": label, "value": _first(raw, code), **common}
    params.update(INPUT_TYPES.get(t, {}))
    if question.prefix:
        params["prefix"] = {"text": question.prefix}
    if question.suffix:
        params["suffix"] = {"text": question.suffix}
    return Widget("input", params)


def error_list(errors: Sequence[FieldError], *, href_for: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """The GOV.UK error summary's items, each linked to the input formsengine names."""
    href_for = href_for or {}
    return [{"text": error_text(e), "href": href_for.get(e.field, f"#{e.field}")} for e in errors]
