"""The body table: a mirror of the bodies registry, so that assignments can refer to bodies by key."""

from typing import Any

from sqlmodel import Session, select

from config.bodies import Registry
from models.tables import Body


def sync_bodies(session: Session, *, registry: Registry) -> int:
    """Mirror the registry into the body table; bodies no longer listed become inactive."""
    changed = 0
    stored = {b.code: b for b in session.exec(select(Body)).all()}
    for body in registry.bodies.values():
        values: dict[str, Any] = {
            "name_vi": body.name_vi, "name_en": body.name_en, "kind": body.kind,
            "emails": list(body.emails), "escalates_to": body.escalates_to, "active": True,
        }
        row = stored.get(body.code)
        if row is None:
            session.add(Body(code=body.code, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
    for code, row in stored.items():
        if code not in registry.bodies and row.active:
            row.active = False
            changed += 1
    return changed
