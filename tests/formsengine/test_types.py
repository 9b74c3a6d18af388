"""Every data type and restriction, through parse_page (raw HTML fields in, typed values and errors out)."""

from datetime import date
from decimal import Decimal

import pytest

from formsengine import ErrorCode, parse_page
from formsengine.types import check_value, display_lines

TODAY = date(2026, 11, 23)


def parse(form, raw):
    return parse_page(form, "page", raw, today=TODAY)


def only_error(result):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --- text and memo ----------------------------------------------------------------------------------


def test_text_is_trimmed_and_stored(one_question):
    form = one_question("type: text")
    assert parse(form, {"q": "  Ada Lovelace \n"}).values == {"q": "Ada Lovelace"}


def test_blank_optional_text_is_unanswered(one_question):
    result = parse(one_question("type: text"), {"q": "   "})
    assert result.values == {"q": None} and result.is_valid


def test_mandatory_text_says_enter_the_error_name(one_question):
    form = one_question("type: text\n  error_name: your full name\n  restrictions: {mandatory: true}")
    error = only_error(parse(form, {}))
    assert (error.code, error.message, error.field, error.question) == (
        ErrorCode.REQUIRED, "Enter your full name", "q", "q")


def test_max_length_message(one_question):
    form = one_question("type: text\n  restrictions: {max_length: 5}", label="Full name")
    error = only_error(parse(form, {"q": "abcdef"}))
    assert error.code is ErrorCode.TOO_LONG
    assert error.message == "Full name must be 5 characters or fewer"


def test_text_without_max_length_still_has_a_storage_cap(one_question):
    error = only_error(parse(one_question("type: text"), {"q": "x" * 1001}))
    assert error.code is ErrorCode.TOO_LONG


def test_memo_keeps_line_breaks_text_does_not(one_question):
    assert parse(one_question("type: memo"), {"q": "one\ntwo"}).values["q"] == "one\ntwo"
    assert parse(one_question("type: text"), {"q": "one\ntwo"}).values["q"] == "one two"


def test_nul_bytes_and_control_characters_are_removed(one_question):
    assert parse(one_question("type: text"), {"q": "a\x00b\x07c"}).values["q"] == "abc"


def test_pattern_uses_its_own_message(one_question):
    form = one_question(
        """
        type: text
          restrictions:
            pattern: {regex: '^[0-9]{3}$', message: Enter 3 numbers}
        """
    )
    assert parse(form, {"q": "123"}).is_valid
    error = only_error(parse(form, {"q": "12a"}))
    assert (error.code, error.message) == (ErrorCode.PATTERN_MISMATCH, "Enter 3 numbers")


def test_a_list_where_a_string_is_expected_reads_its_first_string(one_question):
    assert parse(one_question("type: text"), {"q": ["first", "second"]}).values["q"] == "first"
    assert parse(one_question("type: text"), {"q": [1, None]}).values["q"] is None


# --- numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("42", 42), ("1,000", 1000), (" -3 ", -3)])
def test_integer(one_question, typed, stored):
    assert parse(one_question("type: integer"), {"q": typed}).values["q"] == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [("4.5", ErrorCode.NOT_A_WHOLE_NUMBER), ("four", ErrorCode.NOT_A_NUMBER), ("9" * 5000, ErrorCode.NOT_A_NUMBER)],
)
def test_integer_errors(one_question, typed, code):
    assert only_error(parse(one_question("type: integer", label="Number of children"), {"q": typed})).code is code


def test_integer_error_message(one_question):
    error = only_error(parse(one_question("type: integer", label="Number of children"), {"q": "two"}))
    assert error.message == "Number of children must be a number"


@pytest.mark.parametrize(("typed", "stored"), [("1200.50", Decimal("1200.50")), ("£1,200", Decimal("1200")),
                                               (".5", Decimal("0.5"))])
def test_decimal(one_question, typed, stored):
    form = one_question('type: decimal\n  prefix: "£"')
    assert parse(form, {"q": typed}).values["q"] == stored


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e5", "1.2.3", "--1"])
def test_decimal_refuses_what_is_not_plainly_a_number(one_question, typed):
    assert only_error(parse(one_question("type: decimal"), {"q": typed})).code is ErrorCode.NOT_A_NUMBER


def test_min_and_max_value(one_question):
    form = one_question('type: decimal\n  prefix: "£"\n  restrictions: {min_value: 0, max_value: 1000}',
                        label="Income")
    low = only_error(parse(form, {"q": "-1"}))
    high = only_error(parse(form, {"q": "1000.01"}))
    assert (low.code, low.message) == (ErrorCode.TOO_SMALL, "Income must be £0 or more")
    assert (high.code, high.message) == (ErrorCode.TOO_LARGE, "Income must be £1,000 or less")
    assert parse(form, {"q": "1000"}).is_valid


def test_decimal_places(one_question):
    form = one_question("type: decimal\n  restrictions: {decimal_places: 2}")
    assert only_error(parse(form, {"q": "1.234"})).code is ErrorCode.TOO_MANY_DECIMAL_PLACES
    assert parse(form, {"q": "1.23"}).is_valid


