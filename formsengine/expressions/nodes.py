"""The parsed tree: immutable, and holding only plain values, so nothing in it can be called."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .values import Type, Value


@dataclass(frozen=True)
class Node:
    # The column of the token that makes the node: an operator, a function name, a value. Not
    # compared, so trees parsed from differently spaced text are equal.
    column: int = field(compare=False, kw_only=True)

    @property
    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True)
class Literal(Node):
    """A constant: text, number, true/false, null, a list of text, or a ``date('...')``."""

    value: Value
    type: Type


@dataclass(frozen=True)
class Answer(Node):
    code: str


@dataclass(frozen=True)
class Answered(Node):
    """``answered(code)``: names a question rather than reading its value, so unanswered is false."""

    code: str


@dataclass(frozen=True)
class GroupCount(Node):
    group: str


@dataclass(frozen=True)
class Today(Node):
    pass


@dataclass(frozen=True)
class Call(Node):
    """A function from ``functions.FUNCTIONS``, whose arguments are ordinary expressions."""

    function: str
    args: tuple[Node, ...]

    @property
    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass(frozen=True)
class Unary(Node):
    operator: str  # "not" or "-"
    operand: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Node):
    operator: str  # "or", "and", "=", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/"
    left: Node
    right: Node

    @property
    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


def walk(tree: Node) -> Iterator[tuple[Node, int]]:
    """Yield every node with its depth (the root is 1).

    Uses its own stack rather than recursion: it is how the parser measures a tree that may be
    too deep to recurse over safely.
    """
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(node.children))
