"""Admin accounts, the login throttle and the audit log.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile); the hash carries its
parameters, so a later, stronger profile rehashes each password at its owner's next login. The command line creates
accounts and the web admin signs people in; both go through these functions. The caller owns the transaction.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from store.models import AdminUser, AuditEntry, LoginAttempt

HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
# Hashing is deliberately slow; a megabyte of "password" would only make it slower.
MAX_PASSWORD_LENGTH = 1024
# Passwords of 12 characters or more that every cracking list starts with.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012", "1234567890123", "12345678901234", "123456789123", "111111111111", "000000000000",
        "qwertyuiopas", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
        "abcdefghijkl", "abc123456789", "aaaaaaaaaaaa", "passwordpassword", "iloveyou1234", "correcthorsebatterystaple",
    }
)  # fmt: skip
# Words that stay guessable whatever digits or symbols surround them ("Password123!", "!!admin2024!!").
COMMON_WORDS = frozenset(
    {
        "password", "passw0rd", "p@ssword", "p@ssw0rd", "qwerty", "qwertyuiop", "letmein", "welcome", "admin",
        "administrator", "iloveyou", "monkey", "dragon", "football", "baseball", "sunshine", "princess", "trustno",
        "master", "changeme", "secret", "jobsift", "abc", "test", "login",
    }
)  # fmt: skip
_SURROUND = re.compile(r"^[\d\W_]*(.*?)[\d\W_]*$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")

# The throttle: after this many failed logins in LOGIN_WINDOW (since the last success), further tries are refused
# until the window has passed the oldest of them. A client address gets more room than an account, since several
# admins may share an office's address.
LOGIN_WINDOW = timedelta(minutes=15)
MAX_ACCOUNT_FAILURES = 5
MAX_CLIENT_FAILURES = 10
KEEP_ATTEMPTS = timedelta(days=1)


class AdminProblem(ValueError):
    """An account can't be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    if len(email) > 320 or not EMAIL.match(email):
        return f"{email!r} is not an e-mail address"
    return None


def password_problem(email: str, password: str) -> str | None:
    """Why a password is too weak for an admin account, or None.

    The rule: at least 12 characters; not a well-known password, nor a common word padded with digits or symbols;
    not one character repeated; and not containing the name part of the account's e-mail address.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters (this one has {len(password)})"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password must have at most {MAX_PASSWORD_LENGTH} characters"
    lowered = password.lower()
    core = _SURROUND.match(lowered).group(1)  # type: ignore[union-attr]
    if not core:
        return "the password is only digits and symbols; use words or letters too"
    if lowered in COMMON_PASSWORDS or core in COMMON_WORDS:
        return "the password is one of the most common ones; choose something less guessable"
    if len(set(lowered)) == 1:
        return "the password is one character repeated"
    local = normalise_email(email).split("@", 1)[0]
    if len(local) >= 3 and local in lowered:
        return f"the password contains the name of the e-mail address ({local!r})"
    return None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches. With no hash (an unknown account) a dummy one is checked, so the answer takes
    as long either way and timing does not tell which accounts exist."""
    try:
        return HASHER.verify(password_hash or _dummy_hash(), password[:MAX_PASSWORD_LENGTH]) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def create_admin(session: Session, email: str, password: str, now: datetime) -> AdminUser:
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AdminProblem(problem)
    if find_admin(session, email) is not None:
        raise AdminProblem(f"there is already an admin {email}")
    problem = password_problem(email, password)
    if problem:
        raise AdminProblem(problem)
    admin = AdminUser(
        email=email,
        password_hash=hash_password(password),
        session_version=1,
        failed_logins=0,
        created_at=now,
        password_changed_at=now,
    )
    session.add(admin)
    session.flush()
    return admin


def set_admin_password(admin: AdminUser, password: str, now: datetime) -> None:
    """A new password; every session signed in with the old one ends."""
    problem = password_problem(admin.email, password)
    if problem:
        raise AdminProblem(problem)
    admin.password_hash = hash_password(password)
    admin.password_changed_at = now
    end_admin_sessions(admin)


def end_admin_sessions(admin: AdminUser) -> None:
    """Every session cookie issued to this admin so far stops working."""
    admin.session_version += 1


def find_admin(session: Session, email: str) -> AdminUser | None:
    return session.scalar(select(AdminUser).where(AdminUser.email == normalise_email(email)))


def get_admin(session: Session, admin_id: int) -> AdminUser | None:
    return session.get(AdminUser, admin_id)


def list_admins(session: Session) -> list[AdminUser]:
    return list(session.scalars(select(AdminUser).order_by(AdminUser.email)))


def note_login(session: Session, admin: AdminUser, password: str, now: datetime) -> None:
    """A successful login: counters cleared, and the hash brought up to the current parameters if they changed."""
    admin.last_login_at = now
    admin.failed_logins = 0
    if HASHER.check_needs_rehash(admin.password_hash):
        admin.password_hash = hash_password(password)


def note_failed_login(admin: AdminUser, now: datetime) -> None:
    admin.failed_logins += 1
    admin.last_failed_login_at = now


def client_bucket(client: str) -> str:
    """What the throttle counts a client address as: an IPv6 client by its /64 (one machine usually holds a whole
    /64, and could otherwise try from a new address each time), anything else as it is."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client[:64] or "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else address)


def record_login_attempt(session: Session, *, email: str, client: str, succeeded: bool, now: datetime) -> None:
    session.add(
        LoginAttempt(
            attempted_at=now, email=normalise_email(email)[:320], client=client_bucket(client), succeeded=succeeded
        )
    )
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < now - KEEP_ATTEMPTS))


def throttled_until(session: Session, *, email: str, client: str, now: datetime) -> datetime | None:
    """When the throttle lets this account or client try again, or None if it may try now."""
    lifts = [
        _lifts(session, LoginAttempt.email == normalise_email(email)[:320], MAX_ACCOUNT_FAILURES, now),
        _lifts(session, LoginAttempt.client == client_bucket(client), MAX_CLIENT_FAILURES, now),
    ]
    later = [t for t in lifts if t is not None and t > now]
    return max(later) if later else None


def _lifts(session: Session, who: Any, limit: int, now: datetime) -> datetime | None:
    since = now - LOGIN_WINDOW
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(who, LoginAttempt.succeeded.is_(True))
    )
    if last_success is not None and last_success > since:
        since = last_success
    failures = list(
        session.scalars(
            select(LoginAttempt.attempted_at)
            .where(who, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > since)
            .order_by(LoginAttempt.attempted_at.desc())
            .limit(limit)
        )
    )
    if len(failures) < limit:
        return None
    # The limit-th newest failure leaving the window brings the count below the limit.
    return failures[-1] + LOGIN_WINDOW


def record_audit(
    session: Session,
    *,
    action: str,
    actor: str,
    now: datetime,
    admin_id: int | None = None,
    client: str | None = None,
    target: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now,
        admin_id=admin_id,
        actor=actor[:320],
        client=client[:64] if client else None,
        action=action[:64],
        target=target[:300] if target else None,
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int


def audit_entries(
    session: Session, *, action: str | None = None, target: str | None = None, limit: int = 50, offset: int = 0
) -> AuditPage:
    """The audit log, newest first, optionally of one action or one target."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if target:
        query = query.where(AuditEntry.target == target)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset))
    return AuditPage(list(rows), total)


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
