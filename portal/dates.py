"""Dates and times as people read them, in the language of the page: "1 February 2023", "1 Chwefror 2023".

Times are stored in UTC and shown as the clock on the wall in England. Month names come from CLDR through
Babel, so Welsh needs no table of its own; "am" and "pm" (Welsh "yb" and "yp", as the Welsh Government's
style has them) come from the catalogue, because CLDR's "AM" and "PM" are not GOV.UK style. Outside a
request (the worker, commands) the language is English.

Its own module, not part of `templating`, so that services and blueprints can format dates without
importing the Jinja set-up (which imports the services).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from flask_babel import get_locale, gettext

LONDON = ZoneInfo("Europe/London")
_ENGLISH = Locale("en")


def _locale() -> Locale:
    return get_locale() or _ENGLISH


def long_date(value: date | None) -> str:
    """GOV.UK style date: "1 September 2027" (no leading zero, the month in full)."""
    return "" if value is None else format_date(value, "d MMMM y", locale=_locale())


def london_time(value: datetime | None) -> str:
    """A moment as the clock in England showed it: "23 November 2026, 2:05pm"."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    day = long_date(local.date())
    time = f"{local.hour % 12 or 12}:{local:%M}"
    if local.hour < 12:
        return gettext("%(date)s, %(time)sam", date=day, time=time)
    return gettext("%(date)s, %(time)spm", date=day, time=time)
