"""Splitting expression text into tokens, and the error every parsing problem is reported with."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})

# Characters people bring from other languages, and the word this language uses instead.
_HINTS = {"&": "and", "|": "or", "!": "not"}

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<number>[0-9]+(?:\.[0-9]+)?(?P<number_tail>[A-Za-z0-9_.]*))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<text>'[^']*'|"[^"]*")
    | (?P<symbol><=|>=|==|!=|[=<>+\-*/(),\[\]])
    """,
    re.VERBOSE | re.ASCII,
)


class ExpressionSyntaxError(ValueError):
    """An expression that cannot be parsed.

    ``column`` is 1-based in the source text, counting every character including line breaks, so
    an editor can put the cursor on the problem.
    """

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class Kind(enum.Enum):
    NUMBER = "number"
    TEXT = "text"
    NAME = "name"
    KEYWORD = "keyword"
    SYMBOL = "symbol"
    END = "end"


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # as written, for messages
    column: int
    value: str | int | Decimal | None = None

    def is_(self, kind: Kind, text: str) -> bool:
        return self.kind is kind and self.text == text

    def describe(self) -> str:
        return "the end of the expression" if self.kind is Kind.END else f"'{self.text}'"


def tokenize(source: str) -> list[Token]:
    """Return the tokens of ``source``, ending with an END token whose column is just past the text."""
    tokens = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        column = position + 1
        if match is None:
            raise _unexpected_character(source, position)
        position = match.end()
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "number" and match.group("number_tail"):  # "1.", "2abc", "1.2.3"
            raise ExpressionSyntaxError(f"Invalid number '{match.group()}' at column {column}", column)
        if kind == "number":
            tokens.append(Token(Kind.NUMBER, match.group(), column, _number(match.group())))
        elif kind == "text":
            tokens.append(Token(Kind.TEXT, match.group(), column, match.group()[1:-1]))
        elif kind == "word":
            tokens.append(_word(match.group(), column))
        else:
            tokens.append(Token(Kind.SYMBOL, match.group(), column))
    tokens.append(Token(Kind.END, "", len(source) + 1))
    return tokens


def _number(text: str) -> int | Decimal:
    return Decimal(text) if "." in text else int(text)


def _word(text: str, column: int) -> Token:
    if text != text.lower():
        raise ExpressionSyntaxError(f"Write '{text}' in lower case at column {column}", column)
    return Token(Kind.KEYWORD if text in KEYWORDS else Kind.NAME, text, column)


def _unexpected_character(source: str, position: int) -> ExpressionSyntaxError:
    character = source[position]
    column = position + 1
    if character in "'\"":
        return ExpressionSyntaxError(f"The text starting at column {column} has no closing quote", column)
    message = f"Unexpected character '{character}' at column {column}"
    if character in _HINTS:
        message += f": use '{_HINTS[character]}'"
    return ExpressionSyntaxError(message, column)
