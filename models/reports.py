"""Progress reports and extension requests: a body's answers, stored with their audit events."""

from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from config.errors import ConflictError, NotFoundError
from models.audit import audit
from models.db import integrity_error
from models.tables import Document, ExtensionRequest, Item, ProgressReport, Section


def active_item(session: Session, *, document: Document, key: str) -> Item:
    item = session.exec(
        select(Item).where(Item.document_id == document.id, Item.key == key, col(Item.retired_at).is_(None))
    ).first()
    if item is None:
        raise NotFoundError.of("no_item", key=key, document=document.key)
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
    """Record a request for more time; an item has at most one waiting for a decision (the
    database holds that rule too, for two requests made at the same moment)."""
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
    key = item.key  # read now: after a failed flush the session refuses to load anything
    session.add(request)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request won: the index allows one pending per item
        if isinstance(integrity_error(exc), ConflictError):
            raise ConflictError(f"{key} already has an extension request waiting for a decision") from exc
        raise
    audit(session, actor=actor, action="extension.requested", entity="item", key=item.key, at=now,
          id=request.id, body=body, previous_due=current_due.isoformat(), requested_due=to.isoformat(), reason=reason)
    return request


def decide_extension(
    session: Session, *, request_id: int, approve: bool, note: str | None, on: date, actor: str, now: datetime
) -> tuple[ExtensionRequest, Item]:
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFoundError.of("no_extension", id=request_id)
    if request.status != "pending":
        raise ConflictError(f"extension request {request_id} was already {request.status}")
    request.status = "approved" if approve else "refused"
    request.decided_on, request.decided_by, request.decision_note = on, actor, note
    item = session.get(Item, request.item_id)
    assert item is not None
    audit(session, actor=actor, action=f"extension.{request.status}", entity="item", key=item.key, at=now,
          id=request.id, previous_due=request.previous_due.isoformat(), requested_due=request.requested_due.isoformat(), note=note)
    return request, item


def extension_request(session: Session, *, request_id: int) -> tuple[ExtensionRequest, Item, Document]:
    """A request with its item and that item's document (whose term bounds the dates it may set)."""
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFoundError.of("no_extension", id=request_id)
    item = session.get(Item, request.item_id)
    assert item is not None  # a foreign key
    document = session.get(Document, item.document_id)
    assert document is not None
    return request, item, document


def revoke_extension(
    session: Session, *, request_id: int, note: str, on: date, actor: str, now: datetime
) -> tuple[ExtensionRequest, Item]:
    """Take back an approval (a date typed wrong, a decision reversed): the request becomes refused
    with the coordinator's note, and the item is due as if it had never been approved (an earlier
    approval, else the document's date). The audit trail keeps both decisions."""
    request, item, _ = extension_request(session, request_id=request_id)
    if request.status != "approved":
        raise ConflictError(f"extension request {request_id} is {request.status}; only an approved one can be revoked")
    request.status = "refused"
    request.decided_on, request.decided_by, request.decision_note = on, actor, note
    session.flush()  # the reads that follow go through the connection, not the session
    audit(session, actor=actor, action="extension.revoked", entity="item", key=item.key, at=now, id=request.id,
          previous_due=request.previous_due.isoformat(), requested_due=request.requested_due.isoformat(), note=note)
    return request, item


def list_extensions(session: Session, *, status: str | None = None) -> list[tuple[ExtensionRequest, str]]:
    query = select(ExtensionRequest, Item.key).join(Item, col(Item.id) == col(ExtensionRequest.item_id))
    if status:
        query = query.where(ExtensionRequest.status == status)
    return [(r, k) for r, k in session.exec(query.order_by(col(ExtensionRequest.id))).all()]


def section_title(session: Session, *, item: Item) -> str:
    """The title of the section ``item`` stands in (a letter names the section, not its number);
    empty when the section is not stored."""
    section = session.exec(
        select(Section).where(Section.document_id == item.document_id, Section.key == item.section_key)
    ).first()
    return section.title if section is not None else ""
