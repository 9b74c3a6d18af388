"""Message templates: checking them when an administrator saves one, and filling them in for a parent.

Placeholders such as `{{Forename}}` (the list in the Capita One SEND citizen portal admin handbook, seed
004, "Template Management", plus the ones a decision needs) are found by a small tokenizer and replaced
one token at a time. Stored text is never handed to Jinja or `str.format`, so a template can only ever
say what its words and placeholders say.

Rendering escapes each value for Markdown before the body is turned into HTML, and the HTML is then
cleaned by `portal.markdown` (the one sanitiser): a parent called `<script>` or `[x](javascript:...)`
shows up as those characters, never as markup.

The shipped defaults (one per decision) are inserted by migration 0004_message_templates, so that every
council has them after `db upgrade`, and a council that changes or deletes one keeps its change.
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..markdown import render_markdown
from ..models import Decision, MessageTemplate, MessageTemplateDecision
from . import audit

__all__ = [
    "PLACEHOLDERS",
    "SAMPLE_VALUES",
    "Decision",
    "Placeholder",
    "RenderedMessage",
    "TemplateDraft",
    "TemplateError",
    "TemplateErrorCode",
    "TemplateProblem",
    "check_template",
    "compose_message",
    "create_template",
    "delete_template",
    "escape_markdown",
    "get_template",
    "list_templates",
    "placeholders_in",
    "preview",
    "render",
    "templates_for_decision",
    "update_template",
]

NAME_MAX_LENGTH = 100
SUBJECT_MAX_LENGTH = 150  # leaves room for the values, within the 200 a message's subject may hold
RENDERED_SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str  # for the administrator choosing one

    @property
    def token(self) -> str:
        return "{{" + self.name + "}}"


# The one list of placeholders, in the order an administrator is offered them. The first six are the
# handbook's (Placeholder_Title ... Placeholder_HomePhone); the last three are what a decision needs.
PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("Title", "The parent's title, like Mrs"),
    Placeholder("Forename", "The parent's first name"),
    Placeholder("Surname", "The parent's last name"),
    Placeholder("BusPhone", "The parent's business phone number"),
    Placeholder("Mobile", "The parent's mobile phone number"),
    Placeholder("HomePhone", "The parent's home phone number"),
    Placeholder("Reference", "The application reference"),
    Placeholder("ChildName", "The child's full name"),
    Placeholder("FundingStart", "When the child's funded place can start"),
)
_PLACEHOLDER_NAMES = frozenset(p.name for p in PLACEHOLDERS)
_BY_LOWER_NAME = {p.name.lower(): p.name for p in PLACEHOLDERS}

# What a preview fills in: realistic, with the accents and apostrophes real names have. Phone numbers
# are from Ofcom's ranges reserved for drama, so they can never reach anyone.
SAMPLE_VALUES: Mapping[str, str] = {
    "Title": "Ms",
    "Forename": "Siân",
    "Surname": "O'Neill",
    "BusPhone": "01632 960 001",
    "Mobile": "07700 900 982",
    "HomePhone": "01632 960 123",
    "Reference": "2YO-7K3M-Q9TD",
    "ChildName": "Zoë O'Neill",
    "FundingStart": "1 April 2027",
}


# --- errors: one catalogue, GOV.UK wording -------------------------------------------------------


class TemplateErrorCode(enum.Enum):
    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"
    NAME_TAKEN = "name_taken"
    DECISION_MISSING = "decision_missing"
    SUBJECT_MISSING = "subject_missing"
    SUBJECT_TOO_LONG = "subject_too_long"
    SUBJECT_MULTIPLE_LINES = "subject_multiple_lines"
    BODY_MISSING = "body_missing"
    BODY_TOO_LONG = "body_too_long"
    PLACEHOLDER_UNKNOWN = "placeholder_unknown"
    PLACEHOLDER_WRONG_CASE = "placeholder_wrong_case"
    PLACEHOLDER_EMPTY = "placeholder_empty"
    PLACEHOLDER_NOT_CLOSED = "placeholder_not_closed"
    PLACEHOLDER_NOT_OPENED = "placeholder_not_opened"
    PLACEHOLDER_BRACKETS = "placeholder_brackets"


# Doubled braces: the messages below are format strings (our own text; values are filled in once).
_ALL_TOKENS = ", ".join(p.token for p in PLACEHOLDERS).replace("{", "{{").replace("}", "}}")

MESSAGES: dict[TemplateErrorCode, str] = {
    TemplateErrorCode.NAME_MISSING: "Enter a template name",
    TemplateErrorCode.NAME_TOO_LONG: f"Template name must be {NAME_MAX_LENGTH} characters or fewer",
    TemplateErrorCode.NAME_TAKEN: "There is already a template called {name}. Enter a different name",
    TemplateErrorCode.DECISION_MISSING: "Select the decisions this template can be used for",
    TemplateErrorCode.SUBJECT_MISSING: "Enter a subject",
    TemplateErrorCode.SUBJECT_TOO_LONG: f"Subject must be {SUBJECT_MAX_LENGTH} characters or fewer",
    TemplateErrorCode.SUBJECT_MULTIPLE_LINES: "Subject must be on one line",
    TemplateErrorCode.BODY_MISSING: "Enter a message",
    TemplateErrorCode.BODY_TOO_LONG: f"Message must be {BODY_MAX_LENGTH:,} characters or fewer",
    TemplateErrorCode.PLACEHOLDER_UNKNOWN: "{fragment} is not a placeholder you can use. Use one of: " + _ALL_TOKENS,
    TemplateErrorCode.PLACEHOLDER_WRONG_CASE: "{fragment} is not a placeholder you can use. Did you mean {suggestion}?",
    TemplateErrorCode.PLACEHOLDER_EMPTY: "{fragment} has no placeholder name in it. Use one of: " + _ALL_TOKENS,
    TemplateErrorCode.PLACEHOLDER_NOT_CLOSED: "{fragment} must end with }}}}, like {{{{Forename}}}}",
    TemplateErrorCode.PLACEHOLDER_NOT_OPENED: "{fragment} must start with {{{{, like {{{{Forename}}}}",
    TemplateErrorCode.PLACEHOLDER_BRACKETS: "{fragment} must have 2 curly brackets on each side, like {{{{Forename}}}}",
}


@dataclass(frozen=True)
class TemplateProblem:
    field: str  # "name", "decisions", "subject" or "body_markdown": the form field to link to
    code: TemplateErrorCode
    message: str


def _problem(field: str, code: TemplateErrorCode, **values: str) -> TemplateProblem:
    return TemplateProblem(field, code, MESSAGES[code].format(**values))


class TemplateError(ValueError):
    """A template the rules refuse; `problems` holds every reason, each fit to show the administrator."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# --- the tokenizer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Field:
    name: str


