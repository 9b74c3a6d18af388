"""Announcements, for administrators: list (with whether each is scheduled, showing now or ended),
create, change and delete, each change audited with who, when, what it was before and after.

Parents see the same `Announcement` rows after sign-in (`portal.services.my_account.current_announcements`)
on each Europe/London day from `starts_on` to `ends_on`, inclusive. Dates arrive as the three boxes of a
GOV.UK date input and are checked here, with the Design System's wording.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..markdown import render_markdown
from ..models import Announcement
from . import audit

__all__ = [
    "AnnouncementDraft",
    "AnnouncementError",
    "AnnouncementProblem",
    "AnnouncementRow",
    "AnnouncementState",
    "check_draft",
    "create_announcement",
    "delete_announcement",
    "get_announcement",
    "list_announcements",
    "london_today",
    "preview",
    "state_on",
    "update_announcement",
]

LONDON = ZoneInfo("Europe/London")
TITLE_MAX_LENGTH = 200  # the column's length
BODY_MAX_LENGTH = 10_000


def london_today() -> date:
    return datetime.now(LONDON).date()


class AnnouncementState(enum.Enum):
    SCHEDULED = "scheduled"
    SHOWING = "showing"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return {"scheduled": "Scheduled", "showing": "Showing now", "ended": "Ended"}[self.value]


def state_on(announcement: Announcement, today: date) -> AnnouncementState:
    if today < announcement.starts_on:
        return AnnouncementState.SCHEDULED
    if today > announcement.ends_on:
        return AnnouncementState.ENDED
    return AnnouncementState.SHOWING


@dataclass(frozen=True)
class AnnouncementRow:
    announcement: Announcement
    state: AnnouncementState


DateParts = tuple[str, str, str]  # day, month, year as typed


@dataclass(frozen=True)
class AnnouncementDraft:
    title: str
    body_markdown: str
    starts: DateParts
    ends: DateParts


@dataclass(frozen=True)
class AnnouncementProblem:
    field: str  # "title", "body_markdown", "starts_on" or "ends_on": the form field to link to
    message: str


class AnnouncementError(ValueError):
    """An announcement the rules refuse; `problems` holds every reason, each fit to show the administrator."""

    def __init__(self, problems: list[AnnouncementProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class _Checked:
    title: str
    body_markdown: str
    starts_on: date
    ends_on: date


def _parse_date(parts: DateParts, field: str, name: str, problems: list[AnnouncementProblem]) -> date | None:
    """GOV.UK date input rules: say what is missing, then whether it is a real date."""
    day, month, year = (str(p).strip() for p in (tuple(parts) + ("", "", ""))[:3])
    if not (day or month or year):
        problems.append(AnnouncementProblem(field, f"Enter the {name.lower()}"))
        return None
    missing = [label for label, value in (("day", day), ("month", month), ("year", year)) if not value]
    if missing:
        problems.append(AnnouncementProblem(field, f"{name} must include a {' and '.join(missing)}"))
        return None
    if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
        problems.append(AnnouncementProblem(field, f"{name} must be a real date"))
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        problems.append(AnnouncementProblem(field, f"{name} must be a real date"))
        return None


def check_draft(draft: AnnouncementDraft) -> _Checked:
    problems: list[AnnouncementProblem] = []
    title = (draft.title or "").strip()
    body = (draft.body_markdown or "").strip()
    if not title:
        problems.append(AnnouncementProblem("title", "Enter a title"))
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(AnnouncementProblem("title", f"Title must be {TITLE_MAX_LENGTH} characters or fewer"))
    if not body:
        problems.append(AnnouncementProblem("body_markdown", "Enter the announcement"))
    elif len(body) > BODY_MAX_LENGTH:
        problems.append(
            AnnouncementProblem("body_markdown", f"Announcement must be {BODY_MAX_LENGTH:,} characters or fewer")
        )
    starts_on = _parse_date(draft.starts, "starts_on", "Start date", problems)
    ends_on = _parse_date(draft.ends, "ends_on", "End date", problems)
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(AnnouncementProblem("ends_on", "End date must be the same as or after the start date"))
    if problems:
        raise AnnouncementError(problems)
    assert starts_on is not None and ends_on is not None
    return _Checked(title, body, starts_on, ends_on)


def preview(draft: AnnouncementDraft) -> Markup:
    """The body as parents will see it: Markdown rendered and sanitised. Saves nothing."""
    if not (draft.body_markdown or "").strip():
        raise AnnouncementError([AnnouncementProblem("body_markdown", "Enter the announcement")])
    return render_markdown(draft.body_markdown)


def list_announcements(db: Session, today: date) -> list[AnnouncementRow]:
    """Every announcement, the latest start first, with its state on `today` (a Europe/London date)."""
    rows = db.scalars(select(Announcement).order_by(Announcement.starts_on.desc(), Announcement.id.desc()))
    return [AnnouncementRow(a, state_on(a, today)) for a in rows]


def get_announcement(db: Session, announcement_id: int) -> Announcement | None:
    return db.get(Announcement, announcement_id)


def _snapshot(announcement: Announcement) -> dict[str, str]:
    return {
        "title": announcement.title,
        "body_markdown": announcement.body_markdown,
        "starts_on": announcement.starts_on.isoformat(),
        "ends_on": announcement.ends_on.isoformat(),
    }


def _apply(announcement: Announcement, checked: _Checked) -> None:
    announcement.title = checked.title
    announcement.body_markdown = checked.body_markdown
    announcement.starts_on = checked.starts_on
    announcement.ends_on = checked.ends_on


def create_announcement(
    db: Session, draft: AnnouncementDraft, *, actor_id: int | None, client_address: str | None
) -> Announcement:
    checked = check_draft(draft)
    announcement = Announcement()
    _apply(announcement, checked)
    db.add(announcement)
    db.flush()
    audit.record(
        db,
        "announcement.created",
        actor_id=actor_id,
        client_address=client_address,
        object_type="announcement",
        object_id=announcement.id,
        before=None,
        after=_snapshot(announcement),
    )
    db.commit()
    return announcement


def update_announcement(
    db: Session, announcement_id: int, draft: AnnouncementDraft, *, actor_id: int | None, client_address: str | None
) -> Announcement:
    announcement = db.get(Announcement, announcement_id)
    if announcement is None:
        raise LookupError(f"no announcement {announcement_id}")
    checked = check_draft(draft)
    before = _snapshot(announcement)
    _apply(announcement, checked)
    audit.record(
        db,
        "announcement.changed",
        actor_id=actor_id,
        client_address=client_address,
        object_type="announcement",
        object_id=announcement.id,
        before=before,
        after=_snapshot(announcement),
    )
    db.commit()
    return announcement


def delete_announcement(db: Session, announcement_id: int, *, actor_id: int | None, client_address: str | None) -> None:
    announcement = db.get(Announcement, announcement_id)
    if announcement is None:
        raise LookupError(f"no announcement {announcement_id}")
    audit.record(
        db,
        "announcement.deleted",
        actor_id=actor_id,
        client_address=client_address,
        object_type="announcement",
        object_id=announcement.id,
        before=_snapshot(announcement),
        after=None,
    )
    db.delete(announcement)
    db.commit()
