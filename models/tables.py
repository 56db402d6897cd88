"""The tables. Identity is a surrogate id; what a user types (a key, a body code) is unique data.

Items keep their row (and so their reports and manual assignments) across revisions of the
document: a revision may renumber an item, which changes its key, not its id. Only active items
must have unique keys, so the key index is partial (``retired_at IS NULL``).

The database says what the code assumes: every column that holds a code (a status, a role, a
kind) carries a named CHECK listing the codes, so a row no version of dondoc would write is
refused at the door. Migration 0004 adds the same constraints; ``python -m models.check`` proves
the two agree.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow

REPORT_STATUSES = ("not_started", "in_progress", "done", "blocked")
EXTENSION_STATUSES = ("pending", "approved", "refused")
OUTBOX_STATUSES = ("pending", "sending", "sent", "dead", "uncertain")
OUTBOX_KINDS = ("reminder", "escalation", "digest", "chase", "extension", "review_request", "review_report",
                "delegation")
PART_KINDS = ("reminder", "escalation")
PART_ROLES = ("lead", "escalated", "cooperating")
ROLES = ("lead", "cooperating")
ITEM_KINDS = ("target", "task", "directive")
RECURRENCES = ("once", "yearly", "continuous")
COMPARATORS = ("equal", "at_least", "more_than", "below", "at_most", "between", "times_baseline")
BODY_KINDS = (
    "standing_committee", "party_committee", "coordinator", "government", "party_group", "council", "front",
    "mass_organisation", "advisory_board", "local_committee", "affiliated_committee",
)
ESCALATION_SUBJECTS = ("deadline", "report", "review")
ESCALATION_LEVELS = (1, 2)


HASHED = "length(prev_hash) = 64 AND length(hash) = 64"
"""An audit row is written with its hashes (hex sha256), never without."""


def one_of(table: str, column: str, codes: tuple[str, ...] | tuple[int, ...]) -> CheckConstraint:
    """A CHECK named ``ck_<table>_<column>`` that lets ``column`` hold only ``codes``."""
    listed = ", ".join(repr(code) for code in codes)
    return CheckConstraint(f"{column} IN ({listed})", name=f"ck_{table}_{column}")


class Document(SQLModel, table=True):
    """A programme, by its key (from its title); revisions update the row and bump ``version``."""

    __tablename__ = "document"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    first_year: int
    last_year: int
    start: date
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    source: str = Field(sa_column=Column(Text, nullable=False))
    version: int = 1
    ingested_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    number: str | None = Field(default=None, sa_column=Column(String(64)))
    """The heading's number ("58/NQ-CP"), how a person names the document; issuer and date beside it."""
    issuer: str | None = Field(default=None, sa_column=Column(Text))
    issued_on: date | None = None


