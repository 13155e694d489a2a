"""A real SMTP server for tests (aiosmtpd in a thread) that records what it accepts and can
misbehave on purpose: refuse the next messages, be slow, or hold a client at EHLO or QUIT
until the test releases it (to kill a worker in the middle of a delivery)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Hold:
    """Stop the next client at one SMTP command until `release()`."""

    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()

    async def wait(self) -> None:
        self.reached.set()
        await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 30)


class RecordingHandler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.connections = 0
        self.refuse_next = 0
        self.ehlo_delay = 0.0
        self.hold_at_ehlo: Hold | None = None
        self.hold_at_quit: Hold | None = None

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        with self.lock:
            self.connections += 1
            hold, self.hold_at_ehlo = self.hold_at_ehlo, None
        if self.ehlo_delay:
            await asyncio.sleep(self.ehlo_delay)
        if hold is not None:
            await hold.wait()
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(
                message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[arg-type]
            )
        return "250 2.0.0 OK"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            hold, self.hold_at_quit = self.hold_at_quit, None
        if hold is not None:
            await hold.wait()
        return "221 Bye"


class SMTPServer:
    def __init__(self) -> None:
        self.handler = RecordingHandler()
        self.port = free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        for hold in (self.handler.hold_at_ehlo, self.handler.hold_at_quit):
            if hold is not None:
                hold.release()
        self._controller.stop()

    def reset(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.connections = 0
            self.handler.refuse_next = 0
            self.handler.ehlo_delay = 0.0
            self.handler.hold_at_ehlo = self.handler.hold_at_quit = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    def settings(self) -> dict[str, Any]:
        """Settings that point the app at this server (no TLS, no login)."""
        return {
            "mail_backend": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_use_tls": False,
            "smtp_timeout_seconds": 10,
        }


@contextmanager
def running_smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wait_until(condition: Callable[[], Any], *, timeout: float = 20, what: str = "") -> Any:
    """Poll `condition` until it is truthy (for work done by another process)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.05)


def text_of(message: EmailMessage) -> str:
    """The plain-text and HTML parts of a message, for content checks."""
    parts = []
    for preference in ("plain", "html"):
        body = message.get_body(preferencelist=(preference,))
        if isinstance(body, EmailMessage):
            parts.append(body.get_content())
    return "\n".join([str(message["Subject"]), *parts])
