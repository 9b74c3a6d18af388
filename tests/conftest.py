"""Fixtures shared by every test: an application on a real, migrated database.

The database is SQLite (a file per test session) unless TEST_DATABASE_URL names another, which CI sets
to a fresh PostgreSQL database so that the whole suite runs on both. Each test starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from types import CodeType

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import app_config, delete_every_row
from hypothesis import settings
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from portal import create_app, migrate
from portal.extensions import limiter

# In CI, property tests draw the same examples every run: a failure found locally is reproduced, and CI
# never fails on an example it happened to draw for the first time (run locally to explore afresh).
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_report_header(config) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {url.split('://')[0] if url else 'sqlite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:  # a fresh schema, whatever an earlier run left
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    empty_all_tables(url)  # rows that migrations ship (default message templates): tests start from nothing
    return url


def empty_all_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        delete_every_row(connection)
    engine.dispose()


class CompiledTemplates(BytecodeCache):
    """Templates compiled once for the whole run and shared by every app the tests create.

    Each app has a Jinja environment of its own, which would otherwise compile again every template it
    renders: most of a Flask client test's time. A template is compiled afresh when its source changes
    (the checksum) or for an environment whose compiling settings differ (in the key).
    """

    # What compiled code depends on besides the source and the extensions (see jinja2.lexer.get_lexer
    # and jinja2.compiler): the syntax, whitespace handling, autoescaping, finalize, async and gettext.
    SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                "is_async", "newstyle_gettext", "autoescape", "finalize")  # fmt: skip

    def __init__(self) -> None:
        self._code: dict[tuple, tuple[str, CodeType]] = {}

    def _key(self, bucket: Bucket) -> tuple:
        env = bucket.environment
        settings = [getattr(env, name, None) for name in self.SETTINGS]
        settings = [getattr(value, "__qualname__", value) for value in settings]  # a function by its name
        return bucket.key, tuple(sorted(env.extensions)), tuple(settings)

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(self._key(bucket), (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[self._key(bucket)] = (bucket.checksum, bucket.code)


COMPILED_TEMPLATES = CompiledTemplates()


@pytest.fixture
def make_app(database_url: str, tmp_path: Path):
    """Build an app with extra configuration; tables are emptied after the test."""
    apps: list[Flask] = []

    def factory(**overrides) -> Flask:
        app = create_app(app_config(database_url, tmp_path, **overrides))
        app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["db_engine"].dispose()
    limiter.reset()
    empty_all_tables(database_url)


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A database session of the test's own, outside any request, as a second process would have.

    (Holding an application context open instead would share `flask.g` with every request the test
    client makes, which hides bugs that real requests would meet.)
    """
    session = app.extensions["db_sessionmaker"]()
    yield session
    session.close()


class RecordingHandler:
    """An SMTP server's handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on loopback (aiosmtpd) that can be stopped and started again on its port."""

    def __init__(self) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = RecordingHandler()
        self._controller = None

    @property
    def messages(self) -> list:
        return self.handler.messages

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server():
    """`.messages` holds what the server received; `.port` is where it listens."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
