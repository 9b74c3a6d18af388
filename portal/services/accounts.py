"""Creating accounts and finding them by email. Parents register through `registration`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AccountStatus, Role, User, utcnow
from ..passwords import hash_password, password_problem


class AccountError(ValueError):
    """A request the rules refuse, with a message fit to show the person who asked.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class PersonName:
    forename: str
    surname: str
    title: str | None = None


def find_open_account(db: Session, email: str) -> User | None:
    return db.scalars(
        select(User).where(User.email_normalised == normalise_email(email), User.status != AccountStatus.CLOSED)
    ).first()


def create_active_account(db: Session, *, email: str, password: str, role: Role, name: PersonName, **details) -> User:
    """An account that can sign in at once: staff created by an operator, or demo data."""
    email = email.strip()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError("Enter an email address in the correct format, like name@example.com")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_open_account(db, email) is not None:
        raise AccountError(f"An account with the email address {email} already exists")
    user = User(
        email=email,
        email_normalised=normalise_email(email),
        password_hash=hash_password(password),
        role=role,
        status=AccountStatus.ACTIVE,
        title=name.title,
        forename=name.forename,
        surname=name.surname,
        activated_at=utcnow(),
        **details,
    )
    db.add(user)
    db.commit()
    return user
