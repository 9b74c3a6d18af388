"""Loading definitions: every problem, all at once, each with its file, line, path and reason."""

import json
import textwrap

import pytest

from formsengine import DefinitionError, ErrorCode, load_definition_file, load_definition_text
from formsengine.outcomes import Outcome, register, unregister

BASE = """\
code: demo
title: Demo
version: 1
groups:
  - code: about
    number: 1
    name: About you
    questions:
      - code: claim_route
        label: Why are you applying?
        type: choice
        options: [economic, other]
      - code: income
        label: Income
        type: decimal
        show_if: claim_route = 'economic'
"""


def test_a_valid_definition_loads(load):
    form = load_definition_text(BASE, "demo.yaml")
    assert form.code == "demo"
    assert [q.code for q in form.groups[0].questions] == ["claim_route", "income"]
    assert form.question("income").show_if.source == "claim_route = 'economic'"


def test_unknown_question_in_condition_names_file_line_path_and_reason(problems):
    [problem] = problems(BASE.replace("show_if: claim_route", "show_if: uc_claim"))
    assert problem.file == "broken.yaml"
    assert problem.line == 16
    assert problem.path == "groups[0].questions[1].show_if"
    assert problem.code is ErrorCode.DEF_UNKNOWN_REFERENCE
    assert problem.message == (
        "form demo, group 1 'About you', question 'income': unknown question 'uc_claim' in condition"
    )
    assert str(problem).startswith("broken.yaml:16: groups[0].questions[1].show_if: form demo")


def test_duplicate_question_code(problems):
    [problem] = problems(BASE.replace("code: income", "code: claim_route"))
    assert problem.code is ErrorCode.DEF_DUPLICATE_CODE
    assert problem.line == 13
    assert "code 'claim_route' is used more than once (first used on line 9)" in problem.message


def test_group_and_question_codes_share_one_namespace(problems):
    [problem] = problems(BASE.replace("code: income", "code: about"))
    assert problem.code is ErrorCode.DEF_DUPLICATE_CODE


def test_bad_type(problems):
    [problem] = problems(BASE.replace("type: decimal", "type: money"))
    assert problem.code is ErrorCode.DEF_SCHEMA
    assert problem.line == 15
    assert "unknown type 'money'; use one of: text, memo" in problem.message


def test_unparseable_expression_reports_the_column(problems):
    [problem] = problems(BASE.replace("claim_route = 'economic'", "claim_route = = 'economic'"))
    assert problem.code is ErrorCode.DEF_EXPRESSION_SYNTAX
    assert problem.line == 16
    assert "column 15" in problem.message


def test_yaml_syntax_error_has_the_line(problems):
    [problem] = problems(BASE.replace("options: [economic, other]", "options: [economic, other"))
    assert problem.code is ErrorCode.DEF_SYNTAX
    assert problem.line is not None and 12 <= problem.line <= 14
    assert problem.message.startswith("YAML syntax error")


def test_type_mismatch_in_condition(problems):
    [problem] = problems(BASE.replace("claim_route = 'economic'", "claim_route > 3"))
    assert problem.code is ErrorCode.DEF_EXPRESSION_TYPE


def test_condition_must_be_true_or_false(problems):
    [problem] = problems(BASE.replace("claim_route = 'economic'", "claim_route"))
    assert problem.code is ErrorCode.DEF_EXPRESSION_TYPE
    assert "must be true or false, not text" in problem.message


def test_condition_cannot_read_a_later_question(problems):
    text = BASE.replace("        show_if: claim_route = 'economic'\n", "").replace(
        "        options: [economic, other]\n", "        options: [economic, other]\n        show_if: income > 0\n"
    )
    [problem] = problems(text)
    assert problem.code is ErrorCode.DEF_REFERENCE_ORDER
    assert "which is not asked before it" in problem.message


def test_condition_with_a_value_that_is_not_an_option(problems):
    [problem] = problems(BASE.replace("claim_route = 'economic'", "claim_route = 'economical'"))
    assert problem.code is ErrorCode.DEF_UNKNOWN_REFERENCE
    assert "'economical' is not an option of question 'claim_route'" in problem.message


def test_every_problem_is_reported_at_once(problems):
    text = (
        BASE.replace("type: decimal", "type: money")
        + "      - code: claim_route\n        label: Again\n        type: text\n"
        + "      - code: other\n        label: Other\n        type: text\n        show_if: nope = 1\n"
    )
    found = problems(text)
    assert {p.code for p in found} == {ErrorCode.DEF_SCHEMA, ErrorCode.DEF_DUPLICATE_CODE,
                                       ErrorCode.DEF_UNKNOWN_REFERENCE}
    assert [p.line for p in found] == sorted(p.line for p in found)


def test_duplicate_yaml_key_is_reported(problems):
    [problem] = problems(BASE.replace("        type: decimal\n", "        type: decimal\n        type: text\n"))
    assert problem.code is ErrorCode.DEF_DUPLICATE_KEY
    assert problem.line == 16


