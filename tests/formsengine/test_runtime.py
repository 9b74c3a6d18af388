"""The runtime API: pages shown, next and previous page, one page, the whole form, summary and storage."""

from datetime import date
from decimal import Decimal

import pytest

from formsengine import (
    ErrorCode,
    drop_hidden_answers,
    evaluate_outcomes,
    from_json,
    load_definition_text,
    next_group,
    parse_declarations,
    parse_page,
    previous_group,
    summary,
    to_json,
    validate_form,
    visible_groups,
)
from formsengine.outcomes import Outcome, register, unregister

TODAY = date(2026, 11, 23)

FORM = """\
code: demo
title: Demo
version: 1
declarations:
  - {code: truthful, text: It is true., error_message: Confirm that it is true}
  - {code: changes, text: I will tell you.}
rules:
  - code: end_after_start
    check: end_date > start_date
    message: End date must be after start date
    question: end_date
groups:
  - code: route
    number: 1
    name: Your route
    questions:
      - code: claim_route
        label: Route
        type: choice
        error_name: your route
        options: [economic, other]
        restrictions: {mandatory: true}
  - code: benefits
    number: 2
    name: Benefits
    show_if: claim_route = 'economic'
    questions:
      - code: benefit
        label: Benefit
        type: choice
        options: [universal_credit, tax_credits]
        restrictions: {mandatory: true}
      - code: uc_income
        label: Income
        type: decimal
        error_name: your income
        show_if: benefit = 'universal_credit'
        restrictions: {mandatory: true}
  - code: dates
    number: 3
    name: Dates
    questions:
      - {code: start_date, label: Start date, type: date}
      - {code: end_date, label: End date, type: date}
  - code: docs
    number: 4
    name: Documents
    show_if: claim_route = 'other'
    repeat: {min: 1, max: 2, item_name: document}
    questions:
      - {code: doc, label: Document, type: file, restrictions: {mandatory: true}}
      - {code: doc_note, label: Note, type: text, show_if: answered(doc), restrictions: {mandatory: true}}
  - code: after_docs
    number: 5
    name: After documents
    show_if: count(docs) >= 2 and age_on(start_date, today()) >= 1
    questions:
      - {code: thanks, label: Anything else, type: memo}
"""

UPLOAD = {"upload_id": "u1", "filename": "a.pdf"}


@pytest.fixture
def form():
    return load_definition_text(FORM, "demo.yaml")


def codes(groups):
    return [g.code for g in groups]


def test_visible_groups_follow_conditions(form):
    assert codes(visible_groups(form, {}, TODAY)) == ["route", "dates"]
    assert codes(visible_groups(form, {"claim_route": "economic"}, TODAY)) == ["route", "benefits", "dates"]
    assert codes(visible_groups(form, {"claim_route": "other"}, TODAY)) == ["route", "dates", "docs"]


def test_group_condition_with_count_and_functions(form):
    answers = {"claim_route": "other", "start_date": date(2020, 1, 1), "docs": [{"doc": UPLOAD}, {"doc": UPLOAD}]}
    assert codes(visible_groups(form, answers, TODAY))[-1] == "after_docs"
    answers["docs"].pop()
    assert "after_docs" not in codes(visible_groups(form, answers, TODAY))


def test_next_and_previous_skip_hidden_pages(form):
    answers = {"claim_route": "other"}
    assert next_group(form, None, answers, TODAY).code == "route"
    assert next_group(form, "route", answers, TODAY).code == "dates"
    assert next_group(form, "dates", answers, TODAY).code == "docs"
    assert next_group(form, "docs", answers, TODAY) is None
    assert previous_group(form, "dates", answers, TODAY).code == "route"
    assert previous_group(form, "route", answers, TODAY) is None
    assert next_group(form, "no_such_page", answers, TODAY) is None
    assert previous_group(form, "no_such_page", answers, TODAY) is None


