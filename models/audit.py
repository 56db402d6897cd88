"""The audit trail: what changed, when and by whom, one row per change, in the same transaction.

The trail is append-only (the database refuses an update, a delete, an insert over a stored id
and, on PostgreSQL, a TRUNCATE: migrations 0001 and 0005) and tamper-evident: each row carries
``prev_hash``, the ``hash`` of the row before it (:data:`GENESIS` for the first), and its own

    hash = sha256(prev_hash + canonical), canonical = the UTF-8 of the compact JSON array
    [id, at as ISO 8601 in UTC, actor, action, entity, entity_key, detail], keys sorted, ASCII only

(:func:`digest`), so that anyone can recompute it. The id is in it, so a row cannot be moved; a
row edited around the triggers no longer matches its hash, and a row deleted or slipped in
breaks the link of the row after it. :func:`verify_trail` walks the chain and names the first row
that breaks it. (Rewriting every later row too stays possible for someone with the database's
rights and this recipe: the hash of the newest row, noted elsewhere, is what shows that.)

:func:`audit` does not write a row: it keeps the event on the session, and the session's commit
appends the transaction's events in one go (:func:`_append_pending`). That step locks the tail of
the trail first (PostgreSQL: a table lock only appenders take; SQLite: the write lock), so two
transactions appending at once never chain to the same row, and it reads the tail once per
transaction, not once per event (an ingest writes hundreds).
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, text
from sqlalchemy import select as select_columns
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col, select

from models.tables import AuditEvent

GENESIS = "0" * 64
"""The ``prev_hash`` of the first row."""

PENDING = "dondoc.audit.pending"
"""Where :func:`audit` keeps a transaction's events on ``Session.info`` until the commit."""


def audit(session: Session, *, actor: str, action: str, entity: str, key: str, at: datetime, **detail: Any) -> None:
    """Record an audit event with the session's transaction: it is stored with the change or not at all.

    ``detail`` goes through JSON here, so that what is hashed is what the database gives back."""
    if at.tzinfo is None:
        raise ValueError("naive datetime refused: pass an aware one")
    stored = json.loads(json.dumps(detail))
    row = AuditEvent(at=at.astimezone(UTC), actor=actor, action=action, entity=entity, entity_key=key, detail=stored)
    session.info.setdefault(PENDING, []).append(row)


def digest(prev_hash: str, *, id: int, at: datetime, actor: str, action: str, entity: str, entity_key: str,
           detail: Any) -> str:
    """The hash of a row that follows a row whose hash is ``prev_hash`` (the recipe is above)."""
    canonical = json.dumps([id, at.astimezone(UTC).isoformat(), actor, action, entity, entity_key, detail],
                           sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _lock_tail(session: Session) -> None:
    """Hold the right to append until the transaction ends, so that the tail read next stays the tail.

    PostgreSQL: SHARE ROW EXCLUSIVE conflicts with itself and with writes, not with reads, so
    ``audit verify`` and ``audit list`` never wait. SQLite: a write that changes nothing takes the
    database's write lock (a read would not, and a second writer could then append in between)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE"))
    else:
        session.execute(text("DELETE FROM audit_event WHERE 0"))


def _append_pending(session: Session) -> None:
    """Before a commit: chain the transaction's events to the tail of the trail, in the order recorded."""
    pending: list[AuditEvent] | None = session.info.pop(PENDING, None)
    if not pending:
        return
    session.flush()  # the transaction's other writes first: under the lock, only the trail is written
    _lock_tail(session)
    tail = session.exec(select(col(AuditEvent.id), col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    next_id, prev = (int(tail[0] or 0) + 1, tail[1]) if tail else (1, GENESIS)
    for row in pending:
        row.id, row.prev_hash = next_id, prev
        row.hash = prev = digest(prev, id=next_id, at=row.at, actor=row.actor, action=row.action, entity=row.entity,
                                 entity_key=row.entity_key, detail=row.detail)
        next_id += 1
    session.add_all(pending)


def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends without its commit (a rollback, a close) takes its events with it."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


event.listen(Session, "before_commit", _append_pending)
event.listen(Session, "after_transaction_end", _forget_pending)


@dataclass(frozen=True)
class Break:
    """The first row that breaks the chain, and how."""

    id: int
    at: datetime
    action: str
    altered: bool
    """True: the row does not match its own hash. False: it does not follow the row before it."""
    follows: int | None
    """The id of the row before it, the one it should follow (None when it is the first row)."""


@dataclass(frozen=True)
class Verdict:
    rows: int
    """How many rows were checked (all of them when the chain holds)."""
    head: str
    """The hash of the last row that holds: note it elsewhere to tell later that nothing before it changed."""
    broken: Break | None


def verify_trail(session: Session) -> Verdict:
    """Walk the trail in id order, recomputing each hash; stop at the first row that breaks the chain."""
    prev, before, rows = GENESIS, None, 0
    for row in _rows_in_order(session):
        if row.prev_hash != prev:
            return Verdict(rows, prev, Break(row.id, row.at, row.action, altered=False, follows=before))
        if digest(prev, id=row.id, at=row.at, actor=row.actor, action=row.action, entity=row.entity,
                  entity_key=row.entity_key, detail=row.detail) != row.hash:
            return Verdict(rows, prev, Break(row.id, row.at, row.action, altered=True, follows=before))
        prev, before, rows = row.hash, row.id, rows + 1
    return Verdict(rows, prev, None)


def _rows_in_order(session: Session) -> Iterator[Any]:
    names = ("id", "at", "actor", "action", "entity", "entity_key", "detail", "prev_hash", "hash")
    columns = [col(getattr(AuditEvent, name)) for name in names]
    result = session.execute(select_columns(*columns).order_by(col(AuditEvent.id)).execution_options(yield_per=2000))
    yield from result


def recent_events(session: Session, *, limit: int) -> tuple[list[AuditEvent], int]:
    """The newest ``limit`` events, newest first, and how many there are in all."""
    total = session.exec(select(func.count()).select_from(AuditEvent)).one()
    rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)).all()
    return list(rows), int(total)
