"""The form builder's rules: locked questions, publish problems with links, two administrators at once,
and `forms load` on deploy never undoing what administrators published."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

from application_helpers import location, make_parent, post_page, signed_in_client, text_of
from form_builder_helpers import (
    BUILDER,
    FORM,
    FORM_CODE,
    add_page,
    add_question,
    build_family_form,
    fresh_form_cache,  # noqa: F401  (autouse)
    page,
    redirected_to,
    row_version_of,
    submit,
)
from helpers import admin_client, csrf_token_from, error_summary, page_title
from sqlalchemy import func, select

import formsengine
from portal.models import AuditEvent, FormDraft, FormStatus, FormVersion

SHIPPED = Path(__file__).resolve().parents[2] / "form_definitions"
CHILD = {
    "child_name": "Ada",
    "child_birth_date-day": "15",
    "child_birth_date-month": "3",
    "child_birth_date-year": "2024",
}
STALE = "Another administrator changed this form after you opened this page"


def published_with_an_application(app, db):
    """The family form, published as version 1, with one application sent on it."""
    client = admin_client(app, db)
    build_family_form(client)
    redirected_to(submit(client, f"{FORM}/publish", {}))
    parent = make_parent(db, "parent@example.com")
    parent_client = signed_in_client(app, parent.email)
    apply = f"/apply/{FORM_CODE}"
    post_page(parent_client, apply, {})
    post_page(parent_client, f"{apply}/about", {"full_name": "Sam Parent", "role": "parent"})
    post_page(parent_client, f"{apply}/children", {**CHILD, "action": "add"})
    assert location(post_page(parent_client, f"{apply}/check", {"declarations": "truthful"})).startswith(
        "/applications/"
    )
    return client


def definition(db) -> dict:
    db.expire_all()
    return db.scalars(select(FormDraft).where(FormDraft.code == FORM_CODE)).one().definition


def question(db, code: str) -> dict:
    return next(q for g in definition(db)["groups"] for q in g["questions"] if q["code"] == code)


# --- locked questions ---------------------------------------------------------------------------------


def test_a_question_with_answers_shows_its_code_and_type_read_only_with_the_reason(make_app, db):
    client = published_with_an_application(make_app(), db)
    html = page(client, f"{FORM}/questions/full_name")
    assert re.search(
        r'id="locked-reason">\s*Applications have answers to this question, so its code and its type', html
    )
    assert re.search(r'<input[^>]*id="code"[^>]*readonly', html)
    assert "questions/full_name/type" not in html  # no way to change the type
    # a question nobody has answered yet would be editable: the form list says which have answers
    assert "Has answers" in page(client, FORM)
    # asking for another type, or posting another code, changes neither
    assert client.get(f"{FORM}/questions/full_name/type").headers["Location"].endswith("/questions/full_name")
    assert "Text, one line" in page(client, f"{FORM}/questions/full_name?type=integer")
    saved = submit(
        client,
        f"{FORM}/questions/full_name?type=integer",
        {"label": "Your name", "code": "renamed", "answer_rules": ["mandatory"]},
    )
    assert redirected_to(saved).endswith("#question-full_name")
    assert question(db, "full_name") == {
        "code": "full_name",
        "label": "Your name",
        "type": "text",
        "restrictions": {"mandatory": True, "max_length": 100},
    }


def test_a_question_with_answers_keeps_every_option_it_offered(make_app, db):
    client = published_with_an_application(make_app(), db)
    fewer = submit(
        client, f"{FORM}/questions/role", {"label": "Role", "options_text": "parent | Parent", "widget": "radios"}
    )
    html = fewer.get_data(as_text=True)
    assert fewer.status_code == 200 and page_title(html).startswith("Error:")
    assert [unescape(m) for m in error_summary(html)] == [
        "Question 'role' has answers in applications, so its options cannot be removed: carer"
    ]
    more = submit(
        client,
        f"{FORM}/questions/role",
        {"label": "Role", "options_text": "parent | Parent\ncarer | Foster carer\nother | Someone else"},
    )
    redirected_to(more)
    assert [o["label"] for o in question(db, "role")["options"]] == ["Parent", "Foster carer", "Someone else"]


def test_deleting_a_question_with_answers_removes_it_from_new_versions_only(make_app, db):
    client = published_with_an_application(make_app(), db)
    confirm = page(client, f"{FORM}/questions/full_name/delete")
    assert "Deleting it removes it from new versions of the form only" in confirm
    redirected_to(submit(client, f"{FORM}/questions/full_name/delete", {}))
    assert "full_name" not in [q["code"] for g in definition(db)["groups"] for q in g["questions"]]
    redirected_to(submit(client, f"{FORM}/publish", {}))
    db.expire_all()
    versions = {v.version: formsengine.form_from_dict(v.definition) for v in db.scalars(select(FormVersion))}
    assert versions[1].question("full_name") is not None and versions[2].question("full_name") is None


def test_a_deleted_question_with_answers_cannot_come_back_with_another_type(make_app, db):
    client = published_with_an_application(make_app(), db)
    redirected_to(submit(client, f"{FORM}/questions/full_name/delete", {}))
    redirected_to(submit(client, f"{FORM}/publish", {}))  # version 2, without it
    add_question(client, FORM, "about", "integer", label="How many people live with you?", code="full_name")
    refused = page(client, f"{FORM}/publish")
    assert "You cannot publish this form yet" in refused
    assert (
        "Page 1, About you: How many people live with you?: Question &#39;full_name&#39; has answers, so its type "
        "cannot change from text to integer; add a question with a new code instead"
    ) in refused
    assert f'href="{FORM}/questions/full_name"' in refused


# --- publish problems ---------------------------------------------------------------------------------


def test_publish_lists_every_problem_with_a_link_to_where_it_is_fixed(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    add_page(client, FORM, name="Anything else", code="more", repeating="no")
    redirected_to(submit(client, f"{FORM}/questions/role/delete", {}))  # page 2's condition reads it
    html = page(client, f"{FORM}/publish")
    assert page_title(html).startswith("Publish – Apply for family support")
    items = re.findall(r'<li><a class="govuk-link" href="([^"]+)">(.*?)</a></li>', html)
    assert (f"{FORM}/pages/children", "Page 2, Your children: Unknown question &#39;role&#39; in condition") in items
    assert (f"{FORM}/pages/more", "Page 3, Anything else: Must not be empty") in items
    assert "Publish version 1" not in html
    # posting anyway publishes nothing, and says the same
    refused = submit(client, f"{FORM}/publish", {})
    assert refused.status_code == 200 and "Unknown question &#39;role&#39; in condition" in refused.get_data(
        as_text=True
    )
    assert db.scalar(select(func.count()).select_from(FormVersion)) == 0
    # the form's own page lists them too
    assert f'href="{FORM}/pages/children"' in page(client, FORM)


def test_a_question_whose_condition_reads_a_later_answer_links_to_the_question(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    moved = submit(client, f"{FORM}/pages/children/move", {"direction": "up"}, from_page=FORM)
    assert redirected_to(moved) == f"{FORM}#page-children"
    html = page(client, f"{FORM}/publish")
    assert f'href="{FORM}/pages/children"' in html
    assert "which is not asked before it; a condition can only read earlier answers" in html


def test_nothing_to_publish_is_said_plainly(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    redirected_to(submit(client, f"{FORM}/publish", {}))
    html = page(client, f"{FORM}/publish")
    assert "There are no changes to publish" in html
    assert db.scalar(select(func.count()).select_from(FormVersion)) == 1


# --- two administrators at once -----------------------------------------------------------------------


def test_a_change_made_meanwhile_by_another_administrator_is_not_overwritten(make_app, db):
    app = make_app()
    first = admin_client(app, db)
    build_family_form(first)
    second = admin_client(app, db, email="second.admin@example.com")
    url = f"{FORM}/questions/full_name"
    first_page, second_page = page(first, url), page(second, url)
    assert row_version_of(first_page) == row_version_of(second_page)
    data = {"answer_rules": ["mandatory"], "code": "full_name"}
    mine = first.post(
        url,
        data={
            "csrf_token": csrf_token_from(first_page),
            "row_version": row_version_of(first_page),
            "label": "First admin's label",
            **data,
        },
    )
    redirected_to(mine)
    theirs = second.post(
        url,
        data={
            "csrf_token": csrf_token_from(second_page),
            "row_version": row_version_of(second_page),
            "label": "Second admin's label",
            **data,
        },
    )
    html = theirs.get_data(as_text=True)
    assert theirs.status_code == 200 and page_title(html).startswith("Error:")
    assert error_summary(html)[0].startswith(STALE)
    assert question(db, "full_name")["label"] == "First admin's label"
    # having seen the refusal, saving again is a deliberate choice and works
    again = second.post(
        url,
        data={
            "csrf_token": csrf_token_from(html),
            "row_version": row_version_of(html),
            "label": "Second admin's label",
            **data,
        },
    )
    redirected_to(again)
    assert question(db, "full_name")["label"] == "Second admin's label"


def test_a_stale_move_and_a_double_post_change_nothing_twice(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    overview = page(client, FORM)
    token, version = csrf_token_from(overview), row_version_of(overview)
    move = {"csrf_token": token, "row_version": version, "direction": "down"}
    redirected_to(client.post(f"{FORM}/questions/full_name/move", data=move))
    stale = client.post(f"{FORM}/questions/full_name/move", data=move)  # the same button pressed twice
    assert stale.status_code == 409 and "Your change has not been saved" in stale.get_data(as_text=True)
    assert [q["code"] for q in definition(db)["groups"][0]["questions"]] == ["role", "full_name"]
    # adding a question twice from one page makes one question
    new = page(client, f"{FORM}/pages/about/questions/new/yes_no")
    data = {"csrf_token": csrf_token_from(new), "row_version": row_version_of(new), "label": "Do you work?"}
    redirected_to(client.post(f"{FORM}/pages/about/questions/new/yes_no", data=data))
    twice = client.post(f"{FORM}/pages/about/questions/new/yes_no", data=data)
    assert twice.status_code == 200 and STALE in twice.get_data(as_text=True)
    assert [q["code"] for q in definition(db)["groups"][0]["questions"]].count("do_you_work") == 1
    moves = db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "form_builder.question_moved")
    )
    assert moves == 1


# --- forms load on deploy -----------------------------------------------------------------------------


def load(app, path):
    return app.test_cli_runner().invoke(args=["forms", "load", str(path)])


def test_forms_load_keeps_a_form_administrators_changed_in_the_builder(make_app, db, tmp_path):
    app = make_app()
    shutil.copy(SHIPPED / "thirty_hours_check.yaml", tmp_path / "thirty_hours_check.yaml")
    shutil.copy(SHIPPED / "thirty_hours_foster_carer.yaml", tmp_path / "thirty_hours_foster_carer.yaml")
    assert load(app, tmp_path).exit_code == 0
    client = admin_client(app, db)
    url = f"{BUILDER}/forms/thirty_hours_check"
    redirected_to(
        submit(
            client,
            f"{url}/details",
            {"title": "Check your 30 hours code", "portal_type": "citizen", "portal_user_type": "parent_or_carer"},
        )
    )
    redirected_to(submit(client, f"{url}/publish", {}))

    deploy = load(app, tmp_path)  # the next deploy, with the files unchanged
    assert deploy.exit_code == 0, deploy.output
    assert "Kept thirty_hours_check v2: administrators changed it in the form builder\n" in deploy.output
    assert "Unchanged thirty_hours_foster_carer v1" in deploy.output
    # a developer changes the file: still kept, and the report says what was not loaded
    path = tmp_path / "thirty_hours_check.yaml"
    path.write_text(path.read_text().replace("title: Check your", "title: Check a", 1))
    changed = load(app, tmp_path)
    assert f"Kept thirty_hours_check v2: administrators changed it in the form builder; {path} has changes" in (
        changed.output
    )
    db.expire_all()
    rows = {
        (v.version, v.status, v.title)
        for v in db.scalars(select(FormVersion).where(FormVersion.code == "thirty_hours_check"))
    }
    assert rows == {
        (1, FormStatus.RETIRED, "Check your 30 hours eligibility code"),
        (2, FormStatus.LIVE, "Check your 30 hours code"),
    }
    # a form the builder never published still takes a changed file as a new version
    foster = tmp_path / "thirty_hours_foster_carer.yaml"
    foster.write_text(foster.read_text().replace("title: Apply for", "title: Apply now for", 1))
    assert "Loaded thirty_hours_foster_carer v2" in load(app, tmp_path).output


def test_a_working_copy_with_no_changes_follows_a_version_loaded_later(make_app, db, tmp_path):
    app = make_app()
    path = tmp_path / "thirty_hours_check.yaml"
    shutil.copy(SHIPPED / "thirty_hours_check.yaml", path)
    load(app, path)
    client = admin_client(app, db)
    url = f"{BUILDER}/forms/thirty_hours_check"
    # a change made and undone leaves a working copy equal to version 1
    details = {"portal_type": "citizen", "portal_user_type": "parent_or_carer"}
    redirected_to(submit(client, f"{url}/details", {"title": "Something else", **details}))
    redirected_to(submit(client, f"{url}/details", {"title": "Check your 30 hours eligibility code", **details}))
    path.write_text(path.read_text().replace("title: Check your", "title: Check a", 1))
    assert "Loaded thirty_hours_check v2" in load(app, path).output
    html = page(client, url)
    assert "Check a 30 hours eligibility code" in html and "unpublished changes" not in html
    listed = text_of(page(client, BUILDER))
    assert "Check a 30 hours eligibility code" in listed and "Unpublished changes" not in listed


def test_publish_pressed_twice_makes_one_version(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    html = page(client, f"{FORM}/publish")
    data = {"csrf_token": csrf_token_from(html), "row_version": row_version_of(html)}
    redirected_to(client.post(f"{FORM}/publish", data=data))
    again = client.post(f"{FORM}/publish", data=data)
    assert again.status_code == 200 and STALE in again.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(FormVersion)) == 1
    published = db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "form_builder.published")
    )
    assert published == 1
