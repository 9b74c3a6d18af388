"""Matching a submission's applicant and child against the people and children the council already knows.

Candidates are fetched by a bounded query (same or day-month-swapped date of birth, the same postcode,
or a surname starting the same way; at most `CANDIDATE_LIMIT` rows), then ranked in Python by
`portal.services.matching.rank_candidates`, which gives the reasons. The page costs the same number of
queries however many people the council knows.

The caseworker links the child to a known child record, or confirms it as new (`ChildRecordLink`).
Every child linked to one record is one child for the council; its submissions are the family's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from ..models import Application, ApplicationStatus, Child, ChildRecordLink, Role, User, utcnow
from . import audit
from .matching import Match, PersonDetails, normalise_name, normalise_postcode, rank_candidates

CANDIDATE_LIMIT = 200
SURNAME_PREFIX = 3


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class ChildCandidate:
    child: Child
    parent: User
    record_id: int  # the known record this child belongs to
    match: Match


@dataclass(frozen=True)
class PersonCandidate:
    person: User
    match: Match


@dataclass(frozen=True)
class FamilySubmission:
    application: Application
    child: Child


@dataclass
class MatchingView:
    application: Application
    parent: User
    child: Child
    applicant: PersonDetails
    child_details: PersonDetails
    link: ChildRecordLink | None
    children: list[ChildCandidate]
    people: list[PersonCandidate]
    family: list[FamilySubmission]

    @property
    def record_id(self) -> int:
        return self.link.record_id if self.link else self.child.id


def _answer_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _application(db: Session, application_id: int) -> Application:
    application = db.scalars(
        select(Application)
        .options(joinedload(Application.child))
        .where(Application.id == application_id, Application.status != ApplicationStatus.DRAFT)
    ).first()
    if application is None or application.child is None:
        raise NotFound(application_id)
    return application


def _swapped(day: date) -> date | None:
    if day.day <= 12 and day.day != day.month:
        return date(day.year, day.day, day.month)
    return None


def _postcode_column(column):
    return func.upper(func.replace(column, " ", ""))


def _surname_prefix(column, surname: str):
    prefix = normalise_name(surname)[:SURNAME_PREFIX]
    return func.lower(column).like(prefix + "%") if prefix else None


def _family(db: Session, record_id: int) -> list[FamilySubmission]:
    """Every sent submission about any child linked to the record (one query)."""
    linked = select(ChildRecordLink.child_id).where(ChildRecordLink.record_id == record_id)
    rows = db.execute(
        select(Application, Child)
        .join(Child, Child.id == Application.child_id)
        .where(
            or_(Application.child_id == record_id, Application.child_id.in_(linked)),
            Application.status != ApplicationStatus.DRAFT,
        )
        .order_by(Application.submitted_at.desc(), Application.id.desc())
    ).all()
    return [FamilySubmission(a, c) for a, c in rows]


def matching_view(db: Session, application_id: int) -> MatchingView:
    application = _application(db, application_id)
    child = application.child
    parent = db.get(User, application.user_id)
    answers = application.answers or {}
    postcode = answers.get("address_postcode") or parent.postcode
    applicant = PersonDetails(
        forename=answers.get("parent_first_name") or parent.forename,
        surname=answers.get("parent_last_name") or parent.surname,
        date_of_birth=_answer_date(answers.get("parent_date_of_birth")),
        postcode=postcode,
    )
    child_details = PersonDetails(child.forename, child.surname, child.date_of_birth, postcode)
    link = db.get(ChildRecordLink, child.id)
    record_id = link.record_id if link else child.id

    # Children: bounded in SQL, ranked in Python.
    dates = [d for d in (child.date_of_birth, _swapped(child.date_of_birth)) if d]
    wanted = [Child.date_of_birth.in_(dates)]
    if normalise_postcode(postcode):
        wanted.append(_postcode_column(User.postcode) == normalise_postcode(postcode))
    if (by_surname := _surname_prefix(Child.surname, child.surname)) is not None:
        wanted.append(by_surname)
    rows = db.execute(
        select(Child, User, ChildRecordLink.record_id)
        .join(User, User.id == Child.parent_id)
        .outerjoin(ChildRecordLink, ChildRecordLink.child_id == Child.id)
        .where(or_(*wanted), Child.id != child.id)
        .order_by(Child.id)
        .limit(CANDIDATE_LIMIT)
    ).all()
    known = {c.id: (c, p, r or c.id) for c, p, r in rows if (r or c.id) != record_id}
    details = [
        PersonDetails(c.forename, c.surname, c.date_of_birth, p.postcode, record_id=c.id) for c, p, _ in known.values()
    ]
    ranked = rank_candidates(child_details, details)
    children = [ChildCandidate(*known[m.candidate.record_id], match=m) for m in ranked]

    # People (parent accounts other than the applicant's own).
    wanted_people = []
    if normalise_postcode(postcode):
        wanted_people.append(_postcode_column(User.postcode) == normalise_postcode(postcode))
    if (by_surname := _surname_prefix(User.surname, applicant.surname)) is not None:
        wanted_people.append(by_surname)
    people_rows = (
        db.scalars(
            select(User)
            .where(or_(*wanted_people), User.role == Role.PARENT, User.id != parent.id)
            .order_by(User.id)
            .limit(CANDIDATE_LIMIT)
        ).all()
        if wanted_people
        else []
    )
    by_id = {u.id: u for u in people_rows}
    people = [
        PersonCandidate(by_id[m.candidate.record_id], m)
        for m in rank_candidates(
            applicant, [PersonDetails(u.forename, u.surname, None, u.postcode, record_id=u.id) for u in people_rows]
        )
    ]
    return MatchingView(
        application=application,
        parent=parent,
        child=child,
        applicant=applicant,
        child_details=child_details,
        link=link,
        children=children,
        people=people,
        family=_family(db, record_id),
    )


def link_child(
    db: Session, application_id: int, record_child_id: int | None, *, actor_id: int, client_address: str | None
) -> int:
    """Link the submission's child to the known record of `record_child_id`, or confirm it as a new record
    (None). Returns the record id. Children that were linked to this child follow it to its new record."""
    application = _application(db, application_id)
    child_id = application.child_id
    previous = db.get(ChildRecordLink, child_id)
    if record_child_id is None or record_child_id == child_id:
        record_id = child_id
    else:
        if db.get(Child, record_child_id) is None:
            raise NotFound(record_child_id)
        target = db.get(ChildRecordLink, record_child_id)
        record_id = target.record_id if target else record_child_id
    if record_id != child_id:
        db.execute(
            update(ChildRecordLink)
            .where(ChildRecordLink.record_id == child_id, ChildRecordLink.child_id != child_id)
            .values(record_id=record_id)
            .execution_options(synchronize_session=False)
        )
    link = previous or ChildRecordLink(child_id=child_id)
    previous_record = previous.record_id if previous else None
    link.record_id = record_id
    link.linked_by_id = actor_id
    link.linked_at = utcnow()
    db.add(link)
    audit.record(
        db, "child_linked" if record_id != child_id else "child_confirmed_new",
        actor_id=actor_id, client_address=client_address, object_type="application", object_id=application_id,
        child_id=child_id, record_id=record_id, previous_record_id=previous_record,
    )  # fmt: skip
    db.commit()
    return record_id
