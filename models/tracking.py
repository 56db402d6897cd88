"""The chase's reads and writes: item states, progress reports, extensions, escalations."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as sa_select
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


def item_states(
    session: Session, *, policy: Policy, document: Document | None = None, keys: list[str] | None = None,
    due_between: tuple[date, date] | None = None,
) -> list[ItemState]:
    """Every active item (of one document, or all), with what the chase needs, in a few queries.

    ``due_between`` narrows to items whose due date falls in a window, plus every item with an
    approved extension (whose due date moved): the index on the due date does the selecting.
    Plain column rows, not ORM objects: a sweep reads many items and builds no entities.
    """
    db = session.connection()
    item, doc, asg, rep, ext = (getattr(t, "__table__") for t in (Item, Document, Assignment, ProgressReport, ExtensionRequest))  # noqa: B009
    conditions = [item.c.retired_at.is_(None)]
    if document is not None:
        conditions.append(item.c.document_id == document.id)
    if keys:
        conditions.append(item.c.key.in_(keys))
    if due_between is not None:
        extended_ids = [r[0] for r in db.execute(sa_select(ext.c.item_id).where(ext.c.status == "approved")).all()]
        window = item.c.due.between(*due_between)
        conditions.append(or_(window, item.c.id.in_(extended_ids)) if extended_ids else window)
    query = (
        sa_select(item.c.id, item.c.key, item.c.kind, item.c.text, item.c.section_key, item.c.due, doc.c.start, asg.c.body_code)
        .join(doc, doc.c.id == item.c.document_id)
        .outerjoin(asg, (asg.c.item_id == item.c.id) & (asg.c.role == "lead"))
        .where(*conditions)
    )
    rows = db.execute(query.order_by(item.c.document_id, item.c.position)).all()
    candidates = [row[0] for row in rows] if len(rows) < 30000 else sa_select(item.c.id).where(*conditions)
    cooperating: dict[int, list[str]] = defaultdict(list)
    done: dict[int, date] = {}
    latest: dict[int, tuple[int, str]] = {}
    periods: dict[int, set[date]] = defaultdict(set)
    report_days: dict[int, set[date]] = defaultdict(set)
    extended: dict[int, tuple[int, date]] = {}
    for item_id, body in db.execute(
        sa_select(asg.c.item_id, asg.c.body_code).where(asg.c.role != "lead", asg.c.item_id.in_(candidates)).order_by(asg.c.id)
    ).all():
        cooperating[item_id].append(body)
    for report_id, item_id, state, period, submitted_on in db.execute(
        sa_select(rep.c.id, rep.c.item_id, rep.c.status, rep.c.period, rep.c.submitted_on).where(rep.c.item_id.in_(candidates))
    ).all():
        periods[item_id].add(period)
        report_days[item_id].add(submitted_on)
        if state == "done" and (item_id not in done or submitted_on < done[item_id]):
            done[item_id] = submitted_on
        if item_id not in latest or report_id > latest[item_id][0]:
            latest[item_id] = (report_id, state)
    for ext_id, item_id, requested_due in db.execute(
        sa_select(ext.c.id, ext.c.item_id, ext.c.requested_due).where(ext.c.status == "approved", ext.c.item_id.in_(candidates))
    ).all():
        if item_id not in extended or ext_id > extended[item_id][0]:
            extended[item_id] = (ext_id, requested_due)
    states = []
    for item_id, key, kind, text, section, document_due, start, lead in rows:
        due = extended[item_id][1] if item_id in extended else document_due
        states.append(
            ItemState(
                id=item_id, key=key, kind=kind, text=text, section=section,
                lead=lead or "", cooperating=tuple(cooperating[item_id]),
                document_due=document_due, due=due,
                reporting_dates=_reporting(start, due, policy.reporting_cadence),
                done_on=done.get(item_id),
                blocked=latest.get(item_id, (0, ""))[1] == "blocked",
                reported_periods=frozenset(periods[item_id]),
                reports_on=tuple(sorted(report_days[item_id])),
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


def submit_report(
    session: Session, *, policy: Policy, document: Document, key: str, body: str | None, status: str,
    percent: int | None, note: str | None, values: dict[str, Any], on: date, actor: str, now: datetime,
) -> ProgressReport:
    """A body's report on item ``key`` (the lead's, when ``body`` is None), answering the reporting
    date that :func:`workflows.chase.period_answered` picks."""
    from workflows.chase import period_answered

    item = active_item(session, document=document, key=key)
    (state,) = item_states(session, policy=policy, document=document, keys=[key])
    return add_report(session, item=item, body=body or state.lead, status=status, percent=percent, note=note,
                      values=values, period=period_answered(state, on), on=on, actor=actor, now=now)


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
