"""Errors as values: the English message, and the wording the portal translates (formsengine/errors.py)."""

import pytest

from formsengine import parse_page, summary
from formsengine.errors import ErrorCode, FieldError, Wording, wording_for


@pytest.fixture
def errors(one_question, today):
    """The errors of a date of birth that must be before 1 February 2020, for the raw answer given."""
    form = one_question("type: date\nrestrictions: {mandatory: true, before: 2020-02-01}", label="Date of birth")
    return lambda raw: parse_page(form, "page", {f"q-{part}": value for part, value in raw.items()}, today).errors


def test_the_message_is_english_and_the_wording_can_be_said_in_another_language(errors):
    [error] = errors({"day": "1", "year": "2010"})
    assert error.code is ErrorCode.DATE_MISSING_PARTS
    assert error.message == "Date of birth must include a month"
    welsh = {"{Label} must include {parts}": "Rhaid i {Label} gynnwys {parts}", "a month": "mis"}
    assert error.text(lambda text: welsh.get(text, text)) == "Rhaid i Date of birth gynnwys mis"


def test_dates_in_a_message_are_written_by_the_reader_s_formatter(errors):
    [error] = errors({"day": "1", "month": "3", "year": "2021"})
    assert error.message == "Date of birth must be before 1 February 2020"
    assert error.text(format_date=lambda day: day.strftime("%d/%m/%Y")) == "Date of birth must be before 01/02/2020"


def test_a_broken_translation_falls_back_to_the_english_template():
    wording = wording_for(ErrorCode.REQUIRED, name="your name")
    assert wording.render(lambda text: "Rhowch {enw}") == "Enter your name"


def test_an_error_made_without_a_wording_says_its_message():
    error = FieldError("code", "code", ErrorCode.RULE_FAILED, "Start date must be before end date")
    assert error.text(lambda text: "translated") == "Start date must be before end date"
    assert Wording.of("{x}", x=Wording.of("a day")).render(str.upper) == "A DAY"


def test_check_your_answers_words_yes_no_and_dates_through_the_callers_wording(one_question, today):
    welsh = {"Yes": "Ie", "{date}": "{date}"}

    def wording(w):
        return w.render(lambda text: welsh.get(text, text), lambda day: f"{day.day}/{day.month}")

    for body, answer, english, worded in (
        ("type: yes_no", {"q": "yes"}, "Yes", "Ie"),
        ("type: date", {"q-day": "1", "q-month": "2", "q-year": "2023"}, "1 February 2023", "1/2"),
    ):
        form = one_question(body)
        answers = dict(parse_page(form, "page", answer, today).values)
        [row] = summary(form, answers, today)[0].rows
        assert row.lines == (english,)
        [row] = summary(form, answers, today, wording=wording)[0].rows
        assert row.lines == (worded,)
