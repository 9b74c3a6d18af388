"""The Welsh interface: the catalogue, the language switch, remembering the choice, and Welsh from the engine.

The catalogue tests read portal/translations/cy/LC_MESSAGES/messages.po as shipped; the page tests go
through the Flask client as a person would.
"""

from __future__ import annotations

import re
import shlex
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from account_helpers import REGISTRATION, register
from application_helpers import load_shipped_forms, location, make_child, make_parent, post_page, signed_in_client
from babel.messages.frontend import CommandLineInterface
from flask import session
from helpers import csrf_token_from, error_summary, make_user, sign_in
from sqlalchemy import select

from portal.catalogues import catalogue_path, read_catalogue
from portal.dates import london_time, long_date
from portal.models import ContentText, OutboxMessage, User

ROOT = Path(__file__).resolve().parents[2]
WELSH = catalogue_path("cy")


def _msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _entries():
    return [m for m in read_catalogue(WELSH) if m.id]


# --- the catalogue ---------------------------------------------------------------------------------------


def test_every_text_of_the_interface_has_a_welsh_translation():
    missing = [
        _msgid(m)
        for m in _entries()
        if not (m.string if isinstance(m.string, str) else m.string and all(m.string))
    ]
    listed = "\n".join(f"  {text!r}" for text in missing)
    assert not missing, f"{len(missing)} texts have no Welsh (or miss a plural form) in {WELSH.name}:\n{listed}"


def test_no_entry_is_fuzzy_so_none_is_left_out_of_the_compiled_catalogue():
    assert [_msgid(m) for m in _entries() if m.fuzzy] == []


def test_the_catalogue_says_it_awaits_review_and_has_welsh_plural_forms():
    catalog = read_catalogue(WELSH)
    assert "AWAIT REVIEW BY A WELSH SPEAKER" in catalog.header_comment
    assert catalog.num_plurals == 6


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}|</?[a-z]+\b")


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def _without_num(placeholders: list[str]) -> list[str]:
    return [p for p in placeholders if not p.startswith("%(num)")]


def test_translations_keep_the_placeholders_and_html_of_the_english():
    wrong = []
    for message in _entries():
        if isinstance(message.id, str):
            if message.string and _placeholders(message.string) != _placeholders(message.id):
                wrong.append((message.id, message.string))
            continue
        # A plural form may leave out the number ("un diwrnod"), but keeps every other placeholder.
        english = _without_num(_placeholders(message.id[1]))
        wrong += [(message.id[1], f) for f in message.string if f and _without_num(_placeholders(f)) != english]
    assert wrong == [], "placeholders or HTML differ:\n" + "\n".join(f"  {e!r} -> {w!r}" for e, w in wrong)


def _makefile_variable(name: str) -> list[str]:
    match = re.search(rf"^{name} := (.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert match, f"Makefile has no {name}"
    return shlex.split(match.group(1))


def test_the_catalogue_has_every_text_the_source_marks_and_no_other(tmp_path, monkeypatch):
    """`make translations` was run after the last change to a translated text (a new _() fails here)."""
    monkeypatch.chdir(ROOT)
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", *_makefile_variable("BABEL_EXTRACT"), "-o", str(pot),
         *_makefile_variable("BABEL_SOURCES")]
    )  # fmt: skip
    extracted = {_msgid(m) for m in read_catalogue(pot) if m.id}
    catalogued = {_msgid(m) for m in _entries()}
    assert "Sign in" in extracted and "Enter {name}" in extracted  # templates and formsengine's N_ are read
    assert sorted(extracted - catalogued) == [], "not in the catalogue: run make translations"
    assert sorted(catalogued - extracted) == [], "no longer in the source: run make translations"


def test_an_untranslated_text_falls_back_to_english_and_a_translated_one_is_welsh(app):
    from flask_babel import gettext

    with app.test_request_context():
        session["language"] = "cy"
        assert gettext("Language switcher") == "Newid iaith"
        assert gettext("A text that is in no catalogue") == "A text that is in no catalogue"


