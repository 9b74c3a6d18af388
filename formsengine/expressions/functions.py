"""The functions an expression can call, each defined once: its parameters, result and meaning.

``today``, ``date``, ``count`` and ``answered`` are not here: their arguments are not ordinary
values (nothing, a date written in quotes, a group code, a question code), so the parser turns
them into nodes of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .values import Type

SPECIAL_FORMS = {"today": 0, "date": 1, "count": 1, "answered": 1}


@dataclass(frozen=True)
class Function:
    parameters: tuple[frozenset[Type], ...]  # the types each argument may have
    result: Type
    apply: Callable[..., object]  # called only with arguments of the parameter types

    def signature(self) -> str:
        """How the parameters read in a message, e.g. "(date, date)"."""
        order = list(Type)
        alternatives = (sorted(parameter, key=order.index) for parameter in self.parameters)
        return "(" + ", ".join(" or ".join(t.description for t in types) for types in alternatives) + ")"


def whole_years_between(start: date, end: date) -> int:
    """Whole years completed from ``start`` to ``end``; negative when ``end`` is earlier.

    A year is completed on the anniversary of ``start``. Someone born on 29 February completes a
    year on 1 March in years that have no 29 February: this is how English law reads the Family Law
    Reform Act 1969, section 9 (a person attains an age at the start of the anniversary of their
    birth). Comparing (month, day) pairs gives that rule without treating leap years specially.
    """
    if end < start:
        return -whole_years_between(end, start)
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def days_between(start: date, end: date) -> int:
    return (end - start).days


_DATE = frozenset({Type.DATE})

FUNCTIONS = {
    "age_on": Function((_DATE, _DATE), Type.NUMBER, whole_years_between),
    "years_between": Function((_DATE, _DATE), Type.NUMBER, whole_years_between),
    "days_between": Function((_DATE, _DATE), Type.NUMBER, days_between),
    "len": Function((frozenset({Type.TEXT, Type.LIST}),), Type.NUMBER, len),
}


def arity(name: str) -> int | None:
    """How many arguments ``name`` takes; ``None`` if there is no such function."""
    if name in SPECIAL_FORMS:
        return SPECIAL_FORMS[name]
    if name in FUNCTIONS:
        return len(FUNCTIONS[name].parameters)
    return None
