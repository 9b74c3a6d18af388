"""Administrators edit the texts people read outside the forms, in English and Welsh (issue 8, Resources)."""

from __future__ import annotations

import re

from helpers import admin_client, csrf_token_from, error_summary, page_title, sign_in_staff
from sqlalchemy import func, select

from portal.models import AuditEvent, ContentText, Role
from portal.services.content import content_page


def post_text(client, url: str, **fields):
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "title": "About us", "body_markdown": "We run the service.", **fields}
    return client.post(url, data=data)


def text_rows(db) -> int:
    return db.scalar(select(func.count()).select_from(ContentText))


def row_of(html: str, key: str) -> str:
    match = re.search(rf'<tr class="govuk-table__row" id="text-{key}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {key}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_an_administrator_edits_the_about_page_and_the_public_page_shows_it(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    assert "Default" in row_of(client.get("/admin/texts").get_data(as_text=True), "about")
    form = client.get("/admin/texts/about/en").get_data(as_text=True)
    assert "About this service" in form  # starts from the shipped default
    saved = post_text(client, "/admin/texts/about/en", title="About the family portal", body_markdown="Run by **us**.")
    assert saved.status_code == 302 and saved.headers["Location"] == "/admin/texts"
    public = app.test_client().get("/about").get_data(as_text=True)
    assert page_title(public).startswith("About the family portal")
    assert "Run by <strong>us</strong>." in public
    assert row_of(client.get("/admin/texts").get_data(as_text=True), "about").startswith("About the family portal")
    assert "Edited" in row_of(client.get("/admin/texts").get_data(as_text=True), "about")


def test_welsh_is_stored_separately_and_a_missing_welsh_text_falls_back_and_is_listed(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    missing = client.get("/admin/texts/missing-translations").get_data(as_text=True)
    assert page_title(missing).startswith("Missing translations")
    assert "(about)" in missing and "(contact)" in missing
    assert "(consent_statement)" not in missing  # versioned elsewhere, not edited here
    assert content_page(db, "contact", "cy").language == "en"  # no Welsh: English is shown

    saved = post_text(client, "/admin/texts/about/cy", title="Am y gwasanaeth", body_markdown="Croeso.")
    assert saved.status_code == 302
    row = db.scalars(select(ContentText).where(ContentText.key == "about")).one()
    assert (row.language, row.title, row.body_markdown) == ("cy", "Am y gwasanaeth", "Croeso.")
    page = content_page(db, "about", "cy")
    assert (page.language, page.title, page.body_markdown) == ("cy", "Am y gwasanaeth", "Croeso.")
    assert content_page(db, "about", "en").title == "About this service"  # English untouched

    missing = client.get("/admin/texts/missing-translations").get_data(as_text=True)
    assert "(about)" not in missing and "(contact)" in missing
    assert "Missing" in row_of(client.get("/admin/texts").get_data(as_text=True), "contact")
    form = client.get("/admin/texts/contact/cy").get_data(as_text=True)
    assert "There is no Welsh text yet" in form


def test_preview_renders_the_markdown_and_saves_nothing(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    previewed = post_text(client, "/admin/texts/terms/en", body_markdown="## Rules\n\n- one", preview="Preview")
    html = previewed.get_data(as_text=True)
    assert previewed.status_code == 200 and "Preview (not saved)" in html
    assert '<h2 class="govuk-heading-m">Rules</h2>' in html and "<li>one</li>" in html
    assert text_rows(db) == 0
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.object_type == "content_text")) == 0


def test_validation_errors_change_nothing(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    empty = post_text(client, "/admin/texts/privacy/en", title="  ", body_markdown="")
    html = empty.get_data(as_text=True)
    assert empty.status_code == 200 and page_title(html).startswith("Error:")
    assert error_summary(html) == ["Enter a title", "Enter the text"]
    long = post_text(client, "/admin/texts/privacy/en", title="x" * 201)
    assert error_summary(long.get_data(as_text=True)) == ["Title must be 200 characters or fewer"]
    assert text_rows(db) == 0
    assert content_page(db, "privacy", "en").title != "x" * 201


def test_unknown_key_or_language_is_not_found(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    assert client.get("/admin/texts/no_such_text/en").status_code == 404
    assert client.get("/admin/texts/about/fr").status_code == 404
    assert client.get("/admin/texts/consent_statement/en").status_code == 404
    assert client.get("/admin/texts/../secrets/en").status_code == 404


def test_a_caseworker_is_refused(make_app, db):
    app = make_app()
    client = app.test_client()
    sign_in_staff(client, db, role=Role.CASEWORKER)
    assert client.get("/admin/texts").status_code == 403
    assert client.get("/admin/texts/missing-translations").status_code == 403
    assert client.get("/admin/texts/about/en").status_code == 403
    front = client.get("/admin/").get_data(as_text=True)
    assert "Texts</a>" not in front
    data = {"csrf_token": csrf_token_from(front), "title": "Hacked", "body_markdown": "x"}
    assert client.post("/admin/texts/about/en", data=data).status_code == 403
    assert client.post("/admin/texts/about/en/reset", data=data).status_code == 403
    assert text_rows(db) == 0


def test_every_change_is_audited_with_before_and_after_and_reset_restores_the_default(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    assert "Texts</a>" in client.get("/admin/").get_data(as_text=True)
    post_text(client, "/admin/texts/about/en", title="First", body_markdown="One")
    post_text(client, "/admin/texts/about/en", title="Second", body_markdown="Two")
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "content_text.updated").order_by(AuditEvent.id))
    first, second = list(events)
    admin_id = db.scalars(select(ContentText.updated_by_id)).one()
    assert first.actor_id == second.actor_id == admin_id and first.at is not None
    assert first.object_id == "about/en"
    assert first.details["before"]["title"] == "About this service" and first.details["before"]["source"] == "default"
    assert first.details["after"] == {"title": "First", "body_markdown": "One", "source": "edited"}
    assert second.details["before"] == {"title": "First", "body_markdown": "One", "source": "edited"}
    assert second.details["after"]["title"] == "Second"

    form = client.get("/admin/texts/about/en").get_data(as_text=True)
    reset = client.post("/admin/texts/about/en/reset", data={"csrf_token": csrf_token_from(form), "reset": "1"})
    assert reset.status_code == 302
    assert text_rows(db) == 0
    assert content_page(db, "about", "en").title == "About this service"
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "content_text.reset")).one()
    assert event.details["before"]["title"] == "Second" and event.details["after"]["title"] == "About this service"


