"""The chase's reads and writes: item states, progress reports, extensions, escalations."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, exists, or_
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
    due_between: tuple[date, date | None] | None = None, open_only: bool = False, history: bool = True,
) -> list[ItemState]:
    """Every active item (of one document, or all), with what the chase needs, in at most three queries.

    ``due_between`` narrows to items whose due date falls in a window (with no end when the
    second date is None), plus every item with an approved extension (whose due date moved): the
    index on the due date does the selecting. ``open_only`` leaves out the items a report has
    closed (one index probe per item in the database). ``history=False`` does not read the
    report history (periods answered, latest status, report days), for a caller that looks at
    deadlines alone; it needs ``open_only``, since the history is what says an item is done.
    Plain column rows, not ORM objects: a sweep reads many items and builds no entities.
    """
    assert history or open_only, "without its history an item that is done would look open"
    db = session.connection()
    item, doc, asg, rep, ext = (getattr(t, "__table__") for t in (Item, Document, Assignment, ProgressReport, ExtensionRequest))  # noqa: B009
    extended: dict[int, date] = {}
    for item_id, requested_due in db.execute(
        sa_select(ext.c.item_id, ext.c.requested_due).where(ext.c.status == "approved").order_by(ext.c.id)
    ).all():
        extended[item_id] = requested_due  # the latest approval wins
    conditions = [item.c.retired_at.is_(None)]
    if document is not None:
        conditions.append(item.c.document_id == document.id)
    if keys:
        conditions.append(item.c.key.in_(keys))
    if due_between is not None:
        first, last = due_between
        window = item.c.due.between(first, last) if last is not None else item.c.due >= first
        conditions.append(or_(window, item.c.id.in_(sorted(extended))) if extended else window)
    if open_only:
        closing = rep.alias("closing")
        conditions.append(~exists().where(closing.c.item_id == item.c.id, closing.c.status == "done"))
    rows = db.execute(
        sa_select(item.c.id, item.c.key, item.c.kind, item.c.text, item.c.section_key, item.c.due, doc.c.start,
                  asg.c.role, asg.c.body_code)
        .join(doc, doc.c.id == item.c.document_id)
        .outerjoin(asg, asg.c.item_id == item.c.id)
        .where(*conditions)
        .order_by(item.c.document_id, item.c.position, asg.c.id)
    ).all()
    reports = _ReportHistory() if not history else _ReportHistory.of(db.execute(
        sa_select(rep.c.id, rep.c.item_id, rep.c.status, rep.c.period, rep.c.submitted_on)
        .join(item, item.c.id == rep.c.item_id).where(*conditions)
    ).all())
    leads: dict[int, str] = {}
    cooperating: dict[int, list[str]] = defaultdict(list)
    first_rows: dict[int, Row[int, str, str, str, str, date, date, str | None, str | None]] = {}
    for row in rows:
        item_id, role, body = row[0], row[7], row[8]
        if item_id not in first_rows:
            first_rows[item_id] = row
        if role == "lead":
            leads[item_id] = body
        elif body is not None:
            cooperating[item_id].append(body)
    together = {item_id: tuple(bodies) for item_id, bodies in cooperating.items()}
    cadence, nobody, no_periods = policy.reporting_cadence, (), frozenset[date]()
    states = []
    for item_id, key, kind, text, section, document_due, start, _, _ in first_rows.values():
        due = extended.get(item_id, document_due)
        states.append(ItemState(
            item_id, key, kind, text, section, leads.get(item_id, ""), together.get(item_id, nobody),
            document_due, due, _reporting(start, due, cadence), reports.done.get(item_id),
            item_id in reports.blocked, reports.periods.get(item_id, no_periods), reports.days.get(item_id, ()),
        ))
    return states


@dataclass(frozen=True)
class _ReportHistory:
    """What the reports say per item: when it was done, whether its latest report says blocked,
    the periods answered and the days reports came in. Empty when no report was read."""

    done: dict[int, date] = field(default_factory=dict)
    blocked: frozenset[int] = frozenset()
    periods: dict[int, frozenset[date]] = field(default_factory=dict)
    days: dict[int, tuple[date, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, reports: Sequence[Row[int, int, str, date, date]]) -> "_ReportHistory":
        done: dict[int, date] = {}
        periods: dict[int, set[date]] = defaultdict(set)
        days: dict[int, set[date]] = defaultdict(set)
        latest: dict[int, tuple[int, str]] = {}
        for report_id, item_id, state, period, submitted_on in reports:
            periods[item_id].add(period)
            days[item_id].add(submitted_on)
            if state == "done" and (item_id not in done or submitted_on < done[item_id]):
                done[item_id] = submitted_on
            if item_id not in latest or report_id > latest[item_id][0]:
                latest[item_id] = (report_id, state)
        return cls(
            done=done,
            blocked=frozenset(item_id for item_id, (_, state) in latest.items() if state == "blocked"),
            periods={item_id: frozenset(answered) for item_id, answered in periods.items()},
            days={item_id: tuple(sorted(on)) for item_id, on in days.items()},
        )


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
