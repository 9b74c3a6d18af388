"""Configuration from environment variables, in one place.

Nothing else in the application reads ``os.environ`` (house style): `load_config` turns the environment
into a plain mapping that `create_app` puts into ``app.config``; tests pass their own overrides.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

MEGABYTE = 1024 * 1024


class ConfigurationError(RuntimeError):
    """Raised at start-up when the configuration is unsafe or incomplete, so a process never serves."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from error


def _hour(environ: Mapping[str, str], name: str, default: int) -> int:
    hour = _int(environ, name, default)
    if not 0 <= hour <= 23:
        raise ConfigurationError(f"{name} must be an hour of the day from 0 to 23, not {hour}")
    return hour


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read the environment variables documented in the README's configuration table."""
    env = os.environ if environ is None else environ
    portal_env = env.get("PORTAL_ENV", "production").strip().lower() or "production"
    base_url = env.get("PORTAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    upload_limit_mb = _int(env, "UPLOAD_MAX_MB", 10)
    return {
        "PORTAL_ENV": portal_env,
        "SECRET_KEY": env.get("SECRET_KEY", ""),
        "DATABASE_URL": env.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.db'}"),
        "SMTP_HOST": env.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": _int(env, "SMTP_PORT", 25),
        "SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_USE_TLS": _bool(env.get("SMTP_USE_TLS"), False),
        "SMTP_TIMEOUT_SECONDS": _int(env, "SMTP_TIMEOUT_SECONDS", 20),
        "MAIL_FROM": env.get("MAIL_FROM", "no-reply@council.example"),
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads")),
        "UPLOAD_MAX_BYTES": upload_limit_mb * MEGABYTE,
        "UPLOAD_MAX_MB": upload_limit_mb,
        "UPLOAD_ALLOWED_EXTENSIONS": tuple(
            e.strip().lower().lstrip(".")
            for e in env.get("UPLOAD_ALLOWED_EXTENSIONS", "doc,docx,pdf,png,jpeg,jpg,bmp").split(",")
            if e.strip()
        ),
        "UPLOAD_STORAGE": env.get("UPLOAD_STORAGE", "local").strip().lower() or "local",
        "S3_BUCKET": env.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL", ""),
        "S3_REGION": env.get("S3_REGION", ""),
        "S3_ACCESS_KEY_ID": env.get("S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": env.get("S3_SECRET_ACCESS_KEY", ""),
        "DRAFT_EXPIRY_DAYS": _int(env, "DRAFT_EXPIRY_DAYS", 28),
        # Scheduled alerts (drafts about to expire, submissions waiting) go out once a day from this hour.
        "ALERTS_DAILY_HOUR": _hour(env, "ALERTS_DAILY_HOUR", 7),
        # The review queue: an age marker on submissions waiting longer than this, rows per page, and
        # whether a parent asked for more information may change only the pages the caseworker opened
        # up ("opened") or every answer ("all").
        "QUEUE_AGE_WARNING_DAYS": _int(env, "QUEUE_AGE_WARNING_DAYS", 5),
        "QUEUE_PAGE_SIZE": _int(env, "QUEUE_PAGE_SIZE", 50),
        "AMEND_SCOPE": "all" if env.get("AMEND_SCOPE", "opened").strip().lower() == "all" else "opened",
        # A whole request may carry one upload plus its form fields.
        "MAX_CONTENT_LENGTH": (upload_limit_mb + 1) * MEGABYTE,
        "PORTAL_BASE_URL": base_url,
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), base_url.startswith("https://")),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "TRUSTED_PROXY_COUNT": _int(env, "TRUSTED_PROXY_COUNT", 0),
        "COUNCIL_NAME": env.get("COUNCIL_NAME", "Example Council"),
        "SERVICE_NAME": env.get("SERVICE_NAME", "Family services portal"),
        "PHASE": env.get("PHASE", "beta"),
        # How parents reach the council: shown in the footer and on the error pages when set.
        "CONTACT_EMAIL": env.get("CONTACT_EMAIL", "").strip(),
        "CONTACT_PHONE": env.get("CONTACT_PHONE", "").strip(),
        "CONTACT_HOURS": env.get("CONTACT_HOURS", "").strip(),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "SESSION_COOKIE_NAME": "portal_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Not read from the environment: only the test suite turns it on, with TESTING (portal/passwords.py).
        "PASSWORD_HASHING_FOR_TESTS": False,
        **_account_config(env),
    }


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").replace(";", ",").split(",") if item.strip())


