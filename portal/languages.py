"""The language a person reads the portal in: kept in their session, remembered on their account.

- The language switch on every page sets it for the session; signed in, it is stored on the account too,
  so the next sign-in, in any browser, starts in it, and the account's emails are written in it.
- Signing in takes the account's language, unless the person chose one on this visit before signing in:
  that choice is the latest, so it is stored on the account instead.
- A session that restarts (sign-in, sign-out, a password reset) keeps the language, so the next page is
  in the language the person was reading.
"""

from __future__ import annotations

from flask import session
from flask_babel import get_locale, refresh
from sqlalchemy.orm import Session

from .extensions import SUPPORTED_LANGUAGES
from .models import User
from .services.my_account import choose_language
from .sessions import regenerate

DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "language"  # read by extensions.select_language
_CHOSEN_KEY = "language_chosen"  # set by the switch while signed out; stored on the account at sign-in

# Each language's name, written in that language (the switch shows them so).
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def switch_language(db: Session, user: User | None, language: str) -> None:
    """The language switch: read `language` from now on, and remember it on the account if signed in."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    session[LANGUAGE_KEY] = language
    if user is None:
        session[_CHOSEN_KEY] = True
    else:
        choose_language(db, user, language)
    refresh()


def restart_session() -> None:
    """Empty the session under a new token (a token planted or copied before is worthless), keeping the
    language it was read in. An English session with nothing else in it ends altogether."""
    kept = {key: session[key] for key in (LANGUAGE_KEY, _CHOSEN_KEY) if key in session}
    session.clear()
    regenerate()
    if kept.get(_CHOSEN_KEY) or kept.get(LANGUAGE_KEY, DEFAULT_LANGUAGE) != DEFAULT_LANGUAGE:
        session.update(kept)


def adopt_account_language(db: Session, user: User) -> None:
    """At sign-in: the language chosen on this visit becomes the account's; otherwise the account's is used."""
    chosen = session.pop(_CHOSEN_KEY, False) and session.get(LANGUAGE_KEY) in SUPPORTED_LANGUAGES
    if chosen and session[LANGUAGE_KEY] != user.language:
        choose_language(db, user, session[LANGUAGE_KEY])
    elif not chosen:
        session[LANGUAGE_KEY] = user.language if user.language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    refresh()
