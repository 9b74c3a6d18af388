"""The form builder's pages one by one: who may use them, bad input on every one (never a 500), the
question editor's messages, live validation of conditions, named lists, clone, retire, and constant
query counts on the forms list and the form editor."""

from __future__ import annotations

import re
from html import unescape

import pytest
from application_helpers import load_shipped_forms, make_parent, signed_in_client, text_of
from form_builder_helpers import (
    BUILDER,
    FORM,
    FORM_CODE,
    add_question,
    build_family_form,
    fresh_form_cache,  # noqa: F401  (autouse)
    page,
    redirected_to,
    submit,
)
from helpers import admin_client, count_queries, csrf_token_from, error_summary, page_title, sign_in_staff
from sqlalchemy import func, select

from portal.models import Application, AuditEvent, FormDraft, FormStatus, FormVersion, OptionList, Role
from portal.services import form_builder

URL_VALUES = {
    "code": FORM_CODE,
    "group_code": "about",
    "question_code": "full_name",
    "declaration_code": "truthful",
    "data_type": "text",
    "version": 1,
    "index": 0,
}
ODD_VALUES = {
    "code": "no_such_form",
    "group_code": "nope",
    "question_code": "a" * 300,
    "declaration_code": "..",
    "data_type": "bogus",
    "version": 99999,
    "index": 99,
}
GARBAGE = {
    "row_version": "not a number",
    "title": "x" * 400,
    "code": "Not A Code!",
    "name": "",
    "label": "q" * 600,
    "type": "nonsense",
    "direction": "sideways",
    "portal_type": "intranet",
    "portal_user_type": "robot",
    "repeating": "yes",
    "min_items": "-3",
    "max_items": "lots",
    "max_length": "1e9",
    "min_value": "NaN",
    "max_value": "9" * 40,
    "decimal_places": "99",
    "date_direction": "sideways",
    "before": ["31", "2", "2027"],
    "after": ["x"],
    "pattern_regex": "(unclosed",
    "options_text": "a | A\na | B",
    "option_list": "missing_list",
    "show_if": "role = = 'x'",
    "text": "",
    "file_types": "p.d.f",
    "condition": "((((",
    "declarations": "nope",
}


