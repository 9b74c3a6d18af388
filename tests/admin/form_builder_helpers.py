"""Driving the form builder through the Flask client as an administrator would, page by page."""

from __future__ import annotations

import re

from helpers import csrf_token_from, sign_in_staff

from portal.models import Role

BUILDER = "/admin/builder"
FORM_CODE = "family_support"
FORM = f"{BUILDER}/forms/{FORM_CODE}"

_ROW_VERSION = re.compile(r'name="row_version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="row_version"')


def admin_client(app, db, email: str = "admin@example.com"):
    client = app.test_client()
    sign_in_staff(client, db, role=Role.ADMIN, email=email, forename="Ada", surname="Admin")
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def row_version_of(html: str) -> str:
    match = _ROW_VERSION.search(html)
    assert match, "the page has no row_version"
    return match.group(1) or match.group(2)


def submit(client, url: str, data: dict | None = None, *, from_page: str | None = None, **options):
    """Post ``data`` to ``url`` as the browser would from the page at ``from_page`` (default ``url``): with
    that page's CSRF token and the row_version it was shown with, unless ``data`` gives its own."""
    html = page(client, from_page or url)
    payload = {"csrf_token": csrf_token_from(html)}
    if "row_version" in html and "row_version" not in (data or {}):
        payload["row_version"] = row_version_of(html)
    payload.update(data or {})
    return client.post(url, data=payload, **options)


def redirected_to(response) -> str:
    assert response.status_code == 302, (response.status_code, response.get_data(as_text=True)[:3000])
    return response.headers["Location"]


def add_page(client, form_url: str, **fields) -> str:
    """Add a page through /pages/new; returns the form page it redirects to."""
    return redirected_to(submit(client, f"{form_url}/pages/new", fields))


def add_question(client, form_url: str, page_code: str, data_type: str, **fields) -> str:
    """Choose the type, then fill in the question editor, as an administrator does."""
    chosen = redirected_to(submit(client, f"{form_url}/pages/{page_code}/questions/new", {"type": data_type}))
    assert chosen == f"{form_url}/pages/{page_code}/questions/new/{data_type}"
    return redirected_to(submit(client, chosen, fields))


def build_family_form(client, code: str = FORM_CODE) -> str:
    """Two pages: who you are, then (for parents only) a repeating page of children. Returns the form's URL."""
    created = submit(
        client, f"{BUILDER}/new",
        {"title": "Apply for family support", "code": code, "portal_type": "citizen",
         "portal_user_type": "parent_or_carer"},
    )  # fmt: skip
    form_url = f"{BUILDER}/forms/{code}"
    assert redirected_to(created) == form_url
    add_page(client, form_url, name="About you", code="about", repeating="no")
    add_question(client, form_url, "about", "text", label="Your full name", code="full_name",
                 answer_rules=["mandatory"], max_length="100")  # fmt: skip
    add_question(
        client, form_url, "about", "choice", label="Are you a parent or a carer?", code="role", widget="radios",
        options_text="parent | Parent\ncarer | Carer", answer_rules=["mandatory"],
    )  # fmt: skip
    add_page(
        client, form_url, name="Your children", code="children", show_if="role = 'parent'", repeating="yes",
        item_name="child", item_name_plural="children", min_items="1", max_items="3",
        add_another_label="Add another child",
    )  # fmt: skip
    add_question(client, form_url, "children", "text", label="Child's name", code="child_name",
                 answer_rules=["mandatory"])  # fmt: skip
    add_question(client, form_url, "children", "date", label="Child's date of birth", code="child_birth_date",
                 date_direction="past", answer_rules=["mandatory"])  # fmt: skip
    redirected_to(
        submit(client, f"{form_url}/declarations/new",
               {"text": "The information I have given is true.", "code": "truthful",
                "error_message": "Confirm that the information you have given is true"})
    )  # fmt: skip
    return form_url
