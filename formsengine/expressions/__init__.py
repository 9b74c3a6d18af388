"""The expression language of form definitions: conditions, such as when a question is asked, and
values worked out from answers.

    expression = parse("age_on(child_date_of_birth, today()) >= 2 and benefit in ['universal_credit']")
    expression.check(question_types, group_codes)        # [] or every problem found
    expression.evaluate(answers, today=date(2027, 9, 1))  # True, False or None (not known)

An expression is parsed once, when its form is loaded, into an immutable tree; evaluation walks the
tree. Nothing is ever passed to ``eval``, and there is no syntax that reaches a Python object.

The language, loosest binding first:

* ``or``, ``and``, ``not`` -- three-valued: unanswered questions make them unknown (``None``)
  unless the other side decides, so ``None and false`` is false and ``None or true`` is true
* ``=`` (or ``==``), ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``not in`` -- false when either
  side has no value; comparisons cannot be chained (``1 < x < 5``), use ``and``
* ``+``, ``-``, then ``*``, ``/`` -- on numbers, exactly, in decimal; ``date + number`` and
  ``date - number`` move a date by whole days; ``date - date`` is the days between them
* unary ``-``
* brackets; question codes (``[a-z_][a-z0-9_]*``); ``'text'`` or ``"text"`` (no escapes: put a
  quote of one kind inside the other); ``12`` and ``12.50``; ``true``, ``false``, ``null``; lists of
  text ``['a', 'b']``; and the functions ``today()``, ``date('2027-09-01')``,
  ``age_on(date_of_birth, on_date)``, ``years_between(a, b)``, ``days_between(a, b)``,
  ``len(text_or_list)``, ``count(group_code)`` and ``answered(question_code)``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .checker import Checker
from .evaluator import Evaluator
from .nodes import Answer, Answered, GroupCount, Node, walk
from .parser import MAX_DEPTH, MAX_LENGTH, parse_tree
from .tokens import ExpressionSyntaxError
from .values import UPLOADED, Type, Value

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "Expression", "ExpressionSyntaxError", "Type", "parse"]

_NO_GROUPS: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True)
class Expression:
    source: str
    tree: Node = field(repr=False)
    references: frozenset[str]  # question codes whose answers the expression reads
    group_references: frozenset[str]  # group codes named in count()

    def check(self, question_types: Mapping[str, Type], group_codes: Collection[str]) -> list[str]:
        """Every type problem, in plain English, so a form definition can be rejected when it loads."""
        checker = Checker(question_types, group_codes)
        checker.type_of(self.tree)
        return checker.problems

    def result_type(self, question_types: Mapping[str, Type], group_codes: Collection[str]) -> Type:
        """What evaluation gives, for a caller that needs a number or a condition; ``Type.NONE`` when it
        cannot be known. Only to be trusted when ``check`` found no problems."""
        return Checker(question_types, group_codes).type_of(self.tree) or Type.NONE

    def evaluate(
        self,
        answers: Mapping[str, object],
        *,
        today: date,
        group_counts: Mapping[str, int] = _NO_GROUPS,
    ) -> Value:
        """The expression's value for these answers; ``None`` when it depends on something unknown.

        ``today`` is passed in rather than read from the clock so that a decision can be repeated
        later and tested. A group missing from ``group_counts`` has no entries. The value is text,
        an ``int`` or ``Decimal``, a ``bool``, a ``date``, a tuple of text, or ``None``; a file
        question on its own gives ``True`` when something was uploaded.
        """
        value = Evaluator(answers, today, group_counts).value(self.tree)
        return True if value is UPLOADED else value


def parse(source: str) -> Expression:
    """Parse ``source``, raising ``ExpressionSyntaxError`` with a 1-based column if it is not valid."""
    tree = parse_tree(source)
    nodes = [node for node, _depth in walk(tree)]
    return Expression(
        source=source,
        tree=tree,
        references=frozenset(node.code for node in nodes if isinstance(node, Answer | Answered)),
        group_references=frozenset(node.group for node in nodes if isinstance(node, GroupCount)),
    )