def test_aliases_are_refused(problems):
    [problem] = problems(BASE.replace("options: [economic, other]", "options: &o [economic, other]\n"
                                      "        hint: *o"))
    assert problem.code is ErrorCode.DEF_SYNTAX
    assert "aliases" in problem.message


def test_yes_and_no_stay_text_in_option_lists(load):
    form = load_definition_text(BASE.replace("[economic, other]", "[economic, other, yes, no]"), "x.yaml")
    assert [o.value for o in form.question("claim_route").options] == ["economic", "other", "yes", "no"]


def test_unknown_key_is_named(problems):
    found = problems(BASE.replace("label: Income", "lable: Income"))
    assert [p.message.split(": ", 1)[1] for p in found] == [
        "unexpected key 'lable' (allowed: code, error_name, hint, label, options, prefill, prefix, restrictions, "
        "show_if, suffix, type, widget)",
        "'label' is missing",
    ]


def test_missing_key_is_named(problems):
    [problem] = problems(BASE.replace("    name: About you\n", ""))
    assert problem.message.endswith("'name' is missing")
    assert problem.line == 5


def test_duplicate_group_number(problems):
    text = BASE + "  - code: more\n    number: 1\n    name: More\n    questions:\n" \
                  "      - {code: extra, label: Extra, type: text}\n"
    [problem] = problems(text)
    assert problem.code is ErrorCode.DEF_DUPLICATE_NUMBER
    assert problem.line == 18


def test_groups_are_ordered_by_number_not_by_position(load):
    form = load(
        """
        - {code: second, number: 20, name: Second, questions: [{code: b, label: B, type: text}]}
        - {code: first, number: 3, name: First, questions: [{code: a, label: A, type: text,
            show_if: "answered(b)"}]}
        """.replace("show_if: \"answered(b)\"", "")
    )
    assert [g.code for g in form.groups] == ["first", "second"]


@pytest.mark.parametrize(
    ("question", "restriction"),
    [
        ("type: date", "max_length: 5"),
        ("type: text", "min_value: 1"),
        ("type: integer", "in_the_past: true"),
        ("type: decimal", "file_types: [pdf]"),
        ("type: date", "pattern: {regex: 'x', message: m}"),
        ("type: integer", "decimal_places: 2"),
    ],
)
def test_restriction_that_does_not_fit_the_type(problems, question, restriction):
    text = BASE.replace("type: decimal", f"{question}\n        restrictions: {{{restriction}}}")
    found = problems(text)
    assert [p.code for p in found] == [ErrorCode.DEF_BAD_RESTRICTION]
    assert "does not apply to a" in found[0].message


@pytest.mark.parametrize(
    "restrictions",
    [
        "{min_value: 10, max_value: 1}",
    ],
)
def test_contradictory_number_restrictions(problems, restrictions):
    [problem] = problems(BASE.replace("type: decimal", f"type: decimal\n        restrictions: {restrictions}"))
    assert problem.code is ErrorCode.DEF_BAD_RESTRICTION


@pytest.mark.parametrize(
    "restrictions",
    ["{in_the_past: true, in_the_future: true}", "{before: '2020-01-01', after: '2021-01-01'}",
     "{at_least_years_ago: 5, at_most_years_ago: 2}"],
)
def test_contradictory_date_restrictions(problems, restrictions):
    [problem] = problems(BASE.replace("type: decimal", f"type: date\n        restrictions: {restrictions}")
                         .replace("show_if: claim_route = 'economic'", "hint: x"))
    assert problem.code is ErrorCode.DEF_BAD_RESTRICTION


def test_invalid_fixed_date(problems):
    [problem] = problems(BASE.replace("type: decimal", "type: date\n        restrictions: {before: '2027-02-30'}"))
    assert "not a real date" in problem.message


def test_pattern_must_compile(problems):
    [problem] = problems(
        BASE.replace("type: decimal", "type: text\n        restrictions: {pattern: {regex: '([a-z', message: m}}")
    )
    assert problem.code is ErrorCode.DEF_BAD_PATTERN


def test_options_only_on_choice_questions(problems):
    [problem] = problems(BASE.replace("type: decimal", "type: text\n        options: [a]"))
    assert "options are only allowed on choice and multiple_choice questions" in problem.message


def test_choice_needs_options(problems):
    [problem] = problems(BASE.replace("        options: [economic, other]\n", ""))
    assert "'options' is missing" in problem.message


def test_widget_must_fit_the_type(problems):
    [problem] = problems(BASE.replace("options: [economic, other]", "options: [economic, other]\n"
                                      "        widget: checkboxes"))
    assert problem.code is ErrorCode.DEF_BAD_RESTRICTION


def test_duplicate_option_values(problems):
    [problem] = problems(BASE.replace("[economic, other]", "[economic, other, other]"))
    assert "option value 'other' is used more than once" in problem.message


