"""Consent statements, for administrators: the versions, how many people agreed to each, and the next
version written in Markdown with the words beside the tick box and a publication date.

A statement dated today is published at once; a later date schedules it, and from the start of that
day (Europe/London) the existing consent gate makes every signed-in parent agree to it before anything
else (`consent.must_agree`). Nothing needs to run at midnight: "current" is simply the newest version
whose `published_at` has passed.

Rules, each checked here:
- A published statement never changes: people agreed to exactly those words. Only a statement still
  scheduled may be changed or cancelled, and the check is made again under a row lock at the moment of
  saving, so a statement whose date arrived while its page was open is not changed after the fact.
- One scheduled statement at a time. Versions must become current in the order they are numbered, and
  an administrator reading the list should never have to work out which of two future texts wins.
- The form carries the latest version its writer saw. If another version was added meanwhile (a second
  administrator, or the same form posted twice) nothing is added, so a double post publishes once.

Every change is audited with who, when, and the statement before and after.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..markdown import render_markdown
from ..models import ConsentAction, ConsentRecord, ConsentStatement, User, utcnow
from . import audit, withdrawals
from .consent import add_statement, current_statement, latest_version
from .gdpr_errors import GdprError, Problem, ProblemCode, refuse

LONDON = ZoneInfo("Europe/London")
BODY_MAX_LENGTH = 50_000
AGREEMENT_MAX_LENGTH = 500  # consent_statements.agreement_text is String(500)
FURTHEST_YEARS_AHEAD = 5

DateParts = tuple[str, str, str]  # day, month, year as typed


def london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


class StatementState(enum.Enum):
    CURRENT = "current"  # the one parents agree to now
    PREVIOUS = "previous"  # published, then replaced by a newer version
    SCHEDULED = "scheduled"  # its publication date is still to come

    @property
    def label(self) -> str:  # translated by the template
        return {"current": "Current", "previous": "Replaced", "scheduled": "Scheduled"}[self.value]


@dataclass(frozen=True)
class StatementRow:
    statement: ConsentStatement
    state: StatementState
    created_by: str  # the administrator's name; empty for version 1 (the shipped text)
    agreed: int  # how many people agreed to this version

    @property
    def is_scheduled(self) -> bool:
        return self.state is StatementState.SCHEDULED


@dataclass(frozen=True)
class StatementDraft:
    body_markdown: str
    agreement_text: str
    publish_on: DateParts
    seen_version: str = ""  # the latest version when the form was opened (a hidden field)


@dataclass(frozen=True)
class _Checked:
    body_markdown: str
    agreement_text: str
    published_at: datetime


def _rows(db: Session, now: datetime, statement_id: int | None = None) -> list[StatementRow]:
    """The statements with their author and number of people agreeing, in one query."""
    agreed = (
        select(ConsentRecord.statement_id, func.count(distinct(ConsentRecord.user_id)).label("people"))
        .where(ConsentRecord.action == ConsentAction.AGREED)
        .group_by(ConsentRecord.statement_id)
        .subquery()
    )
    query = (
        select(ConsentStatement, User.forename, User.surname, func.coalesce(agreed.c.people, 0))
        .outerjoin(User, User.id == ConsentStatement.created_by_id)
        .outerjoin(agreed, agreed.c.statement_id == ConsentStatement.id)
        .order_by(ConsentStatement.version.desc())
    )
    rows = db.execute(query).all()
    current = max((s.version for s, *_ in rows if s.published_at <= now), default=None)
    result = []
    for statement, forename, surname, people in rows:
        if statement.published_at > now:
            state = StatementState.SCHEDULED
        elif statement.version == current:
            state = StatementState.CURRENT
        else:
            state = StatementState.PREVIOUS
        if statement_id is None or statement.id == statement_id:
            result.append(StatementRow(statement, state, f"{forename} {surname}" if forename else "", people))
    return result


@dataclass(frozen=True)
class Overview:
    """What the GDPR landing page says about each part."""

    current: ConsentStatement
    scheduled: ConsentStatement | None
    alert_list: withdrawals.AlertList
    withdrawals_not_actioned: int


def overview(db: Session, configured_alert_emails: Sequence[str]) -> Overview:
    return Overview(
        current_statement(db),
        scheduled_statement(db),
        withdrawals.alert_list(db, configured_alert_emails),
        withdrawals.withdrawal_counts(db)[withdrawals.WithdrawalFilter.NOT_ACTIONED],
    )


def list_statements(db: Session, now: datetime | None = None) -> list[StatementRow]:
    """Every version, newest first (version 1 is created from the shipped text if there is none)."""
    current_statement(db)
    return _rows(db, now or utcnow())


def get_statement(db: Session, statement_id: int, now: datetime | None = None) -> StatementRow | None:
    rows = _rows(db, now or utcnow(), statement_id)
    return rows[0] if rows else None


def scheduled_statement(db: Session, now: datetime | None = None) -> ConsentStatement | None:
    return db.scalars(
        select(ConsentStatement).where(ConsentStatement.published_at > (now or utcnow())).limit(1)
    ).first()


def blank_draft(db: Session, today: date) -> StatementDraft:
    """A new version starts from the current text, to be published today."""
    statement = current_statement(db)
    return StatementDraft(
        statement.body_markdown,
        statement.agreement_text,
        (str(today.day), str(today.month), str(today.year)),
        str(latest_version(db)),
    )


def draft_of(statement: ConsentStatement) -> StatementDraft:
    day = london_date(statement.published_at)
    return StatementDraft(
        statement.body_markdown, statement.agreement_text, (str(day.day), str(day.month), str(day.year))
    )


_DAY_OR_MONTH = re.compile(r"[0-9]{1,2}")
_YEAR = re.compile(r"[0-9]{4}")


def _publication_date(parts: DateParts, today: date, problems: list[Problem]) -> date | None:
    """GOV.UK date input rules: say what is missing, then whether it is a real date, then the range."""
    day, month, year = (str(p).strip() for p in (tuple(parts or ()) + ("", "", ""))[:3])
    if not (day or month or year):
        problems.append(Problem("publish_on", ProblemCode.DATE_MISSING))
        return None
    missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
    if missing:
        problems.append(Problem("publish_on", ProblemCode.DATE_INCOMPLETE, {"missing": missing}))
        return None
    if not (_DAY_OR_MONTH.fullmatch(day) and _DAY_OR_MONTH.fullmatch(month) and _YEAR.fullmatch(year)):
        problems.append(Problem("publish_on", ProblemCode.DATE_NOT_REAL))
        return None
    try:
        chosen = date(int(year), int(month), int(day))
    except ValueError:
        problems.append(Problem("publish_on", ProblemCode.DATE_NOT_REAL))
        return None
    if chosen < today:
        problems.append(Problem("publish_on", ProblemCode.DATE_IN_PAST))
        return None
    if chosen.year > today.year + FURTHEST_YEARS_AHEAD:
        problems.append(Problem("publish_on", ProblemCode.DATE_TOO_FAR, {"years": FURTHEST_YEARS_AHEAD}))
        return None
    return chosen


def publication_moment(day: date, now: datetime) -> datetime:
    """Today means now; a later day means its first moment on the clock in England."""
    if day <= london_date(now):
        return now
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def check_draft(draft: StatementDraft, now: datetime) -> _Checked:
    problems: list[Problem] = []
    body = (draft.body_markdown or "").replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    agreement = " ".join((draft.agreement_text or "").replace("\x00", "").split())
    if not body:
        problems.append(Problem("body_markdown", ProblemCode.STATEMENT_MISSING))
    elif len(body) > BODY_MAX_LENGTH:
        problems.append(Problem("body_markdown", ProblemCode.STATEMENT_TOO_LONG, {"max": BODY_MAX_LENGTH}))
    if not agreement:
        problems.append(Problem("agreement_text", ProblemCode.AGREEMENT_MISSING))
    elif len(agreement) > AGREEMENT_MAX_LENGTH:
        problems.append(Problem("agreement_text", ProblemCode.AGREEMENT_TOO_LONG, {"max": AGREEMENT_MAX_LENGTH}))
    day = _publication_date(draft.publish_on, london_date(now), problems)
    if problems:
        raise GdprError(problems)
    assert day is not None
    return _Checked(body, agreement, publication_moment(day, now))


def preview(draft: StatementDraft) -> Markup:
    """The statement as parents will see it: Markdown rendered and sanitised. Saves nothing."""
    if not (draft.body_markdown or "").strip():
        raise refuse("body_markdown", ProblemCode.STATEMENT_MISSING)
    return render_markdown(draft.body_markdown)


def _snapshot(statement: ConsentStatement) -> dict[str, object]:
    return {
        "version": statement.version,
        "body_markdown": statement.body_markdown,
        "agreement_text": statement.agreement_text,
        "published_at": statement.published_at.isoformat(),
    }


def create_statement(
    db: Session, draft: StatementDraft, *, actor_id: int, client_address: str | None, now: datetime | None = None
) -> ConsentStatement:
    """Add the next version, published now or scheduled (audited)."""
    now = now or utcnow()
    checked = check_draft(draft, now)
    latest = latest_version(db)
    if draft.seen_version != str(latest):
        raise refuse(None, ProblemCode.NEWER_VERSION, version=latest)
    waiting = scheduled_statement(db, now)
    if waiting is not None:
        raise refuse(
            None, ProblemCode.ALREADY_SCHEDULED, version=waiting.version, date=london_date(waiting.published_at)
        )
    try:
        statement = add_statement(
            db, body_markdown=checked.body_markdown, agreement_text=checked.agreement_text, by_id=actor_id,
            published_at=checked.published_at,
        )  # fmt: skip
    except IntegrityError:  # another administrator added the same version number a moment ago
        db.rollback()
        raise refuse(None, ProblemCode.NEWER_VERSION, version=latest_version(db)) from None
    audit.record(
        db, "gdpr.statement_scheduled" if statement.published_at > now else "gdpr.statement_published",
        actor_id=actor_id, client_address=client_address, object_type="consent_statement",
        object_id=statement.id, before=None, after=_snapshot(statement),
    )  # fmt: skip
    db.commit()
    return statement


def _locked_scheduled(db: Session, statement_id: int, now: datetime) -> ConsentStatement:
    statement = db.scalars(
        select(ConsentStatement).where(ConsentStatement.id == statement_id).with_for_update()
    ).first()
    if statement is None:
        raise LookupError(statement_id)
    if statement.published_at <= now:
        db.rollback()
        raise refuse(None, ProblemCode.ALREADY_PUBLISHED, version=statement.version)
    return statement


def update_scheduled(
    db: Session,
    statement_id: int,
    draft: StatementDraft,
    *,
    actor_id: int,
    client_address: str | None,
    now: datetime | None = None,
) -> ConsentStatement:
    """Change a statement that is still scheduled (audited); a date of today publishes it now."""
    now = now or utcnow()
    checked = check_draft(draft, now)
    statement = _locked_scheduled(db, statement_id, now)
    before = _snapshot(statement)
    statement.body_markdown = checked.body_markdown
    statement.agreement_text = checked.agreement_text
    statement.published_at = checked.published_at
    audit.record(
        db, "gdpr.statement_changed", actor_id=actor_id, client_address=client_address,
        object_type="consent_statement", object_id=statement.id, before=before, after=_snapshot(statement),
    )  # fmt: skip
    db.commit()
    return statement


def cancel_scheduled(
    db: Session, statement_id: int, *, actor_id: int, client_address: str | None, now: datetime | None = None
) -> int:
    """Delete a statement that is still scheduled (audited); returns the version it had."""
    now = now or utcnow()
    statement = _locked_scheduled(db, statement_id, now)
    before = _snapshot(statement)
    audit.record(
        db, "gdpr.statement_cancelled", actor_id=actor_id, client_address=client_address,
        object_type="consent_statement", object_id=statement.id, before=before, after=None,
    )  # fmt: skip
    db.delete(statement)
    try:
        db.commit()
    except IntegrityError:  # somebody agreed to it in the instant it became current
        db.rollback()
        raise refuse(None, ProblemCode.ALREADY_PUBLISHED, version=before["version"]) from None
    return int(before["version"])  # type: ignore[call-overload]
