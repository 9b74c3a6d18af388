"""The data model. Importing this package registers every table on `Base.metadata`."""

from .audit import AuditEvent
from .base import Base, UTCDateTime, utcnow
from .content import ContentText
from .forms import FormStatus, FormVersion
from .jobs import ScheduledJob
from .outbox import OutboxMessage, OutboxStatus
from .users import AccountStatus, Child, Role, User

__all__ = [
    "AccountStatus",
    "AuditEvent",
    "Base",
    "Child",
    "ContentText",
    "FormStatus",
    "FormVersion",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "ScheduledJob",
    "User",
    "UTCDateTime",
    "utcnow",
]
