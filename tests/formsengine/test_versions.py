"""Versions, clones and prefill."""

from datetime import date

import pytest

from formsengine import (
    ErrorCode,
    check_compatible,
    clone,
    load_definition_text,
    next_version,
    prefill,
)

V1 = """\
code: demo
title: Demo
version: 1
groups:
  - code: about
    number: 1
    name: About
    questions:
      - {code: name, label: Name, type: text}
      - {code: route, label: Route, type: choice, options: [a, b]}
      - {code: born, label: Born, type: date, restrictions: {in_the_past: true}}
      - {code: email, label: Email, type: email}
      - {code: consent, label: Consent, type: yes_no, prefill: false}
  - code: docs
    number: 2
    name: Docs
    repeat: {min: 0}
    questions:
      - {code: doc, label: Doc, type: file}
"""


def load(text):
    return load_definition_text(text, "demo.yaml")


def test_unchanged_definition_is_compatible():
    assert check_compatible(load(V1), load(V1), {"name", "route"}) == []


def test_changed_definition_needs_a_higher_version():
    [problem] = check_compatible(load(V1), load(V1.replace("label: Name", "label: Full name")), {"name"})
    assert problem.code is ErrorCode.DEF_INCOMPATIBLE_CHANGE
    assert "its version must be more than 1" in problem.message
    assert check_compatible(load(V1), load(V1.replace("label: Name", "label: Full name")
                                          .replace("version: 1", "version: 2")), {"name"}) == []


def test_answered_question_cannot_change_type():
    new = load(V1.replace("version: 1", "version: 2").replace("{code: name, label: Name, type: text}",
                                                              "{code: name, label: Name, type: date}"))
    [problem] = check_compatible(load(V1), new, {"name"})
    assert "its type cannot change from text to date" in problem.message
    assert check_compatible(load(V1), new, {"route"}) == []  # nobody answered it: fine


def test_answered_choice_cannot_lose_options_but_may_gain_them():
    old = load(V1)
    gained = load(V1.replace("version: 1", "version: 2").replace("[a, b]", "[a, b, c]"))
    lost = load(V1.replace("version: 1", "version: 2").replace("[a, b]", "[a, c]"))
    assert check_compatible(old, gained, {"route"}) == []
    [problem] = check_compatible(old, lost, {"route"})
    assert "its options cannot be removed: b" in problem.message


def test_answered_question_cannot_move_into_a_repeating_group():
    moved = V1.replace("version: 1", "version: 2").replace("      - {code: name, label: Name, type: text}\n", "")
    moved = moved.replace("      - {code: doc, label: Doc, type: file}",
                          "      - {code: doc, label: Doc, type: file}\n      - {code: name, label: Name, type: text}")
    [problem] = check_compatible(load(V1), load(moved), {"name"})
    assert "repeating group" in problem.message


def test_new_version_of_another_form_is_refused():
    [problem] = check_compatible(load(V1), load(V1.replace("code: demo", "code: other")), set())
    assert "use clone to copy a form under a new code" in problem.message


def test_removed_question_is_allowed():
    new = load(V1.replace("version: 1", "version: 2").replace("      - {code: email, label: Email, type: email}\n",
                                                              ""))
    assert check_compatible(load(V1), new, {"email"}) == []


def test_next_version():
    form = load(V1.replace("title: Demo", "title: Demo\nlive: true"))
    newer = next_version(form)
    assert (newer.version, newer.live, newer.fingerprint) == (2, False, form.fingerprint)


def test_clone_under_a_new_code():
    copy = clone(load(V1), "demo_copy", title="Demo copy")
    assert (copy.code, copy.title, copy.version, copy.live) == ("demo_copy", "Demo copy", 1, False)
    assert [q.code for q in copy.questions] == [q.code for q in load(V1).questions]


def test_clone_with_an_invalid_code_is_a_definition_error():
    from formsengine import DefinitionError

    with pytest.raises(DefinitionError):
        clone(load(V1), "Not A Code")


def test_prefill_from_earlier_answers():
    earlier = {"name": "Ada", "route": "b", "born": "2024-01-02", "email": "ada@example.com", "consent": True,
               "doc": {"upload_id": "1", "filename": "a.pdf"}, "unrelated": "x"}
    assert prefill(load(V1), earlier) == {"name": "Ada", "route": "b", "born": date(2024, 1, 2),
                                          "email": "ada@example.com"}


def test_prefill_leaves_out_answers_that_no_longer_fit():
    earlier = {"route": "z", "born": "yesterday", "email": "not an email", "name": 12}
    assert prefill(load(V1), earlier) == {}
    assert prefill(load(V1), None) == {}  # type: ignore[arg-type]


def test_prefill_keeps_typed_answers():
    assert prefill(load(V1), {"born": date(2024, 1, 2)}) == {"born": date(2024, 1, 2)}
