"""My Family: the children linked to a parent's account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Application, Child
from . import audit
from .applications import NotFound, own_child


@dataclass(frozen=True)
class ChildDetails:
    forename: str
    surname: str
    date_of_birth: date
    gender: str | None


@dataclass(frozen=True)
class FamilyMember:
    child: Child
    named_in_application: bool


def family(db: Session, user_id: int) -> list[FamilyMember]:
    """The parent's children, and whether each is named in an application (one query)."""
    named = (
        select(func.count(Application.id)).where(Application.child_id == Child.id).correlate(Child).scalar_subquery()
    )
    rows = db.execute(select(Child, named).where(Child.parent_id == user_id).order_by(Child.id)).all()
    return [FamilyMember(child, bool(count)) for child, count in rows]


def add_child(db: Session, user_id: int, details: ChildDetails) -> Child:
    child = Child(parent_id=user_id, **details.__dict__)
    db.add(child)
    db.flush()
    audit.record(db, "child_added", actor_id=user_id, object_type="child", object_id=child.id)
    db.commit()
    return child


def edit_child(db: Session, user_id: int, child_id: int, details: ChildDetails) -> Child:
    child = own_child(db, user_id, child_id)
    if child is None:
        raise NotFound(child_id)
    for name, value in details.__dict__.items():
        setattr(child, name, value)
    audit.record(db, "child_changed", actor_id=user_id, object_type="child", object_id=child.id)
    db.commit()
    return child


class ChildInUse(ValueError):
    """A child named in an application stays on the record."""


def remove_child(db: Session, user_id: int, child_id: int) -> None:
    child = own_child(db, user_id, child_id)
    if child is None:
        raise NotFound(child_id)
    if db.scalar(select(func.count(Application.id)).where(Application.child_id == child.id)):
        raise ChildInUse(child_id)
    db.delete(child)
    audit.record(db, "child_removed", actor_id=user_id, object_type="child", object_id=child_id)
    db.commit()
