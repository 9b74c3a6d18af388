from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, datetime
from decimal import Decimal, getcontext, localcontext

import pytest

from formsengine.expressions import MAX_DEPTH, MAX_LENGTH, ExpressionSyntaxError, Type, parse
from formsengine.expressions.nodes import Binary, Call, Literal, Node, Unary

TODAY = date(2027, 9, 1)

QUESTION_TYPES = {
    "name": Type.TEXT,
    "benefit": Type.TEXT,
    "income": Type.NUMBER,
    "children": Type.NUMBER,
    "in_london": Type.BOOLEAN,
    "has_partner": Type.BOOLEAN,
    "child_date_of_birth": Type.DATE,
    "start_date": Type.DATE,
    "benefits": Type.LIST,
    "proof": Type.FILE,
}
GROUP_CODES = {"household_members"}


def value(source: str, answers: dict | None = None, **options):
    return parse(source).evaluate(answers or {}, today=TODAY, **options)


def problems(source: str) -> list[str]:
    return parse(source).check(QUESTION_TYPES, GROUP_CODES)


def result_type(source: str) -> Type:
    expression = parse(source)
    assert expression.check(QUESTION_TYPES, GROUP_CODES) == []
    return expression.result_type(QUESTION_TYPES, GROUP_CODES)


def syntax_error(source: str) -> tuple[str, int]:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(source)
    return caught.value.message, caught.value.column


def shape(source: str) -> str:
    """The tree with every operator bracketed, to show how the parser grouped the source."""

    def show(node: Node) -> str:
        match node:
            case Binary():
                return f"({show(node.left)} {node.operator} {show(node.right)})"
            case Unary():
                return f"({node.operator} {show(node.operand)})"
            case Call():
                return f"{node.function}({', '.join(show(arg) for arg in node.args)})"
            case Literal(type=Type.TEXT):
                return repr(node.value)
            case Literal():
                return str(node.value)
            case _:
                return getattr(node, "code", type(node).__name__)

    return show(parse(source).tree)


# --- literals and tokens ---


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("12.50", Decimal("12.50")),
        ("'single quoted'", "single quoted"),
        ('"double quoted"', "double quoted"),
        ('"it\'s"', "it's"),
        ("'say \"hello\"'", 'say "hello"'),
        ("''", ""),
        ("true", True),
        ("false", False),
        ("null", None),
        ("['a', \"b\"]", ("a", "b")),
        ("[]", ()),
        ("date('2027-09-01')", date(2027, 9, 1)),
        ("date('2028-02-29')", date(2028, 2, 29)),
        ("today()", TODAY),
    ],
)
def test_literals(source, expected):
    assert value(source) == expected
    assert type(value(source)) is type(expected)


def test_integer_literals_are_int_and_decimal_literals_are_exact():
    assert type(value("3")) is int
    assert value("0.1 + 0.2") == Decimal("0.3")


def test_whitespace_and_line_breaks_are_ignored():
    assert value("1\n+\t2  *\r\n3") == 7


def test_question_codes_read_answers():
    assert value("name", {"name": "Sam"}) == "Sam"
    assert value("_private_2", {"_private_2": 2}) == 2


def test_keywords_are_not_question_codes_but_function_names_can_be():
    assert shape("today") == "today"
    assert value("len", {"len": 3}) == 3
    assert parse("today").references == frozenset({"today"})


def test_equal_trees_ignore_spacing():
    assert parse("a=1").tree == parse("a  =  1").tree
    assert parse("a = 1").tree != parse("a = 2").tree


def test_the_tree_cannot_be_changed():
    expression = parse("a = 1")
    with pytest.raises(FrozenInstanceError):
        expression.tree.operator = "!="  # type: ignore[union-attr]
    with pytest.raises(FrozenInstanceError):
        expression.source = "b"  # type: ignore[misc]


