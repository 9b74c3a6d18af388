"""Consent withdrawals, for administrators: who is told of each one, and the council's record of acting.

When a parent withdraws consent (`consent.withdraw`) their account is closed and every address on the
withdrawal alert list is emailed the account reference and a link to the withdrawal here, never the
person's name or email address. An administrator then decides what happens to what the council holds
(the page counts the applications, children and uploads) and marks the withdrawal as actioned, with a
note: who, when and what, once. The database refuses a second action for the same withdrawal, so two
administrators acting at once cannot both record one.

The alert list and the CONSENT_WITHDRAWAL_ALERT_EMAILS setting ("seed", not "union"): until an
administrator first changes the list, the setting's addresses are the list. The first change copies
them into the database (marked as from the configuration) and from then on only the database list
counts, so an administrator can remove an address the installer set, and emptying the list on purpose
is respected rather than silently refilled from the environment.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ..models import (
    Application,
    Child,
    ConsentAction,
    ConsentRecord,
    ConsentStatement,
    Upload,
    User,
    WithdrawalAction,
    WithdrawalAlertRecipient,
    utcnow,
)
from . import audit
from .gdpr_errors import GdprError, Problem, ProblemCode, refuse

# The staff-area page of one withdrawal (the admin blueprint serves it); alert emails link to it.
WITHDRAWAL_PATH = "/admin/gdpr/withdrawals/"
EMAIL_MAX_LENGTH = 320  # RFC 5321's limit, and the column's length
NOTE_MAX_LENGTH = 2_000
PAGE_SIZE = 50

# Deliberately loose (one @, something on each side, a dot in the domain, no spaces): the real test of
# an address is whether mail arrives, and a strict pattern refuses real addresses.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- the alert list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertRecipient:
    email: str
    from_configuration: bool
    added_at: datetime | None  # None while the list is still the configuration's
    added_by: str  # the administrator's name; empty for the configuration


@dataclass(frozen=True)
class AlertList:
    recipients: list[AlertRecipient]
    managed: bool  # False while the list is still the CONSENT_WITHDRAWAL_ALERT_EMAILS setting


def _is_managed(db: Session) -> bool:
    """True once the list has been changed here (a removed address keeps its row, so this stays true)."""
    return db.scalar(select(WithdrawalAlertRecipient.id).limit(1)) is not None


def alert_list(db: Session, configured: Sequence[str]) -> AlertList:
    """The addresses told of each withdrawal, in the order they were added (two queries at most)."""
    adder = aliased(User)
    rows = db.execute(
        select(WithdrawalAlertRecipient, adder.forename, adder.surname)
        .outerjoin(adder, adder.id == WithdrawalAlertRecipient.added_by_id)
        .where(WithdrawalAlertRecipient.removed_at.is_(None))
        .order_by(WithdrawalAlertRecipient.added_at, WithdrawalAlertRecipient.id)
    ).all()
    if rows or _is_managed(db):
        return AlertList(
            [AlertRecipient(r.email, r.from_configuration, r.added_at, f"{f} {s}" if f else "") for r, f, s in rows],
            managed=True,
        )
    return AlertList([AlertRecipient(a, True, None, "") for a in _unique(configured)], managed=False)


def alert_addresses(db: Session, configured: Sequence[str]) -> list[str]:
    """Where a withdrawal alert goes: the managed list, or the configuration until there is one."""
    return [r.email for r in alert_list(db, configured).recipients]


def _unique(addresses: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(normalise_email(address), address.strip())
    return list(seen.values())


def _start_managing(db: Session, configured: Sequence[str], actor_id: int | None) -> None:
    """The first change to the list: copy the configuration's addresses in, so none is lost."""
    if _is_managed(db):
        return
    for address in _unique(configured):
        db.add(
            WithdrawalAlertRecipient(
                email=address, email_normalised=normalise_email(address), from_configuration=True,
                added_by_id=actor_id,
            )
        )  # fmt: skip
    db.flush()


def check_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise refuse("email", ProblemCode.EMAIL_MISSING)
    if len(email) > EMAIL_MAX_LENGTH:
        raise refuse("email", ProblemCode.EMAIL_TOO_LONG, max=EMAIL_MAX_LENGTH)
    if not _EMAIL.fullmatch(email):
        raise refuse("email", ProblemCode.EMAIL_FORMAT)
    return email


