"""Every staff page that needs no id, opened by an administrator in Chromium: axe finds nothing on any.

The pages come from the application's URL map, so a page added to the admin area later is checked
without being listed here; each area's own browser test covers the pages that need an object.
The same walk with JavaScript turned off shows that each page still has its heading and content.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from accessibility import assert_accessible
from journeys import an_administrator, expect_title, sign_in_as_staff
from playwright.sync_api import expect

from portal.services.forms import definition_files, load_definitions

pytestmark = pytest.mark.browser

FORMS = Path(__file__).resolve().parents[2] / "form_definitions"
DOWNLOADS = (".csv", ".pdf", ".json", ".yaml")  # pages that answer with a file, not HTML


@pytest.fixture
def administrator(database):
    assert load_definitions(database, definition_files(FORMS)).ok
    return an_administrator(database)


def pages_without_ids(app) -> list[str]:
    """The URL of every GET route of the admin blueprint that takes no arguments."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.")
        and "GET" in rule.methods
        and not rule.arguments
        and not rule.rule.endswith(DOWNLOADS)
    )


def test_every_admin_page_without_an_id_passes_axe(page, live_server, administrator):
    urls = pages_without_ids(live_server.app)
    assert "/admin/" in urls and "/admin/texts" in urls
    sign_in_as_staff(page, live_server.url, administrator)
    expect_title(page, "Staff area")
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)


def test_every_admin_page_without_an_id_works_without_javascript(no_js_page, live_server, administrator):
    page = no_js_page
    sign_in_as_staff(page, live_server.url, administrator)
    expect_title(page, "Staff area")
    for url in pages_without_ids(live_server.app):
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("body")).not_to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
