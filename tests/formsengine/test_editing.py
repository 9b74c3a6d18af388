"""formsengine.editing: a form builder's changes to a definition dict, each checked by the engine."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from formsengine import ErrorCode, form_from_dict, load_definition_file
from formsengine import editing as e

FORM_DEFINITIONS = Path(__file__).resolve().parents[2] / "form_definitions"


def two_pages() -> dict:
    """A small form: a page about the parent, then a repeating page of children shown for parents only."""
    d = e.new_definition("family_form", "Tell us about your family")
    d = e.add_group(d, {"code": "about", "name": "About you"})
    d = e.add_question(d, "about", {"code": "full_name", "label": "Full name", "type": "text"})
    d = e.add_question(
        d,
        "about",
        {
            "code": "role",
            "label": "Are you a parent or a carer?",
            "type": "choice",
            "options": [{"value": "parent", "label": "Parent"}, {"value": "carer", "label": "Carer"}],
            "restrictions": {"mandatory": True},
        },
    )
    d = e.add_group(
        d, {"code": "children", "name": "Your children", "show_if": "role = 'parent'", "repeat": {"min": 1, "max": 4}}
    )
    return e.add_question(d, "children", {"code": "child_name", "label": "Child's name", "type": "text"})


def codes(problems) -> list[ErrorCode]:
    return [p.code for p in problems]


def test_a_built_form_loads_and_is_in_canonical_shape():
    definition = two_pages()
    form = form_from_dict(definition)
    assert form.to_dict() == definition
    assert e.fingerprint(definition) == form.fingerprint
    assert [g.code for g in form.groups] == ["about", "children"]
    assert form.group("children").repeat.max_items == 4


def test_every_edit_returns_a_new_dict_and_leaves_its_input_alone():
    definition = two_pages()
    before = copy.deepcopy(definition)
    e.change_details(definition, {"title": "Another title"})
    e.move_group(definition, "children", -1)
    e.delete_question(definition, "full_name")
    e.change_question(definition, "full_name", {"code": "full_name", "label": "Name", "type": "memo"})
    assert definition == before


def test_a_new_form_has_no_pages_and_says_so_when_checked():
    definition = e.new_definition("blank", "Blank")
    [problem] = e.problems_of(definition)
    assert problem.path == "groups" and "must not be empty" in problem.message


def test_bad_form_details_are_refused_in_the_schemas_words():
    with pytest.raises(e.EditError) as caught:
        e.new_definition("Bad Code", "")
    paths = {p.path for p in caught.value.problems}
    assert paths == {"code", "title"}
    assert any("is not a valid code" in p.message for p in caught.value.problems)
    with pytest.raises(e.EditError) as caught:
        e.change_details(two_pages(), {"portal_type": "intranet"})
    assert caught.value.problems[0].path == "portal_type"


def test_empty_description_and_guidance_are_left_out():
    definition = e.change_details(two_pages(), {"description": "For staff", "guidance": "Read this"})
    assert definition["description"] == "For staff"
    cleared = e.change_details(definition, {"description": " ", "guidance": ""})
    assert "description" not in cleared and "guidance" not in cleared


def test_a_question_is_checked_in_place_with_the_engines_messages():
    definition = two_pages()
    with pytest.raises(e.EditError) as caught:
        e.add_question(
            definition,
            "about",
            {
                "code": "age",
                "label": "Age",
                "type": "integer",
                "show_if": "rol = 'x'",
                "restrictions": {"max_length": 3},
            },
        )
    messages = [e.without_context(p) for p in caught.value.problems]
    assert "'max_length' does not apply to a integer question" in messages
    assert "unknown question 'rol' in condition" in messages
    assert {p.path for p in caught.value.problems} == {
        "groups[0].questions[2].restrictions.max_length",
        "groups[0].questions[2].show_if",
    }


def test_codes_are_unique_across_pages_and_questions():
    definition = two_pages()
    with pytest.raises(e.EditError) as caught:
        e.add_question(definition, "about", {"code": "children", "label": "Children", "type": "text"})
    assert codes(caught.value.problems) == [ErrorCode.DEF_DUPLICATE_CODE]
    with pytest.raises(e.EditError) as caught:
        e.change_group(definition, "children", {"code": "full_name", "name": "Children"})
    assert codes(caught.value.problems) == [ErrorCode.DEF_DUPLICATE_CODE]
    # a question keeps its own code without clashing with itself
    e.change_question(definition, "full_name", {"code": "full_name", "label": "Your full name", "type": "text"})


def test_choice_questions_need_options_and_other_types_must_not_have_them():
    definition = two_pages()
    with pytest.raises(e.EditError) as caught:
        e.add_question(definition, "about", {"code": "colour", "label": "Colour", "type": "choice"})
    assert "'options' is missing" in caught.value.problems[0].message
    with pytest.raises(e.EditError):
        e.add_question(definition, "about", {"code": "n", "label": "N", "type": "text", "options": ["a"]})


def test_a_condition_can_only_read_earlier_answers():
    definition = two_pages()
    with pytest.raises(e.EditError) as caught:
        e.change_group(definition, "about", {"code": "about", "name": "About you", "show_if": "role = 'parent'"})
    assert caught.value.problems[0].code is ErrorCode.DEF_REFERENCE_ORDER
    assert [r.code for r in e.page_condition_scope(definition, "children")] == ["full_name", "role"]
    assert e.page_condition_scope(definition, "about") == []
    assert [r.code for r in e.condition_scope(definition, "about", "role")] == ["full_name"]
    later = e.condition_scope(e.add_group(definition, {"code": "end", "name": "End"}), "end")
    assert [r.usage for r in later] == ["full_name", "role", "count(children)"]


def test_check_condition_gives_syntax_type_and_option_problems():
    definition = two_pages()
    assert e.check_condition(definition, "role = 'parent'", "children") == []
    assert e.check_condition(definition, "full_name = 'Sam'", "about", "role") == []
    assert e.check_condition(definition, "role = 'parent'", "about", new=True) == []
    [syntax] = e.check_condition(definition, "role = ", "children")
    assert syntax.code is ErrorCode.DEF_EXPRESSION_SYNTAX and "column" in syntax.message
    [types] = e.check_condition(definition, "role = 3", "children")
    assert "cannot compare text with number" in types.message
    [typo] = e.check_condition(definition, "role = 'parnet'", "children")
    assert "'parnet' is not an option of question 'role'" in typo.message
    [not_boolean] = e.check_condition(definition, "count(children) + 1", "about", new=True)
    assert "count(children) needs an earlier repeating group" in not_boolean.message


def test_repeat_settings_are_checked_and_written_in_canonical_shape():
    definition = two_pages()
    with pytest.raises(e.EditError) as caught:
        e.change_group(definition, "children", {"code": "children", "name": "Kids", "repeat": {"min": 5, "max": 2}})
    assert "min (5) is more than max (2)" in caught.value.problems[0].message
    changed = e.change_group(
        definition, "children", {"code": "children", "name": "Kids", "repeat": {"min": 0, "item_name": "child"}}
    )
    group = changed["groups"][1]
    assert group["repeat"] == {"min": 0, "add_another_label": "Add another", "item_name": "child"}
    assert "show_if" not in group  # a condition left blank is removed
    assert [q["code"] for q in group["questions"]] == ["child_name"]  # questions stay
    assert form_from_dict(changed).to_dict() == changed


def test_moving_pages_swaps_their_numbers_and_stops_at_the_ends():
    definition = e.add_group(two_pages(), {"code": "end", "name": "Anything else"})
    moved = e.move_group(definition, "end", -1)
    assert [(g["code"], g["number"]) for g in moved["groups"]] == [("about", 1), ("end", 2), ("children", 3)]
    assert e.move_group(definition, "about", -1) == definition
    assert e.move_group(definition, "end", +1) == definition


def test_moving_questions_stays_on_the_page():
    definition = two_pages()
    moved = e.move_question(definition, "role", -1)
    assert [q["code"] for q in moved["groups"][0]["questions"]] == ["role", "full_name"]
    assert e.move_question(moved, "role", -1) == moved
    assert e.move_question(definition, "child_name", +1) == definition


def test_deleting_a_question_or_page_leaves_knock_on_problems_for_publishing():
    definition = two_pages()
    without_role = e.delete_question(definition, "role")
    assert [q["code"] for q in without_role["groups"][0]["questions"]] == ["full_name"]
    [problem] = e.problems_of(without_role)
    assert problem.path == "groups[1].show_if" and "unknown question 'role'" in problem.message
    assert e.references_to(definition, "role") == [(("groups", 1, "show_if"), "role = 'parent'")]
    without_page = e.delete_group(definition, "children")
    assert [g["code"] for g in without_page["groups"]] == ["about"]
    with pytest.raises(e.EditError) as caught:
        e.delete_group(definition, "nowhere")
    assert caught.value.problems[0].code is ErrorCode.DEF_UNKNOWN_REFERENCE


def test_a_locked_question_keeps_its_code_type_and_options():
    definition = two_pages()
    locked = {"role"}
    with pytest.raises(e.EditError) as caught:
        e.change_question(definition, "role", {"code": "role2", "label": "Role", "type": "text"}, locked=locked)
    assert {p.path for p in caught.value.problems} == {"groups[0].questions[1].code", "groups[0].questions[1].type"}
    assert all(p.code is ErrorCode.DEF_INCOMPATIBLE_CHANGE for p in caught.value.problems)
    fewer = {"code": "role", "label": "Role", "type": "choice", "options": [{"value": "parent", "label": "Parent"}]}
    with pytest.raises(e.EditError) as caught:
        e.change_question(definition, "role", fewer, locked=locked)
    assert "options cannot be removed: carer" in caught.value.problems[0].message
    more = {**fewer, "label": "Your role", "options": [*fewer["options"], {"value": "carer", "label": "Carer"},
                                                       {"value": "other", "label": "Someone else"}]}  # fmt: skip
    changed = e.change_question(definition, "role", more, locked=locked)
    assert changed["groups"][0]["questions"][1]["label"] == "Your role"
    with pytest.raises(e.EditError):
        e.change_group(definition, "children", {"code": "kids", "name": "Kids", "repeat": {}}, locked={"children"})


def test_questions_are_normalised_to_the_canonical_shape():
    question = e.normalise_question(
        {
            "code": "amount",
            "label": " Amount ",
            "type": "decimal",
            "hint": "",
            "prefill": True,
            "show_if": " ",
            "restrictions": {"mandatory": False, "min_value": "10.50", "max_value": "100.0", "decimal_places": 2},
        }
    )
    assert question == {
        "code": "amount",
        "label": "Amount",
        "type": "decimal",
        "restrictions": {"min_value": "10.50", "max_value": 100, "decimal_places": 2},
    }


def test_options_typed_one_a_line_read_back_the_same():
    options = e.parse_option_lines("Universal Credit\nitc | Working Tax Credit | If you get it\n\n  Other  ")
    assert options == [
        {"value": "universal_credit", "label": "Universal Credit"},
        {"value": "itc", "label": "Working Tax Credit", "hint": "If you get it"},
        {"value": "other", "label": "Other"},
    ]
    assert e.parse_option_lines(e.option_lines(options)) == options
    [duplicate] = e.option_problems(e.parse_option_lines("a | A\na | B"))
    assert duplicate.code is ErrorCode.DEF_DUPLICATE_CODE


def test_codes_made_from_labels_are_valid_and_unique():
    assert e.code_from_text("Child's date of birth") == "childs_date_of_birth"
    assert e.code_from_text("2nd address", ["q_2nd_address"]) == "q_2nd_address_2"
    assert e.code_from_text("!!!") == "question"
    assert e.valid_code(e.code_from_text("Ünïcode name"))


def test_declarations_are_added_changed_and_deleted():
    definition = e.add_declaration(two_pages(), {"code": "truthful", "text": "It is true.", "error_message": ""})
    assert definition["declarations"] == [{"code": "truthful", "text": "It is true."}]
    with pytest.raises(e.EditError) as caught:
        e.add_declaration(definition, {"code": "truthful", "text": "Again"})
    assert caught.value.problems[0].code is ErrorCode.DEF_DUPLICATE_CODE
    changed = e.change_declaration(
        definition, "truthful", {"code": "truthful", "text": "True.", "error_message": "Tick"}
    )
    assert changed["declarations"][0] == {"code": "truthful", "text": "True.", "error_message": "Tick"}
    assert "declarations" not in e.delete_declaration(changed, "truthful")
    form_from_dict(changed)


def test_a_shipped_form_edited_and_reverted_has_its_fingerprint_back():
    form = load_definition_file(FORM_DEFINITIONS / "thirty_hours_foster_carer.yaml")
    definition = form.to_dict()
    question = next(q for g in definition["groups"] for q in g["questions"] if q["code"] == "placing_council")
    changed = e.change_question(definition, "placing_council", {**question, "label": "Which council?"})
    assert e.fingerprint(changed) != form.fingerprint
    reverted = e.change_question(changed, "placing_council", question)
    assert e.fingerprint(reverted) == form.fingerprint
    assert e.problems_of(reverted) == []


def test_changes_between_names_each_changed_part():
    definition = two_pages()
    assert e.changes_between(definition, definition) == []
    moved = e.move_question(definition, "role", -1)
    assert e.changes_between(definition, moved) == [
        {"path": "groups.about.questions (order)", "before": ["full_name", "role"], "after": ["role", "full_name"]}
    ]
    renamed = e.change_details(definition, {"title": "New title"})
    [change] = e.changes_between(definition, renamed)
    assert change == {"path": "title", "before": "Tell us about your family", "after": "New title"}
    deleted = e.delete_question(definition, "child_name")
    order, change = e.changes_between(definition, deleted)
    assert order == {"path": "groups.children.questions (order)", "before": ["child_name"], "after": []}
    assert change["path"] == "groups.children.questions.child_name" and change["after"] is None
    created = e.changes_between(None, definition)
    assert {c["path"] for c in created} >= {"code", "title", "groups.about", "groups.children"}


def test_restrictions_and_widgets_that_fit_each_type_come_from_the_loaders_rules():
    assert e.restrictions_for("text") == ("mandatory", "max_length", "pattern", "on_child_record", "inherit_multiple")
    assert "decimal_places" in e.restrictions_for("decimal") and "decimal_places" not in e.restrictions_for("integer")
    assert {"in_the_past", "before", "at_most_years_ago"} <= set(e.restrictions_for("date"))
    assert e.restrictions_for("file") == ("mandatory", "file_types", "on_child_record", "inherit_multiple")
    assert e.restrictions_for("no_such_type") == ()
    assert e.widgets_for("choice") == ("radios", "select") and e.widgets_for("text") == ()


def test_a_condition_for_a_page_not_added_yet_reads_every_page():
    definition = two_pages()
    assert e.check_condition(definition, "count(children) > 1 and role = 'parent'", None, new=True) == []
    [problem] = e.check_condition(definition, "full_name > 3", None, new=True)
    assert "cannot compare text with number" in problem.message


def test_texts_of_several_lines_are_kept_exactly_and_single_lines_are_trimmed():
    definition = e.change_details(two_pages(), {"title": "  Title  ", "guidance": "First.\n\n- a list\n"})
    assert definition["title"] == "Title" and definition["guidance"] == "First.\n\n- a list\n"
    assert "guidance" not in e.change_details(definition, {"guidance": "\n  \n"})