# --- yes/no (tri-state) -----------------------------------------------------------------------------


def test_yes_no_is_tri_state(one_question):
    form = one_question("type: yes_no")
    assert parse(form, {"q": "yes"}).values["q"] is True
    assert parse(form, {"q": "no"}).values["q"] is False
    assert parse(form, {}).values["q"] is None
    assert parse(form, {}).is_valid


def test_mandatory_yes_no_says_select(one_question):
    form = one_question("type: yes_no\n  error_name: yes if you live in London\n  restrictions: {mandatory: true}")
    error = only_error(parse(form, {}))
    assert (error.code, error.message) == (ErrorCode.REQUIRED_CHOICE, "Select yes if you live in London")


def test_yes_no_refuses_other_values(one_question):
    assert only_error(parse(one_question("type: yes_no"), {"q": "maybe"})).code is ErrorCode.INVALID_CHOICE


# --- dates ------------------------------------------------------------------------------------------


def date_raw(day, month, year):
    return {"q-day": day, "q-month": month, "q-year": year}


def test_date_from_three_fields(one_question):
    assert parse(one_question("type: date"), date_raw("5", "04", "2024")).values["q"] == date(2024, 4, 5)


@pytest.mark.parametrize(
    ("raw", "code", "field", "message"),
    [
        (("", "4", "2024"), ErrorCode.DATE_MISSING_PARTS, "q-day", "Date of birth must include a day"),
        (("5", "", ""), ErrorCode.DATE_MISSING_PARTS, "q-month", "Date of birth must include a month and year"),
        (("31", "2", "2024"), ErrorCode.DATE_NOT_REAL, "q-day", "Date of birth must be a real date"),
        (("1", "13", "2024"), ErrorCode.DATE_NOT_REAL, "q-month", "Date of birth must be a real date"),
        (("x", "1", "2024"), ErrorCode.DATE_NOT_REAL, "q-day", "Date of birth must be a real date"),
        (("1", "1", "24"), ErrorCode.DATE_YEAR_FORMAT, "q-year", "Year must include 4 numbers"),
    ],
)
def test_date_errors_link_to_the_part_that_is_wrong(one_question, raw, code, field, message):
    form = one_question("type: date\n  error_name: your date of birth")
    error = only_error(parse(form, date_raw(*raw)))
    assert (error.code, error.field, error.message) == (code, field, message)


def test_mandatory_date_links_to_the_day(one_question):
    form = one_question("type: date\n  error_name: your date of birth\n  restrictions: {mandatory: true}")
    error = only_error(parse(form, {}))
    assert (error.field, error.message) == ("q-day", "Enter your date of birth")


@pytest.mark.parametrize(
    ("restriction", "day", "code", "message"),
    [
        ("in_the_past: true", TODAY, ErrorCode.DATE_NOT_IN_PAST, "Date of birth must be in the past"),
        ("in_the_future: true", TODAY, ErrorCode.DATE_NOT_IN_FUTURE, "Date of birth must be in the future"),
        ("before: '2027-09-01'", date(2027, 9, 1), ErrorCode.DATE_NOT_BEFORE,
         "Date of birth must be before 1 September 2027"),
        ("after: '2020-01-01'", date(2020, 1, 1), ErrorCode.DATE_NOT_AFTER,
         "Date of birth must be after 1 January 2020"),
        ("at_least_years_ago: 2", date(2024, 11, 24), ErrorCode.DATE_TOO_RECENT,
         "Date of birth must be at least 2 years ago"),
        ("at_most_years_ago: 5", date(2021, 11, 22), ErrorCode.DATE_TOO_LONG_AGO,
         "Date of birth must be within the last 5 years"),
    ],
)
def test_date_restrictions(one_question, restriction, day, code, message):
    form = one_question(f"type: date\n  error_name: your date of birth\n  restrictions: {{{restriction}}}")
    error = only_error(parse(form, date_raw(str(day.day), str(day.month), str(day.year))))
    assert (error.code, error.message) == (code, message)


def test_at_least_years_ago_boundary_is_inclusive(one_question):
    form = one_question("type: date\n  restrictions: {at_least_years_ago: 2}")
    assert parse(form, date_raw("23", "11", "2024")).is_valid


# --- choices ----------------------------------------------------------------------------------------

CHOICE = """
type: choice
  widget: radios
  error_name: your title
  options:
    - {value: mr, label: Mr}
    - {value: ms, label: Ms}
    - Dr
  restrictions: {mandatory: true}
"""


def test_choice_stores_the_option_value(one_question):
    form = one_question(CHOICE)
    assert parse(form, {"q": "ms"}).values["q"] == "ms"
    assert parse(form, {"q": "Dr"}).values["q"] == "Dr"


def test_choice_refuses_a_value_not_in_the_list(one_question):
    error = only_error(parse(one_question(CHOICE), {"q": "lord"}))
    assert (error.code, error.message) == (ErrorCode.INVALID_CHOICE, "Select your title")


def test_mandatory_choice_says_select(one_question):
    assert only_error(parse(one_question(CHOICE), {})).message == "Select your title"


