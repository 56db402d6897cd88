"""The chase's reads and writes: item states, progress reports, extensions, escalations."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from config.errors import ConflictError, NotFoundError
from config.policy import Policy
from models.store import audit
from models.tables import Assignment, Document, Escalation, ExtensionRequest, Item, ProgressReport
from workflows.chase import ItemState
from workflows.deadlines import reporting_dates


@lru_cache(maxsize=4096)
def _reporting(start: date, due: date, cadence: str) -> tuple[date, ...]:
    return tuple(reporting_dates(start, due, cadence))


def item_states(session: Session, *, policy: Policy, document: Document | None = None, keys: list[str] | None = None) -> list[ItemState]:
    """Every active item (of one document, or all), with what the chase needs, in a few queries."""
    query = select(Item, col(Document.start)).join(Document, col(Document.id) == col(Item.document_id)).where(col(Item.retired_at).is_(None))
    if document is not None:
        query = query.where(Item.document_id == document.id)
    if keys:
        query = query.where(col(Item.key).in_(keys))
    rows = session.exec(query.order_by(col(Item.document_id), col(Item.position))).all()
    ids = [item.id for item, _ in rows]
    leads: dict[int, str] = {}
    cooperating: dict[int, list[str]] = defaultdict(list)
    done: dict[int, date] = {}
    latest: dict[int, tuple[int, str]] = {}
    periods: dict[int, set[date]] = defaultdict(set)
    report_days: dict[int, set[date]] = defaultdict(set)
    extended: dict[int, tuple[int, date]] = {}
    if ids:
        for a in session.exec(select(Assignment).where(col(Assignment.item_id).in_(ids)).order_by(col(Assignment.id))).all():
            if a.role == "lead":
                leads[a.item_id] = a.body_code
            else:
                cooperating[a.item_id].append(a.body_code)
        for report in session.exec(select(ProgressReport).where(col(ProgressReport.item_id).in_(ids))).all():
            assert report.id is not None
            item_id, state, submitted_on = report.item_id, report.status, report.submitted_on
            periods[item_id].add(report.period)
            report_days[item_id].add(submitted_on)
            if state == "done" and (item_id not in done or submitted_on < done[item_id]):
                done[item_id] = submitted_on
            if item_id not in latest or report.id > latest[item_id][0]:
                latest[item_id] = (report.id, state)
        for ext in session.exec(
            select(ExtensionRequest).where(col(ExtensionRequest.item_id).in_(ids), ExtensionRequest.status == "approved")
        ).all():
            assert ext.id is not None
            if ext.item_id not in extended or ext.id > extended[ext.item_id][0]:
                extended[ext.item_id] = (ext.id, ext.requested_due)
    states = []
    for item, start in rows:
        assert item.id is not None
        due = extended[item.id][1] if item.id in extended else item.due
        states.append(
            ItemState(
                id=item.id, key=item.key, kind=item.kind, text=item.text, section=item.section_key,
                lead=leads.get(item.id, ""), cooperating=tuple(cooperating[item.id]),
                document_due=item.due, due=due,
                reporting_dates=_reporting(start, due, policy.reporting_cadence),
                done_on=done.get(item.id),
                blocked=latest.get(item.id, (0, ""))[1] == "blocked",
                reported_periods=frozenset(periods[item.id]),
                reports_on=tuple(sorted(report_days[item.id])),
            )
        )
    return states


def active_item(session: Session, *, document: Document, key: str) -> Item:
    item = session.exec(
        select(Item).where(Item.document_id == document.id, Item.key == key, col(Item.retired_at).is_(None))
    ).first()
    if item is None:
        raise NotFoundError(f"no item {key!r} in {document.key}; 'dondoc items' lists the keys")
    return item


def add_report(
    session: Session, *, item: Item, body: str, status: str, percent: int | None, note: str | None,
    values: dict[str, Any], period: date, on: date, actor: str, now: datetime,
) -> ProgressReport:
    report = ProgressReport(
        item_id=item.id or 0, body_code=body, status=status, percent=percent, note=note, values=values,
        period=period, submitted_on=on, submitted_at=now, actor=actor,
    )
    session.add(report)
    session.flush()
    audit(session, actor=actor, action="report.submitted", entity="item", key=item.key, at=now,
          id=item.id, body=body, status=status, percent=percent, period=period.isoformat(), on=on.isoformat())
    return report


def request_extension(
    session: Session, *, item: Item, body: str, current_due: date, to: date, reason: str, on: date, actor: str, now: datetime
) -> ExtensionRequest:
    if to <= current_due:
        raise ConflictError(f"{item.key} is due {current_due.isoformat()}; an extension must move it later")
    pending = session.exec(
        select(ExtensionRequest).where(ExtensionRequest.item_id == item.id, ExtensionRequest.status == "pending")
    ).first()
    if pending is not None:
        raise ConflictError(f"{item.key} already has extension request {pending.id} waiting for a decision")
    request = ExtensionRequest(
        item_id=item.id or 0, body_code=body, previous_due=current_due, requested_due=to, reason=reason, requested_on=on,
    )
    session.add(request)
    session.flush()
    audit(session, actor=actor, action="extension.requested", entity="item", key=item.key, at=now,
          id=request.id, body=body, previous_due=current_due.isoformat(), requested_due=to.isoformat(), reason=reason)
    return request


def decide_extension(
    session: Session, *, request_id: int, approve: bool, note: str | None, on: date, actor: str, now: datetime
) -> tuple[ExtensionRequest, Item]:
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFoundError(f"no extension request {request_id}; 'dondoc extension list' shows them")
    if request.status != "pending":
        raise ConflictError(f"extension request {request_id} was already {request.status}")
    request.status = "approved" if approve else "refused"
    request.decided_on, request.decided_by, request.decision_note = on, actor, note
    item = session.get(Item, request.item_id)
    assert item is not None
    audit(session, actor=actor, action=f"extension.{request.status}", entity="item", key=item.key, at=now,
          id=request.id, previous_due=request.previous_due.isoformat(), requested_due=request.requested_due.isoformat(), note=note)
    return request, item


def list_extensions(session: Session, *, status: str | None = None) -> list[tuple[ExtensionRequest, str]]:
    query = select(ExtensionRequest, Item.key).join(Item, col(Item.id) == col(ExtensionRequest.item_id))
    if status:
        query = query.where(ExtensionRequest.status == status)
    return [(r, k) for r, k in session.exec(query.order_by(col(ExtensionRequest.id))).all()]


@dataclass(frozen=True)
class RungRecord:
    item_id: int
    subject: str
    since: date
    level: int
    reason: str


def record_rungs(session: Session, *, rungs: list[RungRecord], on: date, now: datetime) -> int:
    """Record the rungs not yet reached; returns how many are new (the others were already there)."""
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
        session.add(Escalation(item_id=r.item_id, subject=r.subject, overdue_since=r.since, level=r.level, reason=r.reason, on=on, created_at=now))
        new += 1
    return new


def count_reports(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(ProgressReport)).one())
