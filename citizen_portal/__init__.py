"""The parents' and carers' side of the portal: a Flask blueprint of thin views over portal services."""

from flask import Blueprint

bp = Blueprint("citizen", __name__)

from . import account, amend, applications, apply, auth, family, language, pages, registration  # noqa: E402,F401  (routes register themselves on bp)
