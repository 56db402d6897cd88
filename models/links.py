"""A body's link generation: what ``dondoc link revoke`` raises so that its earlier links stop working.

Every signed link carries the generation of its body at the time it was made
(``notifications.links``); the answer page refuses a link whose generation is not the body's
current one. A body with no row is at generation 0, so nothing is stored until a first revocation.
"""

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from models.audit import audit
from models.outbound_tables import LinkGeneration


def link_generation(session: Session, *, body: str) -> int:
    """The generation a new link of ``body`` carries (0 until its links are first revoked)."""
    row = session.get(LinkGeneration, body)
    return 0 if row is None else row.generation


def link_generations(session: Session, *, bodies: list[str]) -> dict[str, int]:
    """:func:`link_generation` of each of ``bodies``, read in one query per 900 bodies (the daily
    chase makes a link for every body it writes to)."""
    table = LinkGeneration.__table__  # type: ignore[attr-defined]
    found: dict[str, int] = {}
    for start in range(0, len(bodies), 900):
        rows = session.connection().execute(select(table.c.body_code, table.c.generation).where(
            table.c.body_code.in_(bodies[start : start + 900])))
        found.update({body: generation for body, generation in rows})
    return {body: found.get(body, 0) for body in bodies}


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
