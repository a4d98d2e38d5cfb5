"""Admin accounts, the login throttle's attempts, and the audit log (migration 0008)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, BigId, JsonDocument, UTCDateTime


class AdminUser(Base):
    """Someone who may tend sources in the web admin."""

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    # An argon2id hash in PHC string form; the parameters travel with it, so they can be raised later.
    password_hash: Mapped[str] = mapped_column(String(255))
    # Every session cookie carries the version it was issued under; bumping it (logout, new password) ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Failed logins since the last successful one: shown by `jobsift admin list`; the throttle uses login attempts.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginAttempt(Base):
    """One try at the admin login, kept for a day so the throttle holds across web workers."""

    __tablename__ = "admin_login_attempts"
    __table_args__ = (
        Index("ix_admin_login_attempts_client_at", "client", "attempted_at"),
        Index("ix_admin_login_attempts_email_at", "email", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    client: Mapped[str] = mapped_column(String(64))
    # The address typed in, lowercased, whether or not an account has it.
    email: Mapped[str] = mapped_column(String(320))
    succeeded: Mapped[bool] = mapped_column(Boolean)


class AuditEntry(Base):
    """An admin action: who, what, to which target, when, and the values before and after."""

    __tablename__ = "admin_audit"
    __table_args__ = (
        Index("ix_admin_audit_at", "at"),
        Index("ix_admin_audit_target_at", "target", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("admin_users.id", ondelete="SET NULL"))
    # The e-mail address at the time (or the one typed in, for a failed login), so entries outlive accounts.
    actor: Mapped[str] = mapped_column(String(320))
    client: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
