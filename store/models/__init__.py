"""Typed ORM models. Import from here so every mapper is configured together."""

from store.models.admin import AdminUser, AuditEntry, LoginAttempt
from store.models.alert import AlertConfirmationRequest as AlertConfirmationRequest
from store.models.alert import AlertDigest as AlertDigest
from store.models.alert import AlertOutbox as AlertOutbox
from store.models.alert import AlertSubscription as AlertSubscription
from store.models.base import Base, UTCDateTime
from store.models.crawl_run import RUN_FAILED, RUN_RUNNING, RUN_SUCCESS, CrawlRun
from store.models.posting import Posting, PostingSkill
from store.models.source import Source

__all__ = [
    "RUN_FAILED",
    "RUN_RUNNING",
    "RUN_SUCCESS",
    "AdminUser",
    "AuditEntry",
    "Base",
    "CrawlRun",
    "LoginAttempt",
    "Posting",
    "PostingSkill",
    "Source",
    "UTCDateTime",
]