class Section(SQLModel, table=True):
    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("document_id", "key", name="uq_section_document_key"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(sa_column=Column(Integer, ForeignKey("document.id"), nullable=False))
    key: str = Field(sa_column=Column(String(120), nullable=False))
    parent_key: str | None = Field(default=None, sa_column=Column(String(120)))
    title: str = Field(sa_column=Column(Text, nullable=False))
    role: str | None = Field(default=None, sa_column=Column(String(20)))
    context: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    position: int


class Body(SQLModel, table=True):
    """A mirror of the bodies registry, so that assignments can refer to bodies by key."""

    __tablename__ = "body"
    __table_args__ = (one_of("body", "kind", BODY_KINDS),)
    code: str = Field(sa_column=Column(String(32), primary_key=True))
    name_vi: str = Field(sa_column=Column(Text, nullable=False))
    name_en: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    emails: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    escalates_to: str | None = Field(default=None, sa_column=Column(
        String(32),
        # deferred: a registry may list a body before the one it escalates to
        ForeignKey("body.code", name="fk_body_escalates_to", deferrable=True, initially="DEFERRED"),
    ))
    active: bool = True


class Item(SQLModel, table=True):
    __tablename__ = "item"
    __table_args__ = (
        Index(
            "uq_item_active_key", "document_id", "key", unique=True,
            sqlite_where=text("retired_at IS NULL"), postgresql_where=text("retired_at IS NULL"),
        ),
        one_of("item", "kind", ITEM_KINDS),
        one_of("item", "recurrence", RECURRENCES),
    )
    id: int | None = Field(default=None, primary_key=True)
    # no index of its own: every read by document is of active items, which uq_item_active_key serves
    document_id: int = Field(sa_column=Column(Integer, ForeignKey("document.id"), nullable=False))
    key: str = Field(sa_column=Column(String(120), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    section_key: str = Field(sa_column=Column(String(120), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    due: date = Field(index=True)
    recurrence: str = Field(sa_column=Column(String(16), nullable=False))
    deadline_basis: str = Field(sa_column=Column(Text, nullable=False))
    position: int
    line: int
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    retired_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class Indicator(SQLModel, table=True):
    __tablename__ = "indicator"
    __table_args__ = (
        UniqueConstraint("item_id", "position", name="uq_indicator_item_position"),
        one_of("indicator", "comparator", COMPARATORS),
    )
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id", ondelete="CASCADE"), nullable=False))
    position: int
    name: str = Field(sa_column=Column(Text, nullable=False))
    comparator: str = Field(sa_column=Column(String(20), nullable=False))
    value: float
    value_max: float | None = None
    unit: str = Field(sa_column=Column(String(60), nullable=False))
    year: int
    baseline: str | None = Field(default=None, sa_column=Column(Text))


class Assignment(SQLModel, table=True):
    """A body's part in an item. One role per body and item; one lead per item."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("item_id", "body_code", name="uq_assignment_item_body"),
        Index(
            "uq_assignment_one_lead", "item_id", unique=True,
            sqlite_where=text("role = 'lead'"), postgresql_where=text("role = 'lead'"),
        ),
        one_of("assignment", "role", ROLES),
    )
    id: int | None = Field(default=None, primary_key=True)
    # no index of its own: uq_assignment_item_body leads with item_id
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id", ondelete="CASCADE"), nullable=False))
    body_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False, index=True))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    rule: str = Field(sa_column=Column(String(80), nullable=False))
    manual: bool = False
    assigned_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class AuditEvent(SQLModel, table=True):
    """What changed, when and by whom. Append-only: the database refuses updates, deletes, an insert
    over a stored id and TRUNCATE. Each row carries the hash of the row before it and its own
    (``models.audit``, which writes every row), so that a change made around those guards shows."""

    __tablename__ = "audit_event"
    __table_args__ = (CheckConstraint(HASHED, name="ck_audit_event_hashed"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    actor: str = Field(sa_column=Column(String(120), nullable=False))
    action: str = Field(sa_column=Column(String(40), nullable=False, index=True))
    entity: str = Field(sa_column=Column(String(40), nullable=False))
    entity_key: str = Field(sa_column=Column(String(160), nullable=False))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(default="", sa_column=Column(String(64), nullable=False))
    hash: str = Field(default="", sa_column=Column(String(64), nullable=False))


class ProgressReport(SQLModel, table=True):
    """A body's progress report on an item; ``period`` is the reporting date it answers."""

    __tablename__ = "progress_report"
    __table_args__ = (
        one_of("progress_report", "status", REPORT_STATUSES),
        CheckConstraint("percent IS NULL OR percent BETWEEN 0 AND 100", name="ck_progress_report_percent"),
    )
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id"), nullable=False, index=True))
    body_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    percent: int | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    period: date
    submitted_on: date
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    actor: str = Field(sa_column=Column(String(120), nullable=False))


class ExtensionRequest(SQLModel, table=True):
    """A request for more time (gia hạn). ``previous_due`` keeps the date it would have moved.
    An item has at most one request waiting for a decision (a partial unique index)."""

    __tablename__ = "extension_request"
    __table_args__ = (
        Index(
            "uq_extension_request_one_pending", "item_id", unique=True,
            sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'"),
        ),
        one_of("extension_request", "status", EXTENSION_STATUSES),
    )
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id"), nullable=False, index=True))
    body_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))
    previous_due: date
    requested_due: date
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", sa_column=Column(String(16), nullable=False, index=True))
    requested_on: date
    decided_on: date | None = None
    decided_by: str | None = Field(default=None, sa_column=Column(String(120)))
    decision_note: str | None = Field(default=None, sa_column=Column(Text))


class Escalation(SQLModel, table=True):
    """One rung of the ladder, reached once per item, overdue date and level, with its reason."""

    __tablename__ = "escalation"
    __table_args__ = (
        UniqueConstraint("item_id", "subject", "overdue_since", "level", name="uq_escalation_rung"),
        one_of("escalation", "subject", ESCALATION_SUBJECTS),
        one_of("escalation", "level", ESCALATION_LEVELS),
    )
    id: int | None = Field(default=None, primary_key=True)
    # no index of its own: uq_escalation_rung leads with item_id
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id"), nullable=False))
    subject: str = Field(sa_column=Column(String(16), nullable=False))
    overdue_since: date
    level: int
    reason: str = Field(sa_column=Column(Text, nullable=False))
    reached_on: date
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