def builder_urls(app, values: dict) -> list[tuple[str, set[str]]]:
    """Every form builder URL, with ``values`` for its parts, and the methods it answers."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.builder"):
            parts = {name: values[name] for name in rule.arguments}
            with app.test_request_context():
                from flask import url_for

                urls.append((url_for(rule.endpoint, **parts), set(rule.methods) - {"HEAD", "OPTIONS"}))
    return urls


def test_every_builder_page_refuses_caseworkers_and_parents(make_app, db):
    app = make_app()
    build_family_form(admin_client(app, db))
    caseworker = app.test_client()
    sign_in_staff(caseworker, db, role=Role.CASEWORKER, email="case@example.com")
    parent = make_parent(db, "parent@example.com")
    parent_client = signed_in_client(app, parent.email)
    token = csrf_token_from(caseworker.get("/admin/").get_data(as_text=True))
    urls = builder_urls(app, URL_VALUES)
    assert len(urls) >= 30
    for url, methods in urls:
        for client in (caseworker, parent_client):
            if "GET" in methods:
                assert client.get(url).status_code == 403, url
            if "POST" in methods:
                assert client.post(url, data={"csrf_token": token, "row_version": "1"}).status_code in (400, 403), url
    assert db.scalars(select(FormDraft)).one().definition["title"] == "Apply for family support"
    assert "Form builder</a>" not in caseworker.get("/admin/").get_data(as_text=True)
    assert app.test_client().get(f"{BUILDER}").status_code == 302  # signed out: to the sign-in page


def test_no_input_on_any_builder_page_gives_a_server_error(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    token = csrf_token_from(page(client, FORM))
    for values in (URL_VALUES, ODD_VALUES):
        for url, methods in builder_urls(app, values):
            if "GET" in methods:
                assert client.get(url).status_code < 500, url
                assert client.get(url + "?type=nonsense&condition=%00&page=x&of=page").status_code < 500, url
            if "POST" in methods:
                assert client.post(url, data={"csrf_token": token, **GARBAGE}).status_code < 500, url
                assert client.post(url, data={"csrf_token": token}).status_code < 500, url
                assert client.post(url, data={}).status_code == 400, url  # no CSRF token
    # and none of it changed the form: every change above was refused
    assert db.scalar(select(func.count()).select_from(FormVersion)) == 0
    assert db.scalars(select(FormDraft)).one().definition["title"] == "Apply for family support"


def test_unknown_things_are_not_found(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    for url in (
        f"{BUILDER}/forms/nope",
        f"{FORM}/pages/nope",
        f"{FORM}/questions/nope",
        f"{FORM}/declarations/nope",
        f"{FORM}/pages/about/questions/new/bogus",
        f"{FORM}/versions/1/export",
        f"{FORM}/preview/nope",
        f"{BUILDER}/lists/nope",
        f"{FORM}/condition-check?page=nope",
    ):
        assert client.get(url).status_code == 404, url


# --- the pages' messages ------------------------------------------------------------------------------


def messages(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error:")
    return [unescape(m) for m in error_summary(html)]


def test_create_form_says_what_is_wrong(make_app, db):
    client = admin_client(make_app(), db)
    assert messages(submit(client, f"{BUILDER}/new", {"title": " ", "code": ""})) == [
        "Enter a title",
        "Enter a code for the form",
    ]
    assert messages(submit(client, f"{BUILDER}/new", {"title": "A form", "code": "Bad code"})) == [
        "Code must start with a letter and use only lower case letters, numbers and underscores (up to 63)"
    ]
    build_family_form(client)
    assert messages(submit(client, f"{BUILDER}/new", {"title": "Again", "code": FORM_CODE})) == [
        "A form with this code already exists: choose another code"
    ]


def test_the_question_editor_says_what_is_wrong_in_each_field(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    new = f"{FORM}/pages/about/questions/new"
    assert messages(submit(client, f"{new}/text", {"label": "", "max_length": "ten", "pattern_regex": "^[0-9"})) == [
        "Enter the question",
        "Maximum length must be a whole number, like 10",
        "Enter the message people see when their answer does not match the pattern",
    ]
    assert messages(
        submit(client, f"{new}/text", {"label": "Reference", "pattern_regex": "^[0-9", "pattern_message": "Digits"})
    )[0].startswith("The pattern is not a valid regular expression")
    assert messages(
        submit(
            client, f"{new}/decimal", {"label": "Amount", "min_value": "10", "max_value": "2", "decimal_places": "11"}
        )
    ) == ["Decimal places must be 10 or less"]
    assert messages(submit(client, f"{new}/decimal", {"label": "Amount", "min_value": "10", "max_value": "2"})) == [
        "Min_value (10) is more than max_value (2)"
    ]
    assert messages(submit(client, f"{new}/date", {"label": "When", "before": ["30", "2", "2027"]})) == [
        "Before must be a real date, like 1 9 2027"
    ]
    assert messages(submit(client, f"{new}/choice", {"label": "Pick one", "options_text": ""})) == [
        "Enter the options, one on each line, or choose a named list"
    ]
    assert messages(submit(client, f"{new}/choice", {"label": "Pick one", "options_text": "a | A\na | B"})) == [
        "Option value 'a' is used more than once"
    ]
    assert messages(submit(client, f"{new}/file", {"label": "Upload", "file_types": "p.d.f"})) == [
        "File types must be extensions separated by commas, like pdf, jpg"
    ]
    assert messages(submit(client, f"{new}/text", {"label": "Name", "code": "role"})) == [
        "Code 'role' is already used by another question"
    ]
    assert messages(submit(client, f"{new}/text", {"label": "x" * 501})) == ["Question must be 500 characters or fewer"]


def test_a_condition_is_checked_on_save_with_the_engines_message_and_what_it_may_read(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    url = f"{FORM}/questions/role"
    editor = page(client, url)
    assert "<code>full_name</code>" in editor and "<code>role</code>" not in editor  # only earlier answers
    assert messages(submit(client, url, {"show_if": "full_name = 3"})) == [
        "Cannot compare text with number in condition 'full_name = 3'"
    ]
    assert messages(submit(client, url, {"show_if": "full_name ="}))[0].startswith(
        "Cannot read the condition 'full_name =': Expected a value at column 12"
    )
    page_editor = page(client, f"{FORM}/pages/children")
    assert "<code>role</code>" in page_editor and "Options: parent, carer" in page_editor
    assert messages(submit(client, f"{FORM}/pages/children", {"show_if": "role = 'parnet'"})) == [
        "'parnet' is not an option of question 'role' in condition 'role = 'parnet'' (options: carer, parent)"
    ]


def test_live_validation_answers_with_the_same_verdict(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    check = f"{FORM}/condition-check"
    ok = client.get(check, query_string={"page": "children", "of": "page", "condition": "role = 'parent'"}).get_json()
    assert ok["ok"] is True and ok["problems"] == []
    assert [r["code"] for r in ok["readable"]] == ["full_name", "role"]
    bad = client.get(check, query_string={"page": "about", "question": "role", "condition": "role = 'x'"}).get_json()
    assert bad["ok"] is False
    assert bad["problems"] == [
        "The condition reads 'role', which is not asked before it; a condition can only read earlier answers"
    ]
    new_page = client.get(check, query_string={"page": "", "of": "page", "condition": "count(children) > 5"}).get_json()
    assert new_page["ok"] is True and "count(children)" in [r["code"] for r in new_page["readable"]]
    new_question = client.get(check, query_string={"page": "about", "condition": "role = 'carer'"}).get_json()
    assert new_question["ok"] is True
    assert 'data-condition-check="/admin/builder/forms/family_support/condition-check?' in page(
        client, f"{FORM}/questions/role"
    )


# --- details, declarations, pages ---------------------------------------------------------------------


def test_details_and_declarations_change_and_are_audited(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    details = submit(
        client,
        f"{FORM}/details",
        {
            "title": "Family support",
            "portal_user_type": "young_person",
            "guidance": "Read this first.\n\n- one\n",
            "description": "Staff only",
        },
    )
    assert redirected_to(details) == f"{FORM}#details"
    definition = db.scalars(select(FormDraft)).one().definition
    assert (definition["title"], definition["portal_user_type"], definition["guidance"]) == (
        "Family support",
        "young_person",
        "Read this first.\n\n- one\n",
    )
    assert messages(submit(client, f"{FORM}/declarations/new", {"text": "", "code": "truthful"})) == [
        "Enter the declaration"
    ]
    assert messages(submit(client, f"{FORM}/declarations/new", {"text": "Again", "code": "truthful"})) == [
        "Declaration code 'truthful' is already used"
    ]
    redirected_to(submit(client, f"{FORM}/declarations/truthful", {"text": "It is all true."}))
    assert "It is removed from new versions of the form only." in page(client, f"{FORM}/declarations/truthful/delete")
    redirected_to(submit(client, f"{FORM}/declarations/truthful/delete", {}))
    db.expire_all()
    assert "declarations" not in db.scalars(select(FormDraft)).one().definition
    actions = {e.action for e in db.scalars(select(AuditEvent).where(AuditEvent.object_type == "form"))}
    assert {
        "form_builder.details_changed",
        "form_builder.declaration_changed",
        "form_builder.declaration_deleted",
    } <= actions


def test_a_page_is_deleted_after_confirming_and_the_confirmation_names_what_reads_it(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    confirm = text_of(page(client, f"{FORM}/pages/about/delete"))
    assert "Are you sure you want to delete the page 'About you'?" in confirm
    assert "Your full name" in confirm and "the condition of the page 'Your children'" in confirm
    redirected_to(submit(client, f"{FORM}/pages/about/delete", {}))
    db.expire_all()
    assert [g["code"] for g in db.scalars(select(FormDraft)).one().definition["groups"]] == ["children"]


def test_every_type_of_question_can_be_added_with_the_checks_that_fit_it(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    extra = {
        "memo": {"max_length": "2000"},
        "integer": {"min_value": "0", "max_value": "20", "suffix": "people"},
        "decimal": {"min_value": "0.50", "decimal_places": "2", "prefix": "£"},
        "yes_no": {},
        "date": {"date_direction": "past", "at_most_years_ago": "18", "after": ["1", "9", "2000"]},
        "multiple_choice": {"options_text": "Walking\nBus\nCar"},
        "email": {"max_length": "200"},
        "phone": {"pattern_regex": "^0", "pattern_message": "Enter a UK number"},
        "postcode": {},
        "ni_number": {},
        "file": {"file_types": "pdf, .DOCX"},
        "image": {},
    }
    for data_type, fields in extra.items():
        add_question(client, FORM, "about", data_type, label=f"A {data_type} question", **fields)
    db.expire_all()
    questions = {q["code"]: q for q in db.scalars(select(FormDraft)).one().definition["groups"][0]["questions"]}
    assert questions["a_integer_question"]["restrictions"] == {"min_value": 0, "max_value": 20}
    assert questions["a_integer_question"]["suffix"] == "people"
    assert questions["a_decimal_question"]["restrictions"] == {"min_value": "0.50", "decimal_places": 2}
    assert questions["a_date_question"]["restrictions"] == {
        "in_the_past": True,
        "after": "2000-09-01",
        "at_most_years_ago": 18,
    }
    assert [o["value"] for o in questions["a_multiple_choice_question"]["options"]] == ["walking", "bus", "car"]
    assert "widget" not in questions["a_multiple_choice_question"]
    assert questions["a_file_question"]["restrictions"] == {"file_types": ["pdf", "docx"]}
    assert questions["a_phone_question"]["restrictions"]["pattern"] == {"regex": "^0", "message": "Enter a UK number"}
    assert not form_builder.working_copy(db, FORM_CODE).problems


def test_a_question_changes_type_through_the_type_page(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    choose = page(client, f"{FORM}/questions/full_name/type")
    assert re.search(r'<h1 class="govuk-fieldset__heading">\s*<span class="govuk-caption-l">About you</span>', choose)
    chosen = redirected_to(submit(client, f"{FORM}/questions/full_name/type", {"type": "memo"}))
    assert chosen == f"{FORM}/questions/full_name?type=memo"
    assert "The type changes when you save this question." in page(client, chosen)
    redirected_to(submit(client, chosen, {}))
    db.expire_all()
    question = db.scalars(select(FormDraft)).one().definition["groups"][0]["questions"][0]
    assert (question["type"], question["restrictions"]) == ("memo", {"mandatory": True, "max_length": 100})


# --- clone, retire, make live, versions ---------------------------------------------------------------


def test_clone_retire_make_live_and_download_a_version(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    redirected_to(submit(client, f"{FORM}/publish", {}))
    copied = redirected_to(submit(client, f"{FORM}/clone", {"code": "family_support_2027"}))
    assert copied == f"{BUILDER}/forms/family_support_2027"
    clone = page(client, copied)
    assert "Copy of Apply for family support" in clone and "No version is live" in clone
    assert messages(submit(client, f"{FORM}/clone", {"code": "family_support_2027"})) == [
        "A form with this code already exists: choose another code"
    ]
    assert "Retire the form" in page(client, f"{FORM}/retire")
    redirected_to(submit(client, f"{FORM}/retire", {}))
    assert "Version 1 is retired" in page(client, FORM)
    assert client.get(f"/apply/{FORM_CODE}").status_code in (302, 404)  # parents cannot start it
    assert redirected_to(client.get(f"{FORM}/retire")) == FORM  # nothing live: nothing to retire
    redirected_to(submit(client, f"{FORM}/make-live", {}))
    db.expire_all()
    assert db.scalars(select(FormVersion).where(FormVersion.code == FORM_CODE)).one().status is FormStatus.LIVE
    download = client.get(f"{FORM}/versions/1/export")
    assert download.status_code == 200 and "code: family_support" in download.get_data(as_text=True)
    rows = text_of(page(client, BUILDER))
    assert "Apply for family support" in rows and "Copy of Apply for family support" in rows


# --- named lists --------------------------------------------------------------------------------------


def test_a_named_list_feeds_its_questions_and_a_change_reaches_every_working_copy(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    assert messages(submit(client, f"{BUILDER}/lists/new", {"name": "", "options_text": ""})) == [
        "Enter a name for the list",
        "Enter the options, one on each line",
    ]
    redirected_to(
        submit(
            client,
            f"{BUILDER}/lists/new",
            {"name": "Local councils", "options_text": "north | North Council\nsouth | South Council"},
        )
    )
    assert db.scalars(select(OptionList)).one().code == "local_councils"
    add_question(client, FORM, "about", "choice", label="Which council?", code="council", option_list="local_councils")
    question = f"{FORM}/questions/council"
    assert '<option value="local_councils" selected>' in page(client, question)
    assert "family_support: council" in text_of(page(client, f"{BUILDER}/lists"))
    # a change to the list is copied into the question
    redirected_to(
        submit(
            client,
            f"{BUILDER}/lists/local_councils",
            {"options_text": "north | North Council\nsouth | South Council\neast | East Council"},
        )
    )
    db.expire_all()
    options = next(
        q for q in db.scalars(select(FormDraft)).one().definition["groups"][0]["questions"] if q["code"] == "council"
    )["options"]
    assert [o["value"] for o in options] == ["north", "south", "east"]
    # once it has answers, the list cannot take an option away from it
    redirected_to(submit(client, f"{FORM}/publish", {}))
    parent = make_parent(db, "parent@example.com")
    parent_client = signed_in_client(app, parent.email)
    from application_helpers import post_page

    post_page(parent_client, f"/apply/{FORM_CODE}", {})
    post_page(parent_client, f"/apply/{FORM_CODE}/about", {"full_name": "Sam", "role": "carer", "council": "east"})
    refused = messages(submit(client, f"{BUILDER}/lists/local_councils", {"options_text": "north | North Council"}))
    assert refused == [
        "family_support, council: question 'council' has answers in applications, so its options cannot be removed: "
        "south, east"
    ]
    assert len(db.scalars(select(OptionList)).one().options) == 3
    # deleting the list leaves the question its options
    assert "Questions that take their options from it keep the options they have now." in page(
        client, f"{BUILDER}/lists/local_councils/delete"
    )
    redirected_to(submit(client, f"{BUILDER}/lists/local_councils/delete", {}))
    db.expire_all()
    draft = db.scalars(select(FormDraft)).one()
    assert draft.option_list_links == {} and db.scalar(select(func.count()).select_from(OptionList)) == 0
    assert any(q["code"] == "council" and len(q["options"]) == 3 for q in draft.definition["groups"][0]["questions"])


# --- queries ------------------------------------------------------------------------------------------


def queries_for(app, client, url: str) -> int:
    """SELECTs only: the session's once-a-minute "last seen" write is not the page's doing."""
    with count_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


def test_the_forms_list_and_the_form_editor_run_the_same_number_of_queries_whatever_the_data(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    load_shipped_forms(db)
    editor = f"{BUILDER}/forms/two_year_old_funding"
    actor = {"actor_id": None, "client_address": None}
    version = db.scalars(select(FormVersion).where(FormVersion.code == "two_year_old_funding")).one()
    parent = make_parent(db, "p0@example.com")
    db.add(Application(user_id=parent.id, form_version_id=version.id, form_code=version.code, answers={}))
    db.commit()
    copy = form_builder.working_copy(db, "two_year_old_funding")
    form_builder.move_question(db, "two_year_old_funding", "parent_title", copy.row_version, 1, **actor)
    list_before, editor_before = queries_for(app, client, BUILDER), queries_for(app, client, editor)

    build_family_form(client)
    build_family_form(client, code="family_support_two")
    for step in range(3):  # three more published versions, each with applications
        copy = form_builder.working_copy(db, "two_year_old_funding")
        details = form_builder.Details(f"Apply for free childcare, take {step}", "citizen", "parent_or_carer", "", "")
        form_builder.change_details(db, "two_year_old_funding", copy.row_version, details, **actor)
        copy = form_builder.working_copy(db, "two_year_old_funding")
        form_builder.publish(db, "two_year_old_funding", copy.row_version, **actor)
        latest = db.scalars(
            select(FormVersion).where(FormVersion.code == "two_year_old_funding").order_by(FormVersion.version.desc())
        ).first()
        for n in range(3):
            other = make_parent(db, f"p{step}{n}@example.com")
            db.add(Application(user_id=other.id, form_version_id=latest.id, form_code=latest.code, answers={}))
        db.commit()
    copy = form_builder.working_copy(db, "two_year_old_funding")
    form_builder.move_question(db, "two_year_old_funding", "parent_title", copy.row_version, 1, **actor)
    assert form_builder.working_copy(db, "two_year_old_funding").unpublished
    assert queries_for(app, client, BUILDER) == list_before
    assert queries_for(app, client, editor) == editor_before


# --- preview --------------------------------------------------------------------------------------------


def test_a_form_with_problems_cannot_be_previewed_and_says_why(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    redirected_to(submit(client, f"{FORM}/questions/role/delete", {}))
    html = page(client, f"{FORM}/preview")
    assert page_title(html).startswith("You cannot preview this form yet")
    assert f'href="{FORM}/pages/children"' in html


@pytest.mark.parametrize("data_type", ["file", "image"])
def test_a_file_in_preview_is_checked_like_a_parents_but_never_stored(make_app, db, data_type, tmp_path):
    from application_helpers import elf_executable, tiny_pdf, tiny_png

    app = make_app()
    client = admin_client(app, db)
    build_family_form(client)
    add_question(client, FORM, "about", data_type, label="Your evidence", code="evidence", answer_rules=["mandatory"])
    redirected_to(submit(client, f"{FORM}/preview", {}))
    url = f"{FORM}/preview/about"
    fields = {"full_name": "Sam", "role": "carer", "action": "continue"}

    def upload(name: str, content: bytes):
        html = page(client, url)
        import io

        return client.post(
            url,
            data={"csrf_token": csrf_token_from(html), **fields, "evidence": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )

    assert messages(upload("program.pdf", elf_executable())) == [
        "The selected file must be a PDF, Word document or image"
    ]
    good = ("letter.pdf", tiny_pdf()) if data_type == "file" else ("photo.png", tiny_png())
    assert redirected_to(upload(*good)) == f"{FORM}/preview/check"
    assert good[0] in text_of(page(client, f"{FORM}/preview/check"))
    assert db.scalar(select(func.count()).select_from(Application)) == 0
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not any(uploads.rglob("*"))


def test_an_item_of_a_repeating_page_can_be_removed_in_preview(make_app, db):
    client = admin_client(make_app(), db)
    build_family_form(client)
    redirected_to(submit(client, f"{FORM}/preview", {}))
    redirected_to(submit(client, f"{FORM}/preview/about", {"full_name": "Sam", "role": "parent"}))
    child = {
        "child_birth_date-day": "1",
        "child_birth_date-month": "2",
        "child_birth_date-year": "2023",
        "action": "add",
    }
    for name in ("Ada", "Ben", "Cat"):
        redirected_to(submit(client, f"{FORM}/preview/children", {"child_name": name, **child}))
    full = page(client, f"{FORM}/preview/children")
    assert "You have added 3 children" in full and "You cannot add more than 3 children." in full
    removed = client.post(f"{FORM}/preview/children/remove/1", data={"csrf_token": csrf_token_from(full)})
    assert redirected_to(removed) == f"{FORM}/preview/children"
    text = text_of(page(client, f"{FORM}/preview/children"))
    assert "You have added 2 children" in text and "Ben" not in text and "Cat" in text
    assert (
        client.post(f"{FORM}/preview/children/remove/9", data={"csrf_token": csrf_token_from(full)}).status_code == 404
    )


def test_the_staff_front_page_lists_the_builder_and_links_each_form_to_it(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    load_shipped_forms(db)
    front = page(client, "/admin/")
    assert '<a class="govuk-link" href="/admin/builder">Form builder</a>' in front
    assert '<a class="govuk-link" href="/admin/builder/forms/two_year_old_funding">' in front
    copy = form_builder.working_copy(db, "thirty_hours_check")
    details = form_builder.Details("<script>alert(1)</script>", "citizen", "parent_or_carer", "", "")
    form_builder.change_details(db, "thirty_hours_check", copy.row_version, details, actor_id=None, client_address=None)
    copy = form_builder.working_copy(db, "thirty_hours_check")
    form_builder.publish(db, "thirty_hours_check", copy.row_version, actor_id=None, client_address=None)
    for url in ("/admin/", BUILDER, f"{BUILDER}/forms/thirty_hours_check"):
        html = page(client, url)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
