"""Security headers and the per-request CSP nonce.

The Content Security Policy allows no inline script: the one inline script of the GOV.UK template (it
marks the body as JavaScript-enabled) carries a nonce that changes on every response.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, g, request

_SAME_SITE_FETCHES = frozenset({"same-origin", "none"})  # "none": typed in or bookmarked by the person


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def is_cross_site(req: Request) -> bool:
    """Whether a browser says the request comes from another site's page (Fetch Metadata, else Origin).

    For the few posts that cannot carry a CSRF token. A request with neither header is not from a
    browser that could be tricked into sending it (every current browser sends Origin with a form post).
    """
    fetch_site = req.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in _SAME_SITE_FETCHES
    origin = req.headers.get("Origin")
    # Hosts only: behind a TLS-terminating proxy the portal may see http while the browser says https.
    return origin is not None and urlsplit(origin).netloc != req.host


def _content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def _set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _content_security_policy(csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages can hold personal data: never let a shared cache or the back button on a shared
    # computer show them after sign-out. Static assets set their own caching.
    if response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
