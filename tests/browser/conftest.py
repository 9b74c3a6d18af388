"""Browser tests: the portal served on loopback, driven by Debian's Chromium through Playwright.

Playwright's own browser download cannot be reached here, so the tests launch /usr/bin/chromium
(installed by .ci/run). Every page a test visits can be checked with axe-core for WCAG 2.2 A and AA
(tests/accessibility.py); a page that breaks the Content Security Policy fails the test too. The steps
journeys share (signing in as staff, waiting for a page by its title) are in journeys.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import abort
from helpers import app_config, delete_every_row
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from portal import create_app
from portal.services import applications

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    app = create_app(app_config(database_url, tmp_path_factory.mktemp("live")))

    # Test-only routes that fail on purpose, so every styled error page can be checked in a browser.
    @app.get("/__test__/abort/<int:status>")
    def abort_with(status: int):
        abort(status)

    @app.get("/__test__/crash")
    def crash():
        raise RuntimeError("a deliberate failure for the 500 page")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium` (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def database(live_server: LiveServer) -> Iterator[Session]:
    """A session on the live server's database for the test's data, written as another process would.

    The live server lives for the whole run, so every table is emptied afterwards (as tests/conftest.py
    does), and the portal's cache of built forms with them: tests reuse form codes and versions.
    """
    session = live_server.app.extensions["db_sessionmaker"]()
    applications._forms.clear()
    yield session
    session.rollback()
    delete_every_row(session)
    session.commit()
    session.close()
    applications._forms.clear()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page in a browser context of its own (its own cookies: another person), with the context's
    options, e.g. `new_page(java_script_enabled=False)`. The test fails if anything on any page it opened
    breaks the Content Security Policy; every context is closed afterwards."""
    contexts: list[BrowserContext] = []
    csp_violations: list[str] = []

    def record_csp_violation(message) -> None:
        if "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    def open_page(**options) -> Page:
        context = browser.new_context(**{"viewport": {"width": 1024, "height": 800}, **options})
        contexts.append(context)
        page = context.new_page()
        page.on("console", record_csp_violation)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not csp_violations, f"Content Security Policy violations: {csp_violations}"


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def no_js_page(new_page) -> Page:
    """JavaScript turned off: the portal is built to work without it (GOV.UK progressive enhancement)."""
    return new_page(java_script_enabled=False)


@pytest.fixture
def phone_page(new_page) -> Page:
    return new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