def test_hiding_cascades_and_hidden_answers_are_dropped(form):
    answers = {"claim_route": "other", "benefit": "universal_credit", "uc_income": Decimal(100), "junk": 1}
    assert drop_hidden_answers(form, answers, TODAY) == {"claim_route": "other", "docs": []}
    answers["claim_route"] = "economic"
    assert drop_hidden_answers(form, answers, TODAY) == {
        "claim_route": "economic", "benefit": "universal_credit", "uc_income": Decimal(100)}


def test_parse_page_question_condition_reads_the_same_page(form):
    result = parse_page(form, "benefits", {"benefit": "tax_credits", "uc_income": "abc"},
                        {"claim_route": "economic"}, today=TODAY)
    assert result.is_valid
    assert result.values == {"benefit": "tax_credits"}
    result = parse_page(form, "benefits", {"benefit": "universal_credit"}, {"claim_route": "economic"}, today=TODAY)
    [error] = result.errors
    assert (error.question, error.message, error.group) == ("uc_income", "Enter your income", "benefits")


def test_parse_page_errors_are_in_page_order(form):
    result = parse_page(form, "dates", {"start_date-day": "40", "start_date-month": "1", "start_date-year": "2024",
                                        "end_date-day": "1"}, today=TODAY)
    assert [e.field for e in result.errors] == ["start_date-day", "end_date-month"]


def test_cross_question_rule_on_a_page(form):
    raw = {"start_date-day": "2", "start_date-month": "1", "start_date-year": "2024",
           "end_date-day": "1", "end_date-month": "1", "end_date-year": "2024"}
    [error] = parse_page(form, "dates", raw, today=TODAY).errors
    assert (error.code, error.field, error.message) == (
        ErrorCode.RULE_FAILED, "end_date-day", "End date must be after start date")


def test_rule_is_skipped_while_a_question_it_reads_is_unanswered(form):
    raw = {"end_date-day": "1", "end_date-month": "1", "end_date-year": "2024"}
    assert parse_page(form, "dates", raw, today=TODAY).is_valid


def test_parse_page_for_one_item_of_a_repeating_group(form):
    result = parse_page(form, "docs", {"doc": UPLOAD, "doc_note": ""}, {"claim_route": "other"}, today=TODAY)
    [error] = result.errors
    assert error.question == "doc_note"
    assert parse_page(form, "docs", {"doc": UPLOAD, "doc_note": "Letter"}, today=TODAY).values == {
        "doc": UPLOAD, "doc_note": "Letter"}


def test_parse_page_of_an_unknown_group_is_a_key_error(form):
    with pytest.raises(KeyError):
        parse_page(form, "nope", {})


def test_validate_form_collects_every_error(form):
    errors = validate_form(form, {"claim_route": "economic", "benefit": "universal_credit"}, TODAY)
    assert [(e.group, e.question, e.code) for e in errors] == [("benefits", "uc_income", ErrorCode.REQUIRED)]
    errors = validate_form(form, {}, TODAY)
    assert [e.message for e in errors] == ["Select your route"]


def test_validate_form_repeating_group_minimum_and_maximum(form):
    [too_few] = validate_form(form, {"claim_route": "other"}, TODAY)
    assert (too_few.code, too_few.field, too_few.message) == (ErrorCode.TOO_FEW_ITEMS, "docs",
                                                              "Add at least 1 document")
    item = {"doc": UPLOAD, "doc_note": "x"}
    [too_many] = validate_form(form, {"claim_route": "other", "docs": [item, item, item]}, TODAY)
    assert (too_many.code, too_many.message) == (ErrorCode.TOO_MANY_ITEMS, "You can add up to 2 documents")


def test_validate_form_checks_each_item(form):
    errors = validate_form(form, {"claim_route": "other", "docs": [{"doc": UPLOAD, "doc_note": "x"}, {}]}, TODAY)
    assert [(e.question, e.item) for e in errors] == [("doc", 1)]


def test_validate_form_applies_rules(form):
    answers = {"claim_route": "other", "docs": [{"doc": UPLOAD, "doc_note": "x"}],
               "start_date": date(2024, 1, 2), "end_date": date(2024, 1, 1)}
    [error] = validate_form(form, answers, TODAY)
    assert error.code is ErrorCode.RULE_FAILED


