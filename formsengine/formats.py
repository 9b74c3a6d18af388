"""General-purpose format checkers for the engine's data types.

Each ``normalise_*`` function takes what a person typed and returns the stored form, or ``None`` when
the text is not in the format. They never raise, whatever the input. The rules are those in
/work/shared/early-years-rules.md "Formats" (HMRC's National Insurance number rules, Royal Mail
postcode shape); the engine keeps its own copy because it must not import ``earlyyears``.
"""

from __future__ import annotations

import re
from datetime import date

# HMRC: prefix letters not D, F, I, Q, U or V; the second letter not O; the prefixes BG, GB, NK, KN, TN,
# NT and ZZ are never allocated; six digits; suffix A, B, C or D.
_NI_RE = re.compile(r"(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]")

# The UK government data standard's postcode shape, plus GIR 0AA (Girobank).
_POSTCODE_RE = re.compile(
    r"GIR0AA|"
    r"[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y])"
    r"[0-9][ABD-HJLNP-UW-Z]{2}"
)

# Deliberately simple (GOV.UK Notify's approach): one @, a dotted domain, no spaces.
_EMAIL_RE = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@(?:[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}"
)
_PHONE_ALLOWED_RE = re.compile(r"\+?[0-9 ()\-]+")

_SPACES_RE = re.compile(r"\s+")


def _squash(text: object) -> str | None:
    if not isinstance(text, str) or len(text) > 100:
        return None
    return _SPACES_RE.sub("", text).replace("-", "").upper()


def normalise_ni_number(text: object) -> str | None:
    """``"qq 12 34 56 c"`` -> ``"QQ123456C"``; ``None`` when not a valid National Insurance number."""
    squashed = _squash(text)
    if squashed is None or not _NI_RE.fullmatch(squashed):
        return None
    return squashed


def format_ni_number(stored: str) -> str:
    """``"QQ123456C"`` -> ``"QQ 12 34 56 C"`` (how GOV.UK shows it)."""
    if len(stored) != 9:
        return stored
    return f"{stored[:2]} {stored[2:4]} {stored[4:6]} {stored[6:8]} {stored[8]}"


def normalise_postcode(text: object) -> str | None:
    """``"sw1a1aa"`` -> ``"SW1A 1AA"``: upper case, one space before the inward code; ``None`` if invalid."""
    squashed = _squash(text)
    if squashed is None or not _POSTCODE_RE.fullmatch(squashed):
        return None
    return f"{squashed[:-3]} {squashed[-3:]}"


def normalise_email(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    email = text.strip()
    if len(email) > 320 or not _EMAIL_RE.fullmatch(email):
        return None
    local, _, domain = email.rpartition("@")
    if len(local) > 64 or ".." in email or local.startswith(".") or local.endswith("."):
        return None
    return f"{local}@{domain.lower()}"


def normalise_phone(text: object) -> str | None:
    """Keep the number as typed (a phone number is text: the leading 0 matters), with spaces tidied.

    Accepts digits, spaces, brackets, hyphens and a leading +, with 10 to 15 digits (UK numbers have 10 or
    11; international ones up to 15).
    """
    if not isinstance(text, str) or len(text) > 40:
        return None
    phone = " ".join(text.split())
    if not _PHONE_ALLOWED_RE.fullmatch(phone):
        return None
    digits = sum(ch.isdigit() for ch in phone)
    if not 10 <= digits <= 15:
        return None
    return phone


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(day: date) -> str:
    """``date(2027, 9, 1)`` -> ``"1 September 2027"`` (GOV.UK style)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
