"""The form builder's whole journey (issue 8, "Done when"): an administrator builds a two-page form with a
condition and a repeating page, previews it, publishes it; a parent fills it in and sends it; the
administrator changes a question and publishes version 2 while another parent's unsent draft stays on
version 1 and a new application uses version 2. The built form exports to YAML that the engine's own
command line accepts, and every shipped definition imports and exports again unchanged.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from application_helpers import location, make_parent, post_page, signed_in_client, text_of
from form_builder_helpers import (
    BUILDER,
    FORM,
    FORM_CODE,
    build_family_form,
    fresh_form_cache,  # noqa: F401  (autouse)
    page,
    redirected_to,
    submit,
)
from helpers import admin_client, csrf_token_from, error_summary, page_title
from sqlalchemy import func, select

import formsengine
from portal.models import Application, ApplicationStatus, AuditEvent, FormStatus, FormVersion, Upload

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "form_definitions").glob("*.yaml"))
APPLY = f"/apply/{FORM_CODE}"
CHILD = {
    "child_name": "Ada",
    "child_birth_date-day": "15",
    "child_birth_date-month": "3",
    "child_birth_date-year": "2024",
}


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def preview_the_form(client, db) -> None:
    """Walk the preview as a parent would: the condition shows page 2, its items repeat, declarations are
    needed; nothing is stored anywhere but the administrator's session."""
    before = (count(db, Application), count(db, Upload), count(db, FormVersion))
    start = page(client, f"{FORM}/preview")
    assert page_title(start).startswith("Preview: Apply for family support")
    first = redirected_to(submit(client, f"{FORM}/preview", {}))
    assert first == f"{FORM}/preview/about"
    empty = submit(client, first, {"action": "continue"})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 200 and page_title(html).startswith("Error: Preview: About you")
    assert error_summary(html) == ["Enter your full name", "Select are you a parent or a carer"]
    # a carer never sees the children page...
    carer = redirected_to(submit(client, first, {"full_name": "Sam Carer", "role": "carer", "action": "continue"}))
    assert carer == f"{FORM}/preview/check"
    assert "Your children" not in page(client, carer)
    # ...a parent does, and adds a child there
    children = redirected_to(submit(client, first, {"full_name": "Sam Parent", "role": "parent", "action": "continue"}))
    assert children == f"{FORM}/preview/children"
    too_few = submit(client, children, {"action": "continue"})
    assert error_summary(too_few.get_data(as_text=True)) == ["Add at least 1 child"]
    assert redirected_to(submit(client, children, {**CHILD, "action": "add"})) == children
    assert "You have added 1 child" in page(client, children)
    check = redirected_to(submit(client, children, {"action": "continue"}))
    summary = text_of(page(client, check))
    assert "Sam Parent" in summary and "Ada" in summary and "15 March 2024" in summary
    unticked = submit(client, check, {})
    assert error_summary(unticked.get_data(as_text=True)) == ["Confirm that the information you have given is true"]
    sent = submit(client, check, {"declarations": "truthful"})
    assert sent.status_code == 200 and "The application could be sent" in sent.get_data(as_text=True)
    assert (count(db, Application), count(db, Upload), count(db, FormVersion)) == before


def parent_sends(app, email: str) -> Application:
    parent_client = signed_in_client(app, email)
    assert location(post_page(parent_client, APPLY, {})) == f"{APPLY}/about"
    assert location(post_page(parent_client, f"{APPLY}/about", {"full_name": "Sam Parent", "role": "parent"})) == (
        f"{APPLY}/children"
    )
    assert location(post_page(parent_client, f"{APPLY}/children", {**CHILD, "action": "add"})) == f"{APPLY}/children"
    assert location(post_page(parent_client, f"{APPLY}/children", {"action": "continue"})) == f"{APPLY}/check"
    sent = post_page(parent_client, f"{APPLY}/check", {"declarations": "truthful"})
    assert location(sent).startswith("/applications/"), sent.get_data(as_text=True)
    return parent_client


