"""Demo data for `make run`: one administrator, one caseworker, one parent with a child.

The passwords are fixed and printed so that a developer can sign in straight away; the command
refuses to run in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..models import Child, Role
from ..passwords import hash_password
from .accounts import PersonName, create_active_account, find_open_account
from .alerts import create_demo_alerts
from .consent import current_statement, must_agree, record_agreement


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    password: str
    name: PersonName


DEMO_ACCOUNTS = (
    DemoAccount(Role.ADMIN, "admin@example.com", "demo-admin-password", PersonName("Ada", "Admin", "Ms")),
    DemoAccount(
        Role.CASEWORKER, "caseworker@example.com", "demo-caseworker-password", PersonName("Jane", "Smith", "Mrs")
    ),
    DemoAccount(Role.PARENT, "parent@example.com", "demo-parent-password", PersonName("Sam", "Parent", "Mx")),
)


def demo_child_birth_date(today: date) -> date:
    """A child who turned two recently, so the two-year-old form has something to say."""
    return date(today.year - 2, 1, 15) if today.month > 1 else date(today.year - 3, 11, 15)


def create_demo_data(db: Session, today: date) -> list[DemoAccount]:
    """Create the demo accounts, or reset their passwords if they exist. Idempotent."""
    for account in DEMO_ACCOUNTS:
        user = find_open_account(db, account.email)
        if user is None:
            details = {"postcode": "NN1 1AA", "address_line_1": "1 Example Street", "town": "Northampton"}
            user = create_active_account(
                db, email=account.email, password=account.password, role=account.role, name=account.name, **details
            )
        else:
            user.password_hash = hash_password(account.password)
        if must_agree(db, user):
            record_agreement(db, user, current_statement(db), client_address=None)
        if account.role is Role.PARENT and not user.children:
            db.add(
                Child(
                    parent=user,
                    forename="Alex",
                    surname="Parent",
                    date_of_birth=demo_child_birth_date(today),
                    gender="Not given",
                )
            )
        db.commit()
    create_demo_alerts(db)
    return list(DEMO_ACCOUNTS)