_Token = _Text | _Field
_BRACES = re.compile(r"\{\{|\}\}")
_WORD_BEFORE = re.compile(r"\S{0,30}$")
_WORD_AFTER = re.compile(r"^\S{0,30}")


def _tokenize(text: str) -> tuple[list[_Token], list[tuple[TemplateErrorCode, dict[str, str]]]]:
    """Split text into literal runs and known placeholders, with a problem for anything that looks like
    a placeholder and is not one. Anything that is not a known placeholder stays literal text."""
    tokens: list[_Token] = []
    problems: list[tuple[TemplateErrorCode, dict[str, str]]] = []
    literal: list[str] = []
    position = 0
    while (match := _BRACES.search(text, position)) is not None:
        start = match.start()
        literal.append(text[position:start])
        if match.group() == "}}":
            fragment = _WORD_BEFORE.search(text[:start]).group() + "}}"
            problems.append((TemplateErrorCode.PLACEHOLDER_NOT_OPENED, {"fragment": fragment}))
            literal.append("}}")
            position = match.end()
            continue
        close = text.find("}}", match.end())
        reopen = text.find("{{", match.end())
        if close == -1 or (reopen != -1 and reopen < close) or "\n" in text[match.end() : close]:
            fragment = "{{" + _WORD_AFTER.search(text[match.end() :]).group()
            problems.append((TemplateErrorCode.PLACEHOLDER_NOT_CLOSED, {"fragment": fragment}))
            literal.append("{{")
            position = match.end()
            continue
        source = text[start : close + 2]
        inner = text[match.end() : close].strip()
        if inner in _PLACEHOLDER_NAMES:
            if literal:
                tokens.append(_Text("".join(literal)))
                literal = []
            tokens.append(_Field(inner))
        else:
            literal.append(source)
            if not inner:
                problems.append((TemplateErrorCode.PLACEHOLDER_EMPTY, {"fragment": source}))
            elif "{" in inner or "}" in inner:
                problems.append((TemplateErrorCode.PLACEHOLDER_BRACKETS, {"fragment": source}))
            elif inner.lower() in _BY_LOWER_NAME:
                suggestion = "{{" + _BY_LOWER_NAME[inner.lower()] + "}}"
                problems.append(
                    (TemplateErrorCode.PLACEHOLDER_WRONG_CASE, {"fragment": source, "suggestion": suggestion})
                )
            else:
                problems.append((TemplateErrorCode.PLACEHOLDER_UNKNOWN, {"fragment": source}))
        position = close + 2
    literal.append(text[position:])
    if "".join(literal):
        tokens.append(_Text("".join(literal)))
    return tokens, problems


