"""The staff side of the portal (caseworkers and administrators): a Flask blueprint of thin views."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import announcements, chronology, matching, message_templates, review, settings, texts, views  # noqa: E402,F401  (routes register themselves on bp)
