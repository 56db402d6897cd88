"""Sending what the outbox holds: claim a batch, send it on one connection, record each result.

A 4xx reply, a time-out or a dropped connection leaves the message pending with exponential
backoff; a 5xx reply makes it dead with the server's reply; after ``max_attempts`` a message is
dead too. Nothing is dropped silently.
"""

import asyncio
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from config.policy import Policy
from models import outbox
from models.tables import OutboxMessage
from notifications.mailers import DeliveryError, Mailer

LEASE = timedelta(minutes=10)


@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    uncertain: int = 0
    errors: list[str] = field(default_factory=list)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff(attempts: int, policy: Policy) -> timedelta:
    return timedelta(seconds=min(policy.backoff_seconds * 2 ** max(0, attempts - 1), policy.backoff_max_seconds))


def _failure(message: OutboxMessage, error: DeliveryError, now: datetime, policy: Policy) -> dict[str, Any]:
    attempts = message.attempts + 1
    if error.temporary and attempts < policy.max_attempts:
        return {"status": "pending", "attempts": attempts, "last_error": error.reply,
                "next_attempt_at": now + backoff(attempts, policy)}
    reason = error.reply if not error.temporary else f"gave up after {attempts} attempts: {error.reply}"
    return {"status": "dead", "attempts": attempts, "last_error": reason}


async def dispatch(engine: Engine, mailer: Mailer, *, policy: Policy, now: datetime, limit: int | None = None) -> DispatchResult:
    """Send due messages, batch by batch, until none is due (or ``limit`` have been tried)."""
    worker = worker_name()
    result = DispatchResult()
    result.uncertain = outbox.recover(engine, now=now)
    tried = 0
    while limit is None or tried < limit:
        size = policy.batch_size if limit is None else min(policy.batch_size, limit - tried)
        batch = outbox.claim(engine, worker=worker, now=now, lease=LEASE, limit=size)
        if not batch:
            break
        tried += len(batch)
        if not await _send_batch(engine, mailer, batch, worker=worker, now=now, policy=policy, result=result):
            break
    return result


async def _send_batch(
    engine: Engine, mailer: Mailer, batch: list[OutboxMessage], *, worker: str, now: datetime, policy: Policy, result: DispatchResult
) -> bool:
    """Send one claimed batch on one connection; False when the connection could not go on."""
    ids = [m.id for m in batch if m.id is not None]
    with engine.connect() as connection:
        return await _send_on(connection, engine, mailer, batch, ids, worker=worker, now=now, policy=policy, result=result)


async def _send_on(
    connection: Connection, engine: Engine, mailer: Mailer, batch: list[OutboxMessage], ids: list[int], *,
    worker: str, now: datetime, policy: Policy, result: DispatchResult,
) -> bool:
    try:
        async with mailer.session() as session:
            outbox.transition(connection, finished=None, starting=ids[0], worker=worker)
            for index, message in enumerate(batch):
                assert message.id is not None
                following = ids[index + 1] if index + 1 < len(ids) else None
                try:
                    await session.send(message.sender, list(message.recipients), message.raw)
                except DeliveryError as error:
                    values = _failure(message, error, now, policy)
                    result.errors.append(f"{message.key}: {error.reply}")
                    if values["status"] == "dead":
                        result.dead += 1
                    else:
                        result.retrying += 1
                    if error.connection_lost:
                        outbox.transition(connection, finished=(message.id, values), starting=None, worker=worker)
                        outbox.release(engine, ids=ids[index + 1 :], worker=worker)
                        return False
                    outbox.transition(connection, finished=(message.id, values), starting=following, worker=worker)
                    continue
                outbox.transition(connection, finished=(message.id, {"status": "sent", "sent_at": now, "attempts": message.attempts + 1,
                                                                 "last_error": None}), starting=following, worker=worker)
                result.sent += 1
    except DeliveryError as error:  # could not connect at all: every message waits and is tried again
        result.errors.append(error.reply)
        for message in batch:
            assert message.id is not None
            values = _failure(message, error, now, policy)
            result.retrying += values["status"] == "pending"
            result.dead += values["status"] == "dead"
            outbox.transition(connection, finished=(message.id, values), starting=None, worker=worker)
        return False
    return True


def run(engine: Engine, mailer: Mailer, *, policy: Policy, now: datetime, limit: int | None = None) -> DispatchResult:
    return asyncio.run(dispatch(engine, mailer, policy=policy, now=now, limit=limit))


def make_mailer(settings: Any) -> Mailer:
    """The SMTP server from settings, or the local Maildir when none is configured."""
    from notifications.mailers import MaildirMailer, SmtpMailer

    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpMailer(host=settings.smtp_host, port=settings.smtp_port_or_default, security=settings.smtp_security,
                          username=settings.smtp_username, password=password, timeout=settings.smtp_timeout)
    return MaildirMailer(settings.maildir_path)