# --- the language switch ---------------------------------------------------------------------------------


def switch(client, language: str, *, on: str = "/", token: bool = False, **headers):
    """Press the switch on the page `on`, as a browser posts it."""
    page = client.get(on).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/language".*?</form>', page, re.S)
    assert form, "the page has no language switch"
    data = {"language": language, "next": re.search(r'name="next" value="([^"]*)"', form.group(0)).group(1)}
    if token:
        data["csrf_token"] = csrf_token_from(form.group(0))
    return client.post("/language", data=data, headers=headers)


def test_switching_to_cymraeg_shows_the_welsh_interface_and_the_councils_welsh_text(client, db):
    db.add(ContentText(key="home", language="cy", title="Croeso i’r porth", body_markdown="Gwnewch gais am ofal plant"))
    db.commit()
    english = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in english and 'aria-label="Language switcher"' in english
    assert '<span class="app-language-select__current" aria-current="true" lang="en">English</span>' in english

    response = switch(client, "cy")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert 'aria-label="Newid iaith"' in html
    assert "Croeso i’r porth" in html and "Gwnewch gais am ofal plant" in html
    welsh_sign_in = dict((m.id, m.string) for m in _entries()).get("Sign in") or "Sign in"
    sign_in_link = re.search(r'<a class="govuk-service-navigation__link" href="/sign-in"[^>]*>(.*?)</a>', html, re.S)
    assert sign_in_link.group(1).strip() == welsh_sign_in  # the navigation's sign-in link, Welsh once translated
    assert 'aria-current="true" lang="cy">Cymraeg</span>' in html
    assert 'value="en" lang="en"' in html  # the way back to English, in English


def test_a_text_with_no_welsh_version_falls_back_to_english(client):
    switch(client, "cy", on="/about")
    html = client.get("/about").get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert "<h1 class=\"govuk-heading-xl\">About this service</h1>" in html


def test_the_switch_returns_to_the_page_it_was_on_with_its_query(client):
    response = switch(client, "cy", on="/sign-in?next=/account")
    assert response.headers["Location"] == "/sign-in?next=/account"


@pytest.mark.parametrize("address", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_the_switch_refuses_an_off_site_return_address(client, address):
    response = client.post("/language", data={"language": "cy", "next": address})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_switching_back_to_english(client):
    switch(client, "cy")
    assert '<html lang="cy"' in client.get("/").get_data(as_text=True)
    switch(client, "en")
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "fr", "next": "/"}).status_code == 400


def test_reading_a_page_signed_out_starts_no_session(client):
    assert "Set-Cookie" not in client.get("/").headers  # the switch carries no token when signed out


