"""The status machine: every allowed step and every refused one, each recorded with time, actor and message."""

from __future__ import annotations

import itertools

import pytest

from portal.models import Application, ApplicationStatus
from portal.services.application_status import TRANSITIONS, IllegalTransition, can_change, change_status

S = ApplicationStatus
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.IN_REVIEW),
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.IN_REVIEW, S.MORE_INFORMATION_REQUESTED),
    (S.IN_REVIEW, S.APPROVED),
    (S.IN_REVIEW, S.REJECTED),
    (S.IN_REVIEW, S.WITHDRAWN),
    (S.MORE_INFORMATION_REQUESTED, S.RESUBMITTED),
    (S.MORE_INFORMATION_REQUESTED, S.REJECTED),
    (S.MORE_INFORMATION_REQUESTED, S.WITHDRAWN),
    (S.RESUBMITTED, S.IN_REVIEW),
    (S.RESUBMITTED, S.APPROVED),
    (S.RESUBMITTED, S.REJECTED),
    (S.RESUBMITTED, S.WITHDRAWN),
}


@pytest.mark.parametrize(("current", "requested"), list(itertools.product(S, S)))
def test_exactly_the_documented_steps_are_allowed(current, requested):
    assert can_change(current, requested) is ((current, requested) in ALLOWED)


def test_decisions_are_final():
    for decided in (S.APPROVED, S.REJECTED, S.WITHDRAWN):
        assert decided.is_decided and TRANSITIONS[decided] == frozenset()


class FakeSession:
    def __init__(self):
        self.added = []

    def add(self, row):
        self.added.append(row)


def test_a_change_is_recorded_with_time_actor_and_message():
    application = Application(status=S.IN_REVIEW, history=[])
    db = FakeSession()
    change = change_status(db, application, S.MORE_INFORMATION_REQUESTED, actor_id=7, message="Send your letter")
    assert application.status is S.MORE_INFORMATION_REQUESTED
    assert (change.from_status, change.to_status, change.actor_id, change.message) == (
        S.IN_REVIEW,
        S.MORE_INFORMATION_REQUESTED,
        7,
        "Send your letter",
    )
    assert change.at.tzinfo is not None
    assert application.history == [change] and db.added == [change]


def test_an_illegal_change_is_refused_and_changes_nothing():
    application = Application(status=S.APPROVED, history=[])
    db = FakeSession()
    with pytest.raises(IllegalTransition):
        change_status(db, application, S.IN_REVIEW, actor_id=7)
    assert application.status is S.APPROVED and db.added == [] and application.history == []
