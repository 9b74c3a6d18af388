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
from .alerts import Alert, AlertAction, AlertDelivery, AlertKind
from .applications import Application, ApplicationStatus, Message, MessageDirection, StatusChange, Upload
from .audit import AuditEvent
from .base import Base, UTCDateTime, utcnow
from .content import ContentText
from .form_builder import FormDraft, OptionList
from .forms import FormStatus, FormVersion
from .gdpr import WithdrawalAction, WithdrawalAlertRecipient
from .jobs import ScheduledJob
from .matching import ChildRecordLink
from .message_templates import Decision, MessageTemplate, MessageTemplateDecision
from .outbox import OutboxMessage, OutboxStatus
from .retention import RetentionDeletedReference, RetentionPendingFile, RetentionRule, RetentionRun
from .reviews import InformationRequest, ReviewAssignment, ReviewDecision, ReviewNote
from .site_settings import SiteSetting
from .users import AccountStatus, Child, Role, TwoStepMethod, User

__all__ = [
    "AccountStatus",
    "Alert",
    "AlertAction",
    "AlertDelivery",
    "AlertKind",
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
    "SiteSetting",
    "StatusChange",
    "Upload",
    "User",
    "UTCDateTime",
    "utcnow",
    "RetentionDeletedReference",
    "RetentionPendingFile",
    "RetentionRule",
    "RetentionRun",
    "WithdrawalAction",
    "WithdrawalAlertRecipient",
    "FormDraft",
    "OptionList",
]
