"""The data model. Plain columns, relationships and read-only predicates only."""
from .application import Application, ReferenceSequence, StageTally
from .asset import Asset, AssetStatus, AssetType
from .attachment import Attachment, AttachmentKind
from .casework import (
    MAX_SCORE,
    Assessment,
    Note,
    Representation,
    RepresentationSource,
)
from .deadline import Deadline, DeadlineStatus
from .document import Document, Signature
from .event import AccountEvent, AuditHead, Event
from .job import Job, JobStatus, SweepRun
from .message import Channel, Message, MessageStatus
from .organisation import (
    COMMUNITY_CONTROL_QUESTIONS,
    LegalForm,
    Membership,
    Organisation,
)
from .report import AnnualReportNarrative
from .two_factor import RecoveryCode, TwoFactorPolicy
from .user import ApiToken, Role, User

__all__ = [
    "COMMUNITY_CONTROL_QUESTIONS",
    "MAX_SCORE",
    "AccountEvent",
    "AnnualReportNarrative",
    "ApiToken",
    "Application",
    "Assessment",
    "Asset",
    "AssetStatus",
    "AssetType",
    "Attachment",
    "AttachmentKind",
    "AuditHead",
    "Channel",
    "Deadline",
    "DeadlineStatus",
    "Document",
    "Event",
    "Job",
    "JobStatus",
    "LegalForm",
    "Membership",
    "Message",
    "MessageStatus",
    "Note",
    "Organisation",
    "RecoveryCode",
    "ReferenceSequence",
    "Representation",
    "RepresentationSource",
    "Role",
    "Signature",
    "StageTally",
    "SweepRun",
    "TwoFactorPolicy",
    "User",
]
