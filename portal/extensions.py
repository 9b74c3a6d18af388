"""Flask extensions shared by the blueprints, created once and bound in `init_app`."""

from __future__ import annotations

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, session
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import cached_property

from .catalogues import load_translations

SUPPORTED_LANGUAGES = ("en", "cy")
_ENGLISH = NullTranslations()  # the source language: every msgid is already English


class CompiledCatalogueDomain(Domain):
    """Flask-Babel's message domain, reading the catalogues compiled in memory at start-up (no .mo files)."""

    def get_translations(self) -> Translations | NullTranslations:
        locale = get_locale()
        if locale is None:
            return _ENGLISH
        return current_app.extensions["translations"].get(locale.language, _ENGLISH)


class PortalBabel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return CompiledCatalogueDomain()


csrf = CSRFProtect()
babel = PortalBabel()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=["300 per minute"])


def select_language() -> str:
    """English unless the person chose Cymraeg with the language switch (or their account remembers it)."""
    if not has_request_context():  # the worker and commands: emails choose their language themselves
        return "en"
    chosen = session.get("language")
    return chosen if chosen in SUPPORTED_LANGUAGES else "en"


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT", 0))
    if proxies:
        # Behind a load balancer the client address comes from X-Forwarded-For; trusting more hops
        # than really exist would let a client choose its own address and dodge rate limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    from . import sessions

    sessions.init_app(app)  # server-side sessions: sign-out and timeouts end them for real
    csrf.init_app(app)
    app.extensions["translations"] = load_translations(SUPPORTED_LANGUAGES)
    babel.init_app(app, locale_selector=select_language)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "citizen.sign_in"
    login_manager.session_protection = "basic"

    from .db import session as db_session
    from .models import AccountStatus, User

    @login_manager.user_loader
    def _load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db_session().get(User, int(user_id))
        return user if user is not None and user.status is AccountStatus.ACTIVE else None
