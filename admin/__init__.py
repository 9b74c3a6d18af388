"""The staff side of the portal (caseworkers and administrators): a Flask blueprint of thin views."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import (  # noqa: E402,F401  (routes register themselves on bp)
    announcements,
    builder,
    builder_lists,
    builder_pages,
    builder_preview,
    chronology,
    matching,
    message_templates,
    review,
    texts,
    views,
)
