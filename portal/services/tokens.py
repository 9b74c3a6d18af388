"""Single-use secrets sent by email: links (activation, password reset, change of email) and codes.

The secret itself only ever exists in the email; the database keeps its SHA-256. Redeeming is one
conditional UPDATE (`used_at IS NULL AND expires_at > now`), so two clicks at once use a token once.
Issuing a new token of a purpose retires the account's earlier unused ones of that purpose.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import AccountToken, TokenPurpose, User, utcnow

_LINK_TOKEN_BYTES = 32
_MAX_LENGTH = 200


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _code_digest(user_id: int, code: str) -> str:
    # Codes are short: tying the digest to the account means one account's code is useless for another.
    return digest(f"code:{user_id}:{code}")


def _without_spaces(code: str) -> str:
    return "".join(code.split())


def retire_unused(db: Session, user: User, purpose: TokenPurpose) -> None:
    """Make the account's unused tokens of `purpose` unusable (a cancelled invitation). The caller commits."""
    db.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def issue_link_token(
    db: Session, user: User, purpose: TokenPurpose, lifetime: timedelta, new_email: str | None = None
) -> str:
    """A fresh URL-safe secret for a link; the caller's unit of work commits it with its email."""
    retire_unused(db, user, purpose)
    secret = secrets.token_urlsafe(_LINK_TOKEN_BYTES)
    db.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=digest(secret),
            new_email=new_email,
            expires_at=utcnow() + lifetime,
        )
    )
    return secret


def issue_code(db: Session, user: User, digits: int, lifetime: timedelta) -> str:
    """A fresh numeric code (the emailed 2SV code), replacing any earlier one."""
    retire_unused(db, user, TokenPurpose.SIGN_IN_CODE)
    code = f"{secrets.randbelow(10**digits):0{digits}d}"
    db.add(
        AccountToken(
            user_id=user.id,
            purpose=TokenPurpose.SIGN_IN_CODE,
            token_hash=_code_digest(user.id, code),
            expires_at=utcnow() + lifetime,
        )
    )
    return code


def _usable(token_hash: str, purpose: TokenPurpose):
    return (
        (AccountToken.token_hash == token_hash)
        & (AccountToken.purpose == purpose)
        & AccountToken.used_at.is_(None)
        & (AccountToken.expires_at > utcnow())
    )


def find_usable(db: Session, secret: str, purpose: TokenPurpose) -> AccountToken | None:
    """The token a link carries, if it can still be used (without using it: for showing a form)."""
    if not secret or len(secret) > _MAX_LENGTH:
        return None
    return db.scalars(select(AccountToken).where(_usable(digest(secret), purpose))).first()


def redeem_link_token(db: Session, secret: str, purpose: TokenPurpose) -> AccountToken | None:
    """Use the token once: the token, or None if unknown, used or expired. The caller commits."""
    token = find_usable(db, secret, purpose)
    if token is None:
        return None
    won = db.execute(
        update(AccountToken).where(AccountToken.id == token.id, AccountToken.used_at.is_(None)).values(used_at=utcnow())
    ).rowcount
    return token if won == 1 else None


def redeem_code(db: Session, user: User, code: str) -> bool:
    """True when `code` is the account's current unexpired 2SV code; it is then used up. The caller commits."""
    code = _without_spaces(code)
    if not code.isdigit() or len(code) > 12:
        return False
    won = db.execute(
        update(AccountToken)
        .where(_usable(_code_digest(user.id, code), TokenPurpose.SIGN_IN_CODE), AccountToken.user_id == user.id)
        .values(used_at=utcnow())
    ).rowcount
    return won == 1
