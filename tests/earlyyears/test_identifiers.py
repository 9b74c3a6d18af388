"""NI and NASS numbers: formats from early-years-rules.md ("Formats") and HMRC's NIM39110."""

import pytest

from earlyyears import format_ni_number, is_valid_nass_number, normalise_ni_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("QQ123456C", None),  # Q is never a prefix letter: QQ is only the example in HMRC's manual
        ("AB123456C", "AB123456C"),
        ("ab123456c", "AB123456C"),
        ("AB 12 34 56 C", "AB123456C"),
        (" ab 12 34 56 c ", "AB123456C"),
        ("AB-12-34-56-C", "AB123456C"),
        ("AB\t123456\u00a0C", "AB123456C"),
        ("ZY999999D", "ZY999999D"),
        ("AB123456A", "AB123456A"),
    ],
)
def test_normalise_ni_number_accepts_common_spellings(text, expected):
    assert normalise_ni_number(text) == expected


@pytest.mark.parametrize("letter", ["D", "F", "I", "Q", "U", "V"])
def test_forbidden_letters_in_either_prefix_position(letter):
    assert normalise_ni_number(f"{letter}A123456C") is None
    assert normalise_ni_number(f"A{letter}123456C") is None


def test_o_is_allowed_first_but_not_second():
    assert normalise_ni_number("OA123456C") == "OA123456C"
    assert normalise_ni_number("AO123456C") is None


@pytest.mark.parametrize("pair", ["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"])
def test_forbidden_prefix_pairs(pair):
    assert normalise_ni_number(f"{pair}123456C") is None


@pytest.mark.parametrize(
    "text",
    [
        "AB123456E",  # suffix must be A-D
        "AB123456",  # suffix missing
        "AB12345C",  # five digits
        "AB1234567C",  # seven digits
        "A1123456C",
        "AB12345６C",  # a full-width digit
        "",
        "   ",
        None,
    ],
)
def test_invalid_ni_numbers(text):
    assert normalise_ni_number(text) is None


def test_format_ni_number():
    assert format_ni_number("AB123456C") == "AB 12 34 56 C"
    assert format_ni_number("ab 123456 c") == "AB 12 34 56 C"
    with pytest.raises(ValueError, match="not a National Insurance number"):
        format_ni_number("DA123456C")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120112345", True),  # year, month 01, 5 trailing digits
        ("1201123456", True),  # 6 trailing digits
        ("9912123456", True),  # month 12
        (" 1201123456 ", True),
        ("1200123456", False),  # month 00
        ("1213123456", False),  # month 13
        ("12011234", False),  # 4 trailing digits
        ("12011234567", False),  # 7 trailing digits
        ("12011234A6", False),
        ("12 01 123456", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_nass_number(text, expected):
    assert is_valid_nass_number(text) is expected