# --- precedence and grouping ---


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a or b and c", "(a or (b and c))"),
        ("a and b or c", "((a and b) or c)"),
        ("a or b or c", "((a or b) or c)"),
        ("not a and b", "((not a) and b)"),
        ("not a or not b", "((not a) or (not b))"),
        ("not a = b", "(not (a = b))"),
        ("not not a", "(not (not a))"),
        ("a and not b", "(a and (not b))"),
        ("a = 1 and b = 2", "((a = 1) and (b = 2))"),
        ("a + 1 > b * 2", "((a + 1) > (b * 2))"),
        ("a in ['x'] or b not in ['y']", "((a in ('x',)) or (b not in ('y',)))"),
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("8 / 4 / 2", "((8 / 4) / 2)"),
        ("2 * 3 / 4", "((2 * 3) / 4)"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("-a * b", "((- a) * b)"),
        ("a * -b", "(a * (- b))"),
        ("- - a", "(- (- a))"),
        ("-(a + b)", "(- (a + b))"),
        ("not -a > 1", "(not ((- a) > 1))"),
        ("((a))", "a"),
        ("age_on(a, b + 1) >= 2", "(age_on(a, (b + 1)) >= 2)"),
    ],
)
def test_precedence(source, expected):
    assert shape(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("16 / 4 / 2", 2),
        ("-2 * 3", -6),
        ("true or false and false", True),
        ("(true or false) and false", False),
        ("not false and false", False),
        ("not (false and false)", True),
    ],
)
def test_precedence_decides_the_result(source, expected):
    assert value(source) == expected


# --- operators ---


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2 + 3", 5),
        ("2 - 3", -1),
        ("2 * 3", 6),
        ("6 / 3", 2),
        ("7 / 2", Decimal("3.5")),
        ("1 / 3", Decimal("0.3333333333333333333333333333")),
        ("2.5 + 1", Decimal("3.5")),
        ("2.50 * 2", Decimal("5.00")),
        ("-2.5", Decimal("-2.5")),
        ("-(-3)", 3),
    ],
)
def test_arithmetic(source, expected):
    assert value(source) == expected


def test_whole_numbers_stay_exact_integers_until_divided():
    assert value("a * a", {"a": 10**30}) == 10**60
    assert type(value("2 * 3")) is int
    assert isinstance(value("6 / 3"), Decimal)


def test_arithmetic_mixes_int_and_decimal_answers():
    assert value("income + children", {"income": Decimal("100.25"), "children": 2}) == Decimal("102.25")


def test_arithmetic_ignores_the_callers_decimal_context():
    with localcontext() as context:
        context.prec = 3
        assert value("1 / 3") == Decimal("0.3333333333333333333333333333")
    assert getcontext().prec == 28


@pytest.mark.parametrize("source", ["1 / 0", "1.5 / 0", "0 / 0", "a / b"])
def test_division_by_zero_is_none(source):
    assert value(source, {"a": 1, "b": Decimal("0.0")}) is None


def test_decimal_overflow_is_none():
    assert value("a * a", {"a": Decimal("9E+999999")}) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("date('2027-01-31') + 1", date(2027, 2, 1)),
        ("date('2027-03-01') - 1", date(2027, 2, 28)),
        ("date('2027-03-01') + 2.0", date(2027, 3, 3)),
        ("date('2027-03-01') - date('2027-02-01')", 28),
        ("date('2027-02-01') - date('2027-03-01')", -28),
    ],
)
def test_date_arithmetic_moves_by_days(source, expected):
    assert value(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "date('2027-03-01') + 0.5",  # only whole days
        "date('9999-12-31') + 1",
        "date('0001-01-01') - 1",
        "date('2027-01-01') + 10000000000",
    ],
)
def test_dates_outside_the_calendar_or_part_days_are_none(source):
    assert value(source) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 = 1", True),
        ("1 == 1", True),
        ("1 = 2", False),
        ("1 != 2", True),
        ("1 != 1", False),
        ("1 = 1.0", True),
        ("2 > 1.5", True),
        ("1 < 2", True),
        ("2 < 2", False),
        ("2 <= 2", True),
        ("3 <= 2", False),
        ("3 > 2", True),
        ("2 > 2", False),
        ("2 >= 2", True),
        ("1 >= 2", False),
        ("date('2027-01-01') < date('2027-01-02')", True),
        ("date('2027-01-01') = date('2027-01-01')", True),
        ("'a' = 'a'", True),
        ("'a' = 'A'", False),  # text comparison is case-sensitive
        ("'a' != 'A'", True),
        ("true = true", True),
        ("true != false", True),
    ],
)
def test_comparisons(source, expected):
    assert value(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'a' in ['a', 'b']", True),
        ("'c' in ['a', 'b']", False),
        ("'A' in ['a', 'b']", False),
        ("'a' not in ['a', 'b']", False),
        ("'c' not in ['a', 'b']", True),
        ("'a' in []", False),
        ("benefit in ['universal_credit', 'tax_credits']", True),
        ("'nrpf' in benefits", True),
        ("'dla' in benefits", False),
        ("'dla' not in benefits", True),
    ],
)
def test_in_checks_text_against_a_list_literal_or_a_list_answer(source, expected):
    answers = {"benefit": "tax_credits", "benefits": ["nrpf", "income_support"]}
    assert value(source, answers) is expected


