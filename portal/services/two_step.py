"""Two-step verification (2SV): a code by email, or an authenticator app (TOTP) with recovery codes.

The numbers (code length, validity, attempts before the lock, length of the lock) come from
`AccountSettings` (portal/config.py). Every wrong code counts towards the lock, whichever method; the
counter and the lock are changed with conditional UPDATEs so parallel guesses cannot slip past them.
pyotp's own `verify()` would accept one TOTP code twice inside its window, so the last accepted time
step is stored and a code whose step is not newer is refused.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..models import RecoveryCode, TwoStepMethod, User, utcnow
from ..passwords import verify_password
from . import audit
from .accounts import AccountError
from .signin import is_locked, record_sign_in, send_sign_in_code
from .texts import queue_account_email
from .tokens import redeem_code

__all__ = ["send_sign_in_code"]  # re-exported: the verify page's "send a new code"

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy from paper
TOTP_DRIFT_STEPS = 1  # accept the previous and next 30-second step: phone clocks drift

METHOD_DESCRIPTIONS = {
    TwoStepMethod.NONE: "turned off",
    TwoStepMethod.EMAIL: "a code sent by email",
    TwoStepMethod.APP: "an authenticator app",
}


class CodeResult(enum.Enum):
    ACCEPTED = "accepted"
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass(frozen=True)
class CodeOutcome:
    result: CodeResult
    first_sign_in: bool = False
    used_recovery_code: bool = False
    recovery_codes_left: int | None = None


# -- authenticator apps ----------------------------------------------------------------------------


def new_app_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_name: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def qr_code_svg(uri: str, title: str) -> str:
    """The set-up QR code as an inline SVG element (no script, no external image: the CSP stays strict)."""
    return segno.make(uri, error="m").svg_inline(scale=4, title=title, border=4, svgclass="app-qr-code")


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _accept_app_code(db: Session, user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, utcnow())
    if step is None:
        return False
    won = db.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    ).rowcount
    return won == 1


# -- recovery codes ------------------------------------------------------------------------------


def _normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _recovery_digest(code: str) -> str:
    return hashlib.sha256(f"recovery:{_normalise_recovery_code(code)}".encode()).hexdigest()


def _new_recovery_codes(db: Session, user: User) -> list[str]:
    db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.add(RecoveryCode(user_id=user.id, code_hash=_recovery_digest(raw)))
    return codes


def _use_recovery_code(db: Session, user: User, code: str) -> bool:
    normalised = _normalise_recovery_code(code)
    if len(normalised) != 10:
        return False
    won = db.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_digest(normalised),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    return won == 1


def recovery_codes_left(db: Session, user: User) -> int:
    return db.scalar(select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# -- the second step of signing in -------------------------------------------------------------


def _count_failure(db: Session, user: User, client_address: str | None, settings: AccountSettings) -> CodeResult:
    db.execute(update(User).where(User.id == user.id).values(two_step_failures=User.two_step_failures + 1))
    audit.record(db, "two_step_failed", actor_id=user.id, client_address=client_address)
    locked = db.execute(
        update(User)
        .where(User.id == user.id, User.two_step_failures >= settings.max_code_attempts)
        .values(two_step_failures=0, two_step_locked_until=utcnow() + settings.lock_duration)
    ).rowcount
    if locked:
        audit.record(
            db,
            "account_locked",
            actor_id=user.id,
            client_address=client_address,
            minutes=int(settings.lock_duration.total_seconds() // 60),
        )
    db.commit()
    db.refresh(user)
    return CodeResult.LOCKED if locked else CodeResult.INVALID


def verify_sign_in(
    db: Session, user: User, code: str, client_address: str | None, settings: AccountSettings
) -> CodeOutcome:
    """Check the code given at sign-in; on success the sign-in is recorded in the same unit of work."""
    db.refresh(user)
    if is_locked(user):
        return CodeOutcome(CodeResult.LOCKED)
    used_recovery = False
    if user.two_step_method is TwoStepMethod.EMAIL:
        accepted = redeem_code(db, user, code)
    elif user.two_step_method is TwoStepMethod.APP:
        accepted = _accept_app_code(db, user, code)
        if not accepted:
            accepted = used_recovery = _use_recovery_code(db, user, code)
    else:
        accepted = False
    if not accepted:
        return CodeOutcome(_count_failure(db, user, client_address, settings))
    user.two_step_failures = 0
    if used_recovery:
        audit.record(db, "recovery_code_used", actor_id=user.id, client_address=client_address)
    first = record_sign_in(db, user, client_address)
    db.commit()
    left = recovery_codes_left(db, user) if used_recovery else None
    return CodeOutcome(CodeResult.ACCEPTED, first, used_recovery, left)


# -- choosing a method in My account ---------------------------------------------------------------


@dataclass(frozen=True)
class MethodChange:
    """What a change of method led to: done, or an app secret waiting for its first code."""

    method: TwoStepMethod
    pending_app_secret: str | None = None
    recovery_codes: list[str] = field(default_factory=list)


def _announce_change(db: Session, user: User, client_address: str | None, settings: AccountSettings) -> None:
    audit.record(
        db, "two_step_changed", actor_id=user.id, client_address=client_address, method=user.two_step_method.value
    )
    queue_account_email(
        db,
        "email_two_step_changed",
        to=user.email,
        settings=settings,
        language=user.language,
        name=user.full_name,
        method=METHOD_DESCRIPTIONS[user.two_step_method],
    )


def change_method(
    db: Session,
    user: User,
    method: TwoStepMethod,
    password: str,
    client_address: str | None,
    settings: AccountSettings,
) -> MethodChange:
    """Turn 2SV to `method` after checking the password again. An app needs one code first (`confirm_app`)."""
    if not verify_password(user.password_hash, password):
        audit.record(db, "password_check_failed", actor_id=user.id, client_address=client_address)
        db.commit()
        raise AccountError("Your password is incorrect")
    if method is TwoStepMethod.NONE and user.role.is_staff:
        raise AccountError("Staff accounts must use two-step verification")
    if method is TwoStepMethod.APP:
        return MethodChange(TwoStepMethod.APP, pending_app_secret=new_app_secret())
    return _switch_without_app(db, user, method, client_address, settings)


def _forget_app(db: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _switch_without_app(
    db: Session, user: User, method: TwoStepMethod, client_address: str | None, settings: AccountSettings
) -> MethodChange:
    user.two_step_method = method
    _forget_app(db, user)
    _announce_change(db, user, client_address, settings)
    db.commit()
    return MethodChange(method)


def use_email_codes(db: Session, user: User, client_address: str | None, settings: AccountSettings) -> MethodChange:
    """Turn on codes by email without asking for the password again.

    Only for someone who has just proven both: a member of staff accepting an invitation set their
    password a moment ago, with the emailed link that proves the address the codes will go to.
    """
    return _switch_without_app(db, user, TwoStepMethod.EMAIL, client_address, settings)


def clear_two_step(db: Session, user: User) -> None:
    """An administrator's reset: 2SV off, the app's secret, recovery codes and any lock forgotten.

    Someone who lost their phone (or is locked out) sets it up afresh at their next sign-in. The
    caller's unit of work commits, with its audit record and the notice it emails.
    """
    user.two_step_method = TwoStepMethod.NONE
    user.two_step_failures = 0
    user.two_step_locked_until = None
    _forget_app(db, user)


def confirm_app(
    db: Session, user: User, secret: str, code: str, client_address: str | None, settings: AccountSettings
) -> MethodChange:
    """Switch to the app once it has produced one valid code; returns the recovery codes, shown once."""
    step = _matching_step(secret, code, utcnow())
    if step is None:
        raise AccountError("Enter the 6-digit code your authenticator app shows now")
    user.two_step_method = TwoStepMethod.APP
    user.totp_secret = secret
    user.totp_last_step = step  # the confirming code cannot then be replayed at sign-in
    codes = _new_recovery_codes(db, user)
    _announce_change(db, user, client_address, settings)
    db.commit()
    return MethodChange(TwoStepMethod.APP, recovery_codes=codes)
