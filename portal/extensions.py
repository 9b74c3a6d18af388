"""Flask extensions shared by the blueprints, created once and bound in `init_app`."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

SUPPORTED_LANGUAGES = ("en", "cy")

csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=["300 per minute"])


def select_language() -> str:
    """English unless the person chose Cymraeg with the language switch."""
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
