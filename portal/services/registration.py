"""Registration: consent first, then details, then an emailed link that activates the account.

Nothing is stored before the person agrees to the consent statement: the agreement waits in their
session, and the account row is created in one transaction with its consent record, its activation
token and the activation email. Registering with an address that already has an account looks exactly
the same to the person registering (no enumeration, and the same Argon2 work is done); the address's
owner is told by email instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..models import AccountStatus, AccountToken, Role, TokenPurpose, User, utcnow
from ..passwords import hash_password
from . import audit, tokens
from .accounts import find_open_account, normalise_email
from .consent import add_agreement, statement_by_version
from .texts import (
    ACTIVATION_PATH,
    FORGOTTEN_PASSWORD_PATH,
    NEW_ACTIVATION_LINK_PATH,
    SIGN_IN_PATH,
    queue_account_email,
)


@dataclass(frozen=True)
class RegistrationDetails:
    email: str
    password: str
    forename: str
    surname: str
    postcode: str
    title: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    home_phone: str | None = None
    mobile_phone: str | None = None
    work_phone: str | None = None


@dataclass(frozen=True)
class ConsentGiven:
    """The agreement as the session kept it: which statement, and when the box was ticked."""

    version: int
    at: datetime


def _send_activation(db: Session, user: User, settings: AccountSettings) -> None:
    secret = tokens.issue_link_token(db, user, TokenPurpose.ACTIVATION, settings.activation_link)
    queue_account_email(
        db,
        "email_registration",
        to=user.email,
        settings=settings,
        language=user.language,
        name=user.full_name,
        link=settings.base_url + ACTIVATION_PATH + secret,
        hours=int(settings.activation_link.total_seconds() // 3600),
        new_link_page=settings.base_url + NEW_ACTIVATION_LINK_PATH,
    )


def _tell_owner(db: Session, owner: User, settings: AccountSettings, client_address: str | None) -> None:
    queue_account_email(
        db,
        "email_registration_existing",
        to=owner.email,
        settings=settings,
        language=owner.language,
        name=owner.full_name,
        sign_in_link=settings.base_url + SIGN_IN_PATH,
        reset_link=settings.base_url + FORGOTTEN_PASSWORD_PATH,
    )
    audit.record(db, "registration_with_existing_email", actor_id=owner.id, client_address=client_address)


def register(
    db: Session,
    details: RegistrationDetails,
    consent: ConsentGiven,
    client_address: str | None,
    settings: AccountSettings,
    language: str = "en",
) -> None:
    """Create a pending account with its consent record and activation email, or tell the address's owner.

    `language` is the one the person registered in: the account, and so its emails, start in it.
    """
    statement = statement_by_version(db, consent.version)
    if statement is None:
        raise ValueError(f"no consent statement version {consent.version}")
    password_hash = hash_password(details.password)  # the same work whether or not the address is taken
    existing = find_open_account(db, details.email)
    if existing is not None:
        _tell_owner(db, existing, settings, client_address)
        db.commit()
        return
    email = details.email.strip()
    user = User(
        email=email,
        email_normalised=normalise_email(email),
        password_hash=password_hash,
        role=Role.PARENT,
        status=AccountStatus.PENDING,
        title=details.title or None,
        forename=details.forename.strip(),
        surname=details.surname.strip(),
        postcode=details.postcode.strip().upper(),
        address_line_1=details.address_line_1 or None,
        address_line_2=details.address_line_2 or None,
        town=details.town or None,
        home_phone=details.home_phone or None,
        mobile_phone=details.mobile_phone or None,
        work_phone=details.work_phone or None,
        language=language,
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError:  # the same address registered at the same moment in another request
        db.rollback()
        existing = find_open_account(db, details.email)
        if existing is not None:
            _tell_owner(db, existing, settings, client_address)
            db.commit()
        return
    add_agreement(db, user, statement, at=consent.at, client_address=client_address)
    _send_activation(db, user, settings)
    audit.record(db, "registered", actor_id=user.id, client_address=client_address)
    db.commit()


class ActivationResult(enum.Enum):
    ACTIVATED = "activated"
    ALREADY_ACTIVE = "already_active"
    INVALID = "invalid"  # unknown, expired, or the account was closed


def activate(db: Session, secret: str, client_address: str | None) -> ActivationResult:
    token = tokens.redeem_link_token(db, secret, TokenPurpose.ACTIVATION)
    if token is None:
        db.rollback()
        spent = (
            db.scalars(select(AccountToken).where(AccountToken.token_hash == tokens.digest(secret))).first()
            if secret and len(secret) <= 200
            else None
        )
        if spent is not None and spent.purpose is TokenPurpose.ACTIVATION and spent.user.is_active:
            return ActivationResult.ALREADY_ACTIVE
        return ActivationResult.INVALID
    user = token.user
    if user.status is not AccountStatus.PENDING:
        db.commit()
        return ActivationResult.ALREADY_ACTIVE if user.is_active else ActivationResult.INVALID
    user.status = AccountStatus.ACTIVE
    user.activated_at = utcnow()
    audit.record(db, "account_activated", actor_id=user.id, client_address=client_address)
    db.commit()
    return ActivationResult.ACTIVATED


def send_new_activation_link(db: Session, email: str, settings: AccountSettings) -> None:
    """A new link for an account still waiting for activation; nothing (and no sign of it) otherwise."""
    user = find_open_account(db, email)
    if user is not None and user.status is AccountStatus.PENDING:
        _send_activation(db, user, settings)
        db.commit()