@pytest.mark.parametrize(
    ("left", "right", "conjunction", "disjunction"),
    [
        (True, True, True, True),
        (True, False, False, True),
        (False, True, False, True),
        (False, False, False, False),
        (True, None, None, True),
        (None, True, None, True),
        (False, None, False, None),
        (None, False, False, None),
        (None, None, None, None),
    ],
)
def test_and_or_use_three_valued_logic(left, right, conjunction, disjunction):
    answers = {"a": left, "b": right}
    assert value("a and b", answers) is conjunction
    assert value("a or b", answers) is disjunction


@pytest.mark.parametrize(("operand", "expected"), [(True, False), (False, True), (None, None)])
def test_not_keeps_unknown_unknown(operand, expected):
    assert value("not a", {"a": operand}) is expected


# --- functions ---


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2025, 9, 1), date(2027, 9, 1), 2),  # on the birthday
        (date(2025, 9, 2), date(2027, 9, 1), 1),  # the day before
        (date(2025, 8, 31), date(2027, 9, 1), 2),
        (date(2027, 9, 1), date(2027, 9, 1), 0),
        (date(2024, 2, 29), date(2025, 2, 28), 0),  # born on 29 February: a year older on 1 March
        (date(2024, 2, 29), date(2025, 3, 1), 1),
        (date(2024, 2, 29), date(2028, 2, 28), 3),
        (date(2024, 2, 29), date(2028, 2, 29), 4),  # a leap year has the real anniversary
        (date(2028, 3, 1), date(2027, 9, 1), 0),  # not born yet: no whole year the other way
        (date(2029, 9, 1), date(2027, 9, 1), -2),
    ],
)
def test_age_on_counts_whole_years_completed(born, on, age):
    answers = {"child_date_of_birth": born, "start_date": on}
    assert value("age_on(child_date_of_birth, start_date)", answers) == age
    assert value("years_between(child_date_of_birth, start_date)", answers) == age


def test_age_on_today():
    assert value("age_on(child_date_of_birth, today())", {"child_date_of_birth": date(2025, 9, 1)}) == 2


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2027-09-01", "2027-09-01", 0),
        ("2027-09-01", "2027-09-02", 1),
        ("2027-09-02", "2027-09-01", -1),
        ("2028-02-01", "2028-03-01", 29),
        ("2027-01-01", "2028-01-01", 365),
    ],
)
def test_days_between_is_the_second_date_minus_the_first(start, end, days):
    assert value(f"days_between(date('{start}'), date('{end}'))") == days


@pytest.mark.parametrize(
    ("source", "expected"),
    [("len('')", 0), ("len('four')", 4), ("len(['a', 'b'])", 2), ("len(benefits)", 3), ("len(name)", 3)],
)
def test_len_counts_characters_or_choices(source, expected):
    assert value(source, {"benefits": ["a", "b", "c"], "name": "Sam"}) == expected


def test_count_reads_group_counts_and_a_missing_group_has_no_entries():
    assert value("count(household_members)", group_counts={"household_members": 3}) == 3
    assert value("count(household_members)") == 0


@pytest.mark.parametrize("count", [-1, True, "3", 2.0, None])
def test_count_of_a_nonsense_group_count_is_none(count):
    assert value("count(household_members)", group_counts={"household_members": count}) is None


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (None, False),
        ("", True),
        (0, True),
        (False, True),
        ([], True),
        (object(), True),
        (Decimal("NaN"), False),
    ],
)
def test_answered_is_true_for_any_value(answer, expected):
    assert value("answered(name)", {"name": answer}) is expected
    assert value("answered(name)") is False


