"""Configuration from environment variables, in one place.

Nothing else in the application reads ``os.environ`` (house style): `load_config` turns the environment
into a plain mapping that `create_app` puts into ``app.config``; tests pass their own overrides.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
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
        # A whole request may carry one upload plus its form fields.
        "MAX_CONTENT_LENGTH": (upload_limit_mb + 1) * MEGABYTE,
        "PORTAL_BASE_URL": base_url,
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), base_url.startswith("https://")),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "TRUSTED_PROXY_COUNT": _int(env, "TRUSTED_PROXY_COUNT", 0),
        "COUNCIL_NAME": env.get("COUNCIL_NAME", "Example Council"),
        "SERVICE_NAME": env.get("SERVICE_NAME", "Family services portal"),
        "PHASE": env.get("PHASE", "beta"),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "SESSION_COOKIE_NAME": "portal_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "RATELIMIT_HEADERS_ENABLED": True,
    }


def finalise_config(config: dict[str, Any]) -> None:
    """Refuse an unsafe start, and give development a secret key of its own."""
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
