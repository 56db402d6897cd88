"""The outbox: every email is a row here, under a unique key, before anything sends it.

Claiming takes a lease, so two dispatchers never hold the same message. Messages are marked
``sending`` (committed) a small group at a time before they go to the server, and their outcomes
are committed when the group is done; a dispatcher killed in between leaves at most that group
``uncertain``: visible, and never resent blindly. Marking a group ``sending`` renews its lease and
is fenced on it (:func:`record`), so a dispatcher whose lease ran out sends nothing another one
took over. Every transaction here waits at most :data:`BUSY_WAIT` for a busy database, and turns a
driver error into the project's own (``models.db.storage_errors``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.db import storage_errors
from models.outbound_tables import OutboxMessage


@dataclass(frozen=True)
class Draft:
    """A rendered email, ready for the outbox."""

    key: str
    kind: str
    item_id: int | None
    due_date: date | None
    level: int
    sender: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str
    raw: str


def enqueue(session: Session, *, drafts: list[Draft], now: datetime) -> int:
    """Insert the drafts whose key is new; returns how many were new. Safe against a concurrent sweep."""
    if not drafts:
        return 0
    rows: list[dict[str, Any]] = [
        {
            "key": d.key, "kind": d.kind, "item_id": d.item_id, "due_date": d.due_date, "level": d.level,
            "sender": d.sender, "recipients": list(d.recipients), "subject": d.subject, "message_id": d.message_id,
            "raw": d.raw, "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
        }
        for d in drafts
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    inserted = 0
    for start in range(0, len(rows), 500):
        statement = (
            insert(table).values(rows[start : start + 500]).on_conflict_do_nothing(index_elements=["key"])
            .returning(table.c.key)
        )
        inserted += len(session.execute(statement).all())
    return inserted


def existing_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 900):
        chunk = keys[start : start + 900]
        found.update(session.exec(select(OutboxMessage.key).where(col(OutboxMessage.key).in_(chunk))).all())
    return found


BUSY_WAIT = timedelta(seconds=15)
"""How long a dispatcher's statement waits for a database another writer holds (SQLite's busy
timeout, PostgreSQL's lock_timeout) before it gives up with a StorageError, rather than for ever."""


def wait_at_most(connection: Connection) -> None:
    """Bound this transaction's wait for a lock to :data:`BUSY_WAIT` (read when called, so a test may
    shrink it): a long ingest then stops a dispatch cleanly instead of hanging or crashing it."""
    milliseconds = max(1, int(BUSY_WAIT.total_seconds() * 1000))
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout={milliseconds}")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction with a bounded wait; a driver error (connecting too) is a StorageError."""
    with storage_errors(), engine.begin() as connection:
        wait_at_most(connection)
        yield connection


def recover(engine: Engine, *, now: datetime) -> int:
    """Messages left ``sending`` by a dispatcher that stopped: their fate is unknown, so they are
    marked ``uncertain`` for a person to look at (``outbox retry`` sends them again). Only those
    whose lease ran out: a live dispatcher renews the lease of the group it is sending."""
    with _transaction(engine) as connection:
        result = connection.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.status) == "sending", col(OutboxMessage.claimed_until) < now)
            .values(status="uncertain", claimed_by=None, claimed_until=None,
                    last_error="the dispatcher stopped while sending this message; it may or may not have been delivered")
        )
        return result.rowcount or 0


