"""Where mail goes: an SMTP server (``JOBSIFT_SMTP_URL``), or without one, a local sink of .eml files.

Failures come out in three kinds, because each asks for something different:
- :class:`Temporary`: the server answered 4xx about this message or recipient (mailbox full, greylisting, 451 after
  DATA). Try this message again later.
- :class:`Permanent`: the server answered 5xx about this message or recipient (no such mailbox, 550 after DATA).
  Trying again would fail again; the alert is paused with the reason.
- :class:`ServerUnavailable`: the server could not be reached or dropped the connection, said 421, or refused our
  own login or sender address. Nothing is known about the message: try again later, without counting it against
  the recipient, and stop this pass (the next messages would meet the same server).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import smtplib
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol

from config.settings import Settings, SmtpServer
from web.emails import OutgoingMail


class DeliveryError(Exception):
    """A message was not delivered; ``str()`` says why, as the server put it."""


class Temporary(DeliveryError):
    pass


class Permanent(DeliveryError):
    pass


class ServerUnavailable(DeliveryError):
    pass


class Connection(Protocol):
    def send(self, mail: OutgoingMail) -> None: ...


class Transport(Protocol):
    """Opens one connection a sender pass, lazily (a pass with nothing to send connects to nothing)."""

    def connect(self) -> Iterator[Connection]: ...


def envelope_sender(mail_from: str) -> str:
    return parseaddr(mail_from)[1]


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(message.split())}"[:500]


def _by_code(code: int, text: bytes | str) -> DeliveryError:
    reply = _reply(code, text)
    if code == 421 or code < 400:
        return ServerUnavailable(reply)
    return Temporary(reply) if code < 500 else Permanent(reply)


class _SmtpConnection:
    def __init__(self, client: smtplib.SMTP, envelope_from: str) -> None:
        self.client = client
        self.envelope_from = envelope_from

    def send(self, mail: OutgoingMail) -> None:
        try:
            self.client.sendmail(self.envelope_from, [mail.to], mail.data)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (554, b"recipient refused"))
            raise _by_code(code, text) from None
        except smtplib.SMTPSenderRefused as exc:
            # Our own sender address is refused: a configuration problem, not the recipient's.
            raise ServerUnavailable(f"sender address refused: {_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPResponseException as exc:  # SMTPDataError and the rest that carry a reply
            raise _by_code(exc.smtp_code, exc.smtp_error) from None
        except (smtplib.SMTPException, OSError) as exc:  # disconnected, reset, timed out
            raise ServerUnavailable(f"connection lost: {exc.__class__.__name__}: {exc}"[:500]) from None


class SmtpTransport:
    def __init__(self, server: SmtpServer, mail_from: str, timeout: float) -> None:
        self.server = server
        self.envelope_from = envelope_sender(mail_from)
        self.timeout = timeout

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        server = self.server
        client: smtplib.SMTP | None = None
        try:
            if server.tls == "ssl":
                client = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
                if server.tls == "starttls":
                    client.starttls(context=ssl.create_default_context())
            if server.username:
                client.login(server.username, server.password or "")
        except smtplib.SMTPResponseException as exc:
            _quit(client)
            raise ServerUnavailable(f"{server.host}:{server.port}: {_reply(exc.smtp_code, exc.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            _quit(client)
            raise ServerUnavailable(f"cannot reach {server.host}:{server.port}: {exc}"[:500]) from None
        try:
            yield _SmtpConnection(client, self.envelope_from)
        finally:
            _quit(client)


def _quit(client: smtplib.SMTP | None) -> None:
    if client is None:
        return
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


class MailSink:
    """Saves each message as ``<hash of its Message-ID>.eml`` in a directory, for the demo and local installs: a
    message sent twice (at-least-once delivery, see the README) overwrites its own file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ServerUnavailable(f"cannot create the mail sink {self.directory}: {exc.strerror}") from None
        yield self

    def send(self, mail: OutgoingMail) -> None:
        name = hashlib.sha256(mail.message_id.encode()).hexdigest()[:20] + ".eml"
        temporary: str | None = None
        try:
            fd, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(mail.data)
            os.replace(temporary, self.directory / name)
        except OSError as exc:
            # A full disk: the half-written file goes, and the message is tried again (a temporary failure).
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            raise ServerUnavailable(f"cannot write to the mail sink {self.directory}: {exc.strerror}") from None


def transport_for(settings: Settings) -> SmtpTransport | MailSink:
    server = settings.smtp
    if server is None:
        return MailSink(settings.mail_sink_dir)
    return SmtpTransport(server, settings.mail_from, settings.smtp_timeout)
