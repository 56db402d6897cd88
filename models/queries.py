"""Reads shared by commands and flows, and the coordinator's manual reassignment."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from config.errors import ConflictError, NotFoundError
from models.audit import audit
from models.document_names import resolve_document
from models.tables import Assignment, Document, ExtensionRequest, Indicator, Item, ProgressReport, Section


@dataclass(frozen=True)
class ItemFilter:
    body: str | None = None
    section: str | None = None
    kind: str | None = None
    due_before: date | None = None


def find_document(session: Session, key: str | None = None) -> Document:
    """The document named so (key, number or a start of the key), or the one ingested last;
    NotFoundError when there is none."""
    query = select(Document)
    if key:  # its key, its number ("58/NQ-CP") or a start of its key: models.document_names
        return resolve_document(session, key)
    document = session.exec(query.order_by(col(Document.ingested_at).desc(), col(Document.id).desc())).first()
    if document is None:
        raise NotFoundError.of("no_documents")
    return document


def list_documents(session: Session) -> list[Document]:
    return list(session.exec(select(Document).order_by(col(Document.id))).all())


def _section_titles(session: Session, document_id: int) -> dict[str, tuple[str, ...]]:
    rows = session.exec(select(Section).where(Section.document_id == document_id)).all()
    by_key = {s.key: s for s in rows}
    titles: dict[str, tuple[str, ...]] = {}
    for key in by_key:
        chain: list[str] = []
        node = by_key.get(key)
        while node is not None:
            chain.append(node.title)
            node = by_key.get(node.parent_key) if node.parent_key else None
        titles[key] = tuple(reversed(chain))
    return titles


def current_dues(session: Session, *, document: Document) -> dict[int, date]:
    """The due date an approved extension gave each item of ``document`` that has one: the latest
    approval wins, as in :func:`models.item_states.item_states`."""
    approved = session.exec(
        select(col(ExtensionRequest.item_id), col(ExtensionRequest.requested_due))
        .join(Item, col(Item.id) == col(ExtensionRequest.item_id))
        .where(Item.document_id == document.id, ExtensionRequest.status == "approved")
        .order_by(col(ExtensionRequest.id))
    ).all()
    return dict(approved)


def list_items(session: Session, *, document: Document, where: ItemFilter) -> list[dict[str, Any]]:
    """Active items, in document order, shaped like ``dondoc parse --json`` (without reporting dates).

    ``due`` is the date in force (an approved extension's, else the document's), the one that
    ``status``, reminders and escalation follow; ``document_due`` is the document's own. The
    ``due_before`` filter reads the date in force.
    """
    assert document.id is not None
    query = select(Item).where(Item.document_id == document.id, col(Item.retired_at).is_(None))
    if where.kind:
        query = query.where(Item.kind == where.kind)
    if where.section:
        query = query.where(or_(col(Item.section_key) == where.section, col(Item.section_key).startswith(where.section + ".")))
    if where.body:
        query = query.where(col(Item.id).in_(select(Assignment.item_id).where(Assignment.body_code == where.body)))
    extended = current_dues(session, document=document)
    items = list(session.exec(query.order_by(col(Item.position))).all())
    if where.due_before:
        items = [item for item in items if extended.get(item.id or 0, item.due) < where.due_before]
    ids = [item.id for item in items]
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    if ids:
        for a in session.exec(select(Assignment).where(col(Assignment.item_id).in_(ids)).order_by(col(Assignment.id))).all():
            assignments[a.item_id].append(a)
        for i in session.exec(select(Indicator).where(col(Indicator.item_id).in_(ids)).order_by(col(Indicator.position))).all():
            indicators[i.item_id].append(i)
    titles = _section_titles(session, document.id)
    shaped = []
    for item in items:
        assert item.id is not None
        rows = sorted(assignments[item.id], key=lambda a: (a.role != "lead", a.id))
        shaped.append(
            {
                "key": item.key,
                "kind": item.kind,
                "section": item.section_key,
                "section_titles": list(titles.get(item.section_key, ())),
                "text": item.text,
                "lead": rows[0].body_code if rows else None,
                "cooperating": [a.body_code for a in rows[1:]],
                "rule": rows[0].rule if rows else None,
                "assignments": [{"body": a.body_code, "role": a.role, "rule": a.rule} for a in rows],
                "due": extended.get(item.id, item.due).isoformat(),
                "document_due": item.due.isoformat(),
                "recurrence": item.recurrence,
                "deadline_basis": item.deadline_basis,
                "indicators": [
                    {"name": i.name, "comparator": i.comparator, "value": i.value, "value_max": i.value_max,
                     "unit": i.unit, "year": i.year, "baseline": i.baseline}
                    for i in indicators[item.id]
                ],
            }
        )
    return shaped


def stored_kinds_and_leads(session: Session, *, document_key: str) -> list[dict[str, str | None]]:
    """The kind and lead of each active item of a document as stored (a manual assignment
    included), for the summary an ingest prints: what is stored, not what was parsed."""
    document = find_document(session, document_key)
    rows = session.exec(
        select(Item.kind, Assignment.body_code)
        .outerjoin(Assignment, and_(col(Assignment.item_id) == col(Item.id), col(Assignment.role) == "lead"))
        .where(Item.document_id == document.id, col(Item.retired_at).is_(None))
        .order_by(col(Item.position))
    ).all()
    return [{"kind": kind, "lead": lead} for kind, lead in rows]


def reported_for(session: Session, *, item_id: int, period: date, actor: str) -> bool:
    """Whether ``actor`` already reported on the item for that reporting date (a replay's check)."""
    found = session.exec(
        select(ProgressReport.id).where(
            ProgressReport.item_id == item_id, ProgressReport.period == period, ProgressReport.actor == actor
        ).limit(1)
    ).first()
    return found is not None


@dataclass(frozen=True)
class Reassignment:
    """What :func:`assign_manually` did: whether it changed anything, and the bodies after."""

    changed: bool
    previous_lead: str | None
    lead: str | None
    cooperating: tuple[str, ...]


def assign_manually(
    session: Session, *, document: Document, key: str, body: str, role: str, actor: str, now: datetime
) -> Reassignment:
    """Make ``body`` the lead (or a cooperating body) of the item ``key``.

    A manual assignment is marked so, and a re-ingest keeps it over what the rules say. A body
    that already holds that role by hand changes nothing, and nothing is written to the audit
    trail; one that holds it by a rule is now held by hand.
    """
    item = session.exec(
        select(Item).where(Item.document_id == document.id, Item.key == key, col(Item.retired_at).is_(None))
    ).first()
    if item is None:
        raise NotFoundError.of("no_item", key=key, document=document.key)
    assert item.id is not None
    rows = list(session.exec(select(Assignment).where(Assignment.item_id == item.id)).all())
    old_lead = next((a.body_code for a in rows if a.role == "lead"), None)
    existing = next((a for a in rows if a.body_code == body), None)
    if role == "cooperating" and old_lead == body:
        raise ConflictError.of("already_lead", body=body, key=key)
    changed = existing is None or existing.role != role or not existing.manual
    if changed:
        if role == "lead":
            for a in rows:
                if a.role == "lead" and a.body_code != body:
                    session.delete(a)
            session.flush()
        if existing is not None:
            existing.role, existing.rule, existing.manual, existing.assigned_at = role, "manual", True, now
        else:
            session.add(Assignment(item_id=item.id, body_code=body, role=role, rule="manual", manual=True, assigned_at=now))
        audit(session, actor=actor, action="assignment.manual", entity="item", key=key, at=now,
              id=item.id, body=body, role=role, previous_lead=old_lead)
        session.flush()
    after = session.exec(select(Assignment).where(Assignment.item_id == item.id).order_by(col(Assignment.id))).all()
    return Reassignment(
        changed, old_lead, next((a.body_code for a in after if a.role == "lead"), None),
        tuple(a.body_code for a in after if a.role != "lead"),
    )
