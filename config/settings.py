"""The one reader of the environment.

Every process calls :func:`load_settings` once at start-up. A bad value raises :class:`ConfigError` with the variable
name and what was wrong, so that a typo fails loudly before anything is crawled or served.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ENV_PREFIX = "JOBSIFT_"
SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "jobsift.db"
MIN_SECRET_KEY_LENGTH = 32
# Alerts (issue 7): the sender address without an SMTP server (the mail sink), and the site's address for links.
DEFAULT_MAIL_FROM = "jobsift <jobsift@localhost>"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    log_level: str
    user_agent: str
    http_timeout: int
    # Crawls refuse private, loopback and link-local addresses unless this is set (tests and the demo serve feeds
    # on loopback).
    allow_private_networks: bool = False
    # Scale-out: crawl batches go to an RQ queue on this Redis, consumed by `jobsift worker`; None runs them in a
    # local process pool.
    redis_url: str | None = None
    # Local crawl processes at once (the embedded default), and sources per crawl batch (one process each).
    crawl_workers: int = 2
    batch_size: int = 200
    # A batch still running after this long is killed, and its runs are marked failed.
    batch_timeout: int = 900
    # A source that fails this many crawls in a row is paused until an admin resumes it.
    pause_after_failures: int = 5
    # Reverse proxies in front of the site whose X-Forwarded-For / X-Forwarded-Proto are believed (0: none, so a
    # client can't claim another address or HTTPS). The admin's login throttle and Secure cookies depend on them.
    trusted_proxies: int = 0
    # The admin's preview of a feed runs a crawl in a child process, killed after this many seconds (below
    # gunicorn's default 30 s worker timeout).
    preview_timeout: int = 25
    # Alerts (issue 7). Mail goes to this SMTP server; without one it is saved as .eml files under the data dir (the
    # demo's mail sink, listed at /dev/mail for loopback clients).
    smtp_url: str | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    # Absolute links in emails (confirm, manage, unsubscribe, postings) start with this.
    base_url: str = DEFAULT_BASE_URL
    smtp_timeout: int = 20
    # Searches counted (and their pages read, but by relevance) from an in-memory column index of the postings (about
    # 80 MB a million postings, per web process), loaded in the background at the first search; off, in SQL.
    search_index: bool = True

    @property
    def smtp(self) -> SmtpServer | None:
        return parse_smtp_url(self.smtp_url) if self.smtp_url else None

    @property
    def mail_sink_dir(self) -> Path:
        """Where mail is saved instead of sent when no SMTP server is configured."""
        return self.data_dir / "mail"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def child_environ(self) -> dict[str, str]:
        """The environment a child process (a crawl batch) needs to see the same settings."""
        return {
            "JOBSIFT_DATA_DIR": str(self.data_dir),
            "JOBSIFT_DATABASE_URL": self.database_url,
            "JOBSIFT_SECRET_KEY": self.secret_key,
            "JOBSIFT_LOG_LEVEL": self.log_level,
            "JOBSIFT_USER_AGENT": self.user_agent,
            "JOBSIFT_HTTP_TIMEOUT": str(self.http_timeout),
            "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1" if self.allow_private_networks else "0",
            **({"JOBSIFT_REDIS_URL": self.redis_url} if self.redis_url else {}),
            "JOBSIFT_CRAWL_WORKERS": str(self.crawl_workers),
            "JOBSIFT_BATCH_SIZE": str(self.batch_size),
            "JOBSIFT_BATCH_TIMEOUT": str(self.batch_timeout),
            "JOBSIFT_PAUSE_AFTER_FAILURES": str(self.pause_after_failures),
            "JOBSIFT_TRUSTED_PROXIES": str(self.trusted_proxies),
            "JOBSIFT_PREVIEW_TIMEOUT": str(self.preview_timeout),
            **({"JOBSIFT_SMTP_URL": self.smtp_url} if self.smtp_url else {}),
            "JOBSIFT_MAIL_FROM": self.mail_from,
            "JOBSIFT_BASE_URL": self.base_url,
            "JOBSIFT_SMTP_TIMEOUT": str(self.smtp_timeout),
            "JOBSIFT_SEARCH_INDEX": "1" if self.search_index else "0",
        }


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = _data_dir(env)
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(env, data_dir),
        secret_key=_secret_key(env, data_dir),
        log_level=_choice(env, "LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"), upper=True),
        user_agent=_text(env, "USER_AGENT", "jobsift/0.1 (+https://github.com/jobsift/jobsift)"),
        http_timeout=_int(env, "HTTP_TIMEOUT", 30, minimum=1, maximum=600),
        allow_private_networks=_bool(env, "ALLOW_PRIVATE_NETWORKS", False),
        redis_url=_redis_url(env),
        crawl_workers=_int(env, "CRAWL_WORKERS", 2, minimum=1, maximum=64),
        batch_size=_int(env, "BATCH_SIZE", 200, minimum=1, maximum=1000),
        batch_timeout=_int(env, "BATCH_TIMEOUT", 900, minimum=10, maximum=86_400),
        pause_after_failures=_int(env, "PAUSE_AFTER_FAILURES", 5, minimum=1, maximum=1000),
        trusted_proxies=_int(env, "TRUSTED_PROXIES", 0, minimum=0, maximum=5),
        preview_timeout=_int(env, "PREVIEW_TIMEOUT", 25, minimum=5, maximum=600),
        smtp_url=_smtp_url(env),
        mail_from=_mail_from(env),
        base_url=_base_url(env),
        smtp_timeout=_int(env, "SMTP_TIMEOUT", 20, minimum=1, maximum=300),
        search_index=_bool(env, "SEARCH_INDEX", True),
    )


# -- alerts: SMTP, sender address, links (issue 7) ----------------------------------------------------------------

SMTP_TLS = ("starttls", "ssl", "none")
_SMTP_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpServer:
    """``smtp://user:pass@host:port?tls=starttls|ssl|none`` taken apart (``smtps://`` means ``tls=ssl``)."""

    host: str
    port: int
    tls: str
    username: str | None = None
    password: str | None = None


