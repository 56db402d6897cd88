"""Delegations as stored: hand an item to a unit, take it back, and read who holds what.

Plain storage with its audit events; whether a delegation is allowed (the unit under the lead, the
item open and led by the body delegating) is decided above, by ``workflows.rules.delegation`` and
``workflows.orchestration.delegation``. A delegation counts only while its lead still leads the
item: a reassignment to another lead (``dondoc assign``) leaves it inert, and readers here check
that against the item's lead assignment, so a stale row never sends letters to the wrong unit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func
from sqlmodel import Session, col, select

from models.audit import audit
from models.delegation_tables import Delegation
from models.tables import Assignment, Item, ProgressReport


@dataclass(frozen=True)
class Held:
    """An active delegation, as the pages and the command show it."""

    item_id: int
    key: str
    lead: str
    unit: str
    by: str
    on: date


def _active(*conditions: Any) -> Any:
    """Active delegations whose lead still leads the item, with the item's key."""
    return (
        select(Delegation, Item.key)
        .join(Item, col(Item.id) == col(Delegation.item_id))
        .join(Assignment, and_(col(Assignment.item_id) == col(Delegation.item_id), col(Assignment.role) == "lead",
                               col(Assignment.body_code) == col(Delegation.lead_code)))
        .where(col(Delegation.ended_at).is_(None), col(Item.retired_at).is_(None), *conditions)
        .order_by(col(Delegation.item_id))
    )


def _held(rows: Iterable[tuple[Delegation, str]]) -> list[Held]:
    return [Held(d.item_id, key, d.lead_code, d.unit_code, d.delegated_by, d.delegated_on) for d, key in rows]


def active_delegation(session: Session, *, item_id: int) -> Held | None:
    """The item's active delegation (None: its lead holds it)."""
    found = _held(session.exec(_active(col(Delegation.item_id) == item_id)).all())
    return found[0] if found else None


def active_units(session: Session, *, item_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The unit holding each delegated item (all of them, or those of ``item_ids``): one query
    (in chunks for a long list), since the chase asks it for every item in reach."""
    if item_ids is None:
        return {h.item_id: h.unit for h in _held(session.exec(_active()).all())}
    wanted, found = sorted(set(item_ids)), {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        rows = session.exec(_active(col(Delegation.item_id).in_(chunk))).all()
        found.update({h.item_id: h.unit for h in _held(rows)})
    return found


def held_by(unit: str, *, item_id: Any, lead: Any) -> ColumnElement[bool]:
    """SQL: the item (its id column ``item_id``) is delegated to ``unit`` by ``lead`` (its lead
    column), still: what a unit's own lists add to the items it leads or cooperates on."""
    table: Any = Delegation.__table__  # type: ignore[attr-defined]
    return exists().where(table.c.item_id == item_id, table.c.unit_code == unit, table.c.lead_code == lead,
                          table.c.ended_at.is_(None))


def held_by_key(session: Session) -> dict[str, Held]:
    """Every active delegation by its item's key (one query on a small table): what a listing
    marks beside each item."""
    return {h.key: h for h in _held(session.exec(_active()).all())}


def delegations_of(session: Session, *, body: str) -> list[Held]:
    """The active delegations ``body`` gave (as lead) or holds (as unit)."""
    rows = session.exec(_active((col(Delegation.lead_code) == body) | (col(Delegation.unit_code) == body))).all()
    return _held(rows)


def end_delegation(session: Session, *, item_id: int, key: str, actor: str, on: date, now: datetime) -> Delegation | None:
    """Take the item back from its unit (None: it was not delegated). The row stays, ended."""
    held = session.exec(select(Delegation).where(Delegation.item_id == item_id, col(Delegation.ended_at).is_(None))).first()
    if held is None:
        return None
    held.ended_by, held.ended_on, held.ended_at = actor, on, now
    session.add(held)
    session.flush()
    audit(session, actor=actor, action="delegation.end", entity="item", key=key, at=now,
          id=item_id, lead=held.lead_code, unit=held.unit_code, on=on.isoformat())
    return held


def delegate(session: Session, *, item_id: int, key: str, lead: str, unit: str, actor: str, on: date,
             now: datetime) -> Delegation:
    """Hand the item to ``unit``, ending a delegation to another unit first (one active at a time)."""
    end_delegation(session, item_id=item_id, key=key, actor=actor, on=on, now=now)
    row = Delegation(item_id=item_id, lead_code=lead, unit_code=unit, delegated_by=actor, delegated_on=on, delegated_at=now)
    session.add(row)
    session.flush()
    audit(session, actor=actor, action="delegation.start", entity="item", key=key, at=now,
          id=item_id, lead=lead, unit=unit, on=on.isoformat())
    return row


def latest_reports(session: Session, *, item_ids: Iterable[int]) -> dict[int, ProgressReport]:
    """The latest report (by id: the order recorded) on each of ``item_ids``, whoever gave it: what
    a lead reads of the items its units hold. One query by the index on the report's item."""
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    newest = (select(col(ProgressReport.item_id), func.max(ProgressReport.id).label("id"))
              .where(col(ProgressReport.item_id).in_(wanted)).group_by(col(ProgressReport.item_id)).subquery())
    rows = session.exec(select(ProgressReport).join(newest, col(ProgressReport.id) == newest.c.id)).all()
    return {r.item_id: r for r in rows}


def positions(session: Session, *, document_id: int, keys: list[str]) -> dict[str, int]:
    """The document position of each of ``keys`` (a listing merging a unit's own items with those
    delegated to it puts them back in the document's order)."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), 900):
        found.update(session.exec(select(Item.key, Item.position).where(
            Item.document_id == document_id, col(Item.key).in_(keys[start : start + 900]))).all())
    return found
