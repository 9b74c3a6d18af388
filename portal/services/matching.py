"""Ranking the people the council already knows against an applicant, before a caseworker links them.

A pure function: the caller fetches the candidates (people and children from earlier submissions) and
`rank_candidates` says how alike each is and why, so the caseworker decides with the reasons in view.
Nothing here decides a match on its own.

Points, out of 100 (one place for the weights, `WEIGHTS`):

    surname        the same 30, sharing a part ("Smith" in "Smith-Jones") 20
    forename       the same 25, sharing a part ("Mary" in "Mary Jane") 15, the same initial 10
    names swapped  forename and surname the wrong way round: 45 for both names
    date of birth  the same 30, day and month swapped (a common slip) 10
    postcode       the same 15, the same district ("NN1") 5

Names are compared without case, accents, apostrophes, hyphens or spaces: "O'Neill", "oneill" and
"O Neill" are the same surname, and "Siân" is "Sian". Postcodes are compared without spaces or case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

WEIGHTS = {
    "surname": 30,
    "surname_part": 20,
    "forename": 25,
    "forename_part": 15,
    "forename_initial": 10,
    "names_swapped": 45,
    "date_of_birth": 30,
    "date_of_birth_swapped": 10,
    "postcode": 15,
    "postcode_district": 5,
}


@dataclass(frozen=True)
class PersonDetails:
    forename: str
    surname: str
    date_of_birth: date | None = None
    postcode: str | None = None
    record_id: int | str | None = None  # which known record this is; None for the applicant


@dataclass(frozen=True)
class Match:
    candidate: PersonDetails
    score: int  # 0 to 100
    reasons: tuple[str, ...]  # what matched, as the caseworker reads it


# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})
_PART_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")  # spaces, hyphens and dashes ("Smith-Jones")
_NOT_LETTERS = re.compile(r"[^a-z0-9]")


def _plain(word: str) -> str:
    """Lower case, no accents, no apostrophes: "O'Neill" -> "oneill", "Siân" -> "sian", "Łukasz" -> "lukasz"."""
    text = unicodedata.normalize("NFKD", word.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char)).translate(_UNDECOMPOSABLE)
    return _NOT_LETTERS.sub("", text)


def name_parts(name: str) -> tuple[str, ...]:
    """A name as comparable parts: "Siân-Marie O'Neill" -> ("sian", "marie", "oneill")."""
    return tuple(part for part in (_plain(word) for word in _PART_SEPARATORS.split(name)) if part)


def normalise_name(name: str) -> str:
    return "".join(name_parts(name))


def normalise_postcode(postcode: str | None) -> str:
    return re.sub(r"\s+", "", postcode or "").upper()


def postcode_district(postcode: str | None) -> str:
    """The outward code ('NN1' of 'NN1 1AA'): everything but the last three characters."""
    normalised = normalise_postcode(postcode)
    return normalised[:-3] if len(normalised) >= 5 else ""


def _compare_surnames(applicant: str, candidate: str) -> tuple[int, str | None]:
    mine, theirs = name_parts(applicant), name_parts(candidate)
    if not mine or not theirs:
        return 0, None
    if "".join(mine) == "".join(theirs):
        return WEIGHTS["surname"], "Same surname"
    shared = [part for part in mine if part in theirs and len(part) > 1]
    if shared:
        return WEIGHTS["surname_part"], f"Surname shares a part ({_display_part(applicant, shared[0])})"
    return 0, None


def _compare_forenames(applicant: str, candidate: str) -> tuple[int, str | None]:
    mine, theirs = name_parts(applicant), name_parts(candidate)
    if not mine or not theirs:
        return 0, None
    if "".join(mine) == "".join(theirs):
        return WEIGHTS["forename"], "Same forename"
    shared = [part for part in mine if part in theirs and len(part) > 1]
    if shared:
        return WEIGHTS["forename_part"], f"Forename shares a part ({_display_part(applicant, shared[0])})"
    if mine[0][0] == theirs[0][0] and (len(mine[0]) == 1 or len(theirs[0]) == 1):
        return WEIGHTS["forename_initial"], "Same forename initial"
    return 0, None


def _display_part(name: str, part: str) -> str:
    """The part as the applicant wrote it, for the reason shown to the caseworker."""
    for word in _PART_SEPARATORS.split(name):
        if _plain(word) == part:
            return word
    return part


def _compare_dates(applicant: date | None, candidate: date | None) -> tuple[int, str | None]:
    if applicant is None or candidate is None:
        return 0, None
    if applicant == candidate:
        return WEIGHTS["date_of_birth"], "Same date of birth"
    if applicant.day <= 12 and applicant.day != applicant.month:
        swapped = (applicant.year, applicant.day, applicant.month)
        if (candidate.year, candidate.month, candidate.day) == swapped:
            return WEIGHTS["date_of_birth_swapped"], "Date of birth with day and month swapped"
    return 0, None


def _compare_postcodes(applicant: str | None, candidate: str | None) -> tuple[int, str | None]:
    mine, theirs = normalise_postcode(applicant), normalise_postcode(candidate)
    if not mine or not theirs:
        return 0, None
    if mine == theirs:
        return WEIGHTS["postcode"], "Same postcode"
    district = postcode_district(mine)
    if district and district == postcode_district(theirs):
        return WEIGHTS["postcode_district"], f"Same postcode district ({district})"
    return 0, None


def score(applicant: PersonDetails, candidate: PersonDetails) -> Match:
    """How alike two people's details are, with the reasons."""
    points = 0
    reasons: list[str] = []
    name_checks = [
        _compare_surnames(applicant.surname, candidate.surname),
        _compare_forenames(applicant.forename, candidate.forename),
    ]
    names_points = sum(p for p, _ in name_checks)
    swapped = (
        normalise_name(applicant.forename)
        and normalise_name(applicant.forename) == normalise_name(candidate.surname)
        and normalise_name(applicant.surname) == normalise_name(candidate.forename)
        and normalise_name(applicant.forename) != normalise_name(applicant.surname)
    )
    if swapped and WEIGHTS["names_swapped"] > names_points:
        name_checks = [(WEIGHTS["names_swapped"], "Forename and surname swapped")]
    other_checks = [
        _compare_dates(applicant.date_of_birth, candidate.date_of_birth),
        _compare_postcodes(applicant.postcode, candidate.postcode),
    ]
    for check_points, reason in name_checks + other_checks:
        points += check_points
        if reason:
            reasons.append(reason)
    return Match(candidate=candidate, score=points, reasons=tuple(reasons))


def rank_candidates(
    applicant: PersonDetails, candidates: Iterable[PersonDetails], *, minimum_score: int = 1
) -> list[Match]:
    """The candidates scoring at least `minimum_score`, best first; ties by surname, forename and
    record, so the order is the same every time."""
    matches = [match for match in (score(applicant, c) for c in candidates) if match.score >= minimum_score]
    return sorted(
        matches,
        key=lambda m: (
            -m.score,
            normalise_name(m.candidate.surname),
            normalise_name(m.candidate.forename),
            str(m.candidate.record_id),
        ),
    )
