"""Driving the form builder through the Flask client as an administrator would, page by page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from helpers import csrf_token_from

BUILDER = "/admin/builder"
FORM_CODE = "family_support"
FORM = f"{BUILDER}/forms/{FORM_CODE}"

_ROW_VERSION = re.compile(r'name="row_version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="row_version"')


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def row_version_of(html: str) -> str:
    match = _ROW_VERSION.search(html)
    assert match, "the page has no row_version"
    return match.group(1) or match.group(2)


class _FormFields(HTMLParser):
    """What a browser would send from a page's main form (the first post form without an action): text
    inputs and hidden fields, ticked radios and checkboxes, textareas and selected options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, list[str]] = {}
        self.depth = 0  # > 0 inside the main form
        self.done = False
        self.textarea: str | None = None
        self.select: str | None = None

    def add(self, name: str | None, value: str) -> None:
        if name:
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and self.depth == 0:
            if (a.get("method") or "").lower() == "post" and "action" not in a:
                self.depth = 1
            return
        if not self.depth:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.add(a.get("name"), a.get("value", "on") or "")
            elif kind not in ("submit", "button", "file"):
                self.add(a.get("name"), a.get("value") or "")
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.add(self.textarea, "")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.add(self.select, a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth, self.done = 0, True
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.depth and self.textarea:
            self.fields[self.textarea][-1] += data.removeprefix("\n") if not self.fields[self.textarea][-1] else data


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


def submit(client, url: str, data: dict | None = None, *, from_page: str | None = None, **options):
    """Post to ``url`` as the browser would from the page at ``from_page`` (default ``url``): what its main
    form holds (CSRF token, row_version, the fields as shown), with ``data`` typed over it. A page without
    such a form (the move buttons) gives its CSRF token and row_version."""
    html = page(client, from_page or url)
    payload: dict = {key: values if len(values) > 1 else values[0] for key, values in form_fields(html).items()}
    payload.setdefault("csrf_token", csrf_token_from(html))
    if "row_version" in html and "row_version" not in payload:
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
        client,
        f"{BUILDER}/new",
        {
            "title": "Apply for family support",
            "code": code,
            "portal_type": "citizen",
            "portal_user_type": "parent_or_carer",
        },
    )
    form_url = f"{BUILDER}/forms/{code}"
    assert redirected_to(created) == form_url
    add_page(client, form_url, name="About you", code="about", repeating="no")
    add_question(
        client,
        form_url,
        "about",
        "text",
        label="Your full name",
        code="full_name",
        answer_rules=["mandatory"],
        max_length="100",
    )
    add_question(
        client,
        form_url,
        "about",
        "choice",
        label="Are you a parent or a carer?",
        code="role",
        widget="radios",
        options_text="parent | Parent\ncarer | Carer",
        answer_rules=["mandatory"],
    )
    add_page(
        client,
        form_url,
        name="Your children",
        code="children",
        show_if="role = 'parent'",
        repeating="yes",
        item_name="child",
        item_name_plural="children",
        min_items="1",
        max_items="3",
        add_another_label="Add another child",
    )
    add_question(
        client, form_url, "children", "text", label="Child's name", code="child_name", answer_rules=["mandatory"]
    )
    add_question(
        client,
        form_url,
        "children",
        "date",
        label="Child's date of birth",
        code="child_birth_date",
        date_direction="past",
        answer_rules=["mandatory"],
    )
    redirected_to(
        submit(
            client,
            f"{form_url}/declarations/new",
            {
                "text": "The information I have given is true.",
                "code": "truthful",
                "error_message": "Confirm that the information you have given is true",
            },
        )
    )
    return form_url


@pytest.fixture(autouse=True)
def fresh_form_cache():
    """The portal builds each (form code, version) once and keeps it: versions never change. Tests build
    different forms under the same code and version, so each test starts with an empty cache."""
    from portal.services import applications

    applications._forms.clear()
    yield
    applications._forms.clear()
