"""The data model. Importing this package registers every table on `Base.metadata`."""

from .applications import Application, ApplicationStatus, Message, MessageDirection, StatusChange, Upload
from .audit import AuditEvent
from .base import Base, UTCDateTime, utcnow
from .content import ContentText
from .forms import FormStatus, FormVersion
from .jobs import ScheduledJob
from .outbox import OutboxMessage, OutboxStatus
from .users import AccountStatus, Child, Role, User

__all__ = [
    "AccountStatus",
    "Application",
    "ApplicationStatus",
    "AuditEvent",
    "Base",
    "Child",
    "ContentText",
    "FormStatus",
    "FormVersion",
    "Message",
    "MessageDirection",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "ScheduledJob",
    "StatusChange",
    "Upload",
    "User",
    "UTCDateTime",
    "utcnow",
]
