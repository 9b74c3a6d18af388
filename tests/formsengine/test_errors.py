"""Errors as values: the English message, and the wording the portal translates (formsengine/errors.py)."""

from datetime import date

from formsengine import load_definition_text, parse_page
from formsengine.errors import ErrorCode, FieldError, Wording, wording_for

FORM = """
code: wording
title: Wording
version: 1
groups:
  - code: about
    number: 1
    name: About you
    questions:
      - code: birthday
        label: Date of birth
        type: date
        restrictions:
          mandatory: true
          before: 2020-02-01
"""


def _errors(raw):
    form = load_definition_text(FORM, "wording.yaml")
    return parse_page(form, "about", raw, date(2026, 1, 1)).errors


def test_the_message_is_english_and_the_wording_can_be_said_in_another_language():
    [error] = _errors({"birthday-day": "1", "birthday-year": "2010"})
    assert error.code is ErrorCode.DATE_MISSING_PARTS
    assert error.message == "Date of birth must include a month"
    welsh = {"{Label} must include {parts}": "Rhaid i {Label} gynnwys {parts}", "a month": "mis"}
    assert error.text(lambda text: welsh.get(text, text)) == "Rhaid i Date of birth gynnwys mis"


def test_dates_in_a_message_are_written_by_the_reader_s_formatter():
    [error] = _errors({"birthday-day": "1", "birthday-month": "3", "birthday-year": "2021"})
    assert error.message == "Date of birth must be before 1 February 2020"
    assert error.text(format_date=lambda day: day.strftime("%d/%m/%Y")) == "Date of birth must be before 01/02/2020"


def test_a_broken_translation_falls_back_to_the_english_template():
    wording = wording_for(ErrorCode.REQUIRED, name="your name")
    assert wording.render(lambda text: "Rhowch {enw}") == "Enter your name"


def test_an_error_made_without_a_wording_says_its_message():
    error = FieldError("code", "code", ErrorCode.RULE_FAILED, "Start date must be before end date")
    assert error.text(lambda text: "translated") == "Start date must be before end date"
    assert Wording.of("{x}", x=Wording.of("a day")).render(str.upper) == "A DAY"
