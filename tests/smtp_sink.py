"""A real SMTP server (aiosmtpd) on loopback that records what it accepts and can misbehave on cue."""

import asyncio
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Message

    @property
    def key(self) -> str:
        return str(self.message["X-Dondoc-Key"])


@dataclass
class Handler:
    """Accepts mail; ``plan`` lists what to do with the next DATA commands ("451", "550", "421", "drop")."""

    received: list[Received] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            action = self.plan.pop(0) if self.plan else "ok"
        if self.delay:
            await asyncio.sleep(self.delay)
        if action == "drop":
            server.transport.abort()
            return "250 OK"
        if action != "ok":
            return {"451": "451 4.3.0 try again later", "550": "550 5.1.1 mailbox unavailable",
                    "421": "421 4.7.0 closing connection"}[action]
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


class Sink:
    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> "Sink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def keys(self) -> Counter[str]:
        return Counter(r.key for r in self.received)
