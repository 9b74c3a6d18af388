"""Jinja set-up: GOV.UK Frontend macros, branding from the site settings, and display filters."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import get_locale
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from .markdown import render_markdown
from .services import site_settings

LONDON = ZoneInfo("Europe/London")


def london_time(value: datetime | None) -> str:
    """Times are stored in UTC and shown as the clock on the wall in England: '23 November 2026, 2:05pm'."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{local.day} {local:%B %Y}, {hour}:{local:%M}{suffix}"


def long_date(value: date | None) -> str:
    """GOV.UK style date: '1 September 2027' (no leading zero)."""
    return "" if value is None else f"{value.day} {value:%B %Y}"


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
    app.context_processor(_branding)
