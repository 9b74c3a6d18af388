"""Markdown written by administrators, rendered to HTML that is safe to show.

Python-Markdown passes raw HTML and `javascript:` links straight through, so its output is always
cleaned with bleach against an allowlist of tags, attributes and protocols.
"""

from __future__ import annotations

import bleach
import markdown as markdown_lib
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "a",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "code",
        "pre",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

# GOV.UK Frontend styles elements by class, so the safe HTML gets the Design System's classes.
_GOVUK_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<h2>": '<h2 class="govuk-heading-m">',
    "<h3>": '<h3 class="govuk-heading-s">',
    "<h4>": '<h4 class="govuk-heading-s">',
    "<a ": '<a class="govuk-link" ',
    "<hr>": '<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">',
    "<blockquote>": '<blockquote class="govuk-inset-text">',
    "<table>": '<table class="govuk-table">',
    "<thead>": '<thead class="govuk-table__head">',
    "<tbody>": '<tbody class="govuk-table__body">',
    "<tr>": '<tr class="govuk-table__row">',
    "<th>": '<th scope="col" class="govuk-table__header">',
    "<td>": '<td class="govuk-table__cell">',
}


def sanitise_html(html: str) -> str:
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitised HTML with GOV.UK classes; anything unsafe is dropped, never escaped into view."""
    if not text:
        return Markup("")
    html = sanitise_html(markdown_lib.markdown(text, extensions=["sane_lists", "tables"], output_format="html"))
    for plain, styled in _GOVUK_CLASSES.items():
        html = html.replace(plain, styled)
    return Markup(html)  # noqa: S704 - sanitised by bleach above