def test_another_site_cannot_switch_a_signed_out_visitors_language(client):
    refused = client.post("/language", data={"language": "cy", "next": "/"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403 and "Set-Cookie" not in refused.headers
    refused = client.post("/language", data={"language": "cy"}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert switch(client, "cy", **{"Sec-Fetch-Site": "same-origin"}).status_code == 302


def test_signed_in_the_switch_needs_the_csrf_token(client, db):
    make_user(db)
    sign_in(client, "parent@example.com")
    assert client.post("/language", data={"language": "cy", "next": "/"}).status_code == 400
    assert switch(client, "cy", token=True).status_code == 302


# --- remembering the choice ------------------------------------------------------------------------------


def test_a_signed_in_parents_choice_survives_sign_out_and_sign_in(app, client, db):
    parent = make_user(db)
    sign_in(client, "parent@example.com")
    switch(client, "cy", token=True)
    db.refresh(parent)
    assert parent.language == "cy"
    page = client.get("/account").get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token_from(page)})
    assert '<html lang="cy"' in client.get("/signed-out").get_data(as_text=True)  # still reading Welsh

    elsewhere = app.test_client()  # another browser: only the account remembers
    assert '<html lang="en"' in elsewhere.get("/").get_data(as_text=True)
    sign_in(elsewhere, "parent@example.com")
    assert '<html lang="cy"' in elsewhere.get("/").get_data(as_text=True)


def test_a_choice_made_before_signing_in_is_stored_on_the_account(client, db):
    parent = make_user(db)
    switch(client, "cy", on="/sign-in")
    sign_in(client, "parent@example.com")
    assert '<html lang="cy"' in client.get("/").get_data(as_text=True)
    db.refresh(parent)
    assert parent.language == "cy"


def test_someone_who_registers_in_welsh_gets_their_emails_in_welsh(app, client, db):
    db.add(ContentText(key="email_registration", language="cy", title="Cychwyn eich cyfrif {service}",
                       body_markdown="Annwyl {name}, dilynwch y ddolen: {link}"))  # fmt: skip
    db.commit()
    switch(client, "cy", on="/register")
    register(client)
    user = db.scalars(select(User).where(User.email == REGISTRATION["email"])).one()
    assert user.language == "cy"
    email = db.scalars(select(OutboxMessage).where(OutboxMessage.to_address == user.email)).one()
    assert email.subject == "Cychwyn eich cyfrif Family services portal"
    assert email.body_text.startswith("Annwyl Priya Shah, dilynwch y ddolen: http")


def test_an_email_with_no_welsh_text_goes_in_english(app, client, db):
    parent = make_user(db)
    parent.language = "cy"
    db.commit()
    client.post("/password/forgotten", data={
        "csrf_token": csrf_token_from(client.get("/password/forgotten").get_data(as_text=True)),
        "email": parent.email,
    })  # fmt: skip
    email = db.scalars(select(OutboxMessage).where(OutboxMessage.to_address == parent.email)).one()
    assert "password" in email.subject.lower()


# --- Welsh from formsengine and dates --------------------------------------------------------------------


def test_a_formsengine_validation_error_appears_in_welsh(app, db):
    load_shipped_forms(db)
    parent = make_parent(db)
    child = make_child(db, parent)
    client = signed_in_client(app, parent.email)
    switch(client, "cy", token=True)
    form = "/apply/two_year_old_funding"
    assert location(post_page(client, form, {"child": str(child.id)})) == f"{form}/parent"
    response = post_page(client, f"{form}/parent", {
        "parent_title": "ms", "parent_first_name": "Sam", "parent_last_name": "Parent",
        "parent_date_of_birth-day": "27", "parent_date_of_birth-year": "1990",
        "parent_id_type": "ni", "parent_ni_number": "not a number",
        "relationship_to_child": "mother", "parental_responsibility": "yes",
    })  # fmt: skip
    errors = error_summary(response.get_data(as_text=True))
    assert "Rhaid i’r rhif Yswiriant Gwladol fod fel QQ 12 34 56 C" in errors
    assert any(e.endswith("gynnwys mis") and e.startswith("Rhaid i ") for e in errors), errors  # "must include a month"
    assert "Blwyddyn" in response.get_data(as_text=True)  # the date boxes' labels


def test_dates_show_welsh_month_names_and_times_when_the_page_is_welsh(app):
    moment = datetime(2023, 2, 1, 14, 5, tzinfo=UTC)
    with app.test_request_context():
        assert long_date(date(2023, 2, 1)) == "1 February 2023"
        assert london_time(moment) == "1 February 2023, 2:05pm"
    with app.test_request_context():
        session["language"] = "cy"
        assert long_date(date(2023, 2, 1)) == "1 Chwefror 2023"
        assert london_time(moment) == "1 Chwefror 2023, 2:05yp"
        assert london_time(datetime(2023, 7, 1, 8, 30, tzinfo=UTC)) == "1 Gorffennaf 2023, 9:30yb"  # BST
