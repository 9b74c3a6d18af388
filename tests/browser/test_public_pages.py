"""The pages anyone can open: home, footer pages and error pages, in Chromium, with axe."""

import pytest
from accessibility import assert_accessible
from journeys import expect_title
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FOOTER_PAGES = [
    ("About", "About this service"),
    ("Contact us", "Contact us"),
    ("Accessibility statement", "Accessibility statement"),
    ("Terms and conditions", "Terms and conditions"),
    ("Privacy notice", "Privacy notice"),
    ("Cookies", "Cookies"),
]


def test_home_page_loads_styled_and_accessible(page, live_server):
    page.goto(live_server.url + "/")
    expect(page).to_have_title("Home – Family services portal – Testshire Council")
    heading = page.locator("h1")
    expect(heading).to_have_text("Apply for childcare funding and family services")
    # GOV.UK Frontend's CSS and JavaScript really loaded: the font is applied and JS marked the body.
    assert "GDS Transport" in heading.evaluate("element => getComputedStyle(element).fontFamily")
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    assert_accessible(page)


@pytest.mark.parametrize(("link", "heading"), FOOTER_PAGES)
def test_each_footer_page_is_reached_from_the_footer_and_accessible(page, live_server, link, heading):
    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name=link, exact=True).click()
    expect(page.locator("h1")).to_have_text(heading)
    expect_title(page, heading + " – ")
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(page, live_server):
    page.goto(live_server.url + "/about")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/no-such-page", "Page not found"),
        ("/sign-in", "Sign in"),
    ],
)
def test_other_pages_are_accessible(page, live_server, path, title):
    page.goto(live_server.url + path)
    expect_title(page, title + " – ")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/__test__/abort/403", "You do not have permission to view this page"),
        ("/__test__/abort/404", "Page not found"),
        ("/__test__/abort/413", "The file you sent is too large"),
        ("/__test__/abort/429", "You have tried too many times"),
        ("/__test__/abort/503", "Sorry, the service is unavailable"),
        ("/__test__/crash", "Sorry, there is a problem with the service"),
    ],
)
def test_each_styled_error_page_is_accessible(page, live_server, path, heading):
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page).to_have_title(heading + " – Family services portal – Testshire Council")
    assert_accessible(page)


def test_the_expired_page_after_a_stale_form_is_accessible(page, live_server):
    # 400: a form sent after its session ended (no CSRF token); 403: a page for staff only.
    page.goto(live_server.url + "/sign-in")
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'stale'")
    page.get_by_label("Email address").fill("someone@example.com")
    page.get_by_label("Password", exact=True).fill("any password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("This page has expired")
    assert_accessible(page)


def test_sign_in_error_summary_is_accessible(page, live_server):
    page.goto(live_server.url + "/sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect_title(page, "Error: Sign in")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_be_focused()  # GOV.UK's module script focuses it once it has run
    assert_accessible(page)


def test_home_page_works_on_a_phone(phone_page, live_server):
    phone_page.goto(live_server.url + "/")
    expect(phone_page.locator("h1")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert_accessible(phone_page)
