"""The daily letters' parts: which reminder or rung went out in which letter, once each.

A body's letter of the day is one outbox row (key ``chase:BODY:DAY``, or ``chase:BODY:DAY:N`` for
a later letter the same day that carries only what is new); each reminder or rung it carries is a
``letter_part`` row under the per-item key that reminder or rung had when it was an email of its
own. The key is unique, and a letter is written only from the parts its own insert stored, in the
same transaction as its outbox row: two runs at once, a retry or a second scheduler can never put
one part in two letters.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func
from sqlalchemy import delete as sa_delete
from sqlalchemy import insert as sa_insert
from sqlalchemy import update as sa_update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.db import hold_write_lock
from models.outbound_tables import LetterPart, OutboxMessage
from models.outbox import Draft
from models.states import ItemState
from models.tables import Item, Section

CHASE_LOCK = 0x646F6E646F63_03
"""PostgreSQL advisory lock key of the daily chase (one run writes letters at a time per database)."""


class Part(NamedTuple):
    """One thing a body's letter says: a reminder or a rung (``kind``) of ``item``, on ``subject``
    ("deadline" or "report") of ``day``, as the lead (``role`` "lead"), as a body the ladder
    writes to ("escalated") or as a cooperating body ("cooperating"). ``level`` is the rung's level,
    or the reminder's offset; ``days`` the working days left (reminder) or late (rung)."""

    key: str
    body: str
    role: str
    kind: str
    subject: str
    day: date
    level: int
    days: int
    item: ItemState


@dataclass(frozen=True)
class StoredPart:
    """A part as ``outbox parts`` lists it: the letter that carried it and when."""

    key: str
    letter: str
    body: str
    item_id: int
    kind: str
    role: str
    subject: str
    due_date: date
    level: int
    status: str
    created_at: datetime


def lock_letters(session: Session) -> None:
    """Serialise the chase's writers (the first statement of the transaction): the next run waits,
    then reads the parts this one stored, and numbers its letters after this one's."""
    hold_write_lock(session.connection(), CHASE_LOCK)


def known_parts(session: Session, keys: list[str]) -> set[str]:
    """Which of ``keys`` a letter already carried, or an outbox row holds (a reminder or rung sent
    as an email of its own by ``dondoc remind``/``escalate``, or before letters existed)."""
    found: set[str] = set()
    for start in range(0, len(keys), 900):
        chunk = keys[start : start + 900]
        found.update(session.exec(select(LetterPart.key).where(col(LetterPart.key).in_(chunk))).all())
        found.update(session.exec(select(OutboxMessage.key).where(col(OutboxMessage.key).in_(chunk))).all())
    return found


def letter_key(session: Session, body: str, day: date) -> str:
    """The outbox key of ``body``'s next letter of ``day``: ``chase:BODY:DAY`` for the first, then
    ``chase:BODY:DAY:2``, ``:3`` ... (a later run that found something new the same day).

    The later letters are found by their exact prefix: GLOB on SQLite, which searches the key's
    index (LIKE there ignores case, so it read the whole outbox for every body), and LIKE with its
    wildcards escaped elsewhere (a ``_`` in a body code matched any character)."""
    base = f"chase:{body}:{day.isoformat()}"
    key = col(OutboxMessage.key)
    if session.get_bind().dialect.name == "sqlite":
        later = key.op("GLOB")(_GLOB_SPECIAL.sub(r"[\1]", base) + ":*")
    else:
        later = key.like(_LIKE_SPECIAL.sub(r"\\\1", base) + ":%", escape="\\")
    count = session.exec(select(func.count()).select_from(OutboxMessage).where((key == base) | later)).one()
    return base if not count else f"{base}:{int(count) + 1}"


def letter_keys(session: Session, bodies: list[str], day: date) -> dict[str, str]:
    """:func:`letter_key` of each of ``bodies``: the first letters of the day (no letter of that
    key yet, the common case) found by one look-up of the keys per 900 bodies; only a body that
    already has its day's letter is counted on its own. Called under the chase's lock, like it."""
    bases = {body: f"chase:{body}:{day.isoformat()}" for body in bodies}
    taken: set[str] = set()
    wanted = sorted(bases.values())
    for start in range(0, len(wanted), 900):
        taken.update(session.exec(select(OutboxMessage.key).where(col(OutboxMessage.key).in_(wanted[start : start + 900]))).all())
    return {body: letter_key(session, body, day) if base in taken else base for body, base in bases.items()}


_GLOB_SPECIAL = re.compile(r"([*?\[])")
_LIKE_SPECIAL = re.compile(r"([%_\\])")


