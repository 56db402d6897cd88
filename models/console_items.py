"""The reads behind one item's page, one body's page and the audit page of the console.

An item's history is gathered from every table that speaks of it (reports, extension requests,
review answers, letter parts and the letters that carried them, letters of its own, escalations)
into one list of :class:`Event` in time order; each query is bounded by the item, so the page costs
a handful of index probes whatever the size of the programme.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from models.outbound_tables import LetterPart, OutboxMessage
from models.review_tables import ReviewAnswer, ReviewRound
from models.tables import (
    Assignment,
    AuditEvent,
    Document,
    Escalation,
    ExtensionRequest,
    Indicator,
    Item,
    ProgressReport,
    Section,
)


@dataclass(frozen=True)
class Event:
    """One thing that happened to an item: ``kind`` names it (report, extension, answer, letter,
    escalation), ``at`` orders it, ``values`` are what the page shows."""

    at: datetime
    kind: str
    values: dict[str, Any]


@dataclass
class ItemDetail:
    item: Item
    sections: list[str]
    assignments: list[Assignment]
    indicators: list[Indicator]
    extensions: list[ExtensionRequest]
    events: list[Event] = field(default_factory=list)

    @property
    def lead(self) -> str | None:
        return next((a.body_code for a in self.assignments if a.role == "lead"), None)

    @property
    def pending(self) -> ExtensionRequest | None:
        return next((e for e in self.extensions if e.status == "pending"), None)


def _moment(day: date) -> datetime:
    """The start of ``day`` in Vietnam (the audit trail stores UTC; a person asks by local day)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def section_chain(session: Session, document_id: int, key: str) -> list[str]:
    """The titles from the part down to the item's section."""
    rows = session.execute(select(Section).where(Section.document_id == document_id)).scalars().all()  # type: ignore[arg-type]
    by_key = {s.key: s for s in rows}
    chain: list[str] = []
    node = by_key.get(key)
    while node is not None:
        chain.append(node.title)
        node = by_key.get(node.parent_key) if node.parent_key else None
    return list(reversed(chain))


def item_detail(session: Session, *, document: Document, key: str) -> ItemDetail | None:
    """Everything the item page shows, or None when the document has no active item ``key``."""
    item = session.execute(select(Item).where(Item.document_id == document.id, Item.key == key,  # type: ignore[arg-type]
                                              Item.retired_at.is_(None))).scalars().first()  # type: ignore[union-attr]
    if item is None:
        return None
    item_id = item.id

    def rows(model: Any, *where: Any, order: Any) -> list[Any]:
        return list(session.execute(select(model).where(*where).order_by(order)).scalars().all())

    assignments = rows(Assignment, Assignment.item_id == item_id, order=Assignment.id)
    assignments.sort(key=lambda a: (a.role != "lead", a.id))
    detail = ItemDetail(
        item, section_chain(session, item.document_id, item.section_key), assignments,
        rows(Indicator, Indicator.item_id == item_id, order=Indicator.position),
        rows(ExtensionRequest, ExtensionRequest.item_id == item_id, order=ExtensionRequest.id),
    )
    events = [Event(_aware(r.submitted_at), "report", {"body": r.body_code, "status": r.status, "percent": r.percent,
                                                       "note": r.note, "period": r.period, "actor": r.actor})
              for r in rows(ProgressReport, ProgressReport.item_id == item_id, order=ProgressReport.id)]
    for e in detail.extensions:
        events.append(Event(_moment(e.requested_on), "extension", {
            "id": e.id, "body": e.body_code, "previous_due": e.previous_due, "requested_due": e.requested_due,
            "reason": e.reason, "status": e.status, "decided_on": e.decided_on, "decided_by": e.decided_by,
            "note": e.decision_note}))
    for answer, kind in session.execute(
        select(ReviewAnswer, col(ReviewRound.kind)).join(ReviewRound, col(ReviewRound.id) == col(ReviewAnswer.round_id))
        .where(col(ReviewAnswer.item_id) == item_id)
    ).all():
        events.append(Event(_aware(answer.answered_at), "answer", {
            "round": answer.round_id, "round_kind": kind, "body": answer.body_code, "status": answer.status,
            "note": answer.note, "actor": answer.actor}))
    events += _letters(session, item_id or 0)
    events += [Event(_aware(g.created_at), "escalation", {"subject": g.subject, "level": g.level, "since": g.overdue_since,
                                                           "reason": g.reason, "on": g.reached_on})
               for g in rows(Escalation, Escalation.item_id == item_id, order=Escalation.id)]
    detail.events = sorted(events, key=lambda e: e.at)
    return detail


