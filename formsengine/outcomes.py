"""Outcome checks: server-side results computed from a form's answers (contracts.md section 2).

A form names checks by name (``outcome_checks: [two_year_old_eligibility]``); other packages supply them
through the ``formsengine.outcomes`` entry-point group, or an embedding application calls ``register``.
The engine itself knows nothing about funding.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import Any

ENTRY_POINT_GROUP = "formsengine.outcomes"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    result: str  # machine code, e.g. "eligible", "likely_eligible", "not_eligible", "valid", "invalid"
    message: str  # plain-English text shown to the person, GOV.UK style
    details: Mapping[str, Any] = field(default_factory=dict)  # JSON-safe extras


OutcomeCheck = Callable[[Mapping[str, Any], date], Outcome]

_registered: dict[str, OutcomeCheck] = {}
_discovered: dict[str, OutcomeCheck] | None = None


def _discover() -> dict[str, OutcomeCheck]:
    global _discovered
    if _discovered is None:
        found: dict[str, OutcomeCheck] = {}
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                found[entry_point.name] = entry_point.load()
            except Exception:  # a broken plug-in must not stop the engine; forms naming it fail to load
                logger.exception("outcome check %r could not be loaded from %s", entry_point.name,
                                 entry_point.value)
        _discovered = found
    return _discovered


def available_checks() -> Mapping[str, OutcomeCheck]:
    """Every check by name: entry points (loaded once) plus those added with ``register``."""
    return MappingProxyType({**_discover(), **_registered})


def register(name: str, check: OutcomeCheck) -> None:
    """Make ``check`` available under ``name`` (overrides an entry point of the same name)."""
    if not callable(check):
        raise TypeError(f"outcome check {name!r} must be callable")
    _registered[name] = check


def unregister(name: str) -> None:
    """Remove a check added with ``register`` (for tests)."""
    _registered.pop(name, None)


def reset_discovery() -> None:
    """Forget discovered entry points so the next call looks again (for tests and after installs)."""
    global _discovered
    _discovered = None
