"""Delivery: a Mailer opens a session and sends raw messages; two real ones.

``SmtpMailer`` speaks SMTP with aiosmtplib: one connection for a batch, STARTTLS or TLS and login
from settings, time-outs. ``MaildirMailer`` writes each message into a local Maildir that any
mail client opens: the embedded default when no SMTP server is configured. Failures come back as
:class:`DeliveryError`, classified as temporary (4xx, time-outs, dropped connections) or permanent
(5xx), never with the password in them.
"""

import mailbox
import ssl
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Protocol

import aiosmtplib


class DeliveryError(Exception):
    """A message was not delivered."""

    def __init__(self, reply: str, *, temporary: bool, connection_lost: bool = False) -> None:
        super().__init__(reply)
        self.reply = reply
        self.temporary = temporary
        self.connection_lost = connection_lost


class MailSession(Protocol):
    async def send(self, sender: str, recipients: list[str], raw: str) -> None: ...


class Mailer(Protocol):
    """Where mail goes. ``describe`` says it to the user, without secrets."""

    def describe(self) -> str: ...

    def session(self) -> AbstractAsyncContextManager[MailSession]: ...


def _reply(exc: aiosmtplib.SMTPResponseException) -> str:
    return f"{exc.code} {exc.message}".strip()


class _SmtpSession:
    def __init__(self, smtp: aiosmtplib.SMTP) -> None:
        self.smtp = smtp

    async def send(self, sender: str, recipients: list[str], raw: str) -> None:
        try:
            refused, _ = await self.smtp.sendmail(sender, recipients, raw.encode("ascii", "surrogateescape"))
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            reply = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
            raise DeliveryError(reply, temporary=all(c // 100 == 4 for c in codes)) from None
        except aiosmtplib.SMTPResponseException as exc:
            lost = exc.code == 421
            raise DeliveryError(_reply(exc), temporary=exc.code // 100 != 5, connection_lost=lost) from None
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, ConnectionError, OSError) as exc:
            raise DeliveryError(f"connection lost: {type(exc).__name__}: {exc}", temporary=True, connection_lost=True) from None
        if refused:
            partial = "; ".join(f"{address}: {code} {message}" for address, (code, message) in refused.items())
            raise DeliveryError(f"some recipients refused: {partial}", temporary=False)


class SmtpMailer:
    """SMTP over aiosmtplib; one connection per batch."""

    def __init__(self, *, host: str, port: int, security: str, username: str | None, password: str | None, timeout: float) -> None:
        self.host, self.port, self.security = host, port, security
        self.username, self._password, self.timeout = username, password, timeout
        self.tls_context: ssl.SSLContext | None = None

    def describe(self) -> str:
        user = f"{self.username}@" if self.username else ""
        return f"smtp://{user}{self.host}:{self.port} ({self.security})"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[MailSession]:
        smtp = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=self.timeout,
            use_tls=self.security == "tls", start_tls=self.security == "starttls",
            tls_context=self.tls_context,
        )
        try:
            await smtp.connect()
            if self.username:
                await smtp.login(self.username, self._password or "")
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"login refused for {self.username}: {exc.code}", temporary=False, connection_lost=True) from None
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(_reply(exc), temporary=exc.code // 100 != 5, connection_lost=True) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"cannot connect to {self.describe()}: {type(exc).__name__}", temporary=True, connection_lost=True) from None
        try:
            yield _SmtpSession(smtp)
        finally:
            if smtp.is_connected:
                try:
                    await smtp.quit()
                except (aiosmtplib.SMTPException, OSError):
                    smtp.close()


class _MaildirSession:
    def __init__(self, box: mailbox.Maildir) -> None:
        self.box = box

    async def send(self, sender: str, recipients: list[str], raw: str) -> None:
        # The message is built for SMTP, with CRLF; a Maildir file is a Unix text file, with LF
        # (mutt shows the CR of each line as ^M). The parts are encoded, so no CR is content.
        data = raw.replace("\r\n", "\n").encode("ascii", "surrogateescape")
        try:
            self.box.add(data)
        except OSError as exc:
            raise DeliveryError(f"cannot write to the Maildir: {exc.strerror}", temporary=True, connection_lost=True) from None


class MaildirMailer:
    """Delivery into a local Maildir (``new/`` holds one file per message)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def describe(self) -> str:
        return f"Maildir {self.path}"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[MailSession]:
        try:
            box = mailbox.Maildir(self.path, create=True)
        except OSError as exc:
            raise DeliveryError(f"cannot open the Maildir {self.path}: {exc.strerror}", temporary=True, connection_lost=True) from None
        yield _MaildirSession(box)
