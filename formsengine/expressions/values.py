"""Static types and the runtime values they stand for.

Answers arrive from outside the engine as arbitrary Python objects. They are turned into a small,
closed set of values as soon as they are read, so that every operation can dispatch on ``kind_of``
and nothing an answer carries (a custom ``__eq__``, a NaN, a ``datetime`` that refuses to be compared
with a ``date``) can reach the evaluator.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal


class Type(enum.Enum):
    TEXT = "text"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    LIST = "list"  # the options chosen in a multiple-choice question
    FILE = "file"
    NONE = "none"  # the type of ``null``, which fits wherever any value would

    @property
    def description(self) -> str:
        """The word used in messages to form designers, who think "yes/no" rather than "boolean"."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Type.TEXT: "text",
    Type.NUMBER: "number",
    Type.BOOLEAN: "true/false",
    Type.DATE: "date",
    Type.LIST: "list",
    Type.FILE: "file",
    Type.NONE: "null",
}


class _Uploaded:
    """Stands for a file answer, or any other object the language has no operations for.

    Only ``answered()`` can use it: keeping the object itself out of the evaluator means its
    methods are never called.
    """

    def __repr__(self) -> str:
        return "UPLOADED"


UPLOADED = _Uploaded()

Number = int | Decimal
Value = str | int | Decimal | bool | date | tuple[str, ...] | _Uploaded | None


def runtime_value(raw: object) -> Value:
    """Read an answer into the language's closed set of values.

    Non-finite decimals count as unanswered; a ``datetime`` is read as its date, because a datetime
    cannot be subtracted from or compared with a date. Subclasses of ``str`` and ``int`` (enums,
    say) are read as their plain values.
    """
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return int.__int__(raw)
    if isinstance(raw, Decimal):
        return raw if Decimal.is_finite(raw) else None
    if isinstance(raw, str):
        return str.__str__(raw)
    if isinstance(raw, datetime):
        return date(raw.year, raw.month, raw.day)
    if isinstance(raw, date):
        return raw
    if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
        return tuple(str.__str__(item) for item in raw)
    return UPLOADED


def kind_of(value: Value) -> Type | None:
    """The type of a runtime value; ``None`` for no value."""
    match value:
        case None:
            return None
        case bool():
            return Type.BOOLEAN
        case int() | Decimal():
            return Type.NUMBER
        case str():
            return Type.TEXT
        case date():
            return Type.DATE
        case tuple():
            return Type.LIST
        case _:
            return Type.FILE


# Shared by the checker and the evaluator, so what type checks is exactly what evaluates.
EQUATABLE = frozenset({Type.TEXT, Type.NUMBER, Type.BOOLEAN, Type.DATE})
ORDERED = frozenset({Type.NUMBER, Type.DATE})
COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">=", "in", "not in"})
# (operator, left, right) -> result. Dates move by whole days; two dates are the days between them.
ARITHMETIC = {
    ("+", Type.NUMBER, Type.NUMBER): Type.NUMBER,
    ("-", Type.NUMBER, Type.NUMBER): Type.NUMBER,
    ("*", Type.NUMBER, Type.NUMBER): Type.NUMBER,
    ("/", Type.NUMBER, Type.NUMBER): Type.NUMBER,
    ("+", Type.DATE, Type.NUMBER): Type.DATE,
    ("-", Type.DATE, Type.NUMBER): Type.DATE,
    ("-", Type.DATE, Type.DATE): Type.NUMBER,
}
