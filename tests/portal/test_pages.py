"""The pages everyone can see: home, footer pages and the error pages, each with its own title."""

import pytest
from helpers import make_user, page_title, sign_in

from portal.models import Role
from portal.services.content import FOOTER_PAGES

SUFFIX = " – Family services portal – Testshire Council"


def test_home_page_introduces_the_service_and_offers_sign_in(client):
    html = client.get("/").get_data(as_text=True)
    assert page_title(html) == "Home" + SUFFIX
    assert "Apply for childcare funding and family services" in html
    assert 'href="/sign-in"' in html
    assert "Testshire Council" in html
    assert "govuk-phase-banner" in html and "Beta" in html


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/about", "About this service"),
        ("/contact", "Contact us"),
        ("/accessibility", "Accessibility statement"),
        ("/terms", "Terms and conditions"),
        ("/privacy", "Privacy notice"),
        ("/cookies", "Cookies"),
    ],
)
def test_each_footer_page_has_its_default_text_and_is_linked_from_every_page(client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    assert page_title(response.get_data(as_text=True)) == title + SUFFIX
    assert f'href="{path}"' in client.get("/").get_data(as_text=True)
    assert f'class="govuk-footer__link" href="{path}"' in client.get("/sign-in").get_data(as_text=True)


def test_every_footer_page_is_routed():
    assert set(FOOTER_PAGES.values()) == {"/about", "/contact", "/accessibility", "/terms", "/privacy", "/cookies"}


def test_titles_are_unique_across_pages(client):
    paths = ["/", *FOOTER_PAGES.values(), "/sign-in", "/no-such-page"]
    titles = [page_title(client.get(path).get_data(as_text=True)) for path in paths]
    assert len(set(titles)) == len(titles)


def test_an_edited_text_replaces_the_shipped_default(client, db):
    from portal.models import ContentText

    db.add(ContentText(key="about", language="en", title="About our portal", body_markdown="Run by **us**."))
    db.commit()
    html = client.get("/about").get_data(as_text=True)
    assert page_title(html) == "About our portal" + SUFFIX
    assert "Run by <strong>us</strong>." in html


def test_markdown_from_administrators_cannot_inject_script(client, db):
    from portal.models import ContentText

    db.add(
        ContentText(
            key="terms",
            language="en",
            title="Terms",
            body_markdown="<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>",
        )
    )
    db.commit()
    html = client.get("/terms").get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script" not in main
    assert "javascript:" not in main
    assert "onerror" not in main


def test_unknown_page_gets_the_styled_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert page_title(html) == "Page not found" + SUFFIX
    assert "If you typed the web address, check it is correct." in html


def test_parent_gets_the_styled_403_in_the_staff_area(client, db):
    make_user(db, role=Role.PARENT)
    sign_in(client, "parent@example.com")
    response = client.get("/admin/")
    assert response.status_code == 403
    assert page_title(response.get_data(as_text=True)) == "You do not have permission to view this page" + SUFFIX


def test_staff_area_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_a_form_sent_without_its_csrf_token_gets_the_expired_page_and_changes_nothing(client, db):
    make_user(db, role=Role.PARENT)
    response = client.post("/sign-in", data={"email": "parent@example.com", "password": "correct horse battery staple"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert page_title(html) == "This page has expired" + SUFFIX
    assert "Go back, refresh the page and try again." in html
    assert client.get("/account").status_code == 302  # not signed in


def test_an_unexpected_error_gets_the_styled_500_page(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("simulated failure")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert page_title(html) == "Sorry, there is a problem with the service" + SUFFIX
    assert "simulated failure" not in html


def test_a_request_larger_than_the_limit_gets_the_413_page(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    response = app.test_client().post("/sign-in", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert page_title(response.get_data(as_text=True)) == "The file you sent is too large" + SUFFIX


def test_a_wrong_method_gets_the_405_page(client):
    response = client.post("/about")
    assert response.status_code == 405
    assert page_title(response.get_data(as_text=True)) == "This page cannot be used in that way" + SUFFIX


def test_govuk_frontend_assets_are_served_locally(client):
    css = client.get("/govuk-frontend/govuk-frontend.min.css")
    assert css.status_code == 200
    assert "/assets/fonts/" in css.get_data(as_text=True)
    assert client.get("/assets/fonts/bold-b542beb274-v2.woff2").status_code == 200
    assert client.get("/govuk-frontend/govuk-frontend.min.js").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    html = client.get("/").get_data(as_text=True)
    assert "https://" not in html.split("<body")[0]  # nothing in <head> comes from another site


def test_the_home_page_runs_the_same_queries_however_many_forms_are_live(app, client, db):
    from helpers import count_queries

    from portal.models import FormStatus, FormVersion

    def add_forms(count, start):
        for number in range(start, start + count):
            db.add(
                FormVersion(
                    code=f"form_{number}",
                    version=1,
                    title=f"Form {number}",
                    status=FormStatus.LIVE,
                    fingerprint="x" * 64,
                    definition={},
                )
            )
        db.commit()

    add_forms(1, 0)
    with count_queries(app) as few:
        client.get("/")
    add_forms(50, 1)
    with count_queries(app) as many:
        html = client.get("/").get_data(as_text=True)
    assert "Form 50" in html
    assert len(many) == len(few)
