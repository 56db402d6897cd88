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
from config.settings import Settings
from models import outbox
from models.tables import OutboxMessage
from notifications.mailers import DeliveryError, Mailer

LEASE = timedelta(minutes=10)
SENDING_GROUP = 10
"""Messages marked ``sending`` together: at most this many are left ``uncertain`` by a crash."""


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
    """Send a claimed batch a group at a time: the group is marked ``sending`` before, and its
    outcomes are committed after (one transaction per group, not per message)."""
    groups = [batch[n : n + SENDING_GROUP] for n in range(0, len(batch), SENDING_GROUP)]
    try:
        async with mailer.session() as session:
            outbox.record(connection, finished=[], starting=_ids(groups[0]), worker=worker)
            for number, group in enumerate(groups):
                outcomes: list[tuple[int, dict[str, Any]]] = []
                sent: list[int] = []
                for position, message in enumerate(group):
                    assert message.id is not None
                    try:
                        await session.send(message.sender, list(message.recipients), message.raw)
                    except DeliveryError as error:
                        values = _failure(message, error, now, policy)
                        result.errors.append(f"{message.key}: {error.reply}")
                        result.dead += values["status"] == "dead"
                        result.retrying += values["status"] == "pending"
                        outcomes.append((message.id, values))
                        if error.connection_lost:
                            untried = _ids(group[position + 1 :]) + [i for later in groups[number + 1 :] for i in _ids(later)]
                            outbox.record(connection, finished=outcomes, sent=sent, sent_at=now, starting=[], worker=worker,
                                          released=untried)
                            return False
                        continue
                    sent.append(message.id)
                    result.sent += 1
                following = _ids(groups[number + 1]) if number + 1 < len(groups) else []
                outbox.record(connection, finished=outcomes, sent=sent, sent_at=now, starting=following, worker=worker)
    except DeliveryError as error:  # could not connect at all: every message waits and is tried again
        result.errors.append(error.reply)
        outcomes = []
        for message in batch:
            assert message.id is not None
            values = _failure(message, error, now, policy)
            result.retrying += values["status"] == "pending"
            result.dead += values["status"] == "dead"
            outcomes.append((message.id, values))
        outbox.record(connection, finished=outcomes, starting=[], worker=worker)
        return False
    return True


def _ids(messages: list[OutboxMessage]) -> list[int]:
    return [m.id for m in messages if m.id is not None]


def run(engine: Engine, mailer: Mailer, *, policy: Policy, now: datetime, limit: int | None = None) -> DispatchResult:
    return asyncio.run(dispatch(engine, mailer, policy=policy, now=now, limit=limit))


def make_mailer(settings: Settings) -> Mailer:
    """The SMTP server from settings, or the local Maildir when none is configured."""
    from notifications.mailers import MaildirMailer, SmtpMailer

    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpMailer(host=settings.smtp_host, port=settings.smtp_port_or_default, security=settings.smtp_security,
                          username=settings.smtp_username, password=password, timeout=settings.smtp_timeout)
    return MaildirMailer(settings.maildir_path)