def open_letter(session: Session, *, draft: Draft, now: datetime) -> int:
    """Insert the letter's outbox row (its text still a placeholder) and return its id, the
    letter's number; :func:`close_letter` writes the text once the parts are stored. A Core
    insert, compiled once per process: the chase opens a letter per body (1,000 a day), and the
    ORM's unit of work would build and track an object for each."""
    session.flush()  # what the session still holds goes first, as the ORM's flush of the letter did
    return int(session.connection().execute(_statements(session).open_letter, {
        "key": draft.key, "kind": draft.kind, "item_id": None, "due_date": draft.due_date, "level": 0,
        "sender": draft.sender, "recipients": list(draft.recipients), "subject": draft.subject,
        "message_id": draft.message_id, "raw": draft.raw, "status": "pending", "attempts": 0,
        "next_attempt_at": now, "last_error": None, "created_at": now, "sent_at": None, "claimed_by": None,
        "claimed_until": None,
    }).scalar_one())


def store_parts(session: Session, *, outbox_id: int, parts: list[Part], now: datetime) -> set[str]:
    """Insert the parts not stored yet, for letter ``outbox_id``; returns the keys this insert stored
    (the only parts the letter may carry). One statement compiled once per process, given all the
    rows at once: SQLAlchemy batches them into multi-row INSERTs ("insertmanyvalues"), where a
    statement built from the rows' values would be compiled anew for every letter."""
    if not parts:
        return set()
    rows: list[dict[str, Any]] = [
        {"key": p.key, "outbox_id": outbox_id, "body_code": p.body, "item_id": p.item.id, "kind": p.kind,
         "role": p.role, "subject": p.subject, "due_date": p.day, "level": p.level, "created_at": now}
        for p in parts
    ]
    return set(session.connection().execute(_statements(session).store_parts, rows).scalars())


def close_letter(session: Session, *, outbox_id: int, draft: Draft | None) -> None:
    """Write the letter's text, or, when none of its parts was new (``draft`` None), take it back."""
    db = session.connection()
    if draft is None:
        db.execute(_statements(session).take_back, {"letter": outbox_id})
        return
    db.execute(_statements(session).close_letter, {
        "letter": outbox_id, "new_subject": draft.subject, "new_raw": draft.raw,
        "new_recipients": list(draft.recipients), "new_message_id": draft.message_id,
    })


class _Statements(NamedTuple):
    """The chase's writes, built once per dialect (so SQLAlchemy compiles each once, from its cache)."""

    open_letter: Any
    store_parts: Any
    close_letter: Any
    take_back: Any


@lru_cache(maxsize=4)
def _statements_for(dialect: str) -> _Statements:
    outbox, parts = OutboxMessage.__table__, LetterPart.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return _Statements(
        open_letter=sa_insert(outbox).returning(outbox.c.id),
        store_parts=insert(parts).on_conflict_do_nothing(index_elements=["key"]).returning(parts.c.key),
        close_letter=sa_update(outbox).where(outbox.c.id == bindparam("letter")).values(
            subject=bindparam("new_subject"), raw=bindparam("new_raw"), recipients=bindparam("new_recipients"),
            message_id=bindparam("new_message_id")),
        take_back=sa_delete(outbox).where(outbox.c.id == bindparam("letter")),
    )


def _statements(session: Session) -> _Statements:
    return _statements_for(session.get_bind().dialect.name)


def parts_of(session: Session, *, item_id: int | None = None, outbox_id: int | None = None, limit: int = 500) -> list[StoredPart]:
    """The parts stored for an item (its history of reminders and rungs) or a letter, newest first."""
    query = select(LetterPart, OutboxMessage.key, OutboxMessage.status).join(
        OutboxMessage, col(OutboxMessage.id) == col(LetterPart.outbox_id)
    )
    if item_id is not None:
        query = query.where(LetterPart.item_id == item_id)
    if outbox_id is not None:
        query = query.where(LetterPart.outbox_id == outbox_id)
    rows = session.exec(query.order_by(col(LetterPart.id).desc()).limit(limit)).all()
    return [
        StoredPart(p.key, letter, p.body_code, p.item_id, p.kind, p.role, p.subject, p.due_date, p.level, status, p.created_at)
        for p, letter, status in rows
    ]


def section_titles(session: Session, item_ids: list[int]) -> dict[int, str]:
    """The title of each item's section (the letters name the section, not its number)."""
    titles: dict[int, str] = {}
    for start in range(0, len(item_ids), 900):
        chunk = item_ids[start : start + 900]
        rows = session.exec(
            select(Item.id, Section.title)
            .join(Section, (col(Section.document_id) == col(Item.document_id)) & (col(Section.key) == col(Item.section_key)))
            .where(col(Item.id).in_(chunk))
        ).all()
        titles.update({item_id: title for item_id, title in rows if item_id is not None})
    return titles
