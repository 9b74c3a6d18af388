"""Property-based tests: no input, however malformed, raises anything but a validation result.

Inputs come from people (raw form fields), from storage (JSON answers) and from administrators
(definition text); each must come back as errors, never as an exception.
"""

from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formsengine import (
    DefinitionError,
    ErrorCode,
    drop_hidden_answers,
    field_ids,
    from_json,
    load_definition_file,
    load_definition_text,
    parse_declarations,
    parse_page,
    prefill,
    raw_from_value,
    summary,
    to_json,
    validate_form,
    visible_groups,
)
from formsengine.formats import normalise_email, normalise_ni_number, normalise_phone, normalise_postcode
from formsengine.types import parse_raw

FORMS = {p.stem: load_definition_file(p) for p in sorted((Path(__file__).resolve().parents[2] / "form_definitions")
                                                         .glob("*.yaml"))}
PAGES = [(form, group.code) for form in FORMS.values() for group in form.groups]
ANSWER_CODES = {c for c in ErrorCode if not c.name.startswith("DEF_")}
FIELD_NAMES = sorted({name for form in FORMS.values() for q in form.questions for name in field_ids(q)})

PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(["\x00", "\ud800", "9" * 5000, "1e999999", "NaN", "-0", "31", "02", "2024", "yes", "no",
                     "ab 12 34 56 c", "sw1a 1aa", "name@example.com", "x" * 20000, " ", "£1,000.50", "0906123456"]),
)
raw_value = st.one_of(
    nasty_text,
    st.lists(st.one_of(nasty_text, st.integers(), st.none()), max_size=4),
    st.none(),
    st.integers(),
    st.floats(),
    st.dictionaries(st.sampled_from(["upload_id", "filename", "size", "content_type"]),
                    st.one_of(nasty_text, st.integers(), st.none()), max_size=4),
)
raw_fields = st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10)), raw_value, max_size=25)

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), nasty_text),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=10), children, max_size=3)),
    max_leaves=10,
)
typed_value = st.one_of(json_value, st.dates(), st.datetimes(), st.decimals(allow_nan=True))
QUESTION_AND_GROUP_CODES = sorted({q.code for f in FORMS.values() for q in f.questions}
                                  | {g.code for f in FORMS.values() for g in f.groups})
answers_strategy = st.dictionaries(
    st.sampled_from(QUESTION_AND_GROUP_CODES),
    st.one_of(typed_value, st.lists(st.dictionaries(st.sampled_from(QUESTION_AND_GROUP_CODES), typed_value,
                                                    max_size=3), max_size=3)),
    max_size=20,
)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@PROFILE
@given(page=st.sampled_from(PAGES), raw=raw_fields, answers=answers_strategy, today=days)
def test_parse_page_never_raises(page, raw, answers, today):
    form, group_code = page
    result = parse_page(form, group_code, raw, answers, today=today)
    assert all(error.code in ANSWER_CODES and error.message for error in result.errors)
    assert set(result.values) <= {q.code for q in form.group(group_code).questions}


@PROFILE
@given(form=st.sampled_from(list(FORMS.values())), answers=answers_strategy, today=days)
def test_whole_form_functions_never_raise_on_any_answers(form, answers, today):
    errors = validate_form(form, answers, today)
    assert all(error.code in ANSWER_CODES for error in errors)
    visible_groups(form, answers, today)
    summary(form, answers, today)
    drop_hidden_answers(form, answers, today)
    prefill(form, answers)


@PROFILE
@given(form=st.sampled_from(list(FORMS.values())), data=st.one_of(answers_strategy, json_value), today=days)
def test_stored_answers_never_raise_and_survive_a_round_trip(form, data, today):
    answers = from_json(form, data)
    validate_form(form, answers, today)
    assert from_json(form, to_json(form, answers)) == answers


@PROFILE
@given(form=st.sampled_from(list(FORMS.values())), raw=raw_fields)
def test_declarations_never_raise(form, raw):
    parse_declarations(form, raw)


@PROFILE
@given(page=st.sampled_from(PAGES), raw=raw_fields, data=st.data())
def test_a_parsed_value_reads_back_from_its_own_raw_fields(page, raw, data):
    form, group_code = page
    question = data.draw(st.sampled_from(form.group(group_code).questions))
    value, issue = parse_raw(question, raw)
    if issue is None and value is not None:
        assert parse_raw(question, raw_from_value(question, value)) == (value, None)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_definition_text_gives_a_form_or_a_definition_error(text):
    try:
        load_definition_text(text, "fuzz.yaml")
    except DefinitionError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" and p.code.name.startswith("DEF_") for p in exc.problems)


definition_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=15),
              st.sampled_from(["text", "date", "choice", "a = 1", "count(x) > 1", "q", "g", "2027-02-30", "x ="])),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["code", "title", "version", "groups", "number", "name", "questions", "label",
                                         "type", "options", "show_if", "restrictions", "repeat", "rules", "check",
                                         "question", "message", "mandatory", "min", "max", "pattern", "regex"]),
                        children, max_size=5),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=definition_like)
def test_any_definition_structure_gives_a_form_or_a_definition_error(data):
    try:
        load_definition_text(yaml.safe_dump(data), "fuzz.yaml")
    except DefinitionError as exc:
        assert exc.problems


def mutated_definition(text: str, seed_line: int, replacement: str) -> str:
    lines = text.splitlines()
    index = seed_line % len(lines)
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = indent + replacement
    return "\n".join(lines)


SHIPPED_TEXT = (Path(__file__).resolve().parents[2] / "form_definitions" / "two_year_old_funding.yaml").read_text()


@settings(max_examples=100, deadline=None)
@given(line=st.integers(min_value=0, max_value=10_000), replacement=st.one_of(
    st.text(max_size=30),
    st.sampled_from(["show_if: nope = 1", "type: money", "- code: x", "restrictions: {max_length: -1}",
                     "show_if: count(evidence) > 1", "number: 1", "code: parent", "show_if: benefit = 3"])))
def test_a_mutated_shipped_definition_gives_a_form_or_a_definition_error(line, replacement):
    try:
        load_definition_text(mutated_definition(SHIPPED_TEXT, line, replacement), "mutated.yaml")
    except DefinitionError as exc:
        assert all(p.line is None or p.line >= 1 for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.text(max_size=3))))
def test_format_checkers_never_raise_and_are_idempotent(text):
    for normalise in (normalise_email, normalise_ni_number, normalise_phone, normalise_postcode):
        stored = normalise(text)
        assert stored is None or normalise(stored) == stored


def test_a_decimal_beyond_the_typed_limits_is_not_stored_and_exponents_are_written_out():
    from decimal import Decimal

    form = FORMS["two_year_old_funding"]
    assert from_json(form, {"nrpf_income": Decimal("0.000009999900")}) == {}
    stored = to_json(form, {"nrpf_income": Decimal("1E+5")})
    assert stored == {"nrpf_income": "100000"}
    assert from_json(form, stored) == {"nrpf_income": Decimal("100000")}
