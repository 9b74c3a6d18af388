"""A precedence-climbing parser from tokens to the tree in ``nodes``.

Form definitions are written by administrators but must still be safe to load: the length and
nesting limits keep a hostile or mistaken definition from exhausting the stack, here or in the
checker and evaluator, which recurse over the tree.
"""

from __future__ import annotations

import re
from datetime import date

from . import functions
from .nodes import Answer, Answered, Binary, Call, GroupCount, Literal, Node, Today, Unary, walk
from .tokens import ExpressionSyntaxError, Kind, Token, tokenize
from .values import Type

MAX_LENGTH = 2_000
MAX_DEPTH = 50

# Binding strength, loosest first. Prefix "not" sits between "and" and the comparisons, so that
# "not a = b" means "not (a = b)"; unary minus binds tightest.
_PRECEDENCE = {"or": 1, "and": 2}
_NOT = 3
_COMPARISON = 4
_PRECEDENCE |= dict.fromkeys(("=", "!=", "<", "<=", ">", ">=", "in", "not in"), _COMPARISON)
_PRECEDENCE |= {"+": 5, "-": 5, "*": 6, "/": 6}
_NEGATE = 7

_CONSTANTS = {"true": (True, Type.BOOLEAN), "false": (False, Type.BOOLEAN), "null": (None, Type.NONE)}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_tree(source: str) -> Node:
    if len(source) > MAX_LENGTH:
        raise ExpressionSyntaxError(
            f"The expression must be {MAX_LENGTH:,} characters or fewer", MAX_LENGTH + 1
        )
    if not source.strip():
        raise ExpressionSyntaxError("Enter an expression", 1)
    parser = _Parser(tokenize(source))
    tree = parser.expression()
    parser.expect_end()
    # The parser only recurses into brackets, arguments and right-hand operands; a long chain such
    # as "a + b + c + ..." grows the tree without growing the parser's stack, so measure it here.
    for node, depth in walk(tree):
        if depth > MAX_DEPTH:
            raise _too_deep(node.column)
    return tree


