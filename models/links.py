"""A body's link generation: what ``dondoc link revoke`` raises so that its earlier links stop working.

Every signed link carries the generation of its body at the time it was made
(``notifications.links``); the answer page refuses a link whose generation is not the body's
current one. A body with no row is at generation 0, so nothing is stored until a first revocation.
"""

from datetime import datetime

from sqlmodel import Session

from models.audit import audit
from models.outbound_tables import LinkGeneration


def link_generation(session: Session, *, body: str) -> int:
    """The generation a new link of ``body`` carries (0 until its links are first revoked)."""
    row = session.get(LinkGeneration, body)
    return 0 if row is None else row.generation


def revoke_links(session: Session, *, body: str, actor: str, now: datetime) -> int:
    """Make every link of ``body`` made so far invalid; returns the new generation. Audited as
    ``links.revoked``. Two revocations at once both raise it (the second may fail on the primary
    key and be retried by the user): either way no earlier link works again."""
    row = session.get(LinkGeneration, body, with_for_update=True)
    if row is None:
        row = LinkGeneration(body_code=body, generation=1, revoked_at=now, revoked_by=actor)
        session.add(row)
    else:
        row.generation, row.revoked_at, row.revoked_by = row.generation + 1, now, actor
    session.flush()
    audit(session, actor=actor, action="links.revoked", entity="body", key=body, at=now, generation=row.generation)
    return row.generation
