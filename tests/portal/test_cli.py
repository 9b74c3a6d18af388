"""The command-line contract operators and `make run` rely on."""

from pathlib import Path

from sqlalchemy import create_engine, inspect

from portal.models import OutboxMessage, OutboxStatus, Role, User
from portal.outbox import queue_email


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_db_upgrade_builds_an_empty_database_and_is_safe_to_repeat(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = make_app(DATABASE_URL=url)
    first = run(app, "db", "upgrade")
    second = run(app, "db", "upgrade")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "latest schema" in first.output
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"users", "children", "form_versions", "outbox_messages", "audit_events", "alembic_version"} <= tables


def test_users_create_makes_a_staff_account_that_can_sign_in(app, db):
    result = run(
        app,
        "users",
        "create",
        "--role",
        "caseworker",
        "--email",
        "jane@council.example",
        "--password",
        "a long enough password",
    )
    assert result.exit_code == 0, result.output
    assert "Created caseworker account jane@council.example" in result.output
    user = db.query(User).one()
    assert user.role is Role.CASEWORKER
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in user.password_hash


def test_users_create_refuses_a_short_password_and_a_duplicate_email(app, db):
    short = run(app, "users", "create", "--role", "admin", "--email", "a@council.example", "--password", "short")
    assert short.exit_code != 0
    assert "Password must be 10 characters or more" in short.output
    run(app, "users", "create", "--role", "admin", "--email", "a@council.example", "--password", "long enough pw")
    again = run(
        app, "users", "create", "--role", "admin", "--email", "A@council.example", "--password", "long enough pw"
    )
    assert again.exit_code != 0
    assert "already exists" in again.output
    assert db.query(User).count() == 1


def test_users_create_only_makes_staff(app):
    result = run(app, "users", "create", "--role", "parent", "--email", "p@example.com", "--password", "long enough pw")
    assert result.exit_code != 0


def test_demo_prints_credentials_that_work_and_can_run_twice(make_app, db):
    app = make_app(PORTAL_ENV="development")
    first = run(app, "demo")
    second = run(app, "demo")
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    for email in ("admin@example.com", "caseworker@example.com", "parent@example.com"):
        assert email in first.output
    assert db.query(User).count() == 3
    parent = db.query(User).filter_by(email="parent@example.com").one()
    assert len(parent.children) == 1
    client = app.test_client()
    from helpers import sign_in

    response = sign_in(client, "parent@example.com", "demo-parent-password")
    assert response.headers["Location"] == "/"


def test_demo_refuses_to_run_in_production(make_app):
    app = make_app(PORTAL_ENV="production")
    result = run(app, "demo")
    assert result.exit_code != 0
    assert "Demo data is for development" in result.output


def test_worker_once_delivers_the_outbox_and_exits(make_app, db, smtp_server):
    app = make_app(SMTP_PORT=smtp_server.port)
    queue_email(db, to="someone@example.com", subject="Hello", body_text="Hello", kind="test")
    db.commit()
    result = run(app, "worker", "--once")
    assert result.exit_code == 0, result.output
    assert "Outbox: 1 sent" in result.output
    assert [m["To"] for m in smtp_server.messages] == ["someone@example.com"]
    db.expire_all()
    assert db.query(OutboxMessage).one().status is OutboxStatus.SENT


def test_forms_load_reports_a_missing_path(app):
    result = run(app, "forms", "load", str(Path("/no/such/folder")))
    assert result.exit_code != 0