def test_a_file_question_on_its_own_is_true_when_uploaded():
    assert value("proof", {"proof": object()}) is True
    assert value("proof") is None


# --- None: unanswered questions ---


@pytest.mark.parametrize(
    "source",
    [
        "income + 1",
        "1 - income",
        "income * 2",
        "income / 2",
        "-income",
        "not in_london",
        "start_date + 1",
        "start_date - child_date_of_birth",
        "age_on(child_date_of_birth, today())",
        "years_between(child_date_of_birth, start_date)",
        "days_between(child_date_of_birth, start_date)",
        "len(name)",
        "null + 1",
        "in_london and true",
        "in_london or false",
    ],
)
def test_operations_on_unanswered_questions_are_none(source):
    assert value(source) is None


@pytest.mark.parametrize(
    "source",
    [
        "income = 1",
        "income != 1",
        "income < 1",
        "income <= 1",
        "income > 1",
        "income >= 1",
        "name = 'Sam'",
        "name != 'Sam'",
        "benefit in ['a']",
        "benefit not in ['a']",
        "'a' in benefits",
        "'a' not in benefits",
        "age_on(child_date_of_birth, today()) >= 2",
        "income = income",
    ],
)
def test_comparisons_with_unanswered_questions_are_false(source):
    assert value(source) is False


def test_unanswered_logic_is_decided_by_the_other_side():
    assert value("in_london and false") is False
    assert value("in_london or true") is True
    assert value("not (income > 1)") is True  # the comparison is false, so its negation is true


# --- answers of the wrong Python type behave as if unanswered ---


@pytest.mark.parametrize(
    ("source", "answer"),
    [
        ("income + 1", "12"),
        ("income + 1", True),  # a bool is not a number, though Python says it is an int
        ("income + 1", 1.5),  # floats are not exact; answers must be int or Decimal
        ("income + 1", Decimal("NaN")),
        ("income + 1", Decimal("Infinity")),
        ("income + 1", [1]),
        ("income + 1", object()),
        ("-income", "1"),
        ("not income", 0),
        ("income and true", 1),
        ("len(income)", 12),
        ("age_on(income, today())", "2025-09-01"),
        ("income + 1", {"a": 1}),
    ],
)
def test_operations_on_answers_of_the_wrong_type_are_none(source, answer):
    assert value(source, {"income": answer}) is None


@pytest.mark.parametrize(
    ("source", "answer"),
    [
        ("income = 12", "12"),
        ("income != 12", "12"),
        ("income > 1", True),
        ("income = 1", True),
        ("income > 1", Decimal("sNaN")),
        ("income in ['a']", ["a"]),
        ("'a' in income", "abc"),  # in is not a substring test
        ("'a' in income", ["a", 1]),
        ("income = income", object()),
        ("income < income", "a"),  # text is not ordered
        ("income = income", ["a"]),  # lists are not compared
    ],
)
def test_comparisons_with_answers_of_the_wrong_type_are_false(source, answer):
    assert value(source, {"income": answer}) is False


class Awkward:
    """An answer whose methods raise, to show the evaluator never calls them."""

    def __eq__(self, other):
        raise RuntimeError("compared")

    def __hash__(self):
        raise RuntimeError("hashed")

    def __bool__(self):
        raise RuntimeError("tested")


@pytest.mark.parametrize("source", ["a = 1", "a = a", "a + 1", "a and true", "not a", "'x' in a", "len(a)"])
def test_answers_are_never_asked_to_do_anything(source):
    assert value(source, {"a": Awkward()}) in (None, False)


def test_a_datetime_answer_is_read_as_its_date():
    answers = {"start_date": datetime(2027, 9, 1, 23, 59)}
    assert value("start_date = date('2027-09-01')", answers) is True
    assert value("start_date - date('2027-08-31')", answers) == 1


def test_a_tuple_of_text_is_a_list_answer():
    assert value("'a' in benefits", {"benefits": ("a", "b")}) is True


def test_today_that_is_not_a_date_gives_none():
    assert parse("today()").evaluate({}, today="2027-09-01") is None  # type: ignore[arg-type]


def test_today_is_the_date_of_a_datetime():
    assert parse("today()").evaluate({}, today=datetime(2027, 9, 1, 8)) == date(2027, 9, 1)


