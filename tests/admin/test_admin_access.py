"""Who may open which staff URL, walked over every route the admin blueprint has (issue 8).

The walk reads the routes from the application itself, so a view added later is checked without anyone
remembering to list it: a parent gets 403 on every staff URL, a caseworker gets 403 on every
administrator URL, and someone signed out is sent to sign in. Each admin route must be either in an
administrator area or named here as work a caseworker does, so a new view cannot be left open by mistake.
"""

from __future__ import annotations

from collections.abc import Iterator

from helpers import client_signed_in_as, csrf_token_from, sign_in_staff
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from admin.views import ADMINISTRATOR_AREAS, INVITATION_PAGES
from portal.models import Role

# The caseworkers' own work: the queue, a submission and what is done with it, matching, chronology.
CASEWORKER_ENDPOINTS = frozenset(
    {
        "admin.index",
        "admin.queue",
        "admin.queue_csv",
        "admin.submission",
        "admin.submission_pdf",
        "admin.assign",
        "admin.add_note",
        "admin.decide",
        "admin.matching",
        "admin.chronology",
        "admin.upload_download",
    }
)



def dummy_value(converter) -> object:
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def admin_requests(app) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, url) for every admin route, with made-up values for its arguments."""
    rules: list[Rule] = sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint)
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in rules:
            # The invitation pages are reached before one is staff; tests/admin/test_staff_access.py covers them.
            if not rule.endpoint.startswith("admin.") or rule.endpoint.startswith(INVITATION_PAGES):
                continue
            values = {name: dummy_value(converter) for name, converter in rule._converters.items()}
            url = adapter.build(rule.endpoint, values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url


def is_administrator_area(endpoint: str) -> bool:
    return endpoint.startswith(ADMINISTRATOR_AREAS)


def request_as(client, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token})


def not_refused(client, walked) -> dict[tuple[str, str], int]:
    """The (endpoint, method) pairs in `walked` that did not answer 403, with what they answered."""
    token = token_of(client)
    statuses = {(endpoint, method): request_as(client, method, url, token).status_code
                for endpoint, method, url in walked}
    return {key: status for key, status in statuses.items() if status != 403}


def token_of(client) -> str:
    return csrf_token_from(client.get("/").get_data(as_text=True))  # the sign-out form carries one


def test_every_admin_route_is_either_an_administrator_area_or_caseworker_work(app):
    endpoints = {endpoint for endpoint, _, _ in admin_requests(app)}
    unclassified = sorted(e for e in endpoints if not is_administrator_area(e) and e not in CASEWORKER_ENDPOINTS)
    assert not unclassified, f"admin routes neither for administrators nor listed as caseworker work: {unclassified}"
    assert endpoints >= CASEWORKER_ENDPOINTS, sorted(CASEWORKER_ENDPOINTS - endpoints)


def test_a_parent_gets_403_on_every_staff_url(app, db):
    client = client_signed_in_as(app, db, Role.PARENT)
    walked = list(admin_requests(app))
    assert len(walked) > 20
    assert not_refused(client, walked) == {}


def test_a_caseworker_gets_403_on_every_administrator_url(app, db):
    client = client_signed_in_as(app, db, Role.CASEWORKER)
    walked = [(e, m, u) for e, m, u in admin_requests(app) if is_administrator_area(e)]
    assert walked
    assert not_refused(client, walked) == {}


def test_a_caseworker_may_open_their_own_pages(app, db):
    client = app.test_client()
    sign_in_staff(client, db, role=Role.CASEWORKER)
    for url in ("/admin/", "/admin/queue"):
        assert client.get(url).status_code == 200, url


def test_someone_signed_out_is_sent_to_sign_in_from_every_staff_url(app):
    client = app.test_client()
    for endpoint, method, url in admin_requests(app):
        if method != "GET":
            continue
        response = client.get(url)
        assert response.status_code == 302, (endpoint, response.status_code)
        assert response.headers["Location"].startswith("/sign-in"), endpoint


def test_the_front_page_offers_administration_to_administrators_only(app, db):
    caseworker, administrator = app.test_client(), app.test_client()
    sign_in_staff(caseworker, db, role=Role.CASEWORKER)
    sign_in_staff(administrator, db, role=Role.ADMIN, email="ada@example.com", forename="Ada", surname="Admin")
    casework_page = caseworker.get("/admin/").get_data(as_text=True)
    admin_page = administrator.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/queue"' in casework_page and 'href="/admin/queue"' in admin_page
    assert "Administration" not in casework_page and 'href="/admin/texts"' not in casework_page
    assert "Administration" in admin_page and 'href="/admin/texts"' in admin_page
