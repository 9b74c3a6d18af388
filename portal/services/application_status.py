"""The one place that says how an application's status may change.

    draft -> submitted -> in_review -> more_information_requested -> resubmitted -> in_review ...
    submitted / in_review / resubmitted -> approved or rejected
    any undecided status -> withdrawn (by the parent)

Every change is recorded as a ``StatusChange`` row with the time, the actor and a message, in the
caller's transaction. Anything else is refused with ``IllegalTransition``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Application, ApplicationStatus, StatusChange, utcnow

S = ApplicationStatus

TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.MORE_INFORMATION_REQUESTED, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.MORE_INFORMATION_REQUESTED: frozenset({S.RESUBMITTED, S.WITHDRAWN, S.REJECTED}),
    S.RESUBMITTED: frozenset({S.IN_REVIEW, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class IllegalTransition(ValueError):
    def __init__(self, current: ApplicationStatus, requested: ApplicationStatus) -> None:
        super().__init__(f"an application cannot go from {current.value} to {requested.value}")
        self.current = current
        self.requested = requested


def can_change(current: ApplicationStatus, requested: ApplicationStatus) -> bool:
    return requested in TRANSITIONS[current]


def can_withdraw(application: Application) -> bool:
    return can_change(application.status, S.WITHDRAWN)


def change_status(
    db: Session,
    application: Application,
    to: ApplicationStatus,
    *,
    actor_id: int | None,
    message: str = "",
) -> StatusChange:
    """Move ``application`` to ``to`` and record the step; the caller commits."""
    current = application.status
    if not can_change(current, to):
        raise IllegalTransition(current, to)
    now = utcnow()
    application.status = to
    application.updated_at = now
    change = StatusChange(from_status=current, to_status=to, at=now, actor_id=actor_id, message=message)
    application.history.append(change)
    db.add(change)
    return change


def record_submission(db: Session, application: Application, *, actor_id: int) -> StatusChange:
    """The first history row of a submission, after its conditional UPDATE already set the status."""
    change = StatusChange(
        application_id=application.id,
        from_status=S.DRAFT,
        to_status=S.SUBMITTED,
        at=application.submitted_at or utcnow(),
        actor_id=actor_id,
        message="",
    )
    db.add(change)
    return change
