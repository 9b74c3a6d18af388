"""The council's data protection consent statement, and each person's agreements and withdrawals.

Statements are versioned and never change once published; the newest published one is current. A
portal that has none yet gets version 1 from the shipped default text on first use, so a fresh install
can register people at once. A newer version (added by administrators, `consent_admin`) may be scheduled:
from its `published_at` every signed-in parent must agree to it before doing anything else, or withdraw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..config import AccountSettings
from ..models import AccountStatus, ConsentAction, ConsentRecord, ConsentStatement, Role, User, utcnow
from ..sessions import end_sessions_of
from . import audit, withdrawals
from .content import content_page
from .texts import queue_account_email

DEFAULT_STATEMENT_KEY = "consent_statement"
DEFAULT_AGREEMENT_TEXT = "I agree to the council using my information as this statement describes"


def current_statement(db: Session) -> ConsentStatement:
    """The newest published statement, creating version 1 from the shipped default if there is none."""
    statement = db.scalars(
        select(ConsentStatement)
        .where(ConsentStatement.published_at <= utcnow())
        .order_by(ConsentStatement.version.desc())
        .limit(1)
    ).first()
    if statement is not None:
        return statement
    default = content_page(db, DEFAULT_STATEMENT_KEY, "en")
    statement = ConsentStatement(version=1, body_markdown=default.body_markdown, agreement_text=DEFAULT_AGREEMENT_TEXT)
    db.add(statement)
    try:
        db.commit()
    except IntegrityError:  # another request created it first
        db.rollback()
        statement = db.scalars(select(ConsentStatement).where(ConsentStatement.version == 1)).one()
    return statement


def publish_statement(
    db: Session, *, body_markdown: str, agreement_text: str, by: User | None, published_at: datetime | None = None
) -> ConsentStatement:
    """Add the next version; from `published_at` (now by default) everyone must agree to it again."""
    statement = add_statement(
        db, body_markdown=body_markdown, agreement_text=agreement_text, by_id=by.id if by else None,
        published_at=published_at,
    )  # fmt: skip
    db.commit()
    return statement


def add_statement(
    db: Session, *, body_markdown: str, agreement_text: str, by_id: int | None, published_at: datetime | None = None
) -> ConsentStatement:
    """The next version, added (and flushed) in the caller's unit of work, e.g. with its audit event.

    Two administrators adding a version at once collide on the unique version number: the second
    flush raises IntegrityError rather than publishing two statements with one number.
    """
    current_statement(db)  # version 1 exists before version 2 is added
    latest = latest_version(db)
    statement = ConsentStatement(
        version=latest + 1,
        body_markdown=body_markdown,
        agreement_text=agreement_text,
        published_at=published_at or utcnow(),
        created_by_id=by_id,
    )
    db.add(statement)
    db.flush()
    return statement


def latest_version(db: Session) -> int:
    """The highest version number, published or still scheduled (0 before version 1 exists)."""
    return db.scalar(select(func.max(ConsentStatement.version))) or 0


def statement_by_version(db: Session, version: int) -> ConsentStatement | None:
    return db.scalars(select(ConsentStatement).where(ConsentStatement.version == version)).first()


def add_agreement(db: Session, user: User, statement: ConsentStatement, *, at: datetime, client_address: str | None):
    """Record an agreement in the caller's unit of work (registration creates the account with it)."""
    db.add(
        ConsentRecord(
            user_id=user.id,
            statement_id=statement.id,
            action=ConsentAction.AGREED,
            at=at,
            client_address=client_address,
        )
    )
    audit.record(
        db, "consent_agreed", actor_id=user.id, client_address=client_address, statement_version=statement.version
    )


def agree(db: Session, user: User, version: int, client_address: str | None) -> None:
    """A signed-in person agrees to a (newer) statement."""
    statement = statement_by_version(db, version)
    if statement is None:
        raise ValueError(f"no consent statement version {version}")
    record_agreement(db, user, statement, client_address)


def record_agreement(db: Session, user: User, statement: ConsentStatement, client_address: str | None) -> None:
    """Record that an existing account agreed to `statement` now (demo data, tests, imports)."""
    add_agreement(db, user, statement, at=utcnow(), client_address=client_address)
    db.commit()


def agreed_version(db: Session, user: User) -> int | None:
    """The version of the statement this person last agreed to, if their latest action was an agreement."""
    latest = db.execute(
        select(ConsentRecord.action, ConsentStatement.version)
        .join(ConsentStatement, ConsentRecord.statement_id == ConsentStatement.id)
        .where(ConsentRecord.user_id == user.id)
        .order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc())
        .limit(1)
    ).first()
    return latest.version if latest is not None and latest.action is ConsentAction.AGREED else None


def must_agree(db: Session, user: User) -> bool:
    """True when a parent has not agreed to the current statement. Staff do not consent as citizens."""
    if user.role is not Role.PARENT:
        return False
    return agreed_version(db, user) != current_statement(db).version


@dataclass(frozen=True)
class HistoryEntry:
    action: ConsentAction
    version: int
    at: datetime


def history(db: Session, user: User) -> list[HistoryEntry]:
    rows = db.execute(
        select(ConsentRecord.action, ConsentStatement.version, ConsentRecord.at)
        .join(ConsentStatement, ConsentRecord.statement_id == ConsentStatement.id)
        .where(ConsentRecord.user_id == user.id)
        .order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc())
    )
    return [HistoryEntry(row.action, row.version, row.at) for row in rows]


def withdraw(db: Session, user: User, client_address: str | None, settings: AccountSettings) -> None:
    """Withdraw consent: close the account for good, end its sessions, alert the council's list.

    The list is the one administrators manage (`withdrawals.alert_addresses`); each alert links to the
    withdrawal in the staff area, where it is marked as actioned once the council has dealt with it.

    Nothing the person submitted is deleted here: what to keep is the council's decision. The closed
    account frees its email address, so the person may register afresh.
    """
    statement = current_statement(db)
    record = ConsentRecord(
        user_id=user.id, statement_id=statement.id, action=ConsentAction.WITHDRAWN, client_address=client_address
    )
    db.add(record)
    user.status = AccountStatus.CLOSED
    end_sessions_of(db, user.id)
    audit.record(
        db, "consent_withdrawn", actor_id=user.id, client_address=client_address, statement_version=statement.version
    )
    db.flush()  # the record's id is in the link
    link = settings.base_url + withdrawals.WITHDRAWAL_PATH + str(record.id)
    # The account reference and a staff-area link only: the person's name and email stay out of email.
    for address in withdrawals.alert_addresses(db, settings.withdrawal_alert_emails):
        queue_account_email(
            db, "email_consent_withdrawn_alert", to=address, settings=settings, reference=user.id, link=link
        )
    db.commit()
