"""The data model. Importing this package registers every table on `Base.metadata`."""

from .accounts import (
    AccountToken,
    Announcement,
    ConsentAction,
    ConsentRecord,
    ConsentStatement,
    RecoveryCode,
    TokenPurpose,
    WebSession,
)
from .applications import Application, ApplicationStatus, Message, MessageDirection, StatusChange, Upload
from .audit import AuditEvent
from .base import Base, UTCDateTime, utcnow
from .content import ContentText
from .form_builder import FormDraft, OptionList
from .forms import FormStatus, FormVersion
from .jobs import ScheduledJob
from .matching import ChildRecordLink
from .message_templates import Decision, MessageTemplate, MessageTemplateDecision
from .outbox import OutboxMessage, OutboxStatus
from .reviews import InformationRequest, ReviewAssignment, ReviewDecision, ReviewNote
from .users import AccountStatus, Child, Role, TwoStepMethod, User

__all__ = [
    "AccountStatus",
    "AccountToken",
    "Announcement",
    "ConsentAction",
    "ConsentRecord",
    "ConsentStatement",
    "RecoveryCode",
    "TokenPurpose",
    "TwoStepMethod",
    "WebSession",
    "Application",
    "ApplicationStatus",
    "AuditEvent",
    "Base",
    "Child",
    "ChildRecordLink",
    "ContentText",
    "Decision",
    "FormStatus",
    "FormVersion",
    "InformationRequest",
    "Message",
    "MessageTemplate",
    "MessageTemplateDecision",
    "MessageDirection",
    "OutboxMessage",
    "OutboxStatus",
    "ReviewAssignment",
    "ReviewDecision",
    "ReviewNote",
    "Role",
    "ScheduledJob",
    "StatusChange",
    "Upload",
    "User",
    "UTCDateTime",
    "utcnow",
    "FormDraft",
    "OptionList",
]