def _account_config(env: Mapping[str, str]) -> dict[str, Any]:
    """Citizen accounts (issue 5): sessions, links in emails, passwords, throttling and 2SV.

    The numbers are read into `AccountSettings` below, the one place services take them from.
    """
    return {
        "SESSION_IDLE_MINUTES": _int(env, "SESSION_IDLE_MINUTES", 30),
        "SESSION_ABSOLUTE_HOURS": _int(env, "SESSION_ABSOLUTE_HOURS", 12),
        "PASSWORD_MIN_LENGTH": _int(env, "PASSWORD_MIN_LENGTH", 10),
        "ACTIVATION_LINK_HOURS": _int(env, "ACTIVATION_LINK_HOURS", 24),
        "PASSWORD_RESET_LINK_MINUTES": _int(env, "PASSWORD_RESET_LINK_MINUTES", 60),
        "EMAIL_CHANGE_LINK_HOURS": _int(env, "EMAIL_CHANGE_LINK_HOURS", 24),
        "TWO_STEP_CODE_DIGITS": _int(env, "TWO_STEP_CODE_DIGITS", 6),
        "TWO_STEP_CODE_MINUTES": _int(env, "TWO_STEP_CODE_MINUTES", 5),
        "TWO_STEP_MAX_ATTEMPTS": _int(env, "TWO_STEP_MAX_ATTEMPTS", 4),
        "TWO_STEP_LOCK_MINUTES": _int(env, "TWO_STEP_LOCK_MINUTES", 4),
        "TWO_STEP_REQUIRED_FORMS": _list(env.get("TWO_STEP_REQUIRED_FORMS", "send_request_for_assessment")),
        "SIGN_IN_ADDRESS_LIMIT": env.get("SIGN_IN_ADDRESS_LIMIT", "10 per minute"),
        "SIGN_IN_ACCOUNT_LIMIT": env.get("SIGN_IN_ACCOUNT_LIMIT", "10 per 15 minutes"),
        "CONSENT_WITHDRAWAL_ALERT_EMAILS": _list(env.get("CONSENT_WITHDRAWAL_ALERT_EMAILS")),
        "STAFF_INVITATION_LINK_HOURS": _int(env, "STAFF_INVITATION_LINK_HOURS", 72),
    }


@dataclass(frozen=True)
class AccountSettings:
    """The account rules that councils may tune, defined once (house style: one place for each rule).

    - Sessions end after `session_idle` without a request and `session_absolute` after sign-in, whatever
      happens (OWASP Session Management Cheat Sheet: idle and absolute timeouts, enforced on the server).
    - Passwords: a minimum length (default 10) and a refusal of common passwords, no composition rules
      (NCSC password guidance, "Password administration for system owners").
    - Links in emails: activation 24 hours, password reset 1 hour, change of email 24 hours (issue 5).
    - Two-step verification by email: codes of 6 digits, valid 5 minutes, single use; after 4 wrong codes
      the account is locked for 4 minutes (issue 5, matching the figures in the Capita One SEND citizen
      portal handbook that councils already publish to parents).
    - Sign-in throttling: per client address and per account (Flask-Limiter rate strings); only failed
      attempts count against an account, so its owner is never locked out by their own successes.

    The values from the environment are the defaults. Administrators may change the session timeouts,
    the minimum password length and the 2SV figures without a release, within floors and ceilings that
    cite their sources (NCSC Cyber Essentials, NIST SP 800-63B, OWASP) in one place:
    `portal.services.site_settings.SETTINGS`. Code builds this object from `site_settings.current()`,
    never from app.config directly, so a change made in one web process applies in all of them.
    """

    session_idle: timedelta
    session_absolute: timedelta
    password_min_length: int
    activation_link: timedelta
    password_reset_link: timedelta
    email_change_link: timedelta
    code_digits: int
    code_valid: timedelta
    max_code_attempts: int
    lock_duration: timedelta
    base_url: str
    council_name: str
    service_name: str
    withdrawal_alert_emails: tuple[str, ...] = ()
    # An invitation to the staff area: long enough to span a weekend, short enough to go stale.
    staff_invitation_link: timedelta = timedelta(hours=72)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AccountSettings:
        return cls(
            session_idle=timedelta(minutes=int(config["SESSION_IDLE_MINUTES"])),
            session_absolute=timedelta(hours=int(config["SESSION_ABSOLUTE_HOURS"])),
            password_min_length=int(config["PASSWORD_MIN_LENGTH"]),
            activation_link=timedelta(hours=int(config["ACTIVATION_LINK_HOURS"])),
            password_reset_link=timedelta(minutes=int(config["PASSWORD_RESET_LINK_MINUTES"])),
            email_change_link=timedelta(hours=int(config["EMAIL_CHANGE_LINK_HOURS"])),
            code_digits=int(config["TWO_STEP_CODE_DIGITS"]),
            code_valid=timedelta(minutes=int(config["TWO_STEP_CODE_MINUTES"])),
            max_code_attempts=int(config["TWO_STEP_MAX_ATTEMPTS"]),
            lock_duration=timedelta(minutes=int(config["TWO_STEP_LOCK_MINUTES"])),
            base_url=str(config["PORTAL_BASE_URL"]).rstrip("/"),
            council_name=str(config["COUNCIL_NAME"]),
            service_name=str(config["SERVICE_NAME"]),
            withdrawal_alert_emails=tuple(config.get("CONSENT_WITHDRAWAL_ALERT_EMAILS", ())),
            staff_invitation_link=timedelta(hours=int(config.get("STAFF_INVITATION_LINK_HOURS", 72))),
        )


def finalise_config(config: dict[str, Any]) -> None:
    """Refuse an unsafe start, and give development a secret key of its own."""
    if config.get("PASSWORD_HASHING_FOR_TESTS") and not config.get("TESTING"):
        raise ConfigurationError("PASSWORD_HASHING_FOR_TESTS is for the test suite only (with TESTING).")
    if not config.get("SECRET_KEY"):
        if config["PORTAL_ENV"] not in {"development", "test"}:
            raise ConfigurationError(
                "SECRET_KEY is not set. Set it to a long random value (for example the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`); every web and worker "
                "process of one portal must share it."
            )
        config["SECRET_KEY"] = _development_secret_key()


def _development_secret_key() -> str:
    """A key kept in instance/ so development sessions survive restarts and are shared by the worker."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