def _current(db: Session, normalised: str) -> WithdrawalAlertRecipient | None:
    return db.scalars(
        select(WithdrawalAlertRecipient).where(
            WithdrawalAlertRecipient.email_normalised == normalised, WithdrawalAlertRecipient.removed_at.is_(None)
        )
    ).first()


def add_alert_recipient(
    db: Session, email: str, *, configured: Sequence[str], actor_id: int, client_address: str | None
) -> str:
    """Put an address on the list (audited). An address already there is refused, so a double post
    adds it once."""
    email = check_email(email)
    normalised = normalise_email(email)
    _start_managing(db, configured, actor_id)
    if _current(db, normalised) is not None:
        db.rollback()
        raise refuse("email", ProblemCode.EMAIL_ALREADY_LISTED, email=email)
    recipient = WithdrawalAlertRecipient(email=email, email_normalised=normalised, added_by_id=actor_id)
    db.add(recipient)
    try:
        db.flush()
    except IntegrityError:  # another administrator added it a moment ago
        db.rollback()
        raise refuse("email", ProblemCode.EMAIL_ALREADY_LISTED, email=email) from None
    audit.record(
        db, "gdpr.alert_recipient_added", actor_id=actor_id, client_address=client_address,
        object_type="withdrawal_alert_recipient", object_id=recipient.id, before=None, after={"email": email},
    )  # fmt: skip
    db.commit()
    return email


def remove_alert_recipient(
    db: Session, email: str, *, configured: Sequence[str], actor_id: int, client_address: str | None
) -> bool:
    """Take an address off the list (audited). False when it was not on it (a repeated post)."""
    _start_managing(db, configured, actor_id)
    recipient = _current(db, normalise_email(email or ""))
    if recipient is None:
        db.commit()  # the list is managed from now on, even if this removal found nothing
        return False
    recipient.removed_at = utcnow()
    recipient.removed_by_id = actor_id
    audit.record(
        db, "gdpr.alert_recipient_removed", actor_id=actor_id, client_address=client_address,
        object_type="withdrawal_alert_recipient", object_id=recipient.id, before={"email": recipient.email},
        after=None,
    )  # fmt: skip
    db.commit()
    return True


# --- withdrawals and "mark as actioned" ----------------------------------------------------------------


class WithdrawalFilter(enum.Enum):
    NOT_ACTIONED = "not-actioned"
    ACTIONED = "actioned"
    ALL = "all"

    @classmethod
    def parse(cls, value: str | None) -> WithdrawalFilter:
        try:
            return cls(value or cls.NOT_ACTIONED.value)
        except ValueError:
            return cls.NOT_ACTIONED


@dataclass(frozen=True)
class Holdings:
    """What the council still holds from the account: the figures an administrator acts on."""

    applications: int
    children: int
    uploads: int


@dataclass(frozen=True)
class Withdrawal:
    id: int  # the consent record's id
    account_reference: int  # the account's id, as in the alert email
    name: str
    email: str
    withdrawn_at: datetime
    statement_version: int
    holdings: Holdings
    actioned_at: datetime | None
    actioned_by: str
    note: str

    @property
    def is_actioned(self) -> bool:
        return self.actioned_at is not None


@dataclass(frozen=True)
class WithdrawalPage:
    rows: list[Withdrawal]
    chosen: WithdrawalFilter
    counts: dict[WithdrawalFilter, int]
    page: int
    pages: int


def _withdrawals_query():
    """Each withdrawal with its holdings and action in one statement: correlated counts, not a query
    per row, so a list page costs the same however many rows it shows."""
    actor = aliased(User)
    applications = (
        select(func.count(Application.id)).where(Application.user_id == ConsentRecord.user_id).scalar_subquery()
    )
    children = select(func.count(Child.id)).where(Child.parent_id == ConsentRecord.user_id).scalar_subquery()
    uploads = select(func.count(Upload.id)).where(Upload.user_id == ConsentRecord.user_id).scalar_subquery()
    return (
        select(
            ConsentRecord.id,
            ConsentRecord.user_id,
            ConsentRecord.at,
            ConsentStatement.version,
            User.forename,
            User.surname,
            User.email,
            applications.label("applications"),
            children.label("children"),
            uploads.label("uploads"),
            WithdrawalAction.actioned_at,
            WithdrawalAction.note,
            actor.forename.label("actor_forename"),
            actor.surname.label("actor_surname"),
        )
        .join(ConsentStatement, ConsentStatement.id == ConsentRecord.statement_id)
        .join(User, User.id == ConsentRecord.user_id)
        .outerjoin(WithdrawalAction, WithdrawalAction.consent_record_id == ConsentRecord.id)
        .outerjoin(actor, actor.id == WithdrawalAction.actioned_by_id)
        .where(ConsentRecord.action == ConsentAction.WITHDRAWN)
    )


