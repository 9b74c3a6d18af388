"""Every page about an application, a child, an upload or a message belongs to one family: others get 404."""

from __future__ import annotations

import pytest
from application_helpers import (
    load_shipped_forms,
    make_child,
    make_parent,
    make_submitted_application,
    make_upload,
    post_page,
    signed_in_client,
)
from helpers import csrf_token_from

from portal.services.messages import send_to_parent

FORM = "/apply/two_year_old_funding"


@pytest.fixture
def two_families(app, db):
    load_shipped_forms(db)
    owner = make_parent(db, email="owner@example.com")
    child = make_child(db, owner)
    application = make_submitted_application(db, owner, child)
    upload = make_upload(db, app, application)
    message = send_to_parent(db, application, subject="Hello", body="Body", sender_id=None, base_url="http://x")
    other = make_parent(db, email="other@example.com")
    make_child(db, other, forename="Zed")
    owner_client = signed_in_client(app, "owner@example.com")
    post_page(owner_client, FORM, {"child": str(child.id)})  # the owner has a draft with an evidence page
    ids = {"child": child.id, "application": application.id, "upload": upload.id, "message": message.id}
    return owner_client, signed_in_client(app, "other@example.com"), ids


def urls(ids):
    gets = [
        f"/family/children/{ids['child']}",
        f"/applications/{ids['application']}",
        f"/applications/{ids['application']}/sent",
        f"/applications/{ids['application']}/withdraw",
        f"/uploads/{ids['upload']}",
        f"/messages/{ids['message']}",
        f"{FORM}?child={ids['child']}",
        f"{FORM}/parent",
        f"{FORM}/check",
        f"{FORM}/saved",
    ]
    posts = [
        (f"/family/children/{ids['child']}", {"forename": "X", "surname": "Y"}),
        (f"/family/children/{ids['child']}/remove", {}),
        (f"/applications/{ids['application']}/withdraw", {}),
        (FORM, {"child": str(ids["child"])}),
        (f"{FORM}/parent", {"parent_first_name": "X"}),
        (f"{FORM}/evidence/remove/0", {}),
        (f"{FORM}/check", {"declarations": ["truthful", "checks", "changes"]}),
    ]
    return gets, posts


def test_the_owner_can_open_every_page(two_families):
    owner, _other, ids = two_families
    gets, _posts = urls(ids)
    for url in gets:
        assert owner.get(url).status_code == 200, url


def test_another_parent_gets_404_for_every_page_and_every_action(two_families):
    _owner, other, ids = two_families
    gets, posts = urls(ids)
    for url in gets:
        assert other.get(url).status_code == 404, url
    token = csrf_token_from(other.get("/family").get_data(as_text=True))
    for url, data in posts:
        assert other.post(url, data={"csrf_token": token, **data}).status_code == 404, url


def test_nothing_changed_for_the_owner(two_families, db):
    from portal.models import Application, Child, Upload

    _owner, other, ids = two_families
    _gets, posts = urls(ids)
    token = csrf_token_from(other.get("/family").get_data(as_text=True))
    for url, data in posts:
        other.post(url, data={"csrf_token": token, **data})
    db.expire_all()
    assert db.get(Child, ids["child"]).forename == "Ada"
    assert db.get(Application, ids["application"]).status.value == "submitted"
    assert db.get(Upload, ids["upload"]) is not None
