"""The rungs of the escalation ladder that items have reached, recorded once each."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.tables import Escalation


@dataclass(frozen=True)
class RungRecord:
    item_id: int
    subject: str
    since: date
    level: int
    reason: str


def record_rungs(session: Session, *, rungs: list[RungRecord], on: date, now: datetime) -> int:
    """Record the rungs not yet reached ``on`` that day; returns how many are new (the others were
    already there)."""
    if not rungs:
        return 0
    ids = sorted({r.item_id for r in rungs})
    have = {
        (e.item_id, e.subject, e.overdue_since, e.level)
        for e in session.exec(select(Escalation).where(col(Escalation.item_id).in_(ids))).all()
    }
    new = 0
    for r in rungs:
        if (r.item_id, r.subject, r.since, r.level) in have:
            continue
        session.add(Escalation(item_id=r.item_id, subject=r.subject, overdue_since=r.since, level=r.level, reason=r.reason, reached_on=on, created_at=now))
        new += 1
    return new
