"""Recording audit events. The caller's unit of work commits them with the change they describe."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import AuditEvent


def record(
    db: Session,
    action: str,
    *,
    actor_id: int | None = None,
    client_address: str | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    **details: Any,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        client_address=client_address,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    db.add(event)
    return event
