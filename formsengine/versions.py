"""Versions, clones and prefill.

The rules (as Capita One's form builder has them, seed 004): a definition that a submission uses never
changes - a change makes a new version, and submissions keep the version they started on; a question whose
answers exist cannot change its type or meaning, and its code is never reused for something else; a form
can be cloned under a new code; an answer given for the same child in an earlier form pre-fills a question
with the same code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from formsengine.errors import ErrorCode, Problem
from formsengine.model import Form
from formsengine.types import _INVALID, check_value, value_from_json


def check_compatible(old: Form, new: Form, answered_codes: Collection[str]) -> list[Problem]:
    """Why ``new`` may not replace ``old`` given that answers exist for ``answered_codes``; ``[]`` if it may.

    A question with answers must keep its data type, stay in (or out of) the same repeating group, and keep
    every option value that was offered (new options may be added; labels may be reworded). A changed
    definition must carry a higher version number.
    """
    name = f"form {new.code} version {new.version}"
    problems: list[Problem] = []

    def problem(path: str, message: str) -> None:
        problems.append(Problem(name, None, path, f"{name}: {message}", ErrorCode.DEF_INCOMPATIBLE_CHANGE))

    if old.code != new.code:
        problem(
            "code", f"cannot replace form '{old.code}': the code differs (use clone to copy a form under a new code)"
        )
        return problems
    if old.fingerprint != new.fingerprint and new.version <= old.version:
        problem("version", f"the definition has changed, so its version must be more than {old.version}")
    answered = set(answered_codes)
    for code in sorted(answered):
        before = old.question(code)
        after = new.question(code)
        if before is None or after is None:
            continue  # a removed question is fine: old submissions keep their version
        where = f"question '{code}'"
        if before.type is not after.type:
            problem(
                where,
                f"{where} has answers, so its type cannot change from {before.type.value} "
                f"to {after.type.value}; add a question with a new code instead",
            )
        old_group, new_group = old.group_of(code), new.group_of(code)
        old_repeating = old_group.code if old_group and old_group.repeating else None
        new_repeating = new_group.code if new_group and new_group.repeating else None
        if old_repeating != new_repeating:
            problem(where, f"{where} has answers, so it cannot move into or out of a repeating group")
        removed = [o.value for o in before.options if after.option(o.value) is None]
        if removed:
            problem(where, f"{where} has answers, so its options cannot be removed: {', '.join(removed)}")
    for group in old.groups:
        if group.repeating and group.code in answered and new.question(group.code) is not None:
            problem(
                f"group '{group.code}'",
                f"code '{group.code}' belonged to a repeating group with answers and cannot be reused for a question",
            )
    return problems


def next_version(form: Form) -> Form:
    """The same definition with the version number one higher (and not live until switched on)."""
    return dataclasses.replace(form, version=form.version + 1, live=False)


def clone(form: Form, new_code: str, *, title: str | None = None) -> Form:
    """A copy of ``form`` under ``new_code`` at version 1, not live. Question codes are kept, so answers
    given on the original pre-fill the clone."""
    from formsengine.loader import form_from_dict

    data = form.to_dict()
    data.update(code=new_code, version=1, live=False)
    if title is not None:
        data["title"] = title
    return form_from_dict(data, f"clone of {form.code}")


def prefill(form: Form, earlier_answers_by_code: Mapping[str, Any]) -> dict[str, Any]:
    """Typed answers to start ``form`` with, from answers given for the same child in earlier forms.

    ``earlier_answers_by_code`` maps question code -> answer (JSON-stored or typed). Only questions outside
    repeating groups with ``prefill`` left on take part; an earlier answer that does not fit this form's
    question (another type, an option it no longer offers, a format it fails) is left out.
    """
    if not isinstance(earlier_answers_by_code, Mapping):
        return {}
    out: dict[str, Any] = {}
    for group in form.groups:
        if group.repeating:
            continue
        for question in group.questions:
            if not question.prefill or question.code not in earlier_answers_by_code:
                continue
            value = value_from_json(question, earlier_answers_by_code[question.code])
            if value is None or value is _INVALID:
                continue
            issue = check_value(question, value, _FAR_PAST)
            if issue is not None and issue.code in _UNFIXABLE:
                continue
            out[question.code] = value
    return out


# Prefill keeps answers that are merely out of date (a date restriction relative to today) and drops
# those that can never be valid for this question.
_UNFIXABLE = {
    ErrorCode.INVALID_ANSWER,
    ErrorCode.INVALID_CHOICE,
    ErrorCode.EMAIL_FORMAT,
    ErrorCode.PHONE_FORMAT,
    ErrorCode.POSTCODE_FORMAT,
    ErrorCode.NI_NUMBER_FORMAT,
    ErrorCode.FILE_INVALID,
    ErrorCode.FILE_TYPE,
    ErrorCode.TOO_LONG,
}

_FAR_PAST = date(1900, 1, 1)  # any day: only checks that do not depend on today matter here
