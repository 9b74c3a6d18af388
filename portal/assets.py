"""Serve GOV.UK Frontend's compiled CSS, JavaScript, fonts and images from node_modules.

The files are installed by `npm ci` (version pinned in package-lock.json) and never committed or
loaded from a CDN. The CSS refers to its fonts and images under /assets, so that is where they live.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask

from .config import PROJECT_ROOT

GOVUK_DIST = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
ONE_DAY = 24 * 60 * 60


def init_app(app: Flask) -> None:
    if not (GOVUK_DIST / "govuk-frontend.min.css").exists():
        logging.getLogger(__name__).warning(
            "GOV.UK Frontend is not installed in %s: run `make install` (npm ci)", GOVUK_DIST
        )
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", ONE_DAY)
    app.register_blueprint(
        Blueprint("govuk_assets", __name__, static_folder=str(GOVUK_DIST / "assets"), static_url_path="/assets")
    )
    app.register_blueprint(
        Blueprint("govuk_frontend", __name__, static_folder=str(GOVUK_DIST), static_url_path="/govuk-frontend")
    )