# --- references ---


def test_references_name_every_question_read():
    expression = parse(
        "age_on(child_date_of_birth, today()) >= 2 and (benefit in ['tax_credits'] or answered(proof))"
        " and count(household_members) > 1"
    )
    assert expression.references == frozenset({"child_date_of_birth", "benefit", "proof"})
    assert expression.group_references == frozenset({"household_members"})
    assert expression.source.startswith("age_on(")


def test_an_expression_of_constants_references_nothing():
    expression = parse("1 + 2 = 3")
    assert expression.references == frozenset()
    assert expression.group_references == frozenset()


# --- static types ---


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("'a'", Type.TEXT),
        ("name", Type.TEXT),
        ("1", Type.NUMBER),
        ("1.5", Type.NUMBER),
        ("income / 2", Type.NUMBER),
        ("-income", Type.NUMBER),
        ("true", Type.BOOLEAN),
        ("in_london", Type.BOOLEAN),
        ("not in_london", Type.BOOLEAN),
        ("in_london and has_partner or false", Type.BOOLEAN),
        ("income > 1", Type.BOOLEAN),
        ("benefit in benefits", Type.BOOLEAN),
        ("answered(name)", Type.BOOLEAN),
        ("today()", Type.DATE),
        ("date('2027-09-01')", Type.DATE),
        ("start_date + 1", Type.DATE),
        ("start_date - 1", Type.DATE),
        ("start_date - child_date_of_birth", Type.NUMBER),
        ("age_on(child_date_of_birth, today())", Type.NUMBER),
        ("years_between(child_date_of_birth, today())", Type.NUMBER),
        ("days_between(child_date_of_birth, today())", Type.NUMBER),
        ("len(name)", Type.NUMBER),
        ("len(benefits)", Type.NUMBER),
        ("count(household_members)", Type.NUMBER),
        ("['a']", Type.LIST),
        ("benefits", Type.LIST),
        ("proof", Type.FILE),
        ("null", Type.NONE),
        ("null + 1", Type.NONE),
        ("-null", Type.NONE),
        ("not null", Type.NONE),
        ("len(null)", Type.NONE),
        ("null and true", Type.BOOLEAN),
    ],
)
def test_result_type(source, expected):
    assert result_type(source) is expected


def test_result_type_of_an_ill_typed_expression_is_none_rather_than_an_exception():
    assert parse("uc_claim + 1").result_type(QUESTION_TYPES, GROUP_CODES) is Type.NONE
    assert parse("name + 1").result_type(QUESTION_TYPES, GROUP_CODES) is Type.NONE


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("uc_claim", ["unknown question 'uc_claim'"]),
        ("answered(uc_claim)", ["unknown question 'uc_claim'"]),
        ("count(children_group)", ["unknown group 'children_group' in count()"]),
        ("count(name)", ["unknown group 'name' in count()"]),
        ("start_date = 1", ["cannot compare date with number"]),
        ("name > 1", ["cannot compare text with number"]),
        ("in_london = 'yes'", ["cannot compare true/false with text"]),
        ("name < 'b'", ["'<' needs numbers or dates, not text"]),
        ("in_london >= true", ["'>=' needs numbers or dates, not true/false"]),
        ("benefits = ['a']", ["cannot use '=' with a list: use 'in' to check for one choice"]),
        ("proof != proof", ["cannot use '!=' with a file: use answered() to check for an upload"]),
        ("name = null", ["'=' with null is never true: use answered() to check for an answer"]),
        ("null != income", ["'!=' with null is never true: use answered() to check for an answer"]),
        ("'a' in null", ["'in' with null is never true: use answered() to check for an answer"]),
        ("benefits in ['a']", ["'in' needs text on the left and a list on the right"]),
        ("name not in name", ["'not in' needs text on the left and a list on the right"]),
        ("1 in [ 'a' ]", ["'in' needs text on the left and a list on the right"]),
        ("income and true", ["'and' needs true/false values on both sides"]),
        ("true or name", ["'or' needs true/false values on both sides"]),
        ("income or name", ["'or' needs true/false values on both sides"]),
        ("not name", ["'not' needs a true/false value, not text"]),
        ("-start_date", ["'-' needs a number, not date"]),
        ("name + 1", ["cannot use '+' with text and number"]),
        ("1 + start_date", ["cannot use '+' with number and date"]),
        ("start_date + start_date", ["cannot use '+' with date and date"]),
        ("1 - start_date", ["cannot use '-' with number and date"]),
        ("start_date * 2", ["cannot use '*' with date and number"]),
        ("benefits / 2", ["cannot use '/' with list and number"]),
        ("age_on(income, today())", ["age_on expects (date, date)"]),
        ("years_between(today(), 'x')", ["years_between expects (date, date)"]),
        ("days_between(1, 2)", ["days_between expects (date, date)"]),
        ("len(income)", ["len expects (text or list)"]),
        ("len(in_london)", ["len expects (text or list)"]),
    ],
)
def test_type_problems(source, expected):
    assert problems(source) == expected