def _letters(session: Session, item_id: int) -> list[Event]:
    """Every letter that mentioned the item: a daily letter's part, or a letter of its own."""
    found = [Event(_aware(part.created_at), "letter", {
        "key": key, "subject": subject, "status": status, "body": part.body_code, "role": part.role,
        "part": part.kind, "about": part.subject, "day": part.due_date, "sent_at": sent})
        for part, key, subject, status, sent in session.execute(
            select(LetterPart, col(OutboxMessage.key), col(OutboxMessage.subject), col(OutboxMessage.status),
                   col(OutboxMessage.sent_at))
            .join(OutboxMessage, col(OutboxMessage.id) == col(LetterPart.outbox_id))
            .where(col(LetterPart.item_id) == item_id).order_by(col(LetterPart.id))
        ).all()]
    found += [Event(_aware(m.created_at), "letter", {
        "key": m.key, "subject": m.subject, "status": m.status, "body": ", ".join(m.recipients), "role": "",
        "part": m.kind, "about": "", "day": m.due_date, "sent_at": m.sent_at})
        for m in session.execute(select(OutboxMessage).where(col(OutboxMessage.item_id) == item_id)
                                 .order_by(col(OutboxMessage.id))).scalars().all()]
    return found


def body_letters(session: Session, *, code: str, limit: int = 30) -> list[OutboxMessage]:
    """The newest letters to a body: its daily letters and the letters about the items it leads."""
    item_ids = select(col(Assignment.item_id)).where(col(Assignment.body_code) == code, col(Assignment.role) == "lead")
    query = select(OutboxMessage).where(or_(
        OutboxMessage.key.like(f"chase:{code}:%"),  # type: ignore[attr-defined]
        OutboxMessage.item_id.in_(item_ids),  # type: ignore[union-attr]
    )).order_by(OutboxMessage.id.desc()).limit(limit)  # type: ignore[union-attr]
    return list(session.execute(query).scalars().all())


def undelivered(session: Session, *, limit: int = 20) -> tuple[list[OutboxMessage], int]:
    """Letters that could not be delivered (dead) or whose fate is unknown (uncertain), newest first."""
    where = OutboxMessage.status.in_(("dead", "uncertain"))  # type: ignore[attr-defined]
    total = session.execute(select(func.count()).select_from(OutboxMessage).where(where)).scalar_one()
    rows = session.execute(select(OutboxMessage).where(where).order_by(OutboxMessage.id.desc()).limit(limit))  # type: ignore[union-attr]
    return list(rows.scalars().all()), int(total)


@dataclass(frozen=True)
class AuditFilter:
    who: str | None = None
    what: str | None = None
    since: date | None = None
    until: date | None = None


def audit_events(session: Session, *, where: AuditFilter, page: int, size: int) -> tuple[list[AuditEvent], int]:
    """One page of the audit trail, newest first, and how many events match in all. ``what`` is an
    action or its family (``extension`` holds ``extension.approved``); ``until`` is inclusive."""
    conditions: list[Any] = []
    if where.who:
        conditions.append(AuditEvent.actor == where.who)
    if where.what:
        conditions.append(or_(col(AuditEvent.action) == where.what, col(AuditEvent.action).startswith(where.what + ".")))
    if where.since:
        conditions.append(col(AuditEvent.at) >= _moment(where.since))
    if where.until:
        conditions.append(col(AuditEvent.at) < _moment(date.fromordinal(where.until.toordinal() + 1)))
    total = session.execute(select(func.count()).select_from(AuditEvent).where(*conditions)).scalar_one()
    rows = session.execute(select(AuditEvent).where(*conditions).order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
                           .offset((page - 1) * size).limit(size)).scalars().all()
    return list(rows), int(total)


def audit_actors(session: Session) -> list[str]:
    return list(session.execute(select(col(AuditEvent.actor)).distinct().order_by(col(AuditEvent.actor))).scalars().all())


def sections(session: Session, document_id: int) -> list[tuple[str, str, str | None]]:
    """The document's sections in order: key, title, parent key (None for a part)."""
    rows = session.execute(select(col(Section.key), col(Section.title), col(Section.parent_key))
                           .where(col(Section.document_id) == document_id).order_by(col(Section.position))).all()
    return [(key, title, parent) for key, title, parent in rows]


def lead_codes(session: Session) -> list[str]:
    """The bodies that lead at least one item."""
    return sorted(session.execute(select(col(Assignment.body_code)).where(col(Assignment.role) == "lead")
                                  .group_by(col(Assignment.body_code))).scalars().all())
