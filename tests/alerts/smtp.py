"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, parsed as a mail client would, and can be
told to fail: answer 451 or 550 after DATA, drop the connection, or be down for a while."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """The aiosmtpd handler: accepted messages in ``messages``; ``faults`` are answered to the next DATA commands
    in order ("451 ...", "550 ...", or "drop" to close the connection without answering)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.faults: list[str] = []
        self.connections = 0
        self.lock = threading.Lock()
        self.on_data: Callable[[], None] | None = None

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.on_data is not None:
            self.on_data()
        with self.lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault == "drop":
            server.transport.abort()
            return "421 4.4.2 connection dropped"
        if fault is not None:
            return fault
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 2.0.0 OK"

    def by_subject(self, fragment: str) -> list[EmailMessage]:
        return [m for m in self.messages if fragment in str(m["Subject"])]


class SmtpServer:
    """``start()`` / ``stop()`` on a fixed port, so a test can take the server down and bring it back."""

    def __init__(self, inbox: Inbox | None = None) -> None:
        self.inbox = inbox or Inbox()
        self.port = free_port()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?tls=none"

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
