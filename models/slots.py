"""The register of scheduled runs claimed: one row per job and scheduled time, won by one process.

Two ``dondoc serve`` processes on one database share APScheduler's job store, and APScheduler
alone would run every job twice; each run first claims its slot here with an insert only one
process can win. A claim matters only while its slot is contested (seconds), so rows past
``expires_at`` (a day later) are purged as new claims come in: the register stays small.
"""

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite

from models.db import storage_errors
from models.outbound_tables import SchedulerSlot

KEPT = timedelta(days=1)
"""How long a claim is kept: far longer than any scheduler's misfire grace."""


def claim_slot(engine: Engine, *, job: str, slot: datetime, holder: str) -> bool:
    """True for the one process that claims this run of this job; False for any other."""
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    table = SchedulerSlot.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(name=f"{job}@{slot.isoformat()}", holder=holder, expires_at=slot + KEPT)
    with storage_errors(), engine.begin() as connection:
        connection.execute(delete(table).where(table.c.expires_at < slot))
        return connection.execute(statement.on_conflict_do_nothing(index_elements=["name"]).returning(table.c.name)).first() is not None
