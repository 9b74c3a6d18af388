import re

import pytest
from helpers import make_user, sign_in

from portal.redirects import safe_next_url


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"


def test_the_only_inline_script_carries_this_responses_nonce(client):
    first = client.get("/")
    second = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    html = first.get_data(as_text=True)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "the GOV.UK template's body-class script should be there"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline_scripts)
    assert nonce not in second.headers["Content-Security-Policy"]


def test_session_cookie_is_http_only_and_same_site(client, db):
    make_user(db)
    response = sign_in(client, "parent@example.com")
    cookie = response.headers["Set-Cookie"]
    assert "portal_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_when_configured(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    with app.extensions["db_sessionmaker"]() as session:
        make_user(session)
    client = app.test_client()
    response = sign_in(client, "parent@example.com")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in client.get("/").headers


def test_sign_out_is_a_post_with_csrf_so_other_sites_cannot_sign_people_out(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400  # no CSRF token
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    "candidate",
    [
        "//evil.example",
        "////evil.example",
        "/\\evil.example",
        "https:evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "/\t/evil.example",
        "",
        None,
    ],
)
def test_next_urls_that_leave_the_site_are_refused(candidate):
    assert safe_next_url(candidate) is None


@pytest.mark.parametrize("candidate", ["/", "/account", "/apply/two_year_old_funding?page=2"])
def test_next_urls_on_this_site_are_kept(candidate):
    assert safe_next_url(candidate) == candidate
