"""An SMTP sink for tests (aiosmtpd on loopback): it keeps each message it accepts, can refuse chosen
recipients, and can hold every message after the first few, as a slow server would."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    def __init__(self):
        self.host, self.port = "127.0.0.1", _free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.refused: set[str] = set()  # recipients answered with 550
        self.hold_after: int | None = None  # hold every message once this many were accepted
        self.holding = threading.Event()  # set while a message is held
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname=self.host, port=self.port)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self._controller.stop()

    def release(self) -> None:
        """Answer held messages with a temporary failure (451), unrecorded, and hold no more."""
        self.hold_after = None
        self._released.set()

    def recipients(self) -> list[str]:
        with self._lock:
            return [m["To"] for m in self.messages]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected"  # as Postfix says it
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 Aborted"
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"
