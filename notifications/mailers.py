"""Delivery: a Mailer opens a session and sends raw messages; two real ones.

``SmtpMailer`` speaks SMTP with aiosmtplib: one connection for a batch, STARTTLS or TLS and login
from settings, time-outs. ``MaildirMailer`` writes each message into a local Maildir that any
mail client opens: the embedded default when no SMTP server is configured. Failures come back as
:class:`DeliveryError`, classified as temporary (4xx, time-outs, dropped connections) or permanent
(5xx), never with the password in them; a message the server had in full when the connection
dropped is neither (``after_data``: it may have been delivered).
"""

import mailbox
import ssl
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path
from typing import Protocol

import aiosmtplib


class DeliveryError(Exception):
    """A message was not delivered, or (``after_data``) it is unknown whether it was: the server
    had the whole message when the connection dropped or timed out, before its reply."""

    def __init__(self, reply: str, *, temporary: bool, connection_lost: bool = False, after_data: bool = False) -> None:
        super().__init__(reply)
        self.reply = reply
        self.temporary = temporary
        self.connection_lost = connection_lost
        self.after_data = after_data


class MailSession(Protocol):
    async def send(self, sender: str, recipients: list[str], raw: str) -> str | None:
        """Deliver; returns None, or the refused recipients and their replies when the server took
        the message for some of them only (it was delivered: a retry would send it to all again)."""
        ...


class Mailer(Protocol):
    """Where mail goes. ``describe`` says it to the user, without secrets."""

    def describe(self) -> str: ...

    def session(self) -> AbstractAsyncContextManager[MailSession]: ...


def _reply(exc: aiosmtplib.SMTPResponseException) -> str:
    return f"{exc.code} {exc.message}".strip()


_LOST = (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, ConnectionError, OSError)


class _SmtpSession:
    """One message at a time as MAIL, RCPT and DATA (not ``sendmail``), so that a failure is known
    to come before the server had the message (safe to try again) or after (``after_data``)."""

    def __init__(self, smtp: aiosmtplib.SMTP) -> None:
        self.smtp = smtp

    async def send(self, sender: str, recipients: list[str], raw: str) -> str | None:
        data = raw.encode("ascii", "surrogateescape")
        try:
            refused = await self._envelope(sender, recipients, len(data))
        except DeliveryError:
            await self._reset()
            raise
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset()
            raise DeliveryError(_reply(exc), temporary=exc.code // 100 != 5, connection_lost=exc.code == 421) from None
        except _LOST as exc:
            raise DeliveryError(f"connection lost: {type(exc).__name__}: {exc}", temporary=True, connection_lost=True) from None
        except ValueError as exc:  # an address aiosmtplib will not quote
            raise DeliveryError(f"address refused: {exc}", temporary=False) from None
        try:
            await self.smtp.data(data)
        except _LOST as exc:
            raise DeliveryError(f"no reply after the message was sent (DATA): {type(exc).__name__}: {exc}",
                                temporary=True, connection_lost=True, after_data=True) from None
        except aiosmtplib.SMTPResponseException as exc:  # a reply: the server did not take it
            await self._reset()
            raise DeliveryError(_reply(exc), temporary=exc.code // 100 != 5, connection_lost=exc.code == 421) from None
        if not refused:
            return None
        return "delivered, but refused for: " + "; ".join(f"{r.recipient}: {_reply(r)}" for r in refused)

    async def _envelope(self, sender: str, recipients: list[str], size: int) -> list[aiosmtplib.SMTPRecipientRefused]:
        """MAIL and one RCPT per recipient; the refused ones, or a DeliveryError when all are."""
        options = [f"SIZE={size}"] if self.smtp.supports_extension("size") else []
        await self.smtp.mail(sender, options=options)
        refused: list[aiosmtplib.SMTPRecipientRefused] = []
        for recipient in recipients:
            try:
                await self.smtp.rcpt(recipient)
            except aiosmtplib.SMTPRecipientRefused as exc:
                refused.append(exc)
        if len(refused) == len(recipients):
            reply = "; ".join(f"{r.recipient}: {_reply(r)}" for r in refused)
            raise DeliveryError(reply, temporary=all(r.code // 100 == 4 for r in refused))
        return refused

    async def _reset(self) -> None:
        """RSET after a refusal, so that the next message starts a clean envelope."""
        if self.smtp.is_connected:
            with suppress(aiosmtplib.SMTPException, OSError):
                await self.smtp.rset()


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

    async def send(self, sender: str, recipients: list[str], raw: str) -> str | None:
        # The message is built for SMTP, with CRLF; a Maildir file is a Unix text file, with LF
        # (mutt shows the CR of each line as ^M). The parts are encoded, so no CR is content.
        data = raw.replace("\r\n", "\n").encode("ascii", "surrogateescape")
        try:
            self.box.add(data)
        except OSError as exc:
            raise DeliveryError(f"cannot write to the Maildir: {exc.strerror}", temporary=True, connection_lost=True) from None
        return None


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