def placeholders_in(text: str) -> list[str]:
    """The known placeholders a text uses, in order of first use."""
    seen: dict[str, None] = {}
    for token in _tokenize(text)[0]:
        if isinstance(token, _Field):
            seen.setdefault(token.name)
    return list(seen)


# --- checking a template -------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateDraft:
    """What an administrator submits: the fields of the create and edit pages."""

    name: str
    decisions: Iterable[Decision | str]
    subject: str
    body_markdown: str

    def __post_init__(self) -> None:
        # Read more than once (checked, then saved), so a generator is kept as a tuple.
        object.__setattr__(self, "decisions", tuple(self.decisions))


def _placeholder_problems(field: str, text: str) -> list[TemplateProblem]:
    problems: list[TemplateProblem] = []
    for code, values in _tokenize(text)[1]:
        problem = _problem(field, code, **values)
        if problem not in problems:
            problems.append(problem)
    return problems


def _decisions(values: Iterable[Decision | str]) -> tuple[set[Decision], bool]:
    chosen: set[Decision] = set()
    valid = True
    for value in values:
        try:
            chosen.add(Decision(value))
        except ValueError:
            valid = False
    return chosen, valid


def check_template(draft: TemplateDraft) -> list[TemplateProblem]:
    """Every problem with a draft, in the order of the form's fields; an empty list means it can be saved.

    (Whether the name is already taken needs the database: `create_template` and `update_template`
    check that too.)
    """
    problems: list[TemplateProblem] = []
    name = draft.name.strip()
    if not name:
        problems.append(_problem("name", TemplateErrorCode.NAME_MISSING))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(_problem("name", TemplateErrorCode.NAME_TOO_LONG))
    chosen, valid = _decisions(draft.decisions)
    if not chosen or not valid:
        problems.append(_problem("decisions", TemplateErrorCode.DECISION_MISSING))
    subject = draft.subject.strip()
    if not subject:
        problems.append(_problem("subject", TemplateErrorCode.SUBJECT_MISSING))
    elif "\n" in subject or "\r" in subject:
        problems.append(_problem("subject", TemplateErrorCode.SUBJECT_MULTIPLE_LINES))
    elif len(subject) > SUBJECT_MAX_LENGTH:
        problems.append(_problem("subject", TemplateErrorCode.SUBJECT_TOO_LONG))
    problems.extend(_placeholder_problems("subject", subject))
    body = draft.body_markdown.strip()
    if not body:
        problems.append(_problem("body_markdown", TemplateErrorCode.BODY_MISSING))
    elif len(body) > BODY_MAX_LENGTH:
        problems.append(_problem("body_markdown", TemplateErrorCode.BODY_TOO_LONG))
    problems.extend(_placeholder_problems("body_markdown", body))
    return problems


