"""The audit trail: what changed, when and by whom, one row per change, in the same transaction."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from models.tables import AuditEvent


def audit(session: Session, *, actor: str, action: str, entity: str, key: str, at: datetime, **detail: Any) -> None:
    """Add an audit event to the session's transaction: it is stored with the change or not at all."""
    session.add(AuditEvent(at=at, actor=actor, action=action, entity=entity, entity_key=key, detail=detail))
