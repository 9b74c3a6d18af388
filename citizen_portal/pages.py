"""The home page and the footer pages (texts the council edits, with shipped defaults)."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import lazy_gettext
from flask_login import current_user

from portal import db
from portal.languages import current_language
from portal.services.applications import dashboard
from portal.services.content import content_page
from portal.services.forms import live_forms

from . import bp

# The footer's links, in order. Their texts are interface labels (translated with Babel); the pages'
# own titles and bodies are content the council edits.
FOOTER_LINKS = (
    ("about", lazy_gettext("About")),
    ("contact", lazy_gettext("Contact us")),
    ("accessibility", lazy_gettext("Accessibility statement")),
    ("terms", lazy_gettext("Terms and conditions")),
    ("privacy", lazy_gettext("Privacy notice")),
    ("cookies", lazy_gettext("Cookies")),
)
FOOTER_KEYS = frozenset(key for key, _ in FOOTER_LINKS)


@bp.app_context_processor
def _footer_links():
    return {"footer_links": lambda: FOOTER_LINKS}


@bp.get("/")
def home():
    if current_user.is_authenticated and not current_user.role.is_staff:
        return render_template("parent_home.html", dashboard=dashboard(db.session(), current_user.id))
    page = content_page(db.session(), "home", current_language())
    return render_template("home.html", page=page, forms=live_forms(db.session()))


@bp.get("/<any(" + ",".join(sorted(FOOTER_KEYS)) + "):key>")
def content(key: str):
    if key not in FOOTER_KEYS:  # pragma: no cover - the URL rule already restricts it
        abort(404)
    page = content_page(db.session(), key, current_language())
    return render_template("content_page.html", page=page)