def _too_deep(column: int) -> ExpressionSyntaxError:
    return ExpressionSyntaxError(
        f"Too deeply nested at column {column}: use at most {MAX_DEPTH} levels of brackets and operators",
        column,
    )


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._position = 0
        self._depth = 0

    @property
    def _token(self) -> Token:
        return self._tokens[self._position]

    def _advance(self) -> Token:
        token = self._token
        if token.kind is not Kind.END:
            self._position += 1
        return token

    def _expect(self, symbol: str) -> None:
        token = self._token
        if not token.is_(Kind.SYMBOL, symbol):
            raise ExpressionSyntaxError(f"Expected '{symbol}' at column {token.column}", token.column)
        self._advance()

    def expect_end(self) -> None:
        token = self._token
        if token.kind is not Kind.END:
            message = f"Unexpected {token.describe()} at column {token.column}"
            raise ExpressionSyntaxError(message, token.column)

    def expression(self, min_precedence: int = 0) -> Node:
        """Parse operators that bind at least as tightly as ``min_precedence``, left to right."""
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _too_deep(self._token.column)
        try:
            left = self._prefix(min_precedence)
            after_comparison = False
            while (operator := self._binary_operator()) and _PRECEDENCE[operator] >= min_precedence:
                token = self._token
                precedence = _PRECEDENCE[operator]
                if after_comparison and precedence == _COMPARISON:
                    # Python would read "1 < x < 5" as a range, other languages as "(1 < x) < 5".
                    raise ExpressionSyntaxError(
                        f"Use 'and' to join comparisons at column {token.column}", token.column
                    )
                after_comparison = precedence == _COMPARISON
                self._position += 2 if operator == "not in" else 1
                right = self.expression(precedence + 1)
                left = Binary(operator, left, right, column=token.column)
            return left
        finally:
            self._depth -= 1

    def _binary_operator(self) -> str | None:
        token = self._token
        if token.kind is Kind.SYMBOL and token.text in _PRECEDENCE:
            return token.text
        if token.is_(Kind.SYMBOL, "=="):
            return "="
        if token.kind is Kind.KEYWORD and token.text in ("and", "or", "in"):
            return token.text
        if token.is_(Kind.KEYWORD, "not") and self._tokens[self._position + 1].is_(Kind.KEYWORD, "in"):
            return "not in"
        return None

    def _prefix(self, min_precedence: int) -> Node:
        token = self._token
        if token.is_(Kind.KEYWORD, "not"):
            if min_precedence > _NOT:
                raise ExpressionSyntaxError(
                    f"Put brackets around 'not' and what it applies to at column {token.column}",
                    token.column,
                )
            self._advance()
            return Unary("not", self.expression(_NOT), column=token.column)
        if token.is_(Kind.SYMBOL, "-"):
            self._advance()
            return Unary("-", self.expression(_NEGATE), column=token.column)
        return self._primary()

    def _primary(self) -> Node:
        token = self._advance()
        if token.kind in (Kind.NUMBER, Kind.TEXT):
            value_type = Type.NUMBER if token.kind is Kind.NUMBER else Type.TEXT
            return Literal(token.value, value_type, column=token.column)
        if token.kind is Kind.KEYWORD and token.text in _CONSTANTS:
            return Literal(*_CONSTANTS[token.text], column=token.column)
        if token.kind is Kind.NAME:
            if self._token.is_(Kind.SYMBOL, "("):
                return self._call(token)
            return Answer(token.text, column=token.column)
        if token.is_(Kind.SYMBOL, "("):
            inner = self.expression()
            self._expect(")")
            return inner
        if token.is_(Kind.SYMBOL, "["):
            return self._list(token)
        raise ExpressionSyntaxError(f"Expected a value at column {token.column}", token.column)

    def _items(self, closing: str) -> list[Node]:
        """Parse comma-separated expressions up to and including ``closing``."""
        if self._token.is_(Kind.SYMBOL, closing):
            self._advance()
            return []
        items = [self.expression()]
        while self._token.is_(Kind.SYMBOL, ","):
            self._advance()
            items.append(self.expression())
        self._expect(closing)
        return items

    def _list(self, bracket: Token) -> Literal:
        items = self._items("]")
        for item in items:
            if not (isinstance(item, Literal) and item.type is Type.TEXT):
                raise ExpressionSyntaxError(
                    f"Expected text in quotes at column {item.column}: a list holds text, like ['a', 'b']",
                    item.column,
                )
        return Literal(tuple(item.value for item in items), Type.LIST, column=bracket.column)

    def _call(self, name: Token) -> Node:
        expected = functions.arity(name.text)
        if expected is None:
            raise ExpressionSyntaxError(f"Unknown function '{name.text}'", name.column)
        self._advance()  # "("
        args = self._items(")")
        if len(args) != expected:
            raise ExpressionSyntaxError(_arity_message(name.text, expected, len(args)), name.column)
        match name.text:
            case "today":
                return Today(column=name.column)
            case "date":
                return _date_literal(args[0])
            case "count":
                return GroupCount(
                    _code(args[0], "count needs a group code, like count(children)"), column=name.column
                )
            case "answered":
                return Answered(
                    _code(args[0], "answered needs a question code, like answered(benefit)"),
                    column=name.column,
                )
        return Call(name.text, tuple(args), column=name.column)


def _arity_message(function: str, expected: int, given: int) -> str:
    wanted = {0: "no arguments", 1: "1 argument"}.get(expected, f"{expected} arguments")
    return f"{function} takes {wanted}, got {given}"


def _code(argument: Node, message: str) -> str:
    if not isinstance(argument, Answer):
        raise ExpressionSyntaxError(message, argument.column)
    return argument.code


def _date_literal(argument: Node) -> Literal:
    """Check a ``date('YYYY-MM-DD')`` when the form is loaded, not when someone fills it in."""
    if not (isinstance(argument, Literal) and argument.type is Type.TEXT):
        raise ExpressionSyntaxError("date needs a date in quotes, like date('2027-09-01')", argument.column)
    text = argument.value
    assert isinstance(text, str)
    try:
        value = date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:  # well formed but not a real date, such as 2027-02-30
        value = None
    if value is None:
        raise ExpressionSyntaxError(f"Invalid date '{text}': use YYYY-MM-DD", argument.column)
    return Literal(value, Type.DATE, column=argument.column)