def _row(r) -> Withdrawal:
    return Withdrawal(
        id=r.id,
        account_reference=r.user_id,
        name=f"{r.forename} {r.surname}",
        email=r.email,
        withdrawn_at=r.at,
        statement_version=r.version,
        holdings=Holdings(r.applications, r.children, r.uploads),
        actioned_at=r.actioned_at,
        actioned_by=f"{r.actor_forename} {r.actor_surname}" if r.actor_forename else "",
        note=r.note or "",
    )


def withdrawal_counts(db: Session) -> dict[WithdrawalFilter, int]:
    total, actioned = db.execute(
        select(func.count(ConsentRecord.id), func.count(WithdrawalAction.id))
        .outerjoin(WithdrawalAction, WithdrawalAction.consent_record_id == ConsentRecord.id)
        .where(ConsentRecord.action == ConsentAction.WITHDRAWN)
    ).one()
    return {
        WithdrawalFilter.NOT_ACTIONED: total - actioned,
        WithdrawalFilter.ACTIONED: actioned,
        WithdrawalFilter.ALL: total,
    }


def list_withdrawals(
    db: Session, chosen: WithdrawalFilter, page: int = 1, page_size: int = PAGE_SIZE
) -> WithdrawalPage:
    """One page of withdrawals, newest first: two queries whatever the page holds."""
    counts = withdrawal_counts(db)
    pages = max(1, math.ceil(counts[chosen] / page_size))
    page = min(max(page, 1), pages)
    query = _withdrawals_query()
    if chosen is WithdrawalFilter.NOT_ACTIONED:
        query = query.where(WithdrawalAction.id.is_(None))
    elif chosen is WithdrawalFilter.ACTIONED:
        query = query.where(WithdrawalAction.id.is_not(None))
    rows = db.execute(
        query.order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc()).limit(page_size).offset((page - 1) * page_size)
    ).all()
    return WithdrawalPage([_row(r) for r in rows], chosen, counts, page, pages)


def get_withdrawal(db: Session, withdrawal_id: int) -> Withdrawal | None:
    row = db.execute(_withdrawals_query().where(ConsentRecord.id == withdrawal_id)).first()
    return _row(row) if row is not None else None


def check_note(note: str) -> str:
    note = (note or "").replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    if not note:
        raise refuse("note", ProblemCode.NOTE_MISSING)
    if len(note) > NOTE_MAX_LENGTH:
        raise refuse("note", ProblemCode.NOTE_TOO_LONG, max=NOTE_MAX_LENGTH)
    return note


def _already_actioned(withdrawal: Withdrawal) -> GdprError:
    return GdprError(
        [Problem(None, ProblemCode.ALREADY_ACTIONED, {"name": withdrawal.actioned_by, "when": withdrawal.actioned_at})]
    )


def mark_actioned(
    db: Session, withdrawal_id: int, note: str, *, actor_id: int, client_address: str | None
) -> Withdrawal:
    """Record who acted on a withdrawal, when, and what they did (audited). Once only: a second
    attempt, even a simultaneous one, is refused with who did it first."""
    withdrawal = get_withdrawal(db, withdrawal_id)
    if withdrawal is None:
        raise LookupError(withdrawal_id)
    if withdrawal.is_actioned:
        raise _already_actioned(withdrawal)
    note = check_note(note)
    action = WithdrawalAction(consent_record_id=withdrawal_id, actioned_by_id=actor_id, note=note)
    db.add(action)
    try:
        db.flush()
    except IntegrityError:  # another administrator got there first
        db.rollback()
        raise _already_actioned(get_withdrawal(db, withdrawal_id)) from None  # type: ignore[arg-type]
    audit.record(
        db, "gdpr.withdrawal_actioned", actor_id=actor_id, client_address=client_address,
        object_type="user", object_id=withdrawal.account_reference, withdrawal_id=withdrawal_id,
        before=None, after={"note": note},
    )  # fmt: skip
    db.commit()
    return get_withdrawal(db, withdrawal_id)  # type: ignore[return-value]
