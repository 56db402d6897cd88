"""The outbox: every email is a row here, under a unique key, before anything sends it.

Claiming takes a lease, so two dispatchers never hold the same message. Messages are marked
``sending`` (committed) a small group at a time before they go to the server, and their outcomes
are committed when the group is done; a dispatcher killed in between leaves at most that group
``uncertain``: visible, and never resent blindly. The functions that run their own transaction
turn a driver error into the project's own (``models.db.storage_errors``).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.db import storage_errors
from models.tables import OutboxMessage


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


def recover(engine: Engine, *, now: datetime) -> int:
    """Messages left ``sending`` by a dispatcher that stopped: their fate is unknown, so they are
    marked ``uncertain`` for a person to look at (``outbox retry`` sends them again)."""
    with storage_errors(), engine.begin() as connection:
        result = connection.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.status) == "sending", col(OutboxMessage.claimed_until) < now)
            .values(status="uncertain", claimed_by=None, claimed_until=None,
                    last_error="the dispatcher stopped while sending this message; it may or may not have been delivered")
        )
        return result.rowcount or 0


def claim(engine: Engine, *, worker: str, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
    """Take up to ``limit`` due messages for ``worker`` until ``now + lease``."""
    free = or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now)
    due = and_(col(OutboxMessage.status) == "pending", col(OutboxMessage.next_attempt_at) <= now, free)
    until = now + lease
    with storage_errors(), engine.begin() as connection:
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
) -> None:
    """In one transaction: record the messages ``sent`` (one statement) and how the others ended,
    mark the next group ``sending``, and give back (``released``) claimed messages not tried."""
    with storage_errors(), connection.begin():
        if sent:
            connection.execute(
                update(OutboxMessage).where(col(OutboxMessage.id).in_(sent), col(OutboxMessage.claimed_by) == worker)
                .values(status="sent", sent_at=sent_at, attempts=col(OutboxMessage.attempts) + 1, last_error=None,
                        claimed_by=None, claimed_until=None)
            )
        for message_id, values in finished:
            connection.execute(
                update(OutboxMessage).where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == worker)
                .values(claimed_by=None, claimed_until=None, **values)
            )
        if starting:
            connection.execute(
                update(OutboxMessage).where(col(OutboxMessage.id).in_(starting), col(OutboxMessage.claimed_by) == worker)
                .values(status="sending")
            )
        if released:
            connection.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(released), col(OutboxMessage.claimed_by) == worker,
                       col(OutboxMessage.status).in_(["pending", "sending"]))
                .values(status="pending", claimed_by=None, claimed_until=None)
            )


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
