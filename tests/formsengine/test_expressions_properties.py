"""Properties that must hold for every input, not just the examples in test_expressions.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from formsengine.expressions import ExpressionSyntaxError, Type, parse

FAST = settings(max_examples=200, deadline=None)

TODAY = date(2027, 9, 1)
QUESTION_TYPES = {
    "name": Type.TEXT,
    "income": Type.NUMBER,
    "children": Type.NUMBER,
    "in_london": Type.BOOLEAN,
    "dob": Type.DATE,
    "start": Type.DATE,
    "benefits": Type.LIST,
    "proof": Type.FILE,
}
GROUP_CODES = {"household"}
CODES = sorted(QUESTION_TYPES)

# Pieces of the language and near misses, so that random text often gets deep into the parser.
PIECES = [
    *CODES, "household", "and", "or", "not", "in", "true", "false", "null", "today", "age_on",
    "years_between", "days_between", "len", "count", "answered", "date", "agee_on", "(", ")", "[", "]",
    ",", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "0", "7", "2.50", "1.", "'x'",
    '"y"', "'2027-09-01'", "'2027-02-30'", "'", '"', "!", "&", "$", ".", "True", " ", "\n",
]  # fmt: skip
token_soup = st.lists(st.sampled_from(PIECES), max_size=40).flatmap(
    lambda pieces: st.sampled_from(["", " "]).map(lambda separator: separator.join(pieces))
)

# Any Python object an embedding application might wrongly pass as an answer.
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(),  # including NaN, sNaN and infinities
    st.floats(),
    st.text(max_size=5),
    st.dates(),
    st.datetimes(),
    st.lists(st.text(max_size=3), max_size=3),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.binary(max_size=3),
    st.builds(object),
)
junk_answers = st.dictionaries(st.sampled_from(CODES), junk)
junk_group_counts = st.dictionaries(st.just("household"), junk)


def parsed_or_refused(source: str):
    try:
        expression = parse(source)
    except ExpressionSyntaxError as error:
        assert error.message
        assert 1 <= error.column <= len(source) + 1
        return None
    assert expression.source == source
    return expression


@FAST
@given(st.text(max_size=200))
def test_parse_of_any_text_raises_only_syntax_errors(source):
    parsed_or_refused(source)


@FAST
@given(token_soup, junk_answers, junk_group_counts, st.dates())
def test_any_expression_that_parses_can_be_checked_and_evaluated_without_raising(source, answers, group_counts, today):
    expression = parsed_or_refused(source)
    if expression is None:
        return
    assert all(isinstance(problem, str) for problem in expression.check(QUESTION_TYPES, GROUP_CODES))
    assert isinstance(expression.result_type(QUESTION_TYPES, GROUP_CODES), Type)
    result = expression.evaluate(answers, today=today, group_counts=group_counts)
    assert result is None or isinstance(result, str | int | Decimal | bool | date | tuple)


# --- well-typed expressions, built type by type ---

text_literal = st.text(st.characters(blacklist_characters="'", codec="utf-8"), max_size=5).map(lambda text: f"'{text}'")
number_literal = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(0, 10**6, places=2).map(str),
)
date_literal = st.dates().map(lambda day: f"date('{day.isoformat()}')")
list_literal = st.lists(text_literal, max_size=3).map(lambda items: f"[{', '.join(items)}]")

LEAVES = {
    Type.TEXT: st.one_of(text_literal, st.just("name")),
    Type.NUMBER: st.one_of(number_literal, st.sampled_from(["income", "children", "count(household)"])),
    Type.BOOLEAN: st.one_of(
        st.sampled_from(["true", "false", "in_london"]),
        st.sampled_from(CODES).map(lambda code: f"answered({code})"),
    ),
    Type.DATE: st.one_of(date_literal, st.sampled_from(["dob", "start", "today()"])),
    Type.LIST: st.one_of(list_literal, st.just("benefits")),
}


@cache  # strategies are immutable, and building this tree of them afresh for each example is slow
def typed(result: Type, depth: int = 3) -> st.SearchStrategy[str]:
    """Source text of an expression of type ``result``, every operation bracketed."""
    if depth == 0 or result in (Type.TEXT, Type.LIST):
        return LEAVES[result]

    def sub(kind: Type) -> st.SearchStrategy[str]:
        return typed(kind, depth - 1)

    def binary(left: Type, operators: list[str], right: Type) -> st.SearchStrategy[str]:
        return st.tuples(sub(left), st.sampled_from(operators), sub(right)).map(lambda p: f"({' '.join(p)})")

    def call(function: str, *kinds: Type) -> st.SearchStrategy[str]:
        return st.tuples(*(sub(kind) for kind in kinds)).map(lambda args: f"{function}({', '.join(args)})")

    compound = {
        Type.NUMBER: [
            binary(Type.NUMBER, ["+", "-", "*", "/"], Type.NUMBER),
            binary(Type.DATE, ["-"], Type.DATE),
            sub(Type.NUMBER).map(lambda operand: f"(-{operand})"),
            call("age_on", Type.DATE, Type.DATE),
            call("years_between", Type.DATE, Type.DATE),
            call("days_between", Type.DATE, Type.DATE),
            call("len", Type.TEXT),
            call("len", Type.LIST),
        ],
        Type.BOOLEAN: [
            binary(Type.BOOLEAN, ["and", "or"], Type.BOOLEAN),
            sub(Type.BOOLEAN).map(lambda operand: f"(not {operand})"),
            binary(Type.NUMBER, ["=", "==", "!=", "<", "<=", ">", ">="], Type.NUMBER),
            binary(Type.DATE, ["=", "!=", "<", "<=", ">", ">="], Type.DATE),
            binary(Type.TEXT, ["=", "!="], Type.TEXT),
            binary(Type.BOOLEAN, ["=", "!="], Type.BOOLEAN),
            binary(Type.TEXT, ["in", "not in"], Type.LIST),
        ],
        Type.DATE: [binary(Type.DATE, ["+", "-"], Type.NUMBER)],
    }
    return st.one_of(LEAVES[result], *compound[result])


well_typed = st.sampled_from([Type.TEXT, Type.NUMBER, Type.BOOLEAN, Type.DATE, Type.LIST]).flatmap(
    lambda result: st.tuples(st.just(result), typed(result))
)
ANSWER_VALUES = {
    "name": st.text(max_size=5),
    "income": st.decimals(-(10**9), 10**9, places=2),
    "children": st.integers(0, 10),
    "in_london": st.booleans(),
    "dob": st.dates(),
    "start": st.dates(),
    "benefits": st.lists(st.text(max_size=3), max_size=3),
    "proof": st.builds(object),
}
typed_answers = st.fixed_dictionaries({}, optional=ANSWER_VALUES)
PYTHON_TYPES = {
    Type.TEXT: str,
    Type.NUMBER: int | Decimal,
    Type.BOOLEAN: bool,
    Type.DATE: date,
    Type.LIST: tuple,
}


@FAST
@given(well_typed, typed_answers, st.integers(0, 5), st.dates())
def test_a_well_typed_expression_evaluates_to_its_type_or_none(typed_source, answers, members, today):
    result_type, source = typed_source
    expression = parse(source)
    assert expression.check(QUESTION_TYPES, GROUP_CODES) == []
    assert expression.result_type(QUESTION_TYPES, GROUP_CODES) is result_type
    result = expression.evaluate(answers, today=today, group_counts={"household": members})
    assert result is None or (
        isinstance(result, PYTHON_TYPES[result_type]) and not (result_type is Type.NUMBER and result is True)
    )


@FAST
@given(well_typed, junk_answers, junk_group_counts)
def test_a_well_typed_expression_survives_answers_of_any_type(typed_source, answers, group_counts):
    _result_type, source = typed_source
    parse(source).evaluate(answers, today=TODAY, group_counts=group_counts)


# --- laws ---

truth = st.sampled_from([True, False, None])


@FAST
@given(truth, truth)
def test_de_morgan_holds_in_three_valued_logic(first, second):
    answers = {"a": first, "b": second}
    assert parse("not (a and b)").evaluate(answers, today=TODAY) is parse("not a or not b").evaluate(
        answers, today=TODAY
    )
    assert parse("not (a or b)").evaluate(answers, today=TODAY) is parse("not a and not b").evaluate(
        answers, today=TODAY
    )


@FAST
@given(st.integers(), st.integers())
def test_whole_number_arithmetic_is_exact(first, second):
    answers = {"a": first, "b": second}
    assert parse("a + b").evaluate(answers, today=TODAY) == first + second
    assert parse("a - b").evaluate(answers, today=TODAY) == first - second
    assert parse("a * b").evaluate(answers, today=TODAY) == first * second
    assert parse("a < b").evaluate(answers, today=TODAY) is (first < second)
    assert parse("a = b").evaluate(answers, today=TODAY) is (first == second)


@FAST
@given(st.decimals(-(10**12), 10**12, places=2), st.decimals(-(10**12), 10**12, places=2))
def test_money_arithmetic_is_exact(first, second):
    answers = {"a": first, "b": second}
    assert parse("a + b").evaluate(answers, today=TODAY) == first + second
    assert parse("a - b").evaluate(answers, today=TODAY) == first - second
    assert parse("a * b").evaluate(answers, today=TODAY) == first * second


def anniversary(born: date, years: int) -> date:
    """The reference rule, written differently from the library's: 29 February moves to 1 March."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@FAST
@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_age_on_counts_anniversaries_passed(born, on):
    years = 0
    while anniversary(born, years + 1) <= on:
        years += 1
    age = parse("age_on(a, b)").evaluate({"a": born, "b": on}, today=TODAY)
    assert age == (years if born <= on else -parse("age_on(b, a)").evaluate({"a": born, "b": on}, today=TODAY))
    assert age >= 0 or on < born


@FAST
@given(st.dates(), st.dates())
def test_days_between_undoes_adding_days(first, second):
    answers = {"a": first, "b": second}
    days = parse("days_between(a, b)").evaluate(answers, today=TODAY)
    assert days == parse("b - a").evaluate(answers, today=TODAY)
    assert parse(f"a + {days}" if days >= 0 else f"a - {-days}").evaluate(answers, today=TODAY) == second
