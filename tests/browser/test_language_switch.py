"""The language switch in Chromium: it works without JavaScript, and Welsh pages pass axe on a desktop and a phone."""

import re

import pytest
from accessibility import assert_accessible
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_switch_works_without_javascript_and_comes_back_to_the_page(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/about")
    page.get_by_role("navigation", name="Language switcher").get_by_role("button", name=re.compile("^Cymraeg")).click()
    assert page.url == live_server.url + "/about"
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator('[aria-current="true"]')).to_have_text("Cymraeg")
    page.get_by_role("navigation", name="Newid iaith").get_by_role("button", name=re.compile("^English")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_a_welsh_page_is_accessible_on_a_desktop(page, live_server):
    page.goto(live_server.url + "/sign-in")
    page.get_by_role("button", name=re.compile("^Cymraeg")).click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url == live_server.url + "/sign-in"
    assert_accessible(page)


def test_a_welsh_page_is_accessible_on_a_320_pixel_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    switch = page.get_by_role("button", name=re.compile("^Cymraeg"))
    box = switch.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320  # on the screen, not pushed off it
    switch.tap()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing scrolls sideways
    assert_accessible(page)
    context.close()
