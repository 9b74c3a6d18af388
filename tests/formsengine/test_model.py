"""The model: immutable, round-trips through to_dict(), and a fingerprint that follows content only."""

import dataclasses

import pytest
import yaml

from formsengine import DataType, form_from_dict, load_definition_text

TEXT = """\
code: demo
title: Demo
version: 3
live: true
description: For administrators
guidance: "# Before you start"
declarations: [{code: truthful, text: True.}]
rules:
  - {code: r, check: amount > 0, when: answered(amount), message: Must be positive, question: amount}
groups:
  - code: second
    number: 7
    name: Second
    guidance: Notes
    repeat: {min: 1, max: 3, add_another_label: Add another file, item_name: file}
    questions:
      - {code: upload, label: File, type: file, restrictions: {file_types: [pdf]}}
  - code: first
    number: 2
    name: First
    questions:
      - code: amount
        label: Amount
        hint: In pounds
        type: decimal
        prefix: "£"
        error_name: the amount
        restrictions: {mandatory: true, min_value: 0.5, max_value: 100, decimal_places: 2, on_child_record: true}
      - {code: pick, label: Pick, type: choice, widget: select, options: [a, {value: b, label: B, hint: Bee}],
         show_if: amount > 1, prefill: false}
      - {code: when, label: When, type: date, restrictions: {before: '2030-01-01', in_the_past: true}}
"""


@pytest.fixture
def form():
    return load_definition_text(TEXT, "demo.yaml")


def test_model_reads_every_field(form):
    assert (form.code, form.title, form.version, form.live, form.portal_type, form.portal_user_type) == (
        "demo", "Demo", 3, True, "citizen", "parent_or_carer")
    assert [g.code for g in form.groups] == ["first", "second"]
    second = form.group("second")
    assert second.repeating and second.repeat.max_items == 3 and second.repeat.add_another_label == "Add another file"
    amount = form.question("amount")
    assert amount.type is DataType.DECIMAL and amount.mandatory and amount.restrictions.on_child_record
    assert str(amount.restrictions.min_value) == "0.5"
    assert form.question("pick").options[1].hint == "Bee"
    assert form.group_of("upload") is second
    assert form.question("missing") is None and form.group("missing") is None


def test_model_is_immutable(form):
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.title = "Changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.groups[0].questions[0].label = "Changed"  # type: ignore[misc]


def test_to_dict_round_trips(form):
    again = form_from_dict(form.to_dict())
    assert again == form
    assert again.to_dict() == form.to_dict()


def test_to_dict_survives_yaml_export(form):
    exported = yaml.safe_dump(form.to_dict(), sort_keys=False, allow_unicode=True)
    assert load_definition_text(exported, "exported.yaml") == form


def test_fingerprint_ignores_layout_version_and_live(form):
    reordered = yaml.safe_dump(yaml.safe_load(TEXT), sort_keys=True)
    assert load_definition_text(reordered, "x.yaml").fingerprint == form.fingerprint
    assert load_definition_text(TEXT.replace("version: 3", "version: 4").replace("live: true", "live: false"),
                                "x.yaml").fingerprint == form.fingerprint


def test_fingerprint_changes_with_content(form):
    assert load_definition_text(TEXT.replace("In pounds", "In pence"), "x.yaml").fingerprint != form.fingerprint


def test_error_names(load):
    form = load(
        """
        - code: p
          number: 1
          name: P
          questions:
            - {code: a, label: "What is your date of birth?", type: date}
            - {code: b, label: Date of birth, type: date, error_name: your date of birth}
            - {code: c, label: NHS number, type: text}
        """
    )
    a, b, c = form.questions
    assert (a.name_in_errors, b.name_in_errors, c.name_in_errors) == (
        "what is your date of birth", "your date of birth", "NHS number")
    assert (b.label_in_errors, c.label_in_errors) == ("Date of birth", "NHS number")