# --- storing templates ---------------------------------------------------------------------------


def list_templates(db: Session) -> list[MessageTemplate]:
    return list(db.scalars(select(MessageTemplate).order_by(func.lower(MessageTemplate.name))))


def templates_for_decision(db: Session, decision: Decision) -> list[MessageTemplate]:
    """The templates a caseworker may pick from when making `decision`, by name."""
    return list(
        db.scalars(
            select(MessageTemplate)
            .join(MessageTemplateDecision)
            .where(MessageTemplateDecision.decision == decision)
            .order_by(func.lower(MessageTemplate.name))
        )
    )


def get_template(db: Session, template_id: int) -> MessageTemplate | None:
    return db.get(MessageTemplate, template_id)


def _name_taken(db: Session, name: str, *, other_than: int | None) -> bool:
    query = select(MessageTemplate.id).where(func.lower(MessageTemplate.name) == name.lower())
    if other_than is not None:
        query = query.where(MessageTemplate.id != other_than)
    return db.scalar(query.limit(1)) is not None


def _checked(db: Session, draft: TemplateDraft, *, template_id: int | None) -> list[TemplateProblem]:
    problems = check_template(draft)
    name = draft.name.strip()
    if not any(p.field == "name" for p in problems) and _name_taken(db, name, other_than=template_id):
        problems.insert(0, _problem("name", TemplateErrorCode.NAME_TAKEN, name=name))
    return problems


def _apply(template: MessageTemplate, draft: TemplateDraft, actor_id: int | None) -> None:
    template.name = draft.name.strip()
    template.decisions = _decisions(draft.decisions)[0]
    template.subject = draft.subject.strip()
    template.body_markdown = draft.body_markdown.strip() + "\n"
    template.updated_by_id = actor_id


def _commit_or_name_taken(db: Session, name: str) -> None:
    try:
        db.commit()
    except IntegrityError as error:  # a template of the same name saved at the same moment
        db.rollback()
        raise TemplateError([_problem("name", TemplateErrorCode.NAME_TAKEN, name=name)]) from error


def create_template(
    db: Session, draft: TemplateDraft, *, actor_id: int | None = None, client_address: str | None = None
) -> MessageTemplate:
    """Save a new template, or raise `TemplateError` with every problem and save nothing."""
    problems = _checked(db, draft, template_id=None)
    if problems:
        raise TemplateError(problems)
    template = MessageTemplate()
    _apply(template, draft, actor_id)
    db.add(template)
    db.flush()
    audit.record(
        db,
        "message_template.created",
        actor_id=actor_id,
        client_address=client_address,
        object_type="message_template",
        object_id=template.id,
        name=template.name,
    )
    _commit_or_name_taken(db, template.name)
    return template


def update_template(
    db: Session,
    template_id: int,
    draft: TemplateDraft,
    *,
    actor_id: int | None = None,
    client_address: str | None = None,
) -> MessageTemplate:
    """Change a template, or raise `TemplateError` and change nothing. Messages already sent keep the
    text they were sent with."""
    template = db.get(MessageTemplate, template_id)
    if template is None:
        raise LookupError(f"no message template {template_id}")
    problems = _checked(db, draft, template_id=template_id)
    if problems:
        raise TemplateError(problems)
    _apply(template, draft, actor_id)
    audit.record(
        db,
        "message_template.changed",
        actor_id=actor_id,
        client_address=client_address,
        object_type="message_template",
        object_id=template.id,
        name=template.name,
    )
    _commit_or_name_taken(db, template.name)
    return template


def delete_template(
    db: Session, template_id: int, *, actor_id: int | None = None, client_address: str | None = None
) -> None:
    template = db.get(MessageTemplate, template_id)
    if template is None:
        raise LookupError(f"no message template {template_id}")
    audit.record(
        db,
        "message_template.deleted",
        actor_id=actor_id,
        client_address=client_address,
        object_type="message_template",
        object_id=template.id,
        name=template.name,
    )
    db.delete(template)
    db.commit()


