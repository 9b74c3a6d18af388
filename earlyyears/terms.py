"""Funding terms and when funding starts.

Source: seed 001 (Bolton provider agreement 2017), clause 2.13-2.17 and Table A, restated in
/work/shared/early-years-rules.md ("Terms"). Funding starts in the term after the child reaches the
eligible age:

    birthday 1 January - 31 March    -> from 1 April (summer term)
    birthday 1 April - 31 August     -> from 1 September (autumn term)
    birthday 1 September - 31 December -> from 1 January next year (spring term)

That table is exactly "the first term start date strictly after the birthday", so the code keeps only
the term start dates as data (``TERM_STARTS``) and derives the bands from them. A child who turns 2 on
1 April starts on 1 September, not the same day.

Children born on 29 February: in a year without 29 February we take the birthday to be 1 March, the
rule of English law (Family Law Reform Act 1969, s.9: a person attains an age at the start of the
anniversary of their birth; a 29 February anniversary in a common year falls on 1 March). 28 February
and 1 March are both in the 1 January - 31 March band, so funding starts on 1 April either way; the
tests pin this down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Term:
    """A funding term, known by the month and day it starts (the dates published in Table A)."""

    name: str
    start_month: int
    start_day: int


# The one place term dates live. In date order within a year.
TERM_STARTS: tuple[Term, ...] = (
    Term("spring", 1, 1),
    Term("summer", 4, 1),
    Term("autumn", 9, 1),
)


def term_starts_in(year: int) -> tuple[date, ...]:
    """The term start dates in a calendar year, in order."""
    return tuple(date(year, term.start_month, term.start_day) for term in TERM_STARTS)


def next_term_start(after: date) -> date:
    """The first term start date strictly after ``after``."""
    for start in term_starts_in(after.year):
        if start > after:
            return start
    return term_starts_in(after.year + 1)[0]


def previous_term_start(before: date) -> date:
    """The last term start date strictly before ``before``."""
    for start in reversed(term_starts_in(before.year)):
        if start < before:
            return start
    return term_starts_in(before.year - 1)[-1]


def birthday(date_of_birth: date, age: int) -> date:
    """The day a child born on ``date_of_birth`` reaches ``age`` (29 February -> 1 March in common years)."""
    if age < 0:
        raise ValueError(f"age must not be negative, got {age}")
    year = date_of_birth.year + age
    try:
        return date_of_birth.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return date(year, 3, 1)


def funding_start_date(date_of_birth: date, eligible_age: int) -> date:
    """The first day of the term after the child reaches ``eligible_age`` (seed 001, Table A).

    ``eligible_age`` is 2 for the two-year-old offer and 3 for the universal three- and four-year-old
    offer and the 30 hours extended entitlement.
    """
    return next_term_start(birthday(date_of_birth, eligible_age))