def test_check_reports_every_problem_once():
    source = "uc_claim = 1 and count(kids) > 2 and uc_claim > 1 and name + 1 = 2 and start_date = 1"
    assert problems(source) == [
        "unknown question 'uc_claim'",
        "unknown group 'kids' in count()",
        "cannot use '+' with text and number",
        "cannot compare date with number",
    ]


def test_a_problem_is_not_reported_again_by_the_expressions_around_it():
    assert problems("-(uc_claim + 1) * 2 > 3 and not (name + 1 = 2)") == [
        "unknown question 'uc_claim'",
        "cannot use '+' with text and number",
    ]


def test_null_fits_anywhere_a_value_does():
    assert problems("age_on(null, today()) + null") == []
    assert problems("null or in_london") == []


def test_a_question_without_an_expression_type_is_a_problem_not_an_exception():
    expression = parse("answer = 1")
    assert expression.check({"answer": "NUMBER"}, []) == ["question 'answer' has no expression type"]  # type: ignore[dict-item]


def test_well_typed_contract_example():
    expression = parse(
        "age_on(child_date_of_birth, today()) >= 2 and benefit in ['universal_credit', 'tax_credits']"
    )
    assert expression.check(QUESTION_TYPES, GROUP_CODES) == []
    assert expression.result_type(QUESTION_TYPES, GROUP_CODES) is Type.BOOLEAN
    answers = {"child_date_of_birth": date(2025, 8, 31), "benefit": "universal_credit"}
    assert expression.evaluate(answers, today=TODAY) is True
    assert expression.evaluate({**answers, "benefit": "pension_credit_guarantee"}, today=TODAY) is False
    assert expression.evaluate({"benefit": "universal_credit"}, today=TODAY) is False


