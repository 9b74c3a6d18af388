"""Forgotten and changed passwords. A new password is never emailed; changing it ends other sessions.

Secret questions, which the portal this replaces used, are deliberately not offered: NCSC advises
against knowledge-based recovery. An emailed single-use link (1 hour by default) is the way back in.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..models import AccountStatus, TokenPurpose, User, utcnow
from ..passwords import hash_password, password_problem, verify_password
from ..sessions import end_sessions_of
from . import audit, tokens
from .accounts import AccountError, find_open_account
from .signin import CANNOT_SIGN_IN
from .texts import FORGOTTEN_PASSWORD_PATH, PASSWORD_RESET_PATH, queue_account_email


def request_reset(db: Session, email: str, client_address: str | None, settings: AccountSettings) -> None:
    """Email a reset link if the address has an account that may sign in. The caller answers the same either way.

    An invited member of staff sets their first password from the invitation link, and a deactivated one
    must not get back in through a new password, so neither is sent a reset link.
    """
    user = find_open_account(db, email)
    if user is None or user.status in CANNOT_SIGN_IN:
        return
    secret = tokens.issue_link_token(db, user, TokenPurpose.PASSWORD_RESET, settings.password_reset_link)
    queue_account_email(
        db,
        "email_password_forgotten",
        to=user.email,
        settings=settings,
        language=user.language,
        name=user.full_name,
        link=settings.base_url + PASSWORD_RESET_PATH + secret,
        minutes=int(settings.password_reset_link.total_seconds() // 60),
    )
    audit.record(db, "password_reset_requested", actor_id=user.id, client_address=client_address)
    db.commit()


def reset_link_is_usable(db: Session, secret: str) -> bool:
    return tokens.find_usable(db, secret, TokenPurpose.PASSWORD_RESET) is not None


def _password_changed(db: Session, user: User, password: str, client_address: str | None, settings, action: str):
    user.password_hash = hash_password(password)
    end_sessions_of(db, user.id)
    audit.record(db, action, actor_id=user.id, client_address=client_address)
    queue_account_email(
        db,
        "email_password_changed",
        to=user.email,
        settings=settings,
        language=user.language,
        name=user.full_name,
        reset_link=settings.base_url + FORGOTTEN_PASSWORD_PATH,
    )


def reset_password(
    db: Session, secret: str, new_password: str, client_address: str | None, settings: AccountSettings
) -> User:
    """Set a new password from a reset link; every session of the account ends. Raises AccountError."""
    problem = password_problem(new_password, settings.password_min_length)
    if problem:
        raise AccountError(problem)
    token = tokens.redeem_link_token(db, secret, TokenPurpose.PASSWORD_RESET)
    if token is None or token.user.status is AccountStatus.CLOSED or token.user.status in CANNOT_SIGN_IN:
        db.rollback()
        raise AccountError("This link has expired or has already been used")
    user = token.user
    if user.status is AccountStatus.PENDING:
        # The link reached the address's owner: that is what activation proves too.
        user.status = AccountStatus.ACTIVE
        user.activated_at = utcnow()
    _password_changed(db, user, new_password, client_address, settings, "password_reset")
    db.commit()
    return user


def change_password(
    db: Session, user: User, current: str, new_password: str, client_address: str | None, settings: AccountSettings
) -> None:
    """Change the password of a signed-in account; its other sessions end (the caller renews its own)."""
    if not verify_password(user.password_hash, current):
        audit.record(db, "password_check_failed", actor_id=user.id, client_address=client_address)
        db.commit()
        raise AccountError("Your current password is incorrect", field="current_password")
    problem = password_problem(new_password, settings.password_min_length)
    if problem:
        raise AccountError(problem, field="new_password")
    _password_changed(db, user, new_password, client_address, settings, "password_changed")
    db.commit()
