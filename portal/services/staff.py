"""Staff users, for administrators: the list, invitations, roles, deactivation and 2SV resets.

The rules are defined once, in `refusal`, which both decides what a person's page offers (and says
why a button is missing) and refuses the change itself:

- an administrator cannot remove their own administrator role, deactivate their own account, or reset
  their own two-step verification here (they change it in My account, with their password);
- nobody can demote or deactivate the last active administrator, so the portal always has someone who
  can manage it. The active administrators' rows are locked (SELECT ... FOR UPDATE) before they are
  counted, so on PostgreSQL two administrators demoting each other at the same moment cannot both win.

Every change is one unit of work, audited with who, when, and the person before and after. A change
asked for twice (a double POST, or two administrators doing the same thing) is made once: when the
person is already as asked, the answer is ALREADY_DONE and nothing is written. Each form carries the
`version` of the person it was shown with; when someone else changed them meanwhile, the change is
refused as STALE, so nobody acts on what they can no longer see.

Deactivating ends the person's sessions at once, and sign-in then fails with the same words as a wrong
password (`signin.CANNOT_SIGN_IN`). Resetting 2SV turns it off, forgets the app and recovery codes,
ends the sessions and emails the person: at their next sign-in the staff area asks them to set it up.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ..config import AccountSettings
from ..models import AccountStatus, AccountToken, AuditEvent, Role, TokenPurpose, User, utcnow
from ..models.base import LARGEST_ID
from ..passwords import hash_password
from ..sessions import end_sessions_of
from . import audit, tokens, two_step
from .accounts import find_open_account, normalise_email
from .invitations import current_invitation, send_invitation
from .texts import SIGN_IN_PATH, queue_account_email

STAFF_ROLES = (Role.ADMIN, Role.CASEWORKER)
LISTED_STATUSES = (AccountStatus.INVITED, AccountStatus.ACTIVE, AccountStatus.DEACTIVATED)
OBJECT_TYPE = "staff_member"
HISTORY_LENGTH = 20


class Action(enum.StrEnum):
    """What an administrator can do to a member of staff (the value is the URL's last part)."""

    MAKE_ADMIN = "make-admin"
    MAKE_CASEWORKER = "make-caseworker"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    RESET_TWO_STEP = "reset-two-step-verification"
    RESEND_INVITATION = "resend-invitation"
    CANCEL_INVITATION = "cancel-invitation"


ROLE_ACTIONS = {Role.ADMIN: Action.MAKE_ADMIN, Role.CASEWORKER: Action.MAKE_CASEWORKER}


class Refusal(enum.Enum):
    """Why a change is not made; the admin blueprint words each one (and Welsh can follow)."""

    OWN_ADMIN_ROLE = "own_admin_role"
    OWN_ACCOUNT = "own_account"
    OWN_TWO_STEP = "own_two_step"
    LAST_ADMINISTRATOR = "last_administrator"
    STALE = "stale"  # someone changed the person since the form was shown
    NOT_APPLICABLE = "not_applicable"  # e.g. reactivating someone who was never deactivated


class Result(enum.Enum):
    DONE = "done"
    ALREADY_DONE = "already_done"


@dataclass(frozen=True)
class ChangeOutcome:
    member: User
    result: Result


class ChangeRefused(ValueError):
    def __init__(self, refusal: Refusal, member: User) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.member = member


class InviteProblem(enum.Enum):
    PARENT_ACCOUNT = "parent_account"  # a parent's account never silently becomes a staff account
    ALREADY_INVITED = "already_invited"
    ALREADY_STAFF = "already_staff"
    DEACTIVATED_STAFF = "deactivated_staff"


class InviteRefused(ValueError):
    """The address belongs to an account already; `member` is the staff account it is, if it is one."""

    def __init__(self, problem: InviteProblem, member: User | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.member = member


@dataclass(frozen=True)
class Invitee:
    forename: str
    surname: str
    email: str
    role: Role


@dataclass(frozen=True)
class InviteOutcome:
    member: User
    result: Result


# -- the rules ---------------------------------------------------------------------------------------


def version_of(member: User) -> str:
    """A fingerprint of what an administrator acts on; a form shown with another one is stale."""
    seen = f"{member.id}|{member.role.value}|{member.status.value}|{member.two_step_method.value}"
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def applies(member: User, action: Action) -> bool:
    """Whether the action makes sense for the person as they are now."""
    status = member.status
    if action is Action.MAKE_ADMIN:
        return member.role is Role.CASEWORKER and status in LISTED_STATUSES
    if action is Action.MAKE_CASEWORKER:
        return member.role is Role.ADMIN and status in LISTED_STATUSES
    if action is Action.DEACTIVATE:
        return status is AccountStatus.ACTIVE
    if action is Action.REACTIVATE:
        return status is AccountStatus.DEACTIVATED
    if action is Action.RESET_TWO_STEP:
        return member.has_two_step and status in (AccountStatus.ACTIVE, AccountStatus.DEACTIVATED)
    return status is AccountStatus.INVITED  # re-send or cancel an invitation


def refusal(actor_id: int, member: User, action: Action, active_administrators: int) -> Refusal | None:
    """The staff rules: None when `actor_id` may do `action` to `member`, else why not."""
    removes_an_administrator = member.role is Role.ADMIN and (
        action is Action.MAKE_CASEWORKER or action is Action.DEACTIVATE
    )
    if member.id == actor_id:
        if action is Action.MAKE_CASEWORKER:
            return Refusal.OWN_ADMIN_ROLE
        if action is Action.DEACTIVATE:
            return Refusal.OWN_ACCOUNT
        if action is Action.RESET_TWO_STEP:
            return Refusal.OWN_TWO_STEP
    if removes_an_administrator and member.status is AccountStatus.ACTIVE and active_administrators <= 1:
        return Refusal.LAST_ADMINISTRATOR
    return None


def _already_done(member: User, action: Action, shown_invitation_id: int | None, db: Session) -> bool:
    if action is Action.MAKE_ADMIN:
        return member.role is Role.ADMIN
    if action is Action.MAKE_CASEWORKER:
        return member.role is Role.CASEWORKER
    if action is Action.DEACTIVATE:
        return member.status is AccountStatus.DEACTIVATED
    if action is Action.REACTIVATE:
        return member.status is AccountStatus.ACTIVE
    if action is Action.RESET_TWO_STEP:
        return not member.has_two_step and member.status is not AccountStatus.INVITED
    if action is Action.CANCEL_INVITATION:
        return member.status is AccountStatus.CLOSED
    # Re-sending: done already when the invitation the page showed has been replaced since.
    if member.status is not AccountStatus.INVITED or shown_invitation_id is None:
        return False
    invitation = current_invitation(db, member.id)
    return invitation is not None and invitation.id != shown_invitation_id


def _active_administrator_count(db: Session) -> int:
    return db.scalar(select(func.count()).where(User.role == Role.ADMIN, User.status == AccountStatus.ACTIVE)) or 0


def _lock_active_administrators(db: Session) -> int:
    """Lock the active administrators' rows (in id order, so two changes never deadlock) and count them."""
    locked = db.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN, User.status == AccountStatus.ACTIVE)
        .order_by(User.id)
        .with_for_update()
    ).all()
    return len(locked)


