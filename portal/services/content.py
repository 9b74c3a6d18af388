"""Texts administrators edit: a row in content_texts overrides the default the product ships.

Defaults live in portal/content/<language>/<key>.md; the first line is '# Title'. A missing Welsh
text falls back to English, so a page is never empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ContentText

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "content"
FALLBACK_LANGUAGE = "en"

# Footer pages, in the order the footer lists them: key -> URL path.
FOOTER_PAGES = {
    "about": "/about",
    "contact": "/contact",
    "accessibility": "/accessibility",
    "terms": "/terms",
    "privacy": "/privacy",
    "cookies": "/cookies",
}


@dataclass(frozen=True)
class ContentPage:
    key: str
    language: str
    title: str
    body_markdown: str


class UnknownContent(KeyError):
    pass


@cache
def _shipped_default(key: str, language: str) -> ContentPage | None:
    path = DEFAULTS_DIR / language / f"{key}.md"
    if not path.is_file():
        return None
    heading, _, body = path.read_text(encoding="utf-8").partition("\n")
    return ContentPage(key, language, heading.removeprefix("# ").strip(), body.strip())


def content_page(db: Session, key: str, language: str) -> ContentPage:
    """The text for `key` in `language`: the council's own if edited, else the shipped default."""
    rows = {
        row.language: row
        for row in db.scalars(
            select(ContentText).where(ContentText.key == key, ContentText.language.in_({language, FALLBACK_LANGUAGE}))
        )
    }
    for lang in (language, FALLBACK_LANGUAGE):
        if lang in rows:
            return ContentPage(key, lang, rows[lang].title, rows[lang].body_markdown)
        default = _shipped_default(key, lang)
        if default is not None:
            return default
    raise UnknownContent(key)