# --- filling in ----------------------------------------------------------------------------------


class TemplateText(Protocol):
    subject: str
    body_markdown: str


@dataclass(frozen=True)
class RenderedMessage:
    subject: str  # plain text, one line
    body_markdown: str  # what a caseworker may edit before sending
    body_html: Markup  # sanitised, for the page and the email's HTML part
    body_text: str  # for the email's plain-text part


# Python-Markdown's backslash escapes (markdown.Markdown.ESCAPED_CHARS, with the tables extension's `|`).
_MARKDOWN_ESCAPABLE = "\\`*_{}[]()>#+-.!|"
_MARKDOWN_ESCAPES = str.maketrans(
    {
        **{char: "\\" + char for char in _MARKDOWN_ESCAPABLE},
        # As entities, which Python-Markdown passes through as text (it has no backslash escape for & or <).
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "=": "&#61;",  # a line of "=" under text would make it a heading
    }
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _one_line(value: str) -> str:
    """Values and subjects are single lines: line breaks and control characters become spaces."""
    return " ".join(_CONTROL.sub(" ", value).split())


def escape_markdown(value: str) -> str:
    """A value as Markdown that shows exactly its characters, on one line, and cannot start a block,
    a link, emphasis or HTML."""
    return _one_line(value).translate(_MARKDOWN_ESCAPES)


def _values(values: Mapping[str, str | None]) -> dict[str, str]:
    unknown = set(values) - _PLACEHOLDER_NAMES
    if unknown:
        raise KeyError(f"not placeholders: {', '.join(sorted(unknown))}")
    return {name: _one_line(values.get(name) or "") for name in _PLACEHOLDER_NAMES}


def _fill(text: str, values: Mapping[str, str], escape) -> str:
    return "".join(
        escape(values[token.name]) if isinstance(token, _Field) else token.text for token in _tokenize(text)[0]
    )


def _subject(text: str) -> str:
    subject = _one_line(text)
    if len(subject) > RENDERED_SUBJECT_MAX_LENGTH:
        subject = subject[: RENDERED_SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return subject


_UNESCAPE = re.compile(r"\\([" + re.escape(_MARKDOWN_ESCAPABLE) + r"])")
_INLINE_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]+)>?\s*\)")


def _markdown_as_text(body_markdown: str) -> str:
    """The plain-text part of an email. Markdown is meant to read well as it is, so this only turns
    links into "text (address)", removes backslash escapes and decodes entities."""
    text = _INLINE_LINK.sub(
        lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", body_markdown
    )
    return html.unescape(_UNESCAPE.sub(r"\1", text)).strip() + "\n"


def compose_message(subject: str, body_markdown: str) -> RenderedMessage:
    """A message from finished text, such as a rendered template a caseworker has edited."""
    return RenderedMessage(
        subject=_subject(subject),
        body_markdown=body_markdown,
        body_html=render_markdown(body_markdown),
        body_text=_markdown_as_text(body_markdown),
    )


def render(template: TemplateText, values: Mapping[str, str | None]) -> RenderedMessage:
    """Fill in a template's placeholders with `values` (keyed by placeholder name; a missing or None value
    is left empty). Text that only looks like a placeholder is kept as it is."""
    filled = _values(values)
    return compose_message(
        _fill(template.subject, filled, lambda value: value),
        _fill(template.body_markdown, filled, escape_markdown),
    )


def preview(template: TemplateText) -> RenderedMessage:
    """The template filled in with `SAMPLE_VALUES`, as an administrator checks it before saving.

    Raises `TemplateError` if the subject or body has a placeholder problem, as saving would."""
    problems = _placeholder_problems("subject", template.subject) + _placeholder_problems(
        "body_markdown", template.body_markdown
    )
    if problems:
        raise TemplateError(problems)
    return render(template, SAMPLE_VALUES)