def test_markdown_xss_in_a_saved_text_is_inert_on_the_public_page(make_app, db):
    app = make_app()
    client = admin_client(app, db)
    attack = '<script>alert("x")</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(2)>'
    post_text(client, "/admin/texts/cookies/en", title="Cookies <b>here</b>", body_markdown=attack)
    html = app.test_client().get("/cookies").get_data(as_text=True)
    assert 'alert("x")</script>' not in html and "<script>alert" not in html
    assert "javascript:" not in html and "onerror" not in html and "<img" not in html
    assert "Cookies &lt;b&gt;here&lt;/b&gt;" in html  # the title is text, escaped


def test_an_edited_email_text_is_what_the_email_says(make_app, db):
    from portal.config import AccountSettings
    from portal.models import OutboxMessage
    from portal.services.texts import queue_account_email

    app = make_app()
    client = admin_client(app, db)
    post_text(client, "/admin/texts/email_password_changed/en", title="{service}: password changed",
              body_markdown="Dear {name}, your password changed.")  # fmt: skip
    queue_account_email(db, "email_password_changed", to="p@example.com",
                        settings=AccountSettings.from_config(app.config), name="Sam")  # fmt: skip
    db.commit()
    email = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "password_changed")).one()
    assert email.subject == "Family services portal: password changed"
    assert email.body_text == "Dear Sam, your password changed.\n"
