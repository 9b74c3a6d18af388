"""The form model: immutable objects built by the loader from a checked definition.

A ``Form`` has ordered ``Group`` s (one page each, ordered by ``number``), each holding ``Question`` s.
Nothing here parses text or touches files; ``Form.to_dict()`` gives back an equivalent definition, the
canonical form from which ``Form.fingerprint`` is computed.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


class DataType(enum.Enum):
    TEXT = "text"
    MEMO = "memo"
    INTEGER = "integer"
    DECIMAL = "decimal"
    YES_NO = "yes_no"
    DATE = "date"
    CHOICE = "choice"
    MULTIPLE_CHOICE = "multiple_choice"
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    NI_NUMBER = "ni_number"
    FILE = "file"
    IMAGE = "image"


TEXT_LIKE = frozenset(
    {DataType.TEXT, DataType.MEMO, DataType.EMAIL, DataType.PHONE, DataType.POSTCODE, DataType.NI_NUMBER}
)
NUMERIC = frozenset({DataType.INTEGER, DataType.DECIMAL})
UPLOADS = frozenset({DataType.FILE, DataType.IMAGE})

# Name of the expression-language type (formsengine.expressions.Type member) for each data type.
EXPRESSION_TYPE_NAMES: dict[DataType, str] = {
    DataType.TEXT: "TEXT",
    DataType.MEMO: "TEXT",
    DataType.EMAIL: "TEXT",
    DataType.PHONE: "TEXT",
    DataType.POSTCODE: "TEXT",
    DataType.NI_NUMBER: "TEXT",
    DataType.CHOICE: "TEXT",
    DataType.INTEGER: "NUMBER",
    DataType.DECIMAL: "NUMBER",
    DataType.YES_NO: "BOOLEAN",
    DataType.DATE: "DATE",
    DataType.MULTIPLE_CHOICE: "LIST",
    DataType.FILE: "FILE",
    DataType.IMAGE: "FILE",
}


@dataclass(frozen=True)
class Condition:
    """An expression parsed once at load time. ``compiled`` is the parsed tree from
    ``formsengine.expressions.parse``; equality is by source text."""

    source: str
    compiled: Any = field(compare=False, repr=False, hash=False)

    @property
    def references(self) -> frozenset[str]:
        return frozenset(self.compiled.references)

    @property
    def group_references(self) -> frozenset[str]:
        return frozenset(self.compiled.group_references)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Pattern:
    regex: str
    message: str


@dataclass(frozen=True)
class Restrictions:
    mandatory: bool = False
    max_length: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    decimal_places: int | None = None
    in_the_past: bool = False
    in_the_future: bool = False
    before: date | None = None
    after: date | None = None
    at_least_years_ago: int | None = None
    at_most_years_ago: int | None = None
    pattern: Pattern | None = None
    file_types: tuple[str, ...] = ()
    on_child_record: bool = False
    inherit_multiple: bool = False


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    type: DataType
    hint: str = ""
    error_name: str = ""
    options: tuple[Option, ...] = ()
    widget: str = ""
    prefix: str = ""
    suffix: str = ""
    restrictions: Restrictions = Restrictions()
    show_if: Condition | None = None
    prefill: bool = True

    @property
    def mandatory(self) -> bool:
        return self.restrictions.mandatory

    @property
    def name_in_errors(self) -> str:
        """How the question is named in "Enter ..." / "Select ..." messages."""
        if self.error_name:
            return self.error_name
        label = self.label.strip().rstrip("?").strip()
        if len(label) > 1 and label[0].isupper() and not label[1].isupper():
            label = label[0].lower() + label[1:]
        return label

    @property
    def label_in_errors(self) -> str:
        """The question as the subject of a sentence: "Date of birth must be in the past"."""
        name = self.error_name or self.label.strip().rstrip("?").strip()
        for possessive in ("your ", "the ", "their ", "a ", "an "):
            if name.lower().startswith(possessive) and len(name) > len(possessive):
                name = name[len(possessive) :]
                break
        return name[:1].upper() + name[1:]

    def option(self, value: str) -> Option | None:
        for option in self.options:
            if option.value == value:
                return option
        return None

    @property
    def first_field_id(self) -> str:
        """The id of the first input, for the error summary link."""
        if self.type is DataType.DATE:
            return f"{self.code}-day"
        return self.code


@dataclass(frozen=True)
class Repeat:
    min_items: int = 0
    max_items: int | None = None
    add_another_label: str = "Add another"
    item_name: str = "item"
    item_name_plural: str = ""

    def items_word(self, count: int) -> str:
        if count == 1:
            return self.item_name
        return self.item_name_plural or f"{self.item_name}s"


@dataclass(frozen=True)
class Group:
    code: str
    number: int
    name: str
    questions: tuple[Question, ...]
    guidance: str = ""
    show_if: Condition | None = None
    repeat: Repeat | None = None

    @property
    def repeating(self) -> bool:
        return self.repeat is not None

    def question(self, code: str) -> Question | None:
        for question in self.questions:
            if question.code == code:
                return question
        return None


@dataclass(frozen=True)
class Declaration:
    code: str
    text: str
    error_message: str = ""


@dataclass(frozen=True)
class Rule:
    """A cross-question rule ("end date must be after start date").

    ``check`` must hold whenever every question it reads is visible and answered (and ``when``, if
    given, holds); otherwise the rule is skipped, so optional questions never trip it. ``question`` is
    the question the error is shown against.
    """

    code: str
    check: Condition
    message: str
    question: str
    when: Condition | None = None


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    version: int
    groups: tuple[Group, ...]
    portal_type: str = "citizen"
    portal_user_type: str = "parent_or_carer"
    live: bool = False
    description: str = ""
    guidance: str = ""
    declarations: tuple[Declaration, ...] = ()
    outcome_checks: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    def __post_init__(self) -> None:
        questions: dict[str, Question] = {}
        owners: dict[str, Group] = {}
        for group in self.groups:
            for question in group.questions:
                questions.setdefault(question.code, question)
                owners.setdefault(question.code, group)
        object.__setattr__(self, "_questions", questions)
        object.__setattr__(self, "_owners", owners)
        object.__setattr__(self, "_groups", {g.code: g for g in self.groups})

    def question(self, code: str) -> Question | None:
        return self._questions.get(code)  # type: ignore[attr-defined]

    def group(self, code: str) -> Group | None:
        return self._groups.get(code)  # type: ignore[attr-defined]

    def group_of(self, question_code: str) -> Group | None:
        """The group (page) a question is on."""
        return self._owners.get(question_code)  # type: ignore[attr-defined]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())  # type: ignore[attr-defined]

    def to_dict(self) -> dict[str, Any]:
        """An equivalent definition (JSON-safe), the canonical form the fingerprint is taken from."""
        from formsengine.canonical import form_to_dict

        return form_to_dict(self)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical definition, leaving out ``version`` and ``live``.

        Two files with the same content have the same fingerprint however they are laid out; publishing
        the same content again, or switching it live, does not call for a new version.
        """
        content = self.to_dict()
        content.pop("version", None)
        content.pop("live", None)
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