def parse_smtp_url(raw: str) -> SmtpServer:
    """Raises ValueError saying what is wrong with the URL."""
    parts = urlsplit(raw)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ValueError(f"expected smtp://user:pass@host:port?tls=starttls|ssl|none, got scheme {parts.scheme!r}")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"tls"}
    if unknown:
        raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}; only tls= is understood")
    tls = query.get("tls", ["ssl" if parts.scheme == "smtps" else "starttls"])[-1].lower()
    if tls not in SMTP_TLS:
        raise ValueError(f"tls must be one of {', '.join(SMTP_TLS)}, got {tls!r}")
    try:
        port = parts.port or _SMTP_DEFAULT_PORTS[tls]
    except ValueError:
        raise ValueError("the port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError("name the SMTP server's host, e.g. smtp://user:pass@mail.example.com:587")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def _smtp_url(env: Mapping[str, str]) -> str | None:
    raw = _get(env, "SMTP_URL")
    if raw is None:
        return None
    try:
        parse_smtp_url(raw)
    except ValueError as exc:
        raise ConfigError(f"{ENV_PREFIX}SMTP_URL: {exc}") from None
    return raw


def _mail_from(env: Mapping[str, str]) -> str:
    raw = _get(env, "MAIL_FROM")
    if raw is None:
        if _get(env, "SMTP_URL") is not None:
            # A real server delivers to the world: jobsift@localhost would be refused or land in spam.
            raise ConfigError(
                f"{ENV_PREFIX}MAIL_FROM: required with {ENV_PREFIX}SMTP_URL, e.g. 'jobsift <alerts@example.com>'"
            )
        return DEFAULT_MAIL_FROM
    _name, address = parseaddr(raw)
    local, _, domain = address.rpartition("@")
    if not local or not domain or any(c.isspace() for c in address) or any(c in raw for c in "\r\n"):
        raise ConfigError(
            f"{ENV_PREFIX}MAIL_FROM: expected an address such as 'jobsift <alerts@example.com>', got {raw!r}"
        )
    return raw


def _base_url(env: Mapping[str, str]) -> str:
    raw = _get(env, "BASE_URL")
    if raw is None:
        return DEFAULT_BASE_URL
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"{ENV_PREFIX}BASE_URL: expected the site's address such as https://jobs.example.com, got {raw!r}"
        )
    return raw.rstrip("/")


