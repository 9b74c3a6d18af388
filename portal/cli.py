"""The command line operators and tests rely on, all under `flask --app portal`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import db, migrate
from .models import Role
from .services.accounts import AccountError, PersonName, create_active_account
from .services.demo import create_demo_data
from .services.forms import definition_files, load_definitions

db_cli = AppGroup("db", help="Database schema commands.")
forms_cli = AppGroup("forms", help="Form definition commands.")
users_cli = AppGroup("users", help="Staff account commands.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the latest schema (safe to run on every deploy)."""
    migrate.upgrade(db.engine())
    click.echo("Database is at the latest schema.")


@forms_cli.command("load")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def forms_load(path: Path) -> None:
    """Load or update the form definitions in PATH (a folder or a file)."""
    report = load_definitions(db.session(), definition_files(path))
    for line in report.created:
        click.echo(f"Loaded {line}")
    for line in report.unchanged:
        click.echo(f"Unchanged {line}")
    for line in report.kept:
        click.echo(f"Kept {line}")
    for line in report.problems:
        click.echo(line, err=True)
    if not report.ok:
        sys.exit(1)


@users_cli.command("create")
@click.option("--role", type=click.Choice([Role.ADMIN.value, Role.CASEWORKER.value]), required=True)
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--forename", default="Staff")
@click.option("--surname", default="Member")
def users_create(role: str, email: str, password: str, forename: str, surname: str) -> None:
    """Create a staff account that can sign in straight away."""
    try:
        user = create_active_account(
            db.session(), email=email, password=password, role=Role(role), name=PersonName(forename, surname)
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} account {user.email} (id {user.id}).")


def demo() -> None:
    """Create demo accounts (an administrator, a caseworker, a parent with a child) and print them."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Demo data is for development: set PORTAL_ENV=development to create it.")
    accounts = create_demo_data(db.session(), date.today())
    click.echo("Demo accounts (email / password):")
    for account in accounts:
        click.echo(f"  {account.role.value:<10} {account.email} / {account.password}")


@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
def worker(once: bool, interval: float) -> None:
    """Deliver the email outbox and run scheduled jobs."""
    from .worker import run_forever, run_pass

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        results = run_pass(app)
        report = results["outbox"]
        click.echo(f"Outbox: {report.sent} sent, {report.retried} to retry, {report.failed} failed.")
        return
    run_forever(app, interval)


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(forms_cli)
    app.cli.add_command(users_cli)
    app.cli.command("demo")(demo)
    app.cli.command("worker")(worker)