# -- reading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    member: User
    invitation_expires_at: datetime | None  # an invited person's current link

    @property
    def invitation_expired(self) -> bool:
        return self.invitation_expires_at is not None and self.invitation_expires_at <= utcnow()


def list_staff(db: Session) -> list[StaffRow]:
    """Every invited, active and deactivated member of staff, by name, in one query."""
    links = (
        select(AccountToken.user_id, func.max(AccountToken.expires_at).label("expires_at"))
        .where(AccountToken.purpose == TokenPurpose.STAFF_INVITATION, AccountToken.used_at.is_(None))
        .group_by(AccountToken.user_id)
        .subquery()
    )
    rows = db.execute(
        select(User, links.c.expires_at)
        .outerjoin(links, links.c.user_id == User.id)
        .where(User.role.in_(STAFF_ROLES), User.status.in_(LISTED_STATUSES))
        .order_by(func.lower(User.surname), func.lower(User.forename), User.id)
    ).all()
    return [StaffRow(member, expires_at) for member, expires_at in rows]


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str  # the audit action, e.g. "staff.role_changed"
    actor_name: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class StaffMemberPage:
    member: User
    version: str
    invitation: AccountToken | None
    # Each action that makes sense now, with None when it is offered or the rule that withholds it.
    actions: dict[Action, Refusal | None]
    history: list[HistoryEntry]

    @property
    def invitation_expired(self) -> bool:
        return self.invitation is not None and self.invitation.expires_at <= utcnow()

    def offered(self, action: Action) -> bool:
        return action in self.actions and self.actions[action] is None

    def withheld(self) -> list[Refusal]:
        """The rules that withhold a button, once each, in the order the buttons would appear."""
        return list(dict.fromkeys(r for r in self.actions.values() if r is not None))


