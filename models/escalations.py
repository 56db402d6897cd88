"""The rungs of the escalation ladder that items have reached, recorded once each."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from models.tables import Escalation


@dataclass(frozen=True)
class RungRecord:
    item_id: int
    subject: str
    since: date
    level: int
    reason: str


def record_rungs(session: Session, *, rungs: list[RungRecord], on: date, now: datetime) -> int:
    """Record the rungs not yet reached; returns how many are new.

    One insert that skips the rungs already stored (its unique key is item, subject, date and
    level), so two sweeps at once (two schedulers, a sweep by hand during a scheduled one) record
    each rung once, and neither fails on the other's row.
    """
    if not rungs:
        return 0
    rows: list[dict[str, Any]] = [
        {"item_id": r.item_id, "subject": r.subject, "overdue_since": r.since, "level": r.level, "reason": r.reason,
         "reached_on": on, "created_at": now}
        for r in rungs
    ]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = Escalation.__table__  # type: ignore[attr-defined]
    statement = (  # one statement given every row: compiled once, batched by SQLAlchemy (insertmanyvalues)
        insert(table).on_conflict_do_nothing(index_elements=["item_id", "subject", "overdue_since", "level"])
        .returning(table.c.id)
    )
    return len(session.connection().execute(statement, rows).all())


def levels_reached(
    session: Session, item_ids: list[int], as_of: date | None = None
) -> dict[tuple[int, str, date], int]:
    """The highest rung recorded for each (item, subject, overdue date) of ``item_ids``, reached
    on or before ``as_of`` when given: what the ladder has already done, as the digest reports it.
    A date missing from the answer has reached no rung yet."""
    table = Escalation.__table__  # type: ignore[attr-defined]
    levels: dict[tuple[int, str, date], int] = {}
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), 500):
        query = (
            select(table.c.item_id, table.c.subject, table.c.overdue_since, func.max(table.c.level))
            .where(table.c.item_id.in_(ids[start : start + 500]))
            .group_by(table.c.item_id, table.c.subject, table.c.overdue_since)
        )
        if as_of is not None:
            query = query.where(table.c.reached_on <= as_of)
        for item_id, subject, since, level in session.execute(query).all():
            levels[(item_id, subject, since)] = int(level)
    return levels
