"""Sending what the outbox holds: claim a batch, send it on one connection, record each result.

A 4xx reply, a time-out or a dropped connection leaves the message pending with exponential
backoff; a 5xx reply makes it dead with the server's reply; after ``max_attempts`` a message is
dead too. A connection lost after the server had the whole message (DATA) leaves it ``uncertain``:
it may have been delivered, so only a person (``outbox retry``) sends it again. A message refused
for some recipients only is sent, with the refused ones in ``last_error``. Nothing is dropped
silently, and nothing is sent twice by two dispatchers: the lease is renewed and each group fenced.
"""

import asyncio
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import Connection, Engine

from config.errors import StorageError
from config.policy import Policy
from config.settings import Settings
from models import outbox
from models.db import storage_errors
from models.outbound_tables import OutboxMessage
from notifications.mailers import DeliveryError, Mailer, MailSession

Clock = Callable[[], datetime]

LEASE = timedelta(minutes=10)
"""How long a claim holds; renewed for each group as it is marked ``sending`` (read at call time,
so that a test may shrink it)."""
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
    """Who holds a claim: the machine, the process, and this run (two runs in one process, a
    scheduler's and a person's, are two dispatchers)."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{secrets.token_hex(4)}"


def real_clock() -> datetime:
    return datetime.now(UTC)


def running_from(start: datetime) -> Clock:
    """A clock that reads ``start`` now and then moves on with real time: a run "as of" a given
    moment whose leases still run out in real seconds."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


def backoff(attempts: int, policy: Policy) -> timedelta:
    return timedelta(seconds=min(policy.backoff_seconds * 2 ** max(0, attempts - 1), policy.backoff_max_seconds))


def _failure(message: OutboxMessage, error: DeliveryError, now: datetime, policy: Policy) -> dict[str, Any]:
    attempts = message.attempts + 1
    if error.after_data:  # the server had it all: a retry could deliver it twice, so a person decides
        return {"status": "uncertain", "attempts": attempts,
                "last_error": f"{error.reply}; it may or may not have been delivered (outbox retry sends it again)"}
    if error.temporary and attempts < policy.max_attempts:
        return {"status": "pending", "attempts": attempts, "last_error": error.reply,
                "next_attempt_at": now + backoff(attempts, policy)}
    reason = error.reply if not error.temporary else f"gave up after {attempts} attempts: {error.reply}"
    return {"status": "dead", "attempts": attempts, "last_error": reason}


@dataclass
class _Run:
    """One dispatch: who it is, its clock and lease, and what it has done so far.

    ``clock`` is read for every batch and group (claims, the lease, recovery); ``as_of``, when the
    caller fixed it, is the time that decides what is due, the backoff and ``sent_at``."""

    engine: Engine
    mailer: Mailer
    policy: Policy
    clock: Clock
    lease: timedelta
    as_of: datetime | None
    worker: str = field(default_factory=worker_name)
    result: DispatchResult = field(default_factory=DispatchResult)

    def today(self) -> datetime:
        return self.as_of if self.as_of is not None else self.clock()


@dataclass
class _Ledger:
    """The outcomes of the group being sent, not yet committed."""

    finished: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)

    def ids(self) -> set[int]:
        return set(self.sent) | {i for i, _ in self.finished}


async def dispatch(
    engine: Engine, mailer: Mailer, *, policy: Policy, now: datetime | None = None, limit: int | None = None,
    clock: Clock | None = None, lease: timedelta | None = None,
) -> DispatchResult:
    """Send due messages, batch by batch, until none is due (or ``limit`` have been tried).

    ``clock`` (default: the real time) is read per batch and per group; ``now`` fixes what is due
    and the backoff (tests, replays) while the lease runs on a clock that starts there and moves on.
    A database that stays busy longer than ``models.outbox.BUSY_WAIT`` ends the run with a
    StorageError, after what was sent is recorded and the rest given back."""
    job = _Run(engine, mailer, policy, clock or (running_from(now) if now is not None else real_clock),
               lease or LEASE, now)
    job.result.uncertain = outbox.recover(engine, now=job.clock())
    tried = 0
    while limit is None or tried < limit:
        size = policy.batch_size if limit is None else min(policy.batch_size, limit - tried)
        batch = outbox.claim(engine, worker=job.worker, now=job.clock(), due_by=job.today(), lease=job.lease, limit=size)
        if not batch:
            break
        tried += len(batch)
        if not await _send_batch(job, batch):
            break
    return job.result


async def _send_batch(job: _Run, batch: list[OutboxMessage]) -> bool:
    """Send one claimed batch on one connection; False when the connection could not go on."""
    with storage_errors(), job.engine.connect() as connection:
        ledger = _Ledger()
        try:
            return await _send_on(connection, job, batch, ledger)
        except StorageError as error:
            _give_back(connection, job, batch, ledger, error)


