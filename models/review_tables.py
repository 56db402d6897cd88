"""The tables of review rounds (sơ kết, tổng kết): the round the Standing Committee opens, what
it asks of each body, and what each body answers.

A round asks about the items a body leads when the round opens; those questions are frozen in
``review_question`` so that a later re-ingest or reassignment does not change what was asked.
A body's answer to an item is one row (``uq_review_answer_item``): a later answer replaces it while
the round is open, and the audit trail keeps every one. The same kind over the same period is one
round only (``uq_review_round_period``).
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import one_of
from models.types import UTCDateTime, utcnow

REVIEW_KINDS = ("midterm", "yearly", "final")
ROUND_STATUSES = ("open", "closed")
ANSWER_STATUSES = ("done", "on_track", "behind", "not_started", "blocked")
ANSWER_CHANNELS = ("page", "command", "form", "console")


class ReviewRound(SQLModel, table=True):
    """A review round, opened by the Standing Committee (who and when recorded) and closed once."""

    __tablename__ = "review_round"
    __table_args__ = (
        UniqueConstraint("document_id", "kind", "period_from", "period_to", name="uq_review_round_period"),
        one_of("review_round", "kind", REVIEW_KINDS),
        one_of("review_round", "status", ROUND_STATUSES),
    )
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(sa_column=Column(Integer, ForeignKey("document.id"), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    period_from: date
    period_to: date
    due: date
    status: str = Field(default="open", sa_column=Column(String(16), nullable=False))
    opened_by: str = Field(sa_column=Column(String(120), nullable=False))
    opened_on: date
    opened_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    closed_by: str | None = Field(default=None, sa_column=Column(String(120)))
    closed_on: date | None = None
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class ReviewRequest(SQLModel, table=True):
    """What a round asks of one body: one row per body that leads at least one active item."""

    __tablename__ = "review_request"
    __table_args__ = (UniqueConstraint("round_id", "body_code", name="uq_review_request_body"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(sa_column=Column(Integer, ForeignKey("review_round.id"), nullable=False))
    body_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))
    asked: int
    """How many items the round asks this body about."""


class ReviewQuestion(SQLModel, table=True):
    """One item a round asks about, and the body asked (the item's lead when the round opened)."""

    __tablename__ = "review_question"
    __table_args__ = (
        UniqueConstraint("round_id", "item_id", name="uq_review_question_item"),
        Index("ix_review_question_body", "round_id", "body_code"),
    )
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(sa_column=Column(Integer, ForeignKey("review_round.id"), nullable=False))
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id"), nullable=False))
    body_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))


class ReviewAnswer(SQLModel, table=True):
    """A body's answer about one item in a round: a status, a short account and, for a target, the
    value reached per indicator (``values``: indicator position as text -> number)."""

    __tablename__ = "review_answer"
    __table_args__ = (
        UniqueConstraint("round_id", "item_id", name="uq_review_answer_item"),
        Index("ix_review_answer_body", "round_id", "body_code"),
        one_of("review_answer", "status", ANSWER_STATUSES),
        one_of("review_answer", "channel", ANSWER_CHANNELS),
    )
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(sa_column=Column(Integer, ForeignKey("review_round.id"), nullable=False))
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id"), nullable=False))
    body_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    answered_on: date
    answered_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    channel: str = Field(sa_column=Column(String(16), nullable=False))
    actor: str = Field(sa_column=Column(String(120), nullable=False))
