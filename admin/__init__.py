"""The staff side of the portal (caseworkers and administrators): a Flask blueprint of thin views."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

# The routes register themselves on bp; one module a line, so areas added side by side merge cleanly.
from . import (  # noqa: E402,F401
    alerts,
    announcements,
    builder,
    builder_lists,
    builder_pages,
    builder_preview,
    chronology,
    gdpr,
    invitation,
    matching,
    message_templates,
    retention,
    review,
    settings,
    staff,
    texts,
    views,
)
