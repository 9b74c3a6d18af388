"""Matching an applicant against people the council already knows: scores, reasons and order."""

from __future__ import annotations

from datetime import date

import pytest

from portal.services.matching import (
    Match,
    PersonDetails,
    name_parts,
    normalise_postcode,
    postcode_district,
    rank_candidates,
)

DOB = date(2024, 3, 7)
APPLICANT = PersonDetails("Siân", "O'Neill", DOB, "NN1 1AA")


def person(forename="Siân", surname="O'Neill", date_of_birth=DOB, postcode="NN1 1AA", record_id=1) -> PersonDetails:
    return PersonDetails(forename, surname, date_of_birth, postcode, record_id)


@pytest.mark.parametrize(
    ("candidate", "score", "reasons"),
    [
        (person(), 100, ["Same surname", "Same forename", "Same date of birth", "Same postcode"]),
        # Case, accents, apostrophes, spaces in names and postcodes make no difference.
        (
            person("SIAN", "o neill", postcode="nn11aa"),
            100,
            ["Same surname", "Same forename", "Same date of birth", "Same postcode"],
        ),
        (
            person("sian", "ONeill", postcode=" NN1  1AA "),
            100,
            ["Same surname", "Same forename", "Same date of birth", "Same postcode"],
        ),
        (person("Siân", "O’Neill"), 100, ["Same surname", "Same forename", "Same date of birth", "Same postcode"]),
        # Parts of double-barrelled and hyphenated names.
        (
            person(surname="O'Neill-Smith"),
            90,
            ["Surname shares a part (O'Neill)", "Same forename", "Same date of birth", "Same postcode"],
        ),
        (
            person("Siân-Marie"),
            90,
            ["Same surname", "Forename shares a part (Siân)", "Same date of birth", "Same postcode"],
        ),
        (
            person("Sian Marie"),
            90,
            ["Same surname", "Forename shares a part (Siân)", "Same date of birth", "Same postcode"],
        ),
        # An initial for a forename.
        (person("S."), 85, ["Same surname", "Same forename initial", "Same date of birth", "Same postcode"]),
        (person("S"), 85, ["Same surname", "Same forename initial", "Same date of birth", "Same postcode"]),
        # Two different full forenames with the same first letter are not an initial match.
        (person("Sarah"), 75, ["Same surname", "Same date of birth", "Same postcode"]),
        # Names entered the wrong way round.
        (person("O'Neill", "Siân"), 90, ["Forename and surname swapped", "Same date of birth", "Same postcode"]),
        # Dates of birth: the same, day and month swapped, or different.
        (
            person(date_of_birth=date(2024, 7, 3)),
            80,
            ["Same surname", "Same forename", "Date of birth with day and month swapped", "Same postcode"],
        ),
        (person(date_of_birth=date(2024, 3, 8)), 70, ["Same surname", "Same forename", "Same postcode"]),
        (person(date_of_birth=None), 70, ["Same surname", "Same forename", "Same postcode"]),
        # Postcodes: the same district, or another.
        (
            person(postcode="NN1 3BE"),
            90,
            ["Same surname", "Same forename", "Same date of birth", "Same postcode district (NN1)"],
        ),
        (person(postcode="NN10 1AA"), 85, ["Same surname", "Same forename", "Same date of birth"]),
        (person(postcode=""), 85, ["Same surname", "Same forename", "Same date of birth"]),
        # Only a date of birth in common: weak, but shown.
        (person("Alex", "Parent", postcode="LS1 4AP"), 30, ["Same date of birth"]),
    ],
)
def test_a_candidate_is_scored_with_the_reasons_a_caseworker_reads(candidate, score, reasons):
    [match] = rank_candidates(APPLICANT, [candidate])
    assert (match.score, list(match.reasons)) == (score, reasons)
    assert match.candidate is candidate


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Siân-Marie O'Neill", ("sian", "marie", "oneill")),
        ("ZOË", ("zoe",)),
        ("Łukasz Wiśniewski", ("lukasz", "wisniewski")),
        ("Nguyễn Thị Ánh", ("nguyen", "thi", "anh")),
        ("Strauß", ("strauss",)),
        ("Søren Kierkegaard–Æbelø", ("soren", "kierkegaard", "aebelo")),
        ("  Smith  -  Jones ", ("smith", "jones")),
        ("O’Brien", ("obrien",)),
        ("", ()),
        ("--", ()),
    ],
)
def test_names_are_compared_without_case_accents_apostrophes_or_hyphens(name, parts):
    assert name_parts(name) == parts


@pytest.mark.parametrize(
    ("postcode", "normalised", "district"),
    [
        ("nn1 1aa", "NN11AA", "NN1"),
        ("SW1A 2AA", "SW1A2AA", "SW1A"),
        ("M1 1AE", "M11AE", "M1"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_postcodes_are_compared_without_spaces_or_case(postcode, normalised, district):
    assert normalise_postcode(postcode) == normalised
    assert postcode_district(postcode) == district


def test_candidates_come_best_first_and_ties_in_a_stable_order():
    candidates = [
        person("Alex", "Parent", postcode="LS1 4AP", record_id=10),  # 30: date of birth only
        person(record_id=11),  # 100
        person("Sarah", record_id=12),  # 75
        person("Sarah", record_id=13),  # 75, same as 12: by record
        person("Sally", "Adams", date(2020, 1, 1), "NN1 9ZZ", record_id=14),  # 5: district only
        person("Bob", "Brown", date(2020, 1, 1), "LS1 4AP", record_id=15),  # 0: nothing in common
        person(surname="O'Neill-Smith", record_id=16),  # 90
    ]
    ranked = rank_candidates(APPLICANT, candidates)
    assert [(m.candidate.record_id, m.score) for m in ranked] == [
        (11, 100),
        (16, 90),
        (12, 75),
        (13, 75),
        (10, 30),
        (14, 5),
    ]
    assert [m.candidate.record_id for m in rank_candidates(APPLICANT, reversed(candidates))] == [11, 16, 12, 13, 10, 14]


def test_a_minimum_score_leaves_out_weak_candidates():
    candidates = [person(record_id=1), person("Alex", "Parent", postcode="LS1 4AP", record_id=2)]
    assert [m.candidate.record_id for m in rank_candidates(APPLICANT, candidates, minimum_score=50)] == [1]


def test_nobody_known_means_no_candidates():
    assert rank_candidates(APPLICANT, []) == []
    assert rank_candidates(APPLICANT, iter([person("Bob", "Brown", date(2020, 1, 1), "LS1 4AP")])) == []


def test_a_child_is_matched_the_same_way():
    child = PersonDetails("Zoë", "O'Neill", date(2024, 1, 15), "NN1 1AA")
    twin = PersonDetails("Zoe", "ONeill", date(2024, 1, 15), "NN11AA", record_id="child-7")
    sibling = PersonDetails("Zak", "O'Neill", date(2022, 5, 2), "NN1 1AA", record_id="child-8")
    assert rank_candidates(child, [sibling, twin]) == [
        Match(twin, 100, ("Same surname", "Same forename", "Same date of birth", "Same postcode")),
        Match(sibling, 45, ("Same surname", "Same postcode")),
    ]
