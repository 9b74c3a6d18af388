"""The 30 hours code check forms through the web client: valid, wrong length, wrong prefix, foster carers."""

from __future__ import annotations

import pytest
from application_helpers import (
    load_shipped_forms,
    location,
    make_child,
    make_parent,
    post_page,
    signed_in_client,
    text_of,
)
from helpers import error_summary

FORM = "/apply/thirty_hours_check"
CHILD_PAGE = {"child_date_of_birth-day": "15", "child_date_of_birth-month": "3", "child_date_of_birth-year": "2024"}


@pytest.fixture
def client(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    client = signed_in_client(app, parent.email)
    post_page(client, FORM, {"child": str(child.id)})
    return client


def code_page(client, code):
    return post_page(client, f"{FORM}/code", {"eligibility_code": code, "parent_ni_number": "JG 10 37 59 A"})


def test_a_valid_code_goes_on_and_check_your_answers_says_it_looks_valid(client):
    assert location(code_page(client, "50012345678")) == f"{FORM}/child"
    assert location(post_page(client, f"{FORM}/child", CHILD_PAGE)) == f"{FORM}/check"
    check = text_of(client.get(f"{FORM}/check").get_data(as_text=True))
    assert "This looks like a valid 30 hours eligibility code." in check
    assert "50012345678" in check


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("5001234567", "Enter an eligibility code that starts with 500 or 501"),  # 10 digits
        ("60012345678", "Enter an eligibility code that starts with 500 or 501"),
        ("40012345678", "Enter an eligibility code that starts with 500 or 501"),  # a foster carer's code here
        ("500123456789", "Enter an eligibility code that starts with 500 or 501"),  # 12 digits
    ],
)
def test_wrong_codes_are_refused_on_the_page(client, code, message):
    response = code_page(client, code)
    assert response.status_code == 200
    assert error_summary(response.get_data(as_text=True)) == [message]


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("40012345678", "This looks like a valid 30 hours eligibility code."),
        ("50012345678", "Enter an eligibility code that starts with 400"),
        ("4001234567", "Enter an eligibility code that starts with 400"),
    ],
)
def test_the_foster_carer_form_takes_only_a_400_code(app, db, code, outcome):
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    client = signed_in_client(app, parent.email)
    form = "/apply/thirty_hours_foster_carer"
    assert location(post_page(client, form, {"child": str(child.id)})) == f"{form}/carer"
    carer = {
        "carer_first_name": "Sam",
        "carer_last_name": "Carer",
        "parent_ni_number": "JG103759A",
        "email": "carer@example.com",
        "carer_in_work": "yes",
    }
    assert location(post_page(client, f"{form}/carer", carer)) == f"{form}/child"
    child_page = {
        **CHILD_PAGE,
        "child_first_name": "Ada",
        "child_last_name": "Parent",
        "placement_start_date-day": "1",
        "placement_start_date-month": "6",
        "placement_start_date-year": "2025",
        "placing_council": "Testshire Council",
        "social_worker_agrees": "yes",
    }
    assert location(post_page(client, f"{form}/child", child_page)) == f"{form}/code"
    response = post_page(client, f"{form}/code", {"has_code": "yes", "eligibility_code": code})
    if response.status_code == 302:
        check = text_of(client.get(location(response)).get_data(as_text=True))
        assert outcome in check
    else:
        assert error_summary(response.get_data(as_text=True)) == [outcome]
