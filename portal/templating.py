"""Jinja set-up: GOV.UK Frontend macros, branding from the site settings, and display filters."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

# LONDON, london_time and long_date live in portal.dates; they stay importable from here.
from .dates import LONDON as LONDON
from .dates import london_time, long_date
from .languages import LANGUAGE_NAMES, current_language
from .markdown import render_markdown
from .services import site_settings


def _branding() -> dict[str, object]:
    """Names, phase banner and contact details from the site settings in force (one query per request)."""
    settings = site_settings.current()
    return {
        "council_name": settings.council_name,
        "service_name": settings.service_name,
        "phase": settings.phase,
        "site_settings": settings,
    }


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.jinja_env.filters["london_time"] = london_time
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.context_processor(_branding)
