"""The engine's own format checkers (early-years-rules.md 'Formats')."""

import pytest

from formsengine.formats import (
    format_ni_number,
    normalise_email,
    normalise_ni_number,
    normalise_phone,
    normalise_postcode,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("AB123456C", "AB123456C"), ("ab 12 34 56 c", "AB123456C"), ("AB-12-34-56-D", "AB123456D"),
     (" ce 000000 a ", "CE000000A")],
)
def test_ni_number_valid(typed, stored):
    assert normalise_ni_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "QQ123456C",  # GOV.UK's example: Q is never a first letter
        "DA123456C", "FA123456C", "IA123456C", "UA123456C", "VA123456C",  # first letter not allowed
        "AO123456C", "AD123456C",  # second letter not allowed
        "BG123456C", "GB123456C", "NK123456C", "KN123456C", "TN123456C", "NT123456C", "ZZ123456C",
        "AB123456E",  # suffix A-D only
        "AB12345C", "AB1234567C", "", "AB 12 34 56", None, 123456, "A" * 500,
    ],
)
def test_ni_number_invalid(typed):
    assert normalise_ni_number(typed) is None


def test_ni_number_display():
    assert format_ni_number("AB123456C") == "AB 12 34 56 C"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("sw1a1aa", "SW1A 1AA"), ("SW1A 1AA", "SW1A 1AA"), ("m1 1ae", "M1 1AE"), ("B33 8TH", "B33 8TH"),
     ("cr2 6xh", "CR2 6XH"), ("DN55 1PT", "DN55 1PT"), ("w1a 0ax", "W1A 0AX"), ("ec1a 1bb", "EC1A 1BB"),
     ("GIR 0AA", "GIR 0AA"), ("  nn1   1de ", "NN1 1DE")],
)
def test_postcode_valid(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["SW1A", "1AA SW1", "QW1 1AA", "SW1A 1CA", "NN1 1DEE", "", None, "X" * 200])
def test_postcode_invalid(typed):
    assert normalise_postcode(typed) is None


@pytest.mark.parametrize("typed", ["name@example.com", "first.last+tag@sub.example.co.uk", "o'neil@example.org"])
def test_email_valid(typed):
    assert normalise_email(typed) == typed


@pytest.mark.parametrize(
    "typed", ["name", "name@", "@example.com", "name@example", "a b@example.com", "a..b@example.com",
              ".a@example.com", "a@" + "x" * 320 + ".com", None],
)
def test_email_invalid(typed):
    assert normalise_email(typed) is None


def test_email_domain_is_lower_cased_local_part_kept():
    assert normalise_email("Ada.L@EXAMPLE.com") == "Ada.L@example.com"


@pytest.mark.parametrize("typed", ["01632 960 001", "07700 900 982", "+44 808 157 0192", "(01632) 960-001"])
def test_phone_valid(typed):
    assert normalise_phone(typed) == typed


@pytest.mark.parametrize("typed", ["999", "phone me", "0163296000112345678", "+44 (0) 808 x", "", None])
def test_phone_invalid(typed):
    assert normalise_phone(typed) is None
