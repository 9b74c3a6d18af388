"""Conditions in definitions, end to end: each expression feature decides whether a question shows.

The language itself is tested in test_expressions*.py; these tests check that the engine gives it the
right typed answers (dates, decimals, lists, uploads, counts of repeating groups) and today's date.
"""

from datetime import date
from decimal import Decimal

import pytest

from formsengine import load_definition_text, visible_groups

TODAY = date(2026, 11, 23)

FORM = """\
code: conditions
title: Conditions
version: 1
groups:
  - code: answers
    number: 1
    name: Answers
    questions:
      - {code: name, label: Name, type: text}
      - {code: amount, label: Amount, type: decimal}
      - {code: children, label: Children, type: integer}
      - {code: london, label: London, type: yes_no}
      - {code: born, label: Born, type: date}
      - {code: moved, label: Moved, type: date}
      - {code: route, label: Route, type: choice, options: [a, b, c]}
      - {code: needs, label: Needs, type: multiple_choice, options: [x, y, z]}
      - {code: letter, label: Letter, type: file}
      - {code: email, label: Email, type: email}
  - code: items
    number: 2
    name: Items
    repeat: {min: 0}
    questions:
      - {code: item, label: Item, type: text}
  - code: target
    number: 3
    name: Target
    show_if: CONDITION
    questions:
      - {code: shown, label: Shown, type: text}
"""

ANSWERS = {
    "name": "Ada Lovelace",
    "amount": Decimal("15400.50"),
    "children": 2,
    "london": True,
    "born": date(2024, 10, 1),
    "moved": date(2025, 1, 1),
    "route": "b",
    "needs": ["x", "z"],
    "letter": {"upload_id": "1", "filename": "a.pdf"},
    "email": "ada@example.com",
    "items": [{"item": "one"}, {"item": "two"}],
}


@pytest.mark.parametrize(
    ("condition", "shown"),
    [
        ("route = 'b'", True),
        ("route != 'b'", False),
        ("route in ['a', 'b']", True),
        ("route not in ['a', 'b']", False),
        ("'z' in needs", True),
        ("'y' in needs", False),
        ("london", True),
        ("not london", False),
        ("london = true and children >= 2", True),
        ("london = false or children > 5", False),
        ("(children + 1) * 2 = 6", True),
        ("amount / 2 > 7700", True),
        ("amount - 400.50 = 15000", True),
        ("-children < 0", True),
        ("age_on(born, today()) >= 2", True),
        ("age_on(born, today()) < 2", False),
        ("born < date('2025-01-01')", True),
        ("born + 92 = moved", True),
        ("moved - born = 92", True),
        ("days_between(born, moved) = 92", True),
        ("years_between(born, today()) = 2", True),
        ("len(name) = 12", True),
        ("len(needs) = 2", True),
        ("answered(letter)", True),
        ("answered(email) and email != 'x'", True),
        ("count(items) = 2", True),
        ("count(items) > 2", False),
        ("today() > date('2026-01-01')", True),
    ],
)
def test_condition_features(condition, shown):
    form = load_definition_text(FORM.replace("CONDITION", f'"{condition}"'), "conditions.yaml")
    assert ("target" in [g.code for g in visible_groups(form, ANSWERS, TODAY)]) is shown


@pytest.mark.parametrize(
    "condition",
    [
        "route = 'b'",
        "'z' in needs",
        "london",
        "age_on(born, today()) >= 2",
        "answered(letter) or children > 1",
        "count(items) >= 0 and amount > 0",
    ],
)
def test_unanswered_questions_never_show_a_page_by_accident_and_never_raise(condition):
    form = load_definition_text(FORM.replace("CONDITION", f'"{condition}"'), "conditions.yaml")
    groups = [g.code for g in visible_groups(form, {}, TODAY)]
    assert "target" not in groups


def test_answered_is_false_for_an_unanswered_question():
    form = load_definition_text(FORM.replace("CONDITION", '"not answered(letter)"'), "c.yaml")
    assert "target" in [g.code for g in visible_groups(form, {}, TODAY)]