def claim(
    engine: Engine, *, worker: str, now: datetime, lease: timedelta, limit: int, due_by: datetime | None = None
) -> list[OutboxMessage]:
    """Take up to ``limit`` messages due by ``due_by`` (default ``now``) for ``worker`` until ``now + lease``."""
    free = or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now)
    due = and_(col(OutboxMessage.status) == "pending", col(OutboxMessage.next_attempt_at) <= (due_by or now), free)
    until = now + lease
    with _transaction(engine) as connection:
        ids = select(OutboxMessage.id).where(due).order_by(col(OutboxMessage.id)).limit(limit)
        if connection.dialect.name == "postgresql":
            # Chosen and locked first, then updated: inside the UPDATE, PostgreSQL may rescan a
            # LIMIT ... SKIP LOCKED subquery for each row and so claim every due message.
            chosen = list(connection.execute(ids.with_for_update(skip_locked=True)).scalars())
            which = col(OutboxMessage.id).in_(chosen)
        else:  # one statement: SQLite runs one writer at a time, so nothing comes between
            which = col(OutboxMessage.id).in_(ids.scalar_subquery())
        connection.execute(
            update(OutboxMessage).where(which, due)
            .values(claimed_by=worker, claimed_until=until).execution_options(synchronize_session=False)
        )
    with storage_errors(), Session(engine, expire_on_commit=False) as session:
        return list(session.exec(
            select(OutboxMessage).where(OutboxMessage.claimed_by == worker, OutboxMessage.claimed_until == until,
                                        OutboxMessage.status == "pending").order_by(col(OutboxMessage.id))
        ).all())


def record(
    connection: Connection, *, finished: list[tuple[int, dict[str, Any]]], starting: list[int], worker: str,
    sent: list[int] | None = None, sent_at: datetime | None = None, released: list[int] | None = None,
    now: datetime | None = None, until: datetime | None = None,
) -> list[int]:
    """In one transaction: record the messages ``sent`` (one statement) and how the others ended,
    give back (``released``) claimed messages not tried, and mark the next group ``sending``.

    Marking is the fence: it takes only the messages ``worker`` still holds with a lease that has
    not run out at ``now``, and renews their lease to ``until`` (no extra statement); it returns
    the ids it marked, the only ones the caller may send. A message another dispatcher took over
    after this one's lease ran out is left to it. A message sent here is recorded sent even if a
    dispatcher that thought this one dead had marked it ``uncertain``: it was delivered."""
    with storage_errors(), connection.begin():
        wait_at_most(connection)
        if sent:
            ours_or_doubted = or_(col(OutboxMessage.claimed_by) == worker,
                                  and_(col(OutboxMessage.status) == "uncertain", col(OutboxMessage.claimed_by).is_(None)))
            connection.execute(
                update(OutboxMessage).where(col(OutboxMessage.id).in_(sent), ours_or_doubted)
                .values(status="sent", sent_at=sent_at, attempts=col(OutboxMessage.attempts) + 1, last_error=None,
                        claimed_by=None, claimed_until=None)
            )
        for message_id, values in finished:
            connection.execute(
                update(OutboxMessage).where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == worker)
                .values(claimed_by=None, claimed_until=None, **values)
            )
        if released:
            connection.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(released), col(OutboxMessage.claimed_by) == worker,
                       col(OutboxMessage.status).in_(["pending", "sending"]))
                .values(status="pending", claimed_by=None, claimed_until=None)
            )
        if not starting:
            return []
        assert now is not None and until is not None, "marking messages sending needs the time and the new lease"
        marked = connection.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(starting), col(OutboxMessage.claimed_by) == worker,
                   col(OutboxMessage.claimed_until) >= now, col(OutboxMessage.status) == "pending")
            .values(status="sending", claimed_until=until)
            .returning(col(OutboxMessage.id))
        )
        return [i for i in marked.scalars() if i is not None]


def retry(session: Session, *, now: datetime) -> int:
    """Make waiting, dead and uncertain messages due at once (dead and uncertain ones with fresh attempts)."""
    waiting = session.execute(
        update(OutboxMessage).where(col(OutboxMessage.status) == "pending", col(OutboxMessage.next_attempt_at) > now)
        .values(next_attempt_at=now)
    ).rowcount or 0  # type: ignore[attr-defined]
    revived = session.execute(
        update(OutboxMessage).where(col(OutboxMessage.status).in_(["dead", "uncertain"]))
        .values(status="pending", next_attempt_at=now, attempts=0, claimed_by=None, claimed_until=None)
    ).rowcount or 0  # type: ignore[attr-defined]
    return int(waiting) + int(revived)


def list_messages(session: Session, *, status: str | None = None, limit: int = 200) -> list[OutboxMessage]:
    query = select(OutboxMessage)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(session.exec(query.order_by(col(OutboxMessage.id).desc()).limit(limit)).all())


def counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    rows = session.exec(select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))).all()
    return {status: int(n) for status, n in rows}
