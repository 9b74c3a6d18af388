"""The staff side of the portal (caseworkers and administrators): a Flask blueprint of thin views."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import announcements, chronology, gdpr, matching, message_templates, review, texts, views  # noqa: E402,F401  (routes register themselves on bp)