def _give_back(connection: Connection, job: _Run, batch: list[OutboxMessage], ledger: _Ledger, error: StorageError) -> NoReturn:
    """The database stayed busy: record what this group sent, give back what it did not send
    (pending, not uncertain), once more waiting at most the same time, and stop the run."""
    stopped = (f"the dispatch stopped after {job.result.sent} messages sent: the database stayed busy (or refused) "
               f"for more than {outbox.BUSY_WAIT.total_seconds():g} s ({error})")
    try:
        _commit(connection, job, ledger, starting=[], released=[i for i in _ids(batch) if i not in ledger.ids()])
    except StorageError:
        raise StorageError(f"{stopped}; the messages it held wait until their lease runs out") from error
    raise StorageError(f"{stopped}; the messages not sent wait for the next dispatch") from error


def _commit(connection: Connection, job: _Run, ledger: _Ledger, *, starting: list[int],
            released: list[int] | None = None) -> set[int]:
    """Record the group's outcomes and mark (fence, renew) the next group; the ids it may send."""
    now = job.clock()
    marked = outbox.record(connection, finished=ledger.finished, sent=ledger.sent, sent_at=job.today(), starting=starting,
                           worker=job.worker, released=released, now=now, until=now + job.lease)
    ledger.finished, ledger.sent = [], []
    return set(marked)


async def _send_on(connection: Connection, job: _Run, batch: list[OutboxMessage], ledger: _Ledger) -> bool:
    """Send a claimed batch a group at a time: the group is marked ``sending`` before (only what
    this dispatcher still holds), and its outcomes are committed after (one transaction per group)."""
    groups = [batch[n : n + SENDING_GROUP] for n in range(0, len(batch), SENDING_GROUP)]
    try:
        async with job.mailer.session() as session:
            mine = _commit(connection, job, ledger, starting=_ids(groups[0]))
            for number, group in enumerate(groups):
                for message in group:
                    if message.id in mine and not await _send_one(session, message, job, ledger):
                        _commit(connection, job, ledger, starting=[], released=_ids(batch))
                        return False  # the connection is gone: the rest wait, untried, for the next dispatch
                following = _ids(groups[number + 1]) if number + 1 < len(groups) else []
                skipped = [m for m in _ids(group) if m not in mine]  # taken over by another dispatcher, or ours no more
                mine = _commit(connection, job, ledger, starting=following, released=skipped)
    except DeliveryError as error:  # could not connect at all: every message waits and is tried again
        job.result.errors.append(error.reply)
        for message in batch:
            assert message.id is not None
            values = _failure(message, error, job.today(), job.policy)
            job.result.retrying += values["status"] == "pending"
            job.result.dead += values["status"] == "dead"
            ledger.finished.append((message.id, values))
        _commit(connection, job, ledger, starting=[])
        return False
    return True


async def _send_one(session: MailSession, message: OutboxMessage, job: _Run, ledger: _Ledger) -> bool:
    """Send one message and note how it ended; False when the connection is gone."""
    assert message.id is not None
    try:
        refused = await session.send(message.sender, list(message.recipients), message.raw)
    except DeliveryError as error:
        values = _failure(message, error, job.today(), job.policy)
        job.result.errors.append(f"{message.key}: {error.reply}")
        job.result.dead += values["status"] == "dead"
        job.result.retrying += values["status"] == "pending"
        job.result.uncertain += values["status"] == "uncertain"
        ledger.finished.append((message.id, values))
        return not error.connection_lost
    job.result.sent += 1
    if refused:  # delivered to the others: sent, saying who did not get it (a retry would send it to all)
        job.result.errors.append(f"{message.key}: {refused}")
        ledger.finished.append((message.id, {"status": "sent", "sent_at": job.today(), "attempts": message.attempts + 1,
                                             "last_error": refused}))
    else:
        ledger.sent.append(message.id)
    return True


def _ids(messages: list[OutboxMessage]) -> list[int]:
    return [m.id for m in messages if m.id is not None]


def run(
    engine: Engine, mailer: Mailer, *, policy: Policy, now: datetime | None = None, limit: int | None = None,
    clock: Clock | None = None, lease: timedelta | None = None,
) -> DispatchResult:
    return asyncio.run(dispatch(engine, mailer, policy=policy, now=now, limit=limit, clock=clock, lease=lease))


def make_mailer(settings: Settings) -> Mailer:
    """The SMTP server from settings, or the local Maildir when none is configured."""
    from notifications.mailers import MaildirMailer, SmtpMailer

    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return SmtpMailer(host=settings.smtp_host, port=settings.smtp_port_or_default, security=settings.smtp_security,
                          username=settings.smtp_username, password=password, timeout=settings.smtp_timeout)
    return MaildirMailer(settings.maildir_path)
