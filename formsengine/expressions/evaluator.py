"""Walking the tree to a value.

Evaluation never raises: answers are read into the closed set of values in ``values``, every
operation checks the kinds it is given, and anything it cannot do (a missing answer, an answer of
the wrong type, a division by zero, a date out of range) gives ``None``. ``and``, ``or`` and
``not`` use three-valued logic, so "unknown and false" is false; comparisons with ``None`` are
false, so a condition on an unanswered question does not hold.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

from .functions import FUNCTIONS, Function
from .nodes import Answer, Answered, Binary, Call, GroupCount, Literal, Node, Today, Unary
from .values import ARITHMETIC, COMPARISONS, EQUATABLE, ORDERED, Number, Type, Value, kind_of, runtime_value

# Our own context, so that a caller changing the thread's decimal context cannot change a result,
# and the trapped conditions become ArithmeticErrors that give None.
_DECIMAL = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
_DECIMAL_OPERATIONS = {
    "+": _DECIMAL.add,
    "-": _DECIMAL.subtract,
    "*": _DECIMAL.multiply,
    "/": _DECIMAL.divide,
}
# Whole numbers stay whole, and exact, until something divides them.
_INTEGER_OPERATIONS = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_ORDERINGS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
# Further than this from a date is outside the calendar (years 1 to 9999) whatever the date.
_MAX_DAYS = (date.max - date.min).days


class Evaluator:
    def __init__(self, answers: Mapping[str, object], today: object, group_counts: Mapping[str, object]):
        self._answers = answers
        self._today = runtime_value(today)
        self._group_counts = group_counts

    def value(self, node: Node) -> Value:
        match node:
            case Literal():
                return node.value
            case Answer():
                return runtime_value(self._answers.get(node.code))
            case Answered():
                return runtime_value(self._answers.get(node.code)) is not None
            case GroupCount():
                return _count(self._group_counts.get(node.group, 0))
            case Today():
                return self._today if kind_of(self._today) is Type.DATE else None
            case Call():
                return _call(FUNCTIONS[node.function], [self.value(arg) for arg in node.args])
            case Unary(operator="not"):
                operand = _truth(self.value(node.operand))
                return None if operand is None else not operand
            case Unary():
                return _negate(self.value(node.operand))
            case Binary(operator="and"):
                return self._and(node.left, node.right)
            case Binary(operator="or"):
                return self._or(node.left, node.right)
            case Binary() if node.operator in COMPARISONS:
                return _compare(node.operator, self.value(node.left), self.value(node.right))
            case Binary():
                return _arithmetic(node.operator, self.value(node.left), self.value(node.right))
        raise AssertionError(f"no evaluation rule for {node!r}")  # pragma: no cover

    def _and(self, left: Node, right: Node) -> bool | None:
        first = _truth(self.value(left))
        if first is False:
            return False
        second = _truth(self.value(right))
        if second is False:
            return False
        return True if first and second else None

    def _or(self, left: Node, right: Node) -> bool | None:
        first = _truth(self.value(left))
        if first is True:
            return True
        second = _truth(self.value(right))
        if second is True:
            return True
        return False if first is False and second is False else None


def _truth(value: Value) -> bool | None:
    return value if isinstance(value, bool) else None


def _count(raw: object) -> int | None:
    count = runtime_value(raw)
    return count if kind_of(count) is Type.NUMBER and isinstance(count, int) and count >= 0 else None


def _call(function: Function, args: list[Value]) -> Value:
    if any(kind_of(arg) not in allowed for arg, allowed in zip(args, function.parameters, strict=True)):
        return None
    return function.apply(*args)


def _negate(value: Value) -> Number | None:
    if isinstance(value, Decimal):
        return _DECIMAL.minus(value)
    if kind_of(value) is Type.NUMBER:
        return -value
    return None


def _compare(operator_: str, left: Value, right: Value) -> bool:
    left_kind, right_kind = kind_of(left), kind_of(right)
    if operator_ in ("in", "not in"):
        if (left_kind, right_kind) != (Type.TEXT, Type.LIST):
            return False
        return (left in right) == (operator_ == "in")
    if left_kind is None or left_kind is not right_kind:
        return False
    if operator_ in ("=", "!="):
        return left_kind in EQUATABLE and (left == right) == (operator_ == "=")
    return left_kind in ORDERED and _ORDERINGS[operator_](left, right)


def _arithmetic(operator_: str, left: Value, right: Value) -> Value:
    result_type = ARITHMETIC.get((operator_, kind_of(left), kind_of(right)))
    try:
        if result_type is Type.DATE:
            days = _whole_days(right)
            if days is None:
                return None
            return left + timedelta(days=days if operator_ == "+" else -days)
        if result_type is Type.NUMBER and isinstance(left, date):
            return (left - right).days
        if result_type is Type.NUMBER:
            if type(left) is int and type(right) is int and operator_ in _INTEGER_OPERATIONS:
                return _INTEGER_OPERATIONS[operator_](left, right)
            return _DECIMAL_OPERATIONS[operator_](left, right)
    except ArithmeticError:  # division by zero, decimal overflow, a date outside the calendar
        return None
    return None


def _whole_days(number: Value) -> int | None:
    """A number of days to move a date by: it must be whole, and small enough to leave a real date."""
    if isinstance(number, Decimal) and number != number.to_integral_value(context=_DECIMAL):
        return None
    if not -_MAX_DAYS <= number <= _MAX_DAYS:
        return None
    return int(number)
