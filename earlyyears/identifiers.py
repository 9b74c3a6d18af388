"""National Insurance and National Asylum Support Service (NASS) numbers.

Formats from /work/shared/early-years-rules.md ("Formats"), which follow HMRC's National Insurance
Manual NIM39110 (https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110):
- NI number: two prefix letters, neither D, F, I, Q, U or V, the second not O, and not one of the pairs
  BG, GB, NK, KN, TN, NT, ZZ; six digits; a suffix letter A to D. Stored upper case without spaces,
  shown as ``QQ 12 34 56 C``.
- NASS number: ``^[0-9]{2}(0[1-9]|1[0-2])[0-9]{5,6}$`` (two digits, a month 01-12, five or six digits).
"""

from __future__ import annotations

import re

_FORBIDDEN_PREFIX_PAIRS = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
# [0-9] rather than \d: \d also matches digits from other scripts.
_NI_NUMBER = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]")
_NASS_NUMBER = re.compile(r"[0-9]{2}(0[1-9]|1[0-2])[0-9]{5,6}")
# People type NI numbers with spaces (as printed on letters) or dashes; accept both.
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_ni_number(text: str | None) -> str | None:
    """``'QQ123456C'`` for a valid National Insurance number typed any common way, otherwise None.

    Spaces, dashes and lower case are accepted: ``'qq 12 34 56 c'`` and ``'QQ-123456-C'`` both give
    ``'QQ123456C'``.
    """
    if not isinstance(text, str):
        return None
    candidate = _SEPARATORS.sub("", text).upper()
    if not _NI_NUMBER.fullmatch(candidate) or candidate[:2] in _FORBIDDEN_PREFIX_PAIRS:
        return None
    return candidate


def format_ni_number(normalised: str) -> str:
    """A National Insurance number as people expect to read it: ``'QQ 12 34 56 C'``.

    Raises ValueError if ``normalised`` is not a valid NI number (in any accepted spelling).
    """
    ni_number = normalise_ni_number(normalised)
    if ni_number is None:
        raise ValueError(f"not a National Insurance number: {normalised!r}")
    return f"{ni_number[0:2]} {ni_number[2:4]} {ni_number[4:6]} {ni_number[6:8]} {ni_number[8]}"


def is_valid_nass_number(text: str | None) -> bool:
    """Whether ``text`` is a NASS number (surrounding whitespace ignored)."""
    if not isinstance(text, str):
        return False
    return _NASS_NUMBER.fullmatch(text.strip()) is not None
