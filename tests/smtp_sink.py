"""A real SMTP server (aiosmtpd) on loopback that records what it accepts and can misbehave on cue.

It can also speak STARTTLS or implicit TLS with a certificate made for the test (:func:`self_signed`)
and ask for a login (:class:`Accounts`), so that delivery is tested the way a province's mail
server would take it. Several sinks may share one :class:`Handler`: each message then says which
sink (``port``) took it, and when (``at``), which tells two senders apart.
"""

import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

Security = Literal["none", "starttls", "tls"]
REPLIES = {"451": "451 4.3.0 try again later", "550": "550 5.1.1 mailbox unavailable", "421": "421 4.7.0 closing connection"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_of(server: Any) -> int:
    return int(server.transport.get_extra_info("sockname")[1])


def _encrypted(server: Any) -> bool:
    """Whether this connection is TLS now (after STARTTLS, or from the start with implicit TLS)."""
    return server.transport is not None and server.transport.get_extra_info("ssl_object") is not None


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Message
    port: int = 0
    """The port of the sink that took the message."""
    at: float = 0.0
    """``time.monotonic()`` when it was accepted."""
    login: str | None = None
    """The user the client had logged in as, if any."""
    tls: bool = False

    @property
    def key(self) -> str:
        return str(self.message["X-Dondoc-Key"])


@dataclass
class Handler:
    """Accepts mail; ``plan`` lists what to do with the next DATA commands ("451", "550", "421", "drop",
    "hang"), and ``default`` what to do once the plan is spent. ``answered`` keeps every DATA: (key, action).
    "drop" closes the connection after the DATA without a reply; "hang" takes (records) the message but
    answers only after ``hang`` seconds (after the client has given up, if that is longer than its time-out).
    ``refuse`` maps a recipient address to the reply its RCPT gets ("550 5.1.1 ..."); others are taken.

    With ``rendezvous=n``, no DATA is answered before DATA has arrived on ``n`` different ports (or
    ``rendezvous_timeout`` has passed): a way to make sure that n senders are at work together."""

    received: list[Received] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    default: str = "ok"
    delay: float = 0.0
    rendezvous: int = 0
    rendezvous_timeout: float = 6.0
    answered: list[tuple[str, str]] = field(default_factory=list)
    hang: float = 0.0
    refuse: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ports: set[int] = field(default_factory=set)
    _since: float = 0.0

    async def _wait_for_company(self, port: int) -> None:
        with self.lock:
            self._ports.add(port)
            self._since = self._since or time.monotonic()
        while len(self._ports) < self.rendezvous and time.monotonic() < self._since + self.rendezvous_timeout:
            await asyncio.sleep(0.01)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        port = _port_of(server)
        if self.rendezvous:
            await self._wait_for_company(port)
        message = message_from_bytes(envelope.content)
        with self.lock:
            action = self.plan.pop(0) if self.plan else self.default
            self.answered.append((str(message["X-Dondoc-Key"]), action))
        if self.delay:
            await asyncio.sleep(self.delay)
        if action == "drop":
            server.transport.abort()
            return "250 OK"
        if action not in ("ok", "hang"):
            return REPLIES[action]
        login = session.auth_data.login.decode() if session.authenticated and isinstance(session.auth_data, LoginPassword) else None
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), message, port=port, at=time.monotonic(),
                            login=login, tls=_encrypted(server))
        with self.lock:
            self.received.append(received)
        if action == "hang":  # taken (delivered), but the reply comes late
            await asyncio.sleep(self.hang)
        return "250 OK"


@dataclass(frozen=True)
class Login:
    user: str
    mechanism: str
    accepted: bool
    tls: bool


@dataclass
class Accounts:
    """An aiosmtpd authenticator: knows ``users`` (name: password) and records every login attempt,
    without the password it was given."""

    users: dict[str, str]
    attempts: list[Login] = field(default_factory=list)

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        accepted = user in self.users and self.users[user] == password
        self.attempts.append(Login(user, mechanism, accepted, _encrypted(server)))
        return AuthResult(success=accepted, handled=False, auth_data=auth_data if accepted else None)


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key, as PEM files."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this certificate and nothing else, checking the host name."""
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed(directory: Path) -> Certificate:
    """Make a certificate at test time (an EC key: a few milliseconds), valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dondoc test SMTP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    paths = Certificate(directory / "smtp.crt", directory / "smtp.key")
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths


class Sink:
    """The server. ``security`` "starttls" requires STARTTLS before anything else; "tls" is TLS from
    the first byte; with ``accounts``, the server offers AUTH (only once encrypted)."""

    def __init__(self, handler: Handler | None = None, *, security: Security = "none",
                 certificate: Certificate | None = None, accounts: Accounts | None = None) -> None:
        self.handler = handler or Handler()
        self.port = free_port()
        options: dict[str, Any] = {}
        if accounts is not None:
            options.update(authenticator=accounts, auth_require_tls=True)
        if security != "none":
            assert certificate is not None, "TLS needs a certificate"
            context = certificate.server_context()
            if security == "starttls":
                options.update(tls_context=context, require_starttls=True)
            else:
                # aiosmtpd cannot tell that an implicit-TLS session is encrypted and would refuse AUTH
                # with 538 (aio-libs/aiosmtpd#281), so it may not insist; Accounts records whether it was.
                options.update(ssl_context=context, auth_require_tls=False)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)

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