MULTI = """
type: multiple_choice
  widget: checkboxes
  error_name: the benefits you get
  options: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]
  restrictions: {mandatory: true}
"""


def test_multiple_choice_keeps_option_order_and_drops_duplicates(one_question):
    assert parse(one_question(MULTI), {"q": ["c", "a", "c", ""]}).values["q"] == ["a", "c"]


def test_multiple_choice_single_string_is_one_choice(one_question):
    assert parse(one_question(MULTI), {"q": "b"}).values["q"] == ["b"]


def test_multiple_choice_errors(one_question):
    assert only_error(parse(one_question(MULTI), {"q": []})).message == "Select the benefits you get"
    assert only_error(parse(one_question(MULTI), {"q": ["a", "z"]})).code is ErrorCode.INVALID_CHOICE


# --- formatted text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data_type", "typed", "stored"),
    [
        ("email", " Name@Example.COM ", "Name@example.com"),
        ("phone", "01632  960 001", "01632 960 001"),
        ("phone", "+44 808 157 0192", "+44 808 157 0192"),
        ("postcode", "sw1a1aa", "SW1A 1AA"),
        ("ni_number", "ab 12 34 56 c", "AB123456C"),
    ],
)
def test_formatted_types_are_normalised(one_question, data_type, typed, stored):
    assert parse(one_question(f"type: {data_type}"), {"q": typed}).values["q"] == stored


@pytest.mark.parametrize(
    ("data_type", "typed", "code", "message"),
    [
        ("email", "name.example.com", ErrorCode.EMAIL_FORMAT,
         "Enter an email address in the correct format, like name@example.com"),
        ("phone", "call me", ErrorCode.PHONE_FORMAT,
         "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
        ("postcode", "SW1A", ErrorCode.POSTCODE_FORMAT, "Enter a real postcode"),
        ("ni_number", "QQ 12 34 56", ErrorCode.NI_NUMBER_FORMAT,
         "National Insurance number must be like QQ 12 34 56 C"),
    ],
)
def test_formatted_types_errors(one_question, data_type, typed, code, message):
    error = only_error(parse(one_question(f"type: {data_type}"), {"q": typed}))
    assert (error.code, error.message) == (code, message)


def test_phone_keeps_the_leading_zero(one_question):
    assert parse(one_question("type: phone"), {"q": "07700900982"}).values["q"] == "07700900982"


# --- uploads ----------------------------------------------------------------------------------------


def test_file_answer_is_the_upload_reference(one_question):
    upload = {"upload_id": "u-1", "filename": "letter.pdf", "content_type": "application/pdf", "size": 1234,
              "ignored": "x"}
    value = parse(one_question("type: file"), {"q": upload}).values["q"]
    assert value == {"upload_id": "u-1", "filename": "letter.pdf", "content_type": "application/pdf", "size": 1234}


def test_file_that_is_not_an_upload_reference(one_question):
    assert only_error(parse(one_question("type: file"), {"q": "letter.pdf"})).code is ErrorCode.FILE_INVALID


def test_mandatory_file(one_question):
    form = one_question("type: file\n  error_name: a file\n  restrictions: {mandatory: true}")
    error = only_error(parse(form, {}))
    assert (error.code, error.message) == (ErrorCode.REQUIRED_FILE, "Select a file")


def test_file_types(one_question):
    form = one_question("type: file\n  restrictions: {file_types: [pdf, docx]}")
    error = only_error(parse(form, {"q": {"upload_id": "1", "filename": "x.exe"}}))
    assert (error.code, error.message) == (ErrorCode.FILE_TYPE, "The selected file must be a PDF or DOCX")
    assert parse(form, {"q": {"upload_id": "1", "filename": "X.PDF"}}).is_valid


def test_image_allows_the_handbook_image_types_only(one_question):
    form = one_question("type: image")
    assert parse(form, {"q": {"upload_id": "1", "filename": "photo.jpeg"}}).is_valid
    assert only_error(parse(form, {"q": {"upload_id": "1", "filename": "doc.pdf"}})).code is ErrorCode.FILE_TYPE


# --- typed values checked again (prefill, stored answers) -------------------------------------------


def test_check_value_refuses_a_wrongly_typed_answer(one_question):
    question = one_question("type: date").question("q")
    assert check_value(question, "2024-01-01", TODAY).code is ErrorCode.INVALID_ANSWER


@pytest.mark.parametrize(
    ("body", "value", "lines"),
    [
        ("type: yes_no", True, ("Yes",)),
        ("type: date", date(2027, 9, 1), ("1 September 2027",)),
        ('type: decimal\n  prefix: "£"', Decimal("15400.5"), ("£15,400.5",)),
        ("type: ni_number", "AB123456C", ("AB 12 34 56 C",)),
        (CHOICE, "mr", ("Mr",)),
        ("type: memo", "a\nb", ("a", "b")),
        ("type: file", {"upload_id": "1", "filename": "a.pdf"}, ("a.pdf",)),
    ],
)
def test_display(one_question, body, value, lines):
    assert display_lines(one_question(body).question("q"), value) == lines
