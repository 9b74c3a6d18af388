"""Server-side sessions: the cookie holds a random token, the data lives in the `web_sessions` table.

Flask's default session is a signed cookie, which cannot be revoked: a copied cookie would outlive
sign-out. Here every session is a row, so signing out, resetting a password ("signs out other
sessions"), withdrawing consent and the idle and absolute timeouts really end it, whichever of several
web processes served the request. Only the SHA-256 of the token is stored.

- The idle timeout and the absolute lifetime (site settings; defaults SESSION_IDLE_MINUTES and
  SESSION_ABSOLUTE_HOURS) are checked on every request; an expired row is deleted and the request
  starts afresh. A timeout an administrator shortens applies to sessions already open.
- `last_seen_at` is written at most once a minute when nothing else changed, so reading pages does not
  cost a write per request.
- `regenerate()` gives the session a new token (the old row is deleted) at sign-in and at the end of
  two-step verification, so a token planted before sign-in (session fixation) is worthless after it.
- The worker deletes expired rows (`purge_expired_sessions`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, session
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.datastructures import CallbackDict

from .config import AccountSettings
from .models import WebSession, utcnow
from .services import site_settings

TOUCH_INTERVAL = timedelta(minutes=1)
_TOKEN_MAX_LENGTH = 100
_table = WebSession.__table__


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """The session dictionary, with the state the interface needs to save it."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        token: str | None = None,
        last_seen_at: datetime | None = None,
        had_cookie: bool = False,
    ) -> None:
        def on_update(self: ServerSession) -> None:
            self.modified = True
            self.accessed = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.last_seen_at: datetime | None = last_seen_at
        self.modified = False
        self.accessed = False
        self.regenerate = False
        self.had_cookie = had_cookie  # a cookie came in, valid or not: clear it if the session ends empty

    @property
    def new(self) -> bool:  # type: ignore[override]
        return self.token is None


def regenerate() -> None:
    """Give the current session a new token when the response is saved; the old one stops working."""
    session.regenerate = True  # type: ignore[attr-defined]
    session.modified = True


def _expired(settings: AccountSettings, created_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    return last_seen_at + settings.session_idle <= now or created_at + settings.session_absolute <= now


def _user_id(data: dict[str, Any]) -> int | None:
    value = data.get("_user_id")
    return int(value) if isinstance(value, str) and value.isdigit() else None


class DatabaseSessionInterface(SessionInterface):
    """Stores sessions in `web_sessions` through the application's engine, outside the request's unit of work."""

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.get_cookie_name(app))
        if not token:
            return ServerSession()
        if len(token) > _TOKEN_MAX_LENGTH:
            return ServerSession(had_cookie=True)
        digest = token_digest(token)
        settings = site_settings.account_settings()
        now = utcnow()
        with app.extensions["db_engine"].begin() as connection:
            row = connection.execute(
                select(_table.c.data, _table.c.created_at, _table.c.last_seen_at).where(_table.c.id == digest)
            ).first()
            if row is None:
                return ServerSession(had_cookie=True)
            if _expired(settings, row.created_at, row.last_seen_at, now):
                connection.execute(delete(_table).where(_table.c.id == digest))
                return ServerSession(had_cookie=True)
        return ServerSession(dict(row.data or {}), token=token, last_seen_at=row.last_seen_at, had_cookie=True)

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:  # type: ignore[override]
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if session.accessed:
            response.vary.add("Cookie")
        engine = app.extensions["db_engine"]
        now = utcnow()
        if session.token is not None and (session.regenerate or not session):
            with engine.begin() as connection:
                connection.execute(delete(_table).where(_table.c.id == token_digest(session.token)))
            session.token = None
        if not session:
            if session.had_cookie:
                response.delete_cookie(name, domain=domain, path=path)
            return
        data = dict(session)
        if session.token is None:
            token = secrets.token_urlsafe(32)
            with engine.begin() as connection:
                connection.execute(
                    insert(_table).values(
                        id=token_digest(token), user_id=_user_id(data), data=data, created_at=now, last_seen_at=now
                    )
                )
            session.token = token
            response.set_cookie(
                name,
                token,
                domain=domain,
                path=path,
                httponly=self.get_cookie_httponly(app),
                secure=self.get_cookie_secure(app),
                samesite=self.get_cookie_samesite(app),
                partitioned=self.get_cookie_partitioned(app),
            )
            response.vary.add("Cookie")
            return
        digest = token_digest(session.token)
        if session.modified:
            values: dict[str, Any] = {"data": data, "user_id": _user_id(data), "last_seen_at": now}
        elif session.last_seen_at is None or now - session.last_seen_at >= TOUCH_INTERVAL:
            values = {"last_seen_at": now}
        else:
            return
        with engine.begin() as connection:
            # Never resurrects a row deleted meanwhile (signed out elsewhere): UPDATE only.
            connection.execute(update(_table).where(_table.c.id == digest).values(**values))


def end_sessions_of(db: Session, user_id: int) -> int:
    """Delete every session of an account (password reset, closure). The caller's unit of work commits."""
    return db.execute(delete(WebSession).where(WebSession.user_id == user_id)).rowcount


def purge_expired_sessions(db: Session) -> int:
    """Scheduled job: delete sessions past their idle timeout or absolute lifetime (the settings in force)."""
    settings = site_settings.account_settings()
    now = utcnow()
    result = db.execute(
        delete(WebSession).where(
            or_(
                WebSession.last_seen_at <= now - settings.session_idle,
                WebSession.created_at <= now - settings.session_absolute,
            )
        )
    )
    db.commit()
    return result.rowcount


def init_app(app: Flask) -> None:
    app.session_interface = DatabaseSessionInterface()