def _redis_url(env: Mapping[str, str]) -> str | None:
    raw = _get(env, "REDIS_URL")
    if raw is None:
        return None
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"{ENV_PREFIX}REDIS_URL: expected a redis://, rediss:// or unix:// URL, got {raw!r}")
    return raw


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(ENV_PREFIX + name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _text(env: Mapping[str, str], name: str, default: str) -> str:
    return _get(env, name) or default


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}{name}: expected a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{ENV_PREFIX}{name}: must be between {minimum} and {maximum}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _get(env, name)
    if raw is None:
        return default
    value = raw.lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{ENV_PREFIX}{name}: expected 1/0, true/false, yes/no or on/off, got {raw!r}")


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...], *, upper: bool) -> str:
    raw = _get(env, name)
    if raw is None:
        return default
    value = raw.upper() if upper else raw
    if value not in choices:
        raise ConfigError(f"{ENV_PREFIX}{name}: must be one of {', '.join(choices)}, got {raw!r}")
    return value


def _data_dir(env: Mapping[str, str]) -> Path:
    raw = _get(env, "DATA_DIR")
    if raw is not None:
        path = Path(raw).expanduser()
    else:
        xdg = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(xdg) / "jobsift"
    path = path.absolute()
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{ENV_PREFIX}DATA_DIR: {path} exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{ENV_PREFIX}DATA_DIR: cannot create {path}: {exc.strerror}") from None
    return path


_DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def _database_url(env: Mapping[str, str], data_dir: Path) -> str:
    raw = _get(env, "DATABASE_URL")
    if raw is None:
        return f"sqlite:///{data_dir / DATABASE_FILE}"
    try:
        url: URL = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            f"{ENV_PREFIX}DATABASE_URL: not a database URL: {raw!r} "
            "(expected sqlite:///path/to/file.db or postgresql://user@host:5432/dbname)"
        ) from None
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise ConfigError(
            f"{ENV_PREFIX}DATABASE_URL: unsupported database {url.drivername!r}; use sqlite or postgresql"
        )
    if driver == "sqlite" and not url.database:
        raise ConfigError(f"{ENV_PREFIX}DATABASE_URL: give SQLite a file path; an in-memory store loses data")
    if driver != "sqlite" and not url.database:
        raise ConfigError(f"{ENV_PREFIX}DATABASE_URL: name the PostgreSQL database, e.g. .../jobsift")
    return url.set(drivername=driver).render_as_string(hide_password=False)


def _secret_key(env: Mapping[str, str], data_dir: Path) -> str:
    raw = _get(env, "SECRET_KEY")
    if raw is not None:
        if len(raw) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(f"{ENV_PREFIX}SECRET_KEY: must be at least {MIN_SECRET_KEY_LENGTH} characters")
        return raw
    # Generated once and kept, so sessions and signed links survive restarts of a local install.
    path = data_dir / SECRET_KEY_FILE
    try:
        existing = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        existing = ""
    except OSError as exc:
        raise ConfigError(f"{ENV_PREFIX}SECRET_KEY: cannot read {path}: {exc.strerror}") from None
    if len(existing) >= MIN_SECRET_KEY_LENGTH:
        return existing
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key + "\n")
    except OSError as exc:
        raise ConfigError(f"{ENV_PREFIX}SECRET_KEY: not set and cannot write {path}: {exc.strerror}") from None
    return key


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=False)
    if settings.log_level != "DEBUG":
        # Alembic narrates every connection at INFO; `jobsift db upgrade` reports the migration it ran itself.
        logging.getLogger("alembic").setLevel(logging.WARNING)
