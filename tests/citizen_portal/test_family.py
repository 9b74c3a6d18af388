"""My Family: add and edit children; a child named in an application cannot be removed."""

from __future__ import annotations

from application_helpers import (
    load_shipped_forms,
    location,
    make_child,
    make_parent,
    make_submitted_application,
    post_page,
    signed_in_client,
    text_of,
)
from helpers import csrf_token_from, error_summary, page_title
from sqlalchemy import select

from portal.models import Child

NEW_CHILD = {
    "forename": "Bo",
    "surname": "Parent",
    "date_of_birth": ["4", "7", "2024"],
    "gender": "male",
}


def test_a_parent_adds_and_edits_a_child(app, db):
    parent = make_parent(db)
    client = signed_in_client(app, parent.email)
    assert "You have not added any children yet." in client.get("/family").get_data(as_text=True)
    response = post_page(client, "/family/children/new", NEW_CHILD)
    assert location(response) == "/family"
    child = db.scalars(select(Child)).one()
    assert (child.forename, str(child.date_of_birth), child.gender, child.parent_id) == (
        "Bo",
        "2024-07-04",
        "male",
        parent.id,
    )
    assert "Bo Parent" in text_of(client.get("/family").get_data(as_text=True))
    post_page(client, f"/family/children/{child.id}", {**NEW_CHILD, "forename": "Bob"})
    db.expire_all()
    assert db.get(Child, child.id).forename == "Bob"


def test_the_child_form_checks_its_answers_in_govuk_style(app, db):
    parent = make_parent(db)
    client = signed_in_client(app, parent.email)
    response = post_page(client, "/family/children/new", {"forename": "", "date_of_birth": ["31", "2", ""]})
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: ")
    assert "Enter the child's first name" in error_summary(html)
    assert "Select the child's gender" in error_summary(html)
    assert db.scalars(select(Child)).all() == []


def test_a_child_can_be_removed_until_an_application_names_them(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    named = make_child(db, parent)
    free = make_child(db, parent, forename="Cy")
    make_submitted_application(db, parent, named)
    client = signed_in_client(app, parent.email)
    page = client.get(f"/family/children/{named.id}").get_data(as_text=True)
    assert "You cannot remove this child because an application names them." in page
    token = csrf_token_from(page)
    refused = client.post(f"/family/children/{named.id}/remove", data={"csrf_token": token})
    assert location(refused) == f"/family/children/{named.id}"
    assert "Remove this child" in client.get(f"/family/children/{free.id}").get_data(as_text=True)
    assert location(client.post(f"/family/children/{free.id}/remove", data={"csrf_token": token})) == "/family"
    db.expire_all()
    assert db.scalars(select(Child.forename)).all() == ["Ada"]


def test_adding_a_child_from_an_application_returns_to_it_with_the_child_chosen(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    client = signed_in_client(app, parent.email)
    start = client.get("/apply/two_year_old_funding").get_data(as_text=True)
    assert 'href="/family/children/new?apply=two_year_old_funding"' in start
    response = post_page(client, "/family/children/new?apply=two_year_old_funding", NEW_CHILD)
    child = db.scalars(select(Child)).one()
    assert location(response) == f"/apply/two_year_old_funding?child={child.id}"
    page = client.get(location(response)).get_data(as_text=True)
    assert f'value="{child.id}" checked' in page
