"""Administrators editing the texts people read outside the forms, in English and Welsh.

Every key with a shipped English default (portal/content/en/<key>.md) can be edited: the home page
introduction, the footer pages, the change of circumstances text, the account emails and the two-step
verification messages. A saved text is a row in content_texts that overrides the default; resetting
deletes the row. A key with neither a Welsh row nor a shipped Welsh default is a missing translation:
people who chose Cymraeg read the English text meanwhile (`content.content_page` falls back).

The consent statement is not editable here: once published it becomes a versioned ConsentStatement
that parents agree to, so changing its content text would silently change nothing (see consent.py).

Every save and reset is audited with who, when, and the text before and after.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..extensions import SUPPORTED_LANGUAGES
from ..markdown import render_markdown
from ..models import ContentText
from . import audit
from .consent import DEFAULT_STATEMENT_KEY
from .content import DEFAULTS_DIR, FALLBACK_LANGUAGE, ContentPage, UnknownContent, _shipped_default

__all__ = [
    "LANGUAGES",
    "TextDraft",
    "TextError",
    "TextProblem",
    "TextState",
    "TextStatus",
    "UnknownContent",
    "check_text",
    "editable_text",
    "list_texts",
    "missing_translations",
    "preview",
    "reset_text",
    "save_text",
]

LANGUAGES = SUPPORTED_LANGUAGES  # ("en", "cy")
TITLE_MAX_LENGTH = 200  # content_texts.title is String(200)
BODY_MAX_LENGTH = 50_000
NOT_EDITABLE_HERE = frozenset({DEFAULT_STATEMENT_KEY})


class TextState(enum.Enum):
    DEFAULT = "default"  # the text the product ships
    EDITED = "edited"  # the council's own text
    MISSING = "missing"  # no text in this language: English is shown instead

    @property
    def label(self) -> str:
        return {"default": "Default", "edited": "Edited", "missing": "Missing"}[self.value]


@dataclass(frozen=True)
class TextStatus:
    key: str
    title: str  # the English title as it is shown now
    english: TextState
    welsh: TextState


@dataclass(frozen=True)
class TextDraft:
    title: str
    body_markdown: str


@dataclass(frozen=True)
class TextProblem:
    field: str  # the form field the message belongs to
    code: str
    message: str


class TextError(ValueError):
    def __init__(self, problems: list[TextProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _editable_keys() -> list[str]:
    keys = (path.stem for path in (DEFAULTS_DIR / FALLBACK_LANGUAGE).glob("*.md"))
    return sorted(key for key in keys if key not in NOT_EDITABLE_HERE)


def _check_key(key: str, language: str) -> None:
    if language not in LANGUAGES or key in NOT_EDITABLE_HERE or _shipped_default(key, FALLBACK_LANGUAGE) is None:
        raise UnknownContent(key)


def _rows(db: Session, key: str | None = None) -> dict[tuple[str, str], ContentText]:
    query = select(ContentText)
    if key is not None:
        query = query.where(ContentText.key == key)
    return {(row.key, row.language): row for row in db.scalars(query)}


def _state(rows: dict[tuple[str, str], ContentText], key: str, language: str) -> TextState:
    if (key, language) in rows:
        return TextState.EDITED
    return TextState.DEFAULT if _shipped_default(key, language) is not None else TextState.MISSING


def list_texts(db: Session) -> list[TextStatus]:
    """Every editable key with the state of its English and Welsh texts, in one query."""
    rows = _rows(db)
    statuses = []
    for key in _editable_keys():
        english = rows.get((key, FALLBACK_LANGUAGE))
        title = english.title if english is not None else _shipped_default(key, FALLBACK_LANGUAGE).title  # type: ignore[union-attr]
        statuses.append(TextStatus(key, title, _state(rows, key, FALLBACK_LANGUAGE), _state(rows, key, "cy")))
    return statuses


def missing_translations(db: Session) -> list[TextStatus]:
    """The keys with no Welsh text: Welsh readers see English for these."""
    return [status for status in list_texts(db) if status.welsh is TextState.MISSING]


def editable_text(db: Session, key: str, language: str) -> tuple[ContentPage, TextState]:
    """The text to start editing from, and its state. A missing Welsh text starts from the English one."""
    _check_key(key, language)
    rows = _rows(db, key)
    state = _state(rows, key, language)
    row = rows.get((key, language)) or rows.get((key, FALLBACK_LANGUAGE))
    if row is not None and (row.language == language or state is TextState.MISSING):
        return ContentPage(key, row.language, row.title, row.body_markdown), state
    page = _shipped_default(key, language) or _shipped_default(key, FALLBACK_LANGUAGE)
    assert page is not None  # _check_key made sure of the English default
    return page, state


def check_text(draft: TextDraft) -> TextDraft:
    """The draft with surrounding spaces removed, or TextError listing every problem (GOV.UK wording)."""
    title = " ".join(draft.title.split())
    body = draft.body_markdown.replace("\r\n", "\n").strip()
    problems = []
    if not title:
        problems.append(TextProblem("title", "title_missing", "Enter a title"))
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(TextProblem("title", "title_too_long", f"Title must be {TITLE_MAX_LENGTH} characters or fewer"))
    if not body:
        problems.append(TextProblem("body_markdown", "body_missing", "Enter the text"))
    elif len(body) > BODY_MAX_LENGTH:
        problems.append(
            TextProblem("body_markdown", "body_too_long", f"Text must be {BODY_MAX_LENGTH:,} characters or fewer")
        )
    if problems:
        raise TextError(problems)
    return TextDraft(title, body)


def preview(draft: TextDraft) -> tuple[str, Markup]:
    """The checked title and the body as sanitised HTML, exactly as the public page shows it. Saves nothing."""
    checked = check_text(draft)
    return checked.title, render_markdown(checked.body_markdown)


def _snapshot(row: ContentText | None, key: str, language: str) -> dict[str, Any] | None:
    if row is not None:
        return {"title": row.title, "body_markdown": row.body_markdown, "source": "edited"}
    default = _shipped_default(key, language)
    if default is not None:
        return {"title": default.title, "body_markdown": default.body_markdown, "source": "default"}
    return None


def save_text(
    db: Session, key: str, language: str, draft: TextDraft, *, actor_id: int, client_address: str | None
) -> ContentText:
    """Store the council's text for `key` in `language`, audited with the text before and after."""
    _check_key(key, language)
    checked = check_text(draft)
    for attempt in range(2):
        row = _rows(db, key).get((key, language))
        before = _snapshot(row, key, language)
        if row is None:
            row = ContentText(key=key, language=language, title="", body_markdown="")
            db.add(row)
        row.title = checked.title
        row.body_markdown = checked.body_markdown
        row.updated_by_id = actor_id
        audit.record(
            db,
            "content_text.updated",
            actor_id=actor_id,
            client_address=client_address,
            object_type="content_text",
            object_id=f"{key}/{language}",
            key=key,
            language=language,
            before=before,
            after={"title": checked.title, "body_markdown": checked.body_markdown, "source": "edited"},
        )
        try:
            db.commit()
            return row
        except IntegrityError:  # another administrator created this key+language first: update theirs
            db.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def reset_text(db: Session, key: str, language: str, *, actor_id: int, client_address: str | None) -> None:
    """Go back to the shipped default (a Welsh text without one becomes a missing translation). Audited."""
    _check_key(key, language)
    row = _rows(db, key).get((key, language))
    if row is None:
        return
    before = _snapshot(row, key, language)
    db.delete(row)
    audit.record(
        db,
        "content_text.reset",
        actor_id=actor_id,
        client_address=client_address,
        object_type="content_text",
        object_id=f"{key}/{language}",
        key=key,
        language=language,
        before=before,
        after=_snapshot(None, key, language),
    )
    db.commit()