def test_bad_code(problems):
    [problem] = problems(BASE.replace("code: income", "code: Income Amount"))
    assert "is not a valid code" in problem.message


def test_repeating_group_rules(problems):
    text = BASE + textwrap.indent(textwrap.dedent(
        """\
          - code: docs
            number: 2
            name: Documents
            repeat: {min: 3, max: 2}
            questions:
              - code: doc
                label: Document
                type: file
                restrictions: {inherit_multiple: true}
        """
    ), "  ")
    found = problems(text)
    assert [p.code for p in found] == [ErrorCode.DEF_BAD_RESTRICTION, ErrorCode.DEF_BAD_RESTRICTION]
    assert "min (3) is more than max (2)" in found[0].message
    assert "cannot be in a repeating group" in found[1].message


REPEATING = BASE + textwrap.indent(textwrap.dedent(
    """\
      - code: docs
        number: 2
        name: Documents
        repeat: {min: 0, max: 5}
        questions:
          - {code: doc, label: Document, type: file}
          - {code: note, label: Note, type: text, show_if: answered(doc)}
      - code: after
        number: 3
        name: After
        show_if: SHOW_IF
        questions:
          - {code: later, label: Later, type: text}
    """
), "  ")


def test_a_question_in_a_repeating_group_may_read_the_same_item(load):
    load_definition_text(REPEATING.replace("SHOW_IF", "count(docs) > 0"), "ok.yaml")


def test_outside_a_repeating_group_read_its_count_not_its_questions(problems):
    [problem] = problems(REPEATING.replace("SHOW_IF", "answered(doc)"))
    assert problem.code is ErrorCode.DEF_REFERENCE_ORDER
    assert "use count(docs) instead" in problem.message


def test_count_of_an_unknown_group(problems):
    [problem] = problems(REPEATING.replace("SHOW_IF", "count(documents) > 0"))
    assert problem.code is ErrorCode.DEF_UNKNOWN_REFERENCE


RULES = BASE + textwrap.dedent(
    """\
    rules:
      - code: positive
        check: CHECK
        message: Income must be more than 0
        question: QUESTION
    """
)


def test_rules_are_checked(problems):
    load_definition_text(RULES.replace("CHECK", "income > 0").replace("QUESTION", "income"), "ok.yaml")
    [unknown] = problems(RULES.replace("CHECK", "incme > 0").replace("QUESTION", "income"))
    assert unknown.path == "rules[0].check" and unknown.line == 19
    assert unknown.message.startswith("form demo, rule 'positive': unknown question 'incme' in rule")
    [target] = problems(RULES.replace("CHECK", "income > 0").replace("QUESTION", "nothing"))
    assert target.path == "rules[0].question"


def test_unknown_outcome_check(problems):
    text = BASE.replace("groups:", "outcome_checks: [no_such_check]\ngroups:")
    [problem] = problems(text)
    assert problem.code is ErrorCode.DEF_UNKNOWN_OUTCOME
    assert "outcome check 'no_such_check' is not available" in problem.message


def test_registered_outcome_check_is_accepted():
    register("demo_check", lambda answers, on: Outcome("valid", "ok", {}))
    try:
        form = load_definition_text(BASE.replace("groups:", "outcome_checks: [demo_check]\ngroups:"), "x.yaml")
        assert form.outcome_checks == ("demo_check",)
    finally:
        unregister("demo_check")


def test_json_definition_loads(tmp_path):
    import yaml

    path = tmp_path / "demo.json"
    path.write_text(json.dumps(yaml.safe_load(BASE), indent="\t"))
    assert load_definition_file(path).code == "demo"


def test_json_definition_problem_has_a_line(tmp_path):
    import yaml

    data = yaml.safe_load(BASE)
    data["groups"][0]["questions"][1]["type"] = "money"
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(DefinitionError) as caught:
        load_definition_file(path)
    [problem] = caught.value.problems
    assert problem.file == str(path)
    assert problem.line == path.read_text().splitlines().index('          "type": "money",') + 1


def test_missing_file(tmp_path):
    with pytest.raises(DefinitionError) as caught:
        load_definition_file(tmp_path / "nope.yaml")
    assert caught.value.problems[0].code is ErrorCode.DEF_FILE_UNREADABLE


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(BASE.replace("Demo", "D\xe9mo").encode("latin-1"))
    with pytest.raises(DefinitionError) as caught:
        load_definition_file(path)
    assert caught.value.problems[0].code is ErrorCode.DEF_SYNTAX


@pytest.mark.parametrize("text", ["", "just text", "- a list", "code: [unclosed"])
def test_not_a_definition_at_all(problems, text):
    assert problems(text)


def test_definition_error_message_lists_every_problem(problems):
    with pytest.raises(DefinitionError) as caught:
        load_definition_text(BASE.replace("type: decimal", "type: money").replace("lab", "lob"), "x.yaml")
    assert str(caught.value).count("x.yaml:") == len(caught.value.problems) >= 2
