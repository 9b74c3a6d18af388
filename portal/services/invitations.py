"""Accepting an invitation to the staff area: the emailed link, a password, then two-step verification.

An administrator's invitation (`portal.services.staff.invite`) creates an account in the INVITED state,
with the role chosen and a password nobody knows, and emails a single-use link (stored hashed, like
every link in `tokens`) that expires after STAFF_INVITATION_LINK_HOURS. Opening it, the person sets a
password under the same policy as parents (`portal.passwords`); the link is then used up and the
account is ACTIVE. Before they can enter the staff area they set up two-step verification with the
same functions parents use (`two_step.confirm_app`, or codes by email), and only then are they signed
in. Someone who stops half-way signs in later with their password and meets the staff area's usual
"set up two-step verification first" page: nobody reaches staff pages without 2SV.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..models import AccountStatus, AccountToken, TokenPurpose, User, utcnow
from ..passwords import hash_password, password_problem
from . import audit, tokens, two_step
from .accounts import AccountError
from .signin import record_sign_in
from .texts import queue_account_email

# The admin blueprint serves the invitation's pages here (admin/invitation.py).
STAFF_INVITATION_PATH = "/admin/invitation/"
# How long, after setting a password, the person's browser may go on to set up 2SV without signing in.
SET_UP_WINDOW = timedelta(minutes=30)

ROLE_IN_EMAILS = {"admin": "an administrator", "caseworker": "a caseworker"}


class InvitationUnusable(LookupError):
    """The link is unknown, used, expired, or its invitation was cancelled."""


def link_hours(settings: AccountSettings) -> int:
    return int(settings.staff_invitation_link.total_seconds() // 3600)


def send_invitation(db: Session, member: User, settings: AccountSettings) -> AccountToken:
    """Issue a fresh link (earlier ones stop working) and queue its email; the caller commits."""
    secret = tokens.issue_link_token(db, member, TokenPurpose.STAFF_INVITATION, settings.staff_invitation_link)
    queue_account_email(
        db,
        "email_staff_invitation",
        to=member.email,
        settings=settings,
        language=member.language,
        name=member.full_name,
        role=ROLE_IN_EMAILS[member.role.value],
        link=settings.base_url + STAFF_INVITATION_PATH + secret,
        hours=link_hours(settings),
    )
    db.flush()
    return current_invitation(db, member.id)  # type: ignore[return-value]


def current_invitation(db: Session, member_id: int) -> AccountToken | None:
    """The invitation whose link works (or worked until it expired): issuing one retires the others."""
    return db.scalars(
        select(AccountToken)
        .where(
            AccountToken.user_id == member_id,
            AccountToken.purpose == TokenPurpose.STAFF_INVITATION,
            AccountToken.used_at.is_(None),
        )
        .order_by(AccountToken.id.desc())
    ).first()


def invited_person(db: Session, secret: str) -> User | None:
    """Whom the link invites, while it can still be used (showing the page uses nothing up)."""
    token = tokens.find_usable(db, secret, TokenPurpose.STAFF_INVITATION)
    if token is None or token.user.status is not AccountStatus.INVITED or not token.user.role.is_staff:
        return None
    return token.user


def accept(db: Session, secret: str, password: str, client_address: str | None, settings: AccountSettings) -> User:
    """Set the invited person's password and use the link up. Raises AccountError or InvitationUnusable."""
    problem = password_problem(password, settings.password_min_length)
    if problem:
        raise AccountError(problem, field="password")
    token = tokens.redeem_link_token(db, secret, TokenPurpose.STAFF_INVITATION)
    if token is None or token.user.status is not AccountStatus.INVITED or not token.user.role.is_staff:
        db.rollback()
        raise InvitationUnusable()
    member = token.user
    member.password_hash = hash_password(password)
    member.status = AccountStatus.ACTIVE
    member.activated_at = utcnow()
    audit.record(
        db,
        "staff.invitation_accepted",
        actor_id=member.id,
        client_address=client_address,
        object_type="staff_member",
        object_id=member.id,
        before={"status": AccountStatus.INVITED.value},
        after={"status": AccountStatus.ACTIVE.value},
    )
    db.commit()
    return member


def person_setting_up(db: Session, member_id: object) -> User | None:
    """The person who accepted an invitation in this browser and has still to set up 2SV, if any."""
    if not isinstance(member_id, int):
        return None
    member = db.get(User, member_id)
    if member is None or member.status is not AccountStatus.ACTIVE or not member.role.is_staff:
        return None
    return None if member.has_two_step else member


def _signed_in(db: Session, member: User, client_address: str | None) -> None:
    record_sign_in(db, member, client_address)
    db.commit()


def finish_with_email_codes(db: Session, member: User, client_address: str | None, settings: AccountSettings) -> None:
    """Codes by email from now on (the link proved the address), and the person is signed in."""
    two_step.use_email_codes(db, member, client_address, settings)
    _signed_in(db, member, client_address)


def finish_with_app(
    db: Session, member: User, secret: str, code: str, client_address: str | None, settings: AccountSettings
) -> list[str]:
    """The authenticator app, once it has shown one right code; returns the recovery codes (shown once).

    Raises AccountError for a wrong code. The person is signed in.
    """
    change = two_step.confirm_app(db, member, secret, code, client_address, settings)
    _signed_in(db, member, client_address)
    return change.recovery_codes