# --- syntax errors ---


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("", "Enter an expression", 1),
        ("   ", "Enter an expression", 1),
        ("(1 + 2", "Expected ')' at column 7", 7),
        ("age_on(a, b", "Expected ')' at column 12", 12),
        ("age_on(a b)", "Expected ')' at column 10", 10),
        ("['a', 'b'", "Expected ']' at column 10", 10),
        ("agee_on(a, b)", "Unknown function 'agee_on'", 1),
        ("1 + Age(a)", "Write 'Age' in lower case at column 5", 5),
        ("a = True", "Write 'True' in lower case at column 5", 5),
        ("UC_claim", "Write 'UC_claim' in lower case at column 1", 1),
        ("age_on(a)", "age_on takes 2 arguments, got 1", 1),
        ("x and age_on(a, b, c)", "age_on takes 2 arguments, got 3", 7),
        ("today(1)", "today takes no arguments, got 1", 1),
        ("len()", "len takes 1 argument, got 0", 1),
        ("count(a, b)", "count takes 1 argument, got 2", 1),
        ("date('2027-13-01')", "Invalid date '2027-13-01': use YYYY-MM-DD", 6),
        ("date('2027-02-29')", "Invalid date '2027-02-29': use YYYY-MM-DD", 6),
        ("date('1/9/2027')", "Invalid date '1/9/2027': use YYYY-MM-DD", 6),
        ("date('20270901')", "Invalid date '20270901': use YYYY-MM-DD", 6),
        ("date(start_date)", "date needs a date in quotes, like date('2027-09-01')", 6),
        ("count('household')", "count needs a group code, like count(children)", 7),
        ("answered(1)", "answered needs a question code, like answered(benefit)", 10),
        ("answered(a + b)", "answered needs a question code, like answered(benefit)", 12),
        ("['a', 1]", "Expected text in quotes at column 7: a list holds text, like ['a', 'b']", 7),
        ("['a', b]", "Expected text in quotes at column 7: a list holds text, like ['a', 'b']", 7),
        ("['a',]", "Expected a value at column 6", 6),
        ("1 +", "Expected a value at column 4", 4),
        ("= 1", "Expected a value at column 1", 1),
        ("a = )", "Expected a value at column 5", 5),
        ("()", "Expected a value at column 2", 2),
        ("and", "Expected a value at column 1", 1),
        ("a b", "Unexpected 'b' at column 3", 3),
        ("(a))", "Unexpected ')' at column 4", 4),
        ("a not b", "Unexpected 'not' at column 3", 3),
        ("1 < a < 5", "Use 'and' to join comparisons at column 7", 7),
        ("a = b != c", "Use 'and' to join comparisons at column 7", 7),
        ("a in b in c", "Use 'and' to join comparisons at column 8", 8),
        ("a = not b", "Put brackets around 'not' and what it applies to at column 5", 5),
        ("-not a", "Put brackets around 'not' and what it applies to at column 2", 2),
        ("a $ b", "Unexpected character '$' at column 3", 3),
        ("a.b", "Unexpected character '.' at column 2", 2),
        ("a && b", "Unexpected character '&' at column 3: use 'and'", 3),
        ("a || b", "Unexpected character '|' at column 3: use 'or'", 3),
        ("!a", "Unexpected character '!' at column 1: use 'not'", 1),
        ("a = £1", "Unexpected character '£' at column 5", 5),
        ("1.", "Invalid number '1.' at column 1", 1),
        (".5", "Unexpected character '.' at column 1", 1),
        ("1.2.3", "Invalid number '1.2.3' at column 1", 1),
        ("2abc", "Invalid number '2abc' at column 1", 1),
        ("name = 'Sam", "The text starting at column 8 has no closing quote", 8),
        ("name = \"Sam'", "The text starting at column 8 has no closing quote", 8),
    ],
)
def test_syntax_errors(source, message, column):
    assert syntax_error(source) == (message, column)


def test_syntax_error_is_a_value_error_whose_text_is_the_message():
    with pytest.raises(ValueError, match=r"^Expected '\)' at column 7$"):
        parse("(1 + 2")


def test_columns_count_line_breaks_as_characters():
    assert syntax_error("a = 1\nand $") == ("Unexpected character '$' at column 11", 11)


# --- limits ---


def test_the_longest_expression_allowed():
    source = "1" + " " * (MAX_LENGTH - 1)
    assert value(source) == 1


def test_a_longer_expression_is_refused():
    assert syntax_error("1" + " " * MAX_LENGTH) == ("The expression must be 2,000 characters or fewer", 2001)


def test_brackets_nested_to_the_limit_are_allowed():
    assert value("(" * (MAX_DEPTH - 1) + "1" + ")" * (MAX_DEPTH - 1)) == 1


def test_brackets_nested_beyond_the_limit_are_refused():
    message, column = syntax_error("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH)
    assert message == (
        f"Too deeply nested at column {MAX_DEPTH + 1}: use at most 50 levels of brackets and operators"
    )
    assert column == MAX_DEPTH + 1


@pytest.mark.parametrize("prefix", ["-", "not "])
def test_long_runs_of_prefix_operators_are_refused(prefix):
    message, _column = syntax_error(prefix * 200 + "a")
    assert message.startswith("Too deeply nested at column")


def test_a_chain_of_operators_is_as_deep_as_it_is_long():
    assert value("+".join(["1"] * MAX_DEPTH)) == MAX_DEPTH
    message, column = syntax_error("+".join(["1"] * 900))
    assert message.startswith(f"Too deeply nested at column {column}")


def test_a_long_chain_of_or_is_refused_before_it_can_exhaust_the_stack():
    source = " or ".join(["a"] * 400)
    assert len(source) < MAX_LENGTH
    assert syntax_error(source)[0].startswith("Too deeply nested")


def test_a_list_of_many_items_is_not_deep():
    items = ", ".join(f"'{n}'" for n in range(300))
    assert value(f"'299' in [{items}]") is True