def _history(db: Session, member_id: int) -> list[HistoryEntry]:
    actor = aliased(User)
    rows = db.execute(
        select(AuditEvent, actor.forename, actor.surname)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == OBJECT_TYPE, AuditEvent.object_id == str(member_id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(HISTORY_LENGTH)
    ).all()
    return [
        HistoryEntry(
            event.at,
            event.action,
            f"{forename} {surname}" if forename is not None else None,
            (event.details or {}).get("before"),
            (event.details or {}).get("after"),
        )
        for event, forename, surname in rows
    ]


def find_member(db: Session, member_id: int) -> User | None:
    if not 0 < member_id <= LARGEST_ID:
        return None
    member = db.get(User, member_id)
    if member is None or member.role not in STAFF_ROLES or member.status not in LISTED_STATUSES:
        return None
    return member


def member_page(db: Session, member_id: int, *, actor_id: int) -> StaffMemberPage | None:
    """One person as their page shows them to the administrator `actor_id`; None if not staff."""
    member = find_member(db, member_id)
    if member is None:
        return None
    administrators = _active_administrator_count(db)
    actions = {
        action: refusal(actor_id, member, action, administrators) for action in Action if applies(member, action)
    }
    invitation = current_invitation(db, member.id) if member.status is AccountStatus.INVITED else None
    return StaffMemberPage(member, version_of(member), invitation, actions, _history(db, member.id))


# -- inviting -----------------------------------------------------------------------------------------


def _snapshot(member: User) -> dict[str, str]:
    return {"role": member.role.value, "status": member.status.value, "two_step": member.two_step_method.value}


def _existing_account(db: Session, existing: User, invitee: Invitee) -> InviteOutcome:
    if not existing.role.is_staff:
        raise InviteRefused(InviteProblem.PARENT_ACCOUNT)
    if existing.status is AccountStatus.INVITED:
        invitation = current_invitation(db, existing.id)
        same = (existing.role, existing.forename, existing.surname) == (
            invitee.role,
            invitee.forename.strip(),
            invitee.surname.strip(),
        )
        if same and invitation is not None and invitation.expires_at > utcnow():
            return InviteOutcome(existing, Result.ALREADY_DONE)  # the same invitation posted twice
        raise InviteRefused(InviteProblem.ALREADY_INVITED, existing)
    if existing.status is AccountStatus.DEACTIVATED:
        raise InviteRefused(InviteProblem.DEACTIVATED_STAFF, existing)
    raise InviteRefused(InviteProblem.ALREADY_STAFF, existing)


def invite(
    db: Session, invitee: Invitee, *, actor_id: int, client_address: str | None, settings: AccountSettings
) -> InviteOutcome:
    """Create the invited account and email its link. Raises InviteRefused when the address is taken.

    An address that already has an account is never taken over: a parent's account stays a parent's
    (staff use another address, such as their work one), and an existing member of staff is managed
    from their own page (re-send the invitation, change the role, reactivate).
    """
    if invitee.role not in STAFF_ROLES:
        raise ValueError(f"not a staff role: {invitee.role}")
    email = invitee.email.strip()
    existing = find_open_account(db, email)
    if existing is not None:
        return _existing_account(db, existing, invitee)
    member = User(
        email=email,
        email_normalised=normalise_email(email),
        # Nobody knows this password: the account cannot be signed in to until the invitation is accepted.
        password_hash=hash_password(secrets.token_urlsafe(32)),
        role=invitee.role,
        status=AccountStatus.INVITED,
        forename=invitee.forename.strip(),
        surname=invitee.surname.strip(),
    )
    db.add(member)
    try:
        db.flush()
    except IntegrityError:  # the same address invited at the same moment by another request
        db.rollback()
        existing = find_open_account(db, email)
        if existing is None:
            raise
        return _existing_account(db, existing, invitee)
    invitation = send_invitation(db, member, settings)
    audit.record(
        db,
        "staff.invited",
        actor_id=actor_id,
        client_address=client_address,
        object_type=OBJECT_TYPE,
        object_id=member.id,
        before=None,
        after={
            **_snapshot(member),
            "email": member.email,
            "name": member.full_name,
            "invitation_expires_at": invitation.expires_at.isoformat(),
        },
    )
    db.commit()
    return InviteOutcome(member, Result.DONE)


# -- changing -----------------------------------------------------------------------------------------


# Each change returns what the audit record's "after" should say besides the person's state.
Details = dict[str, Any]


def _make_admin(db: Session, member: User, settings: AccountSettings) -> Details:
    member.role = Role.ADMIN
    return {}


def _make_caseworker(db: Session, member: User, settings: AccountSettings) -> Details:
    member.role = Role.CASEWORKER
    return {}


def _deactivate(db: Session, member: User, settings: AccountSettings) -> Details:
    member.status = AccountStatus.DEACTIVATED
    return {"sessions_ended": end_sessions_of(db, member.id)}


def _reactivate(db: Session, member: User, settings: AccountSettings) -> Details:
    member.status = AccountStatus.ACTIVE
    return {}


def _reset_two_step(db: Session, member: User, settings: AccountSettings) -> Details:
    two_step.clear_two_step(db, member)
    ended = end_sessions_of(db, member.id)
    queue_account_email(
        db,
        "email_staff_two_step_reset",
        to=member.email,
        settings=settings,
        language=member.language,
        name=member.full_name,
        link=settings.base_url + SIGN_IN_PATH,
    )
    return {"sessions_ended": ended}


def _resend_invitation(db: Session, member: User, settings: AccountSettings) -> Details:
    invitation = send_invitation(db, member, settings)
    return {"invitation_expires_at": invitation.expires_at.isoformat()}


def _cancel_invitation(db: Session, member: User, settings: AccountSettings) -> Details:
    member.status = AccountStatus.CLOSED  # frees the address; the row stays for the audit trail
    tokens.retire_unused(db, member, TokenPurpose.STAFF_INVITATION)
    return {}


_CHANGES: dict[Action, tuple[str, Callable[[Session, User, AccountSettings], Details]]] = {
    Action.MAKE_ADMIN: ("staff.role_changed", _make_admin),
    Action.MAKE_CASEWORKER: ("staff.role_changed", _make_caseworker),
    Action.DEACTIVATE: ("staff.deactivated", _deactivate),
    Action.REACTIVATE: ("staff.reactivated", _reactivate),
    Action.RESET_TWO_STEP: ("staff.two_step_reset", _reset_two_step),
    Action.RESEND_INVITATION: ("staff.invitation_resent", _resend_invitation),
    Action.CANCEL_INVITATION: ("staff.invitation_cancelled", _cancel_invitation),
}


def change(
    db: Session,
    action: Action,
    *,
    member_id: int,
    actor_id: int,
    version: str | None,
    client_address: str | None,
    settings: AccountSettings,
    shown_invitation_id: int | None = None,
) -> ChangeOutcome:
    """Do `action` to a member of staff, once. Raises LookupError (no such person) or ChangeRefused."""
    if not 0 < member_id <= LARGEST_ID:
        raise LookupError(member_id)
    administrators = _lock_active_administrators(db)
    member = db.scalars(
        select(User)
        .where(User.id == member_id, User.role.in_(STAFF_ROLES))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if member is None or (member.status is AccountStatus.CLOSED and action is not Action.CANCEL_INVITATION):
        db.rollback()
        raise LookupError(member_id)
    if _already_done(member, action, shown_invitation_id, db):
        db.rollback()
        return ChangeOutcome(member, Result.ALREADY_DONE)
    refused = None
    if not hmac.compare_digest((version or "").encode(), version_of(member).encode()):
        refused = Refusal.STALE
    elif not applies(member, action):
        refused = Refusal.NOT_APPLICABLE
    else:
        refused = refusal(actor_id, member, action, administrators)
    if refused is not None:
        db.rollback()
        raise ChangeRefused(refused, member)
    audit_action, make_change = _CHANGES[action]
    before = _snapshot(member)
    details = make_change(db, member, settings)
    audit.record(
        db,
        audit_action,
        actor_id=actor_id,
        client_address=client_address,
        object_type=OBJECT_TYPE,
        object_id=member.id,
        before=before,
        after={**_snapshot(member), **details},
    )
    db.commit()
    return ChangeOutcome(member, Result.DONE)
