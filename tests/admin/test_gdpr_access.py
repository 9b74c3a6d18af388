"""Only administrators reach GDPR administration: a caseworker and a parent get 403 on every URL under
/admin/gdpr (read from the app's own routes, so a page added later is covered), and someone signed out
is sent to sign in."""

from __future__ import annotations

import re

import pytest
from helpers import client_signed_in_as, csrf_token_from

from portal.models import Role


def gdpr_urls(app) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.gdpr"):
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            urls.append((method, path))
    return urls


def test_every_gdpr_page_is_listed(app):
    paths = {path for _, path in gdpr_urls(app)}
    assert {"/admin/gdpr", "/admin/gdpr/statements", "/admin/gdpr/withdrawals", "/admin/gdpr/alert-list",
            "/admin/gdpr/people", "/admin/gdpr/people/1/subject-access.json"} <= paths  # fmt: skip


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PARENT])
def test_caseworkers_and_parents_are_refused_everywhere(make_app, db, role):
    app = make_app()
    client = client_signed_in_as(app, db, role)
    token = csrf_token_from(client.get("/account").get_data(as_text=True))  # a real token: CSRF is not the refusal
    for method, path in gdpr_urls(app):
        data = {"csrf_token": token, "email": "x@example.com", "note": "n"}
        response = client.open(path, method=method, data=data)
        assert response.status_code == 403, (role, method, path, response.status_code)


def test_signed_out_people_are_sent_to_sign_in(client, app):
    for method, path in gdpr_urls(app):
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path
