"""Delegation (giao đơn vị thực hiện): a lead body hands one of its items to a unit under it.

The lead stays accountable: its assignment row is unchanged; the delegation only says who the
chase writes to and who answers. One row per delegation, never deleted: taking it back (or
giving it to another unit) sets ``ended_at``/``ended_by``, so the history of who held the item
stays readable. At most one delegation of an item is active, by a partial unique index
(``uq_delegation_active``): two clerks delegating at once cannot both win.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, text
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Delegation(SQLModel, table=True):
    """Item ``item_id``, led by ``lead_code``, delegated to ``unit_code`` (a body whose
    ``escalates_to`` is the lead) by ``delegated_by`` (the actor) on ``delegated_on``."""

    __tablename__ = "delegation"
    __table_args__ = (
        Index("uq_delegation_active", "item_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("ix_delegation_unit", "unit_code"),
        CheckConstraint("unit_code <> lead_code", name="ck_delegation_not_itself"),
    )
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(sa_column=Column(Integer, ForeignKey("item.id"), nullable=False))
    lead_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))
    unit_code: str = Field(sa_column=Column(String(32), ForeignKey("body.code"), nullable=False))
    delegated_by: str = Field(sa_column=Column(String(120), nullable=False))
    delegated_on: date
    delegated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    ended_by: str | None = Field(default=None, sa_column=Column(String(120)))
    ended_on: date | None = None
    ended_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
