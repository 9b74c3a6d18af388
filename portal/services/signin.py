"""Checking a sign-in attempt. One answer for every kind of failure, so nobody learns who has an account."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import User, utcnow
from ..passwords import hash_password, needs_rehash, verify_password
from . import audit
from .accounts import find_open_account


def authenticate(db: Session, email: str, password: str, client_address: str | None) -> User | None:
    """The active account for these credentials, or None. Records success and failure in the audit log."""
    user = find_open_account(db, email)
    # verify_password hashes against a dummy when there is no account: the same time either way.
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        audit.record(db, "sign_in_failed", actor_id=user.id if user else None, client_address=client_address)
        db.commit()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_signed_in_at = utcnow()
    audit.record(db, "sign_in", actor_id=user.id, client_address=client_address)
    db.commit()
    return user
