"""The outcome-check registry: entry points plus register() (contracts.md section 2)."""

from datetime import date

import pytest

from formsengine import outcomes
from formsengine.outcomes import Outcome, available_checks, register, unregister


def always_valid(answers, on):
    return Outcome("valid", "Looks right", {"on": on.isoformat()})


@pytest.fixture
def registered():
    register("test_always_valid", always_valid)
    yield "test_always_valid"
    unregister("test_always_valid")


def test_registered_check_is_available_and_called_with_answers_and_date(registered):
    check = available_checks()[registered]
    outcome = check({"x": 1}, date(2027, 9, 1))
    assert outcome == Outcome("valid", "Looks right", {"on": "2027-09-01"})


def test_unregister_removes_the_check(registered):
    unregister(registered)
    assert registered not in available_checks()


def test_register_refuses_something_that_cannot_be_called():
    with pytest.raises(TypeError):
        register("not_callable", "nope")  # type: ignore[arg-type]


def test_available_checks_is_read_only(registered):
    with pytest.raises(TypeError):
        available_checks()["other"] = always_valid  # type: ignore[index]


def test_entry_points_are_discovered_once(monkeypatch):
    calls = []

    class FakeEntryPoint:
        name = "fake_check"
        value = "fake:check"

        def load(self):
            calls.append(1)
            return always_valid

    monkeypatch.setattr(outcomes, "entry_points", lambda group: [FakeEntryPoint()])
    outcomes.reset_discovery()
    try:
        assert available_checks()["fake_check"] is always_valid
        assert available_checks()["fake_check"] is always_valid
        assert calls == [1]
    finally:
        outcomes.reset_discovery()


def test_a_broken_entry_point_is_left_out_not_fatal(monkeypatch):
    class BrokenEntryPoint:
        name = "broken"
        value = "nowhere:check"

        def load(self):
            raise ImportError("no module named nowhere")

    monkeypatch.setattr(outcomes, "entry_points", lambda group: [BrokenEntryPoint()])
    outcomes.reset_discovery()
    try:
        assert "broken" not in available_checks()
    finally:
        outcomes.reset_discovery()


def test_the_early_years_checks_are_declared_as_entry_points():
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group=outcomes.ENTRY_POINT_GROUP)}
    assert {"two_year_old_eligibility", "thirty_hours_code"} <= names
