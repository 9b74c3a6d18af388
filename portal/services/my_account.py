"""Changes a signed-in person makes in My account: details, contact details and email address."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..extensions import SUPPORTED_LANGUAGES
from ..models import AccountStatus, Announcement, TokenPurpose, User
from ..passwords import verify_password
from . import audit, tokens
from .accounts import AccountError, find_open_account, normalise_email
from .texts import EMAIL_CONFIRMATION_PATH, queue_account_email


@dataclass(frozen=True)
class PersonalDetails:
    title: str | None
    forename: str
    surname: str


@dataclass(frozen=True)
class ContactDetails:
    postcode: str
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    home_phone: str | None = None
    mobile_phone: str | None = None
    work_phone: str | None = None


def update_personal_details(db: Session, user: User, details: PersonalDetails, client_address: str | None) -> None:
    user.title = details.title or None
    user.forename = details.forename.strip()
    user.surname = details.surname.strip()
    audit.record(db, "personal_details_changed", actor_id=user.id, client_address=client_address)
    db.commit()


def update_contact_details(db: Session, user: User, details: ContactDetails, client_address: str | None) -> None:
    user.postcode = details.postcode.strip().upper()
    for name in ("address_line_1", "address_line_2", "town", "home_phone", "mobile_phone", "work_phone"):
        setattr(user, name, getattr(details, name) or None)
    audit.record(db, "contact_details_changed", actor_id=user.id, client_address=client_address)
    db.commit()


def choose_language(db: Session, user: User, language: str) -> None:
    """Remember the language `user` reads the portal and their emails in (the language switch, signed in)."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    user.language = language
    db.commit()


def request_email_change(
    db: Session, user: User, new_email: str, password: str, client_address: str | None, settings: AccountSettings
) -> None:
    """Send a confirmation link to the new address and a notice to the old one; nothing changes until
    the link is followed. An address that already has an account gets a link that will not work, and the
    person asking sees the same page: whether an address is registered is not revealed here either."""
    if not verify_password(user.password_hash, password):
        audit.record(db, "password_check_failed", actor_id=user.id, client_address=client_address)
        db.commit()
        raise AccountError("Your password is incorrect", field="password")
    new_email = new_email.strip()
    if normalise_email(new_email) == user.email_normalised:
        raise AccountError("Enter a different email address from the one you use now", field="email")
    secret = tokens.issue_link_token(db, user, TokenPurpose.EMAIL_CHANGE, settings.email_change_link, new_email)
    queue_account_email(
        db,
        "email_email_change_confirm",
        to=new_email,
        settings=settings,
        language=user.language,
        name=user.full_name,
        link=settings.base_url + EMAIL_CONFIRMATION_PATH + secret,
        hours=int(settings.email_change_link.total_seconds() // 3600),
    )
    queue_account_email(
        db,
        "email_email_change_requested",
        to=user.email,
        settings=settings,
        language=user.language,
        name=user.full_name,
    )
    audit.record(db, "email_change_requested", actor_id=user.id, client_address=client_address)
    db.commit()


class EmailChangeResult(enum.Enum):
    CHANGED = "changed"
    INVALID = "invalid"  # unknown, used or expired link
    TAKEN = "taken"  # the address has been registered since the link was sent


def confirm_email_change(db: Session, secret: str, client_address: str | None, settings: AccountSettings):
    token = tokens.redeem_link_token(db, secret, TokenPurpose.EMAIL_CHANGE)
    if token is None or token.new_email is None or token.user.status is not AccountStatus.ACTIVE:
        db.rollback()
        return EmailChangeResult.INVALID
    user = token.user
    if find_open_account(db, token.new_email) is not None:
        db.commit()  # the link is used up either way
        return EmailChangeResult.TAKEN
    old_email = user.email
    user.email = token.new_email
    user.email_normalised = normalise_email(token.new_email)
    audit.record(db, "email_changed", actor_id=user.id, client_address=client_address)
    queue_account_email(
        db, "email_email_changed", to=old_email, settings=settings, language=user.language, name=user.full_name
    )
    db.commit()
    return EmailChangeResult.CHANGED


def current_announcements(db: Session, today: date) -> list[Announcement]:
    """Announcements whose first and last days include `today`."""
    return list(
        db.scalars(
            select(Announcement)
            .where(Announcement.starts_on <= today, Announcement.ends_on >= today)
            .order_by(Announcement.starts_on, Announcement.id)
        )
    )
