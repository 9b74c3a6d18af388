"""Styled error pages. Every failure a person can meet gets a page that says what to do next."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

# Status codes with a page of their own; others fall back to the generic problem page.
PAGES = {400, 403, 404, 405, 413, 429, 500, 503}

FALLBACK_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem</title>'
    "</head><body><main><h1>Sorry, there is a problem</h1><p>Try again later."
    "</p></main></body></html>"
)


def _render(status: int, **context):
    template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
    try:
        return render_template(template, status=status, **context), status
    except Exception:
        # The page itself failed (a broken template, the database gone): still answer politely.
        logging.getLogger("portal.errors").exception("error page failed")
        return FALLBACK_PAGE, status, {"Content-Type": "text/html; charset=utf-8"}


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if request.path.startswith(("/assets/", "/govuk-frontend/", "/static/")):
        return error  # no HTML page for a missing font or image
    return _render(error.code)


def _csrf_error(_error: CSRFError):
    # Almost always a form left open past the session's life: tell the person, don't blame them.
    return _render(400, expired=True)


def _unexpected_error(error: Exception):
    logging.getLogger("portal.errors").exception("unhandled error", exc_info=error)
    return _render(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
