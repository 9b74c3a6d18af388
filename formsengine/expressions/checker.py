"""Static type checking, so a mistake in a form definition is found when the form is loaded.

Every problem is collected rather than stopping at the first, so an administrator can fix a
definition in one go. A node whose type cannot be known because of a problem already reported has
type ``None`` and raises no further problems. ``null`` has type ``Type.NONE``: it fits wherever a
value does, and anything computed from it is null too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .functions import FUNCTIONS
from .nodes import Answer, Answered, Binary, Call, GroupCount, Literal, Node, Today, Unary
from .values import ARITHMETIC, COMPARISONS, EQUATABLE, ORDERED, Type

_EQUALITY_HINTS = {
    Type.LIST: "use 'in' to check for one choice",
    Type.FILE: "use answered() to check for an upload",
}


class Checker:
    def __init__(self, question_types: Mapping[str, Type], group_codes: Collection[str]) -> None:
        self._question_types = question_types
        self._group_codes = group_codes
        self._problems: list[str] = []

    @property
    def problems(self) -> list[str]:
        return list(dict.fromkeys(self._problems))  # a code used twice is reported once

    def type_of(self, node: Node) -> Type | None:
        match node:
            case Literal():
                return node.type
            case Answer():
                return self._question(node.code)
            case Answered():
                self._question(node.code)
                return Type.BOOLEAN
            case GroupCount():
                if node.group not in self._group_codes:
                    self._problems.append(f"unknown group '{node.group}' in count()")
                return Type.NUMBER
            case Today():
                return Type.DATE
            case Call():
                return self._call(node)
            case Unary():
                return self._unary(node)
            case Binary() if node.operator in ("and", "or"):
                return self._logic(node)
            case Binary() if node.operator in COMPARISONS:
                return self._comparison(node)
            case Binary():
                return self._arithmetic(node)
        raise AssertionError(f"no type rule for {node!r}")  # pragma: no cover - the parser makes no others

    def _question(self, code: str) -> Type | None:
        question_type = self._question_types.get(code)
        if question_type is None:
            self._problems.append(f"unknown question '{code}'")
        elif not isinstance(question_type, Type):
            self._problems.append(f"question '{code}' has no expression type")
            return None
        return question_type

    def _call(self, node: Call) -> Type | None:
        function = FUNCTIONS[node.function]
        types = [self.type_of(arg) for arg in node.args]
        if any(
            t is not None and t is not Type.NONE and t not in allowed
            for t, allowed in zip(types, function.parameters, strict=True)
        ):
            self._problems.append(f"{node.function} expects {function.signature()}")
        return Type.NONE if Type.NONE in types else function.result

    def _unary(self, node: Unary) -> Type | None:
        operand = self.type_of(node.operand)
        expected = Type.BOOLEAN if node.operator == "not" else Type.NUMBER
        if operand is None or operand is Type.NONE:
            return operand
        if operand is not expected:
            wanted = "a true/false value" if expected is Type.BOOLEAN else "a number"
            self._problems.append(f"'{node.operator}' needs {wanted}, not {operand.description}")
        return expected

    def _logic(self, node: Binary) -> Type:
        sides = (self.type_of(node.left), self.type_of(node.right))
        if any(side not in (None, Type.NONE, Type.BOOLEAN) for side in sides):
            self._problems.append(f"'{node.operator}' needs true/false values on both sides")
        return Type.BOOLEAN

    def _comparison(self, node: Binary) -> Type:
        left, right = self.type_of(node.left), self.type_of(node.right)
        operator = node.operator
        if left is None or right is None:
            pass
        elif Type.NONE in (left, right):
            # At run time a comparison with no value is false, so this one could never be true.
            self._problems.append(
                f"'{operator}' with null is never true: use answered() to check for an answer"
            )
        elif operator in ("in", "not in"):
            if (left, right) != (Type.TEXT, Type.LIST):
                self._problems.append(f"'{operator}' needs text on the left and a list on the right")
        elif left is not right:
            self._problems.append(f"cannot compare {left.description} with {right.description}")
        elif operator in ("=", "!=") and left not in EQUATABLE:
            hint = _EQUALITY_HINTS[left]
            self._problems.append(f"cannot use '{operator}' with a {left.description}: {hint}")
        elif operator not in ("=", "!=") and left not in ORDERED:
            self._problems.append(f"'{operator}' needs numbers or dates, not {left.description}")
        return Type.BOOLEAN

    def _arithmetic(self, node: Binary) -> Type | None:
        left, right = self.type_of(node.left), self.type_of(node.right)
        if left is None or right is None or Type.NONE in (left, right):
            return None if None in (left, right) else Type.NONE
        result = ARITHMETIC.get((node.operator, left, right))
        if result is None:
            self._problems.append(
                f"cannot use '{node.operator}' with {left.description} and {right.description}"
            )
        return result
