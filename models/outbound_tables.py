"""The tables of what leaves the house: the outbox, the parts each letter carries, the generation
of each body's links, and the scheduled runs claimed. Split from :mod:`models.tables` (the
programme and the work on it) to keep each module small; both register on the same metadata.
"""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from models.tables import (
    ESCALATION_SUBJECTS,
    OUTBOX_KINDS,
    OUTBOX_STATUSES,
    PART_KINDS,
    PART_ROLES,
    one_of,
)
from models.types import UTCDateTime, utcnow


class OutboxMessage(SQLModel, table=True):
    """An email, written here before anything sends it. ``key`` makes it once-only."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        one_of("outbox", "status", OUTBOX_STATUSES),
        one_of("outbox", "kind", OUTBOX_KINDS),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    item_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("item.id"), index=True))
    due_date: date | None = None
    level: int = 0
    sender: str = Field(sa_column=Column(Text, nullable=False))
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    subject: str = Field(sa_column=Column(Text, nullable=False))
    message_id: str = Field(sa_column=Column(String(200), nullable=False))
    raw: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", sa_column=Column(String(16), nullable=False))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    claimed_by: str | None = Field(default=None, sa_column=Column(String(80)))
    claimed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class LetterPart(SQLModel, table=True):
    """One reminder or rung as one body's daily letter carried it (``models.letters``).

    ``key`` is the per-item key the reminder or rung had when it was an email of its own (the
    lead's part), or that key with ``@BODY`` (a supervising body, the Standing Committee, the
    coordinator or a cooperating body hearing of it); unique, so a part goes in one letter only,
    whichever run, retry or second scheduler composes it. ``role`` says in which section of the
    letter it stood."""

    __tablename__ = "letter_part"
    __table_args__ = (
        one_of("letter_part", "kind", PART_KINDS),
        one_of("letter_part", "role", PART_ROLES),
        one_of("letter_part", "subject", ESCALATION_SUBJECTS),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(220), unique=True, nullable=False))
    outbox_id: int = Field(sa_column=Column(Integer, ForeignKey("outbox.id"), nullable=False, index=True))
    body_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id"), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    subject: str = Field(sa_column=Column(String(16), nullable=False))
    due_date: date
    level: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class LinkGeneration(SQLModel, table=True):
    """A body's link generation, raised by ``dondoc link revoke``: a signed link carries the
    generation it was made at, and one older than the body's is refused. A body with no row is at
    generation 0. No foreign key to ``body``: the registry is the reference (migration 0007)."""

    __tablename__ = "link_generation"
    __table_args__ = (CheckConstraint("generation >= 1", name="ck_link_generation_generation"),)
    body_code: str = Field(sa_column=Column(String(32), primary_key=True))
    generation: int = Field(sa_column=Column(Integer, nullable=False))
    revoked_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_by: str = Field(sa_column=Column(String(120), nullable=False))


class SchedulerSlot(SQLModel, table=True):
    """A claimed run of a scheduled job (``name`` is ``job@time``): the ``dondoc serve`` process
    that inserted the row runs it, the others skip it. Kept until ``expires_at``, then purged."""

    __tablename__ = "scheduler_slot"
    name: str = Field(sa_column=Column(String(40), primary_key=True))
    holder: str = Field(sa_column=Column(String(120), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