def test_validate_form_ignores_hidden_answers_and_reports_wrongly_typed_ones(form):
    answers = {"claim_route": "other", "docs": [{"doc": UPLOAD, "doc_note": "x"}], "uc_income": "not a number",
               "start_date": "2024-01-01"}
    [error] = validate_form(form, answers, TODAY)
    assert (error.question, error.code) == ("start_date", ErrorCode.INVALID_ANSWER)


def test_summary_for_check_your_answers(form):
    answers = {"claim_route": "other", "start_date": date(2024, 1, 2), "docs": [{"doc": UPLOAD, "doc_note": "x"}]}
    sections = summary(form, answers, TODAY)
    assert [s.group for s in sections] == ["route", "dates", "docs"]
    route = sections[0].rows[0]
    assert (route.label, route.display, route.change_group, route.change_field) == ("Route", "other", "route",
                                                                                     "claim_route")
    start, end = sections[1].rows
    assert (start.display, start.change_field, end.answered) == ("2 January 2024", "start_date-day", False)
    docs = sections[2]
    assert docs.repeating and docs.item_count == 1
    assert [(r.question, r.item, r.display) for r in docs.rows] == [("doc", 0, "a.pdf"), ("doc_note", 0, "x")]


def test_json_round_trip(form):
    answers = {"claim_route": "economic", "benefit": "universal_credit", "uc_income": Decimal("15400.50"),
               "start_date": date(2024, 1, 2), "docs": [{"doc": UPLOAD}]}
    stored = to_json(form, answers)
    assert stored == {"claim_route": "economic", "benefit": "universal_credit", "uc_income": "15400.50",
                      "start_date": "2024-01-02", "docs": [{"doc": UPLOAD}]}
    assert from_json(form, stored) == answers


def test_from_json_leaves_out_what_it_cannot_read(form):
    stored = {"start_date": "2024-13-01", "uc_income": "lots", "claim_route": 5, "docs": "x", "other": 1}
    assert from_json(form, stored) == {}
    assert from_json(form, "not a mapping") == {}


def test_declarations(form):
    result = parse_declarations(form, {"declarations": ["changes"]})
    [error] = result.errors
    assert (error.field, error.code, error.message) == ("declaration-truthful", ErrorCode.DECLARATION_REQUIRED,
                                                        "Confirm that it is true")
    assert parse_declarations(form, {"declarations": ["truthful", "changes"]}).is_valid
    [_, default] = parse_declarations(form, {}).errors
    assert default.message == "Confirm that you agree with this declaration"


def test_outcomes_run_on_visible_answers():
    seen = {}

    def check(answers, on):
        seen.update(answers)
        return Outcome("valid", "Fine", {})

    register("runtime_test_check", check)
    try:
        form = load_definition_text(FORM.replace("declarations:", "outcome_checks: [runtime_test_check]\n"
                                                 "declarations:"), "x.yaml")
        outcomes = evaluate_outcomes(form, {"claim_route": "other", "benefit": "tax_credits"}, TODAY)
    finally:
        unregister("runtime_test_check")
    assert outcomes == {"runtime_test_check": Outcome("valid", "Fine", {})}
    assert seen == {"claim_route": "other", "docs": []}


def test_a_failing_outcome_check_gives_the_unavailable_outcome_not_an_error():
    def broken(answers, on):
        raise ZeroDivisionError("a bug in another package")

    register("runtime_broken_check", broken)
    try:
        form = load_definition_text(
            FORM.replace("declarations:", "outcome_checks: [runtime_broken_check]\ndeclarations:"), "x.yaml"
        )
        outcomes = evaluate_outcomes(form, {"claim_route": "other"}, TODAY)
    finally:
        unregister("runtime_broken_check")
    assert outcomes["runtime_broken_check"].result == "unavailable"
    assert "The council will check your details." in outcomes["runtime_broken_check"].message