def test_build_preview_publish_fill_in_and_publish_version_2(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    overview = page(client, FORM)
    assert "This working copy has unpublished changes" in overview and "No version is live" in overview

    preview_the_form(client, db)

    publish_page = page(client, f"{FORM}/publish")
    assert page_title(publish_page).startswith("Publish – Apply for family support")
    assert "Publish version 1" in publish_page
    published = redirected_to(submit(client, f"{FORM}/publish", {}))
    assert published == FORM
    assert "Version 1 is live" in page(client, FORM)
    row = db.scalars(select(FormVersion).where(FormVersion.code == FORM_CODE)).one()
    assert (row.version, row.status, row.source) == (1, FormStatus.LIVE, "form builder")
    form = formsengine.form_from_dict(row.definition)
    assert form.group("children").repeat.max_items == 3 and form.group("children").show_if.source == "role = 'parent'"

    # a parent fills it in and sends it; another parent starts a draft and leaves it unsent
    first = make_parent(db, "first@example.com")
    parent_sends(app, first.email)
    sent = db.scalars(select(Application).where(Application.user_id == first.id)).one()
    assert sent.status is ApplicationStatus.SUBMITTED and sent.form_version.version == 1
    assert sent.answers["children"] == [{"child_name": "Ada", "child_birth_date": "2024-03-15"}]
    second = make_parent(db, "second@example.com")
    drafting = signed_in_client(app, second.email)
    post_page(drafting, APPLY, {})
    post_page(drafting, f"{APPLY}/about", {"full_name": "Sam Second", "role": "carer"})

    # the administrator rewords a question; the working copy changes, the live version does not
    question = f"{FORM}/questions/full_name"
    changed = submit(
        client,
        question,
        {
            "label": "Your full name, as on your passport",
            "code": "full_name",
            "answer_rules": ["mandatory"],
            "max_length": "100",
        },
    )
    assert redirected_to(changed) == f"{FORM}#question-full_name"
    forms_list = page(client, BUILDER)
    assert "Unpublished changes" in text_of(forms_list)
    assert formsengine.form_from_dict(db.scalars(select(FormVersion)).one().definition).question("full_name").label == (
        "Your full name"
    )
    assert redirected_to(submit(client, f"{FORM}/publish", {})) == FORM
    db.expire_all()
    versions = {v.version: v.status for v in db.scalars(select(FormVersion).where(FormVersion.code == FORM_CODE))}
    assert versions == {1: FormStatus.RETIRED, 2: FormStatus.LIVE}

    # the unsent draft stays on version 1 and can still be sent; a new application uses version 2
    draft = db.scalars(select(Application).where(Application.user_id == second.id)).one()
    assert draft.status is ApplicationStatus.DRAFT and draft.form_version.version == 1
    assert "Your full name" in drafting.get(f"{APPLY}/about").get_data(as_text=True)
    assert location(post_page(drafting, f"{APPLY}/check", {"declarations": "truthful"})).startswith("/applications/")
    third = make_parent(db, "third@example.com")
    third_client = signed_in_client(app, third.email)
    post_page(third_client, APPLY, {})
    assert "Your full name, as on your passport" in third_client.get(f"{APPLY}/about").get_data(as_text=True)
    new = db.scalars(select(Application).where(Application.user_id == third.id)).one()
    assert new.form_version.version == 2

    # every change was audited, with what changed
    actions = [e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.object_id == FORM_CODE))]
    assert actions.count("form_builder.published") == 2 and "form_builder.question_changed" in actions
    change = db.scalars(select(AuditEvent).where(AuditEvent.action == "form_builder.question_changed")).one()
    assert change.details["before"]["groups.about.questions.full_name"]["label"] == "Your full name"
    assert change.details["after"]["groups.about.questions.full_name"]["label"] == "Your full name, as on your passport"


def test_the_built_form_exports_to_yaml_that_the_command_line_check_accepts(make_app, db, tmp_path):
    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    exported = client.get(f"{FORM}/export")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"] == f'attachment; filename="{FORM_CODE}.yaml"'
    path = tmp_path / f"{FORM_CODE}.yaml"
    path.write_bytes(exported.data)
    checked = subprocess.run(
        [sys.executable, "-m", "formsengine", "check", str(path)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert "1 form definition(s) valid" in checked.stdout
    form = formsengine.load_definition_file(path)
    assert [g.code for g in form.groups] == ["about", "children"]
    assert (form.version, form.live) == (1, True)  # as publishing would store it


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_shipped_definition_imports_and_exports_to_an_equal_definition(make_app, db, path):
    app = make_app()
    client = admin_client(app, db)
    form_page = page(client, f"{BUILDER}/import")
    imported = client.post(
        f"{BUILDER}/import",
        data={"csrf_token": csrf_token_from(form_page), "file": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )
    original = formsengine.load_definition_file(path)
    assert redirected_to(imported) == f"{BUILDER}/forms/{original.code}"
    exported = client.get(f"{BUILDER}/forms/{original.code}/export")
    again = formsengine.load_definition_text(exported.get_data(as_text=True), "exported.yaml")
    assert again.fingerprint == original.fingerprint
    assert {**again.to_dict(), "version": 0, "live": False} == {**original.to_dict(), "version": 0, "live": False}
