"""Checking a sign-in attempt. One answer for every kind of failure, so nobody learns who has an account."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..models import AccountStatus, TwoStepMethod, User, utcnow
from ..passwords import hash_password, needs_rehash, verify_password
from . import audit, tokens
from .accounts import find_open_account
from .texts import queue_account_email


class SignInStatus(enum.Enum):
    SIGNED_IN = "signed_in"
    NEEDS_SECOND_STEP = "needs_second_step"  # password right; two-step verification still to do
    FAILED = "failed"  # the one generic answer: unknown email, wrong password, closed account
    NOT_ACTIVATED = "not_activated"  # password right, email address not confirmed yet
    LOCKED = "locked"  # password right, but too many wrong codes recently


# Open accounts that never sign in: a staff invitation not yet accepted, a deactivated member of staff.
CANNOT_SIGN_IN = frozenset({AccountStatus.INVITED, AccountStatus.DEACTIVATED})


@dataclass(frozen=True)
class SignInOutcome:
    status: SignInStatus
    user: User | None = None
    first_sign_in: bool = False


def is_locked(user: User) -> bool:
    return user.two_step_locked_until is not None and user.two_step_locked_until > utcnow()


def record_sign_in(db: Session, user: User, client_address: str | None) -> bool:
    """Mark the account signed in (in the caller's unit of work). True when this is its first sign-in."""
    first = user.last_signed_in_at is None
    user.last_signed_in_at = utcnow()
    audit.record(db, "sign_in", actor_id=user.id, client_address=client_address, method=user.two_step_method.value)
    return first


def send_sign_in_code(db: Session, user: User, settings: AccountSettings) -> None:
    """Email a fresh two-step verification code (the previous one stops working)."""
    code = tokens.issue_code(db, user, settings.code_digits, settings.code_valid)
    queue_account_email(
        db,
        "email_two_step_code",
        to=user.email,
        settings=settings,
        language=user.language,
        name=user.full_name,
        code=code,
        minutes=int(settings.code_valid.total_seconds() // 60),
    )
    db.commit()


def check_password(
    db: Session, email: str, password: str, client_address: str | None, settings: AccountSettings
) -> SignInOutcome:
    """The first step of signing in. Records success and failure in the audit log, never the password.

    Only someone who knows the password learns that the account waits for activation or is locked.
    When the account uses codes by email, the code is sent now.
    """
    user = find_open_account(db, email)
    # verify_password hashes against a dummy when there is no account: the same time either way.
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid:
        audit.record(db, "sign_in_failed", actor_id=user.id if user else None, client_address=client_address)
        db.commit()
        return SignInOutcome(SignInStatus.FAILED)
    if user.status in CANNOT_SIGN_IN:
        # The same answer as a wrong password: nobody learns that the account exists or was deactivated.
        audit.record(db, "sign_in_failed", actor_id=user.id, client_address=client_address, reason=user.status.value)
        db.commit()
        return SignInOutcome(SignInStatus.FAILED)
    if user.status is AccountStatus.PENDING:
        audit.record(db, "sign_in_failed", actor_id=user.id, client_address=client_address, reason="not_activated")
        db.commit()
        return SignInOutcome(SignInStatus.NOT_ACTIVATED, user)
    if is_locked(user):
        audit.record(db, "sign_in_failed", actor_id=user.id, client_address=client_address, reason="locked")
        db.commit()
        return SignInOutcome(SignInStatus.LOCKED, user)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if user.has_two_step:
        audit.record(db, "sign_in_password_accepted", actor_id=user.id, client_address=client_address)
        db.commit()
        if user.two_step_method is TwoStepMethod.EMAIL:
            send_sign_in_code(db, user, settings)
        return SignInOutcome(SignInStatus.NEEDS_SECOND_STEP, user)
    first = record_sign_in(db, user, client_address)
    db.commit()
    return SignInOutcome(SignInStatus.SIGNED_IN, user, first_sign_in=first)
