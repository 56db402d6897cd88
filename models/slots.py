"""The register of scheduled runs claimed: one row per job and scheduled time, won by one process.

Two ``dondoc serve`` processes on one database share APScheduler's job store, and APScheduler
alone would run every job twice; each run first claims its slot here with an insert only one
process can win.
"""

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite

from models.tables import SchedulerLease


def claim_slot(engine: Engine, *, job: str, slot: datetime, holder: str) -> bool:
    """True for the one process that claims this run of this job; False for any other."""
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    table = SchedulerLease.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(name=f"{job}@{slot.isoformat()}", holder=holder, expires_at=slot + timedelta(days=1))
    with engine.begin() as connection:
        return connection.execute(statement.on_conflict_do_nothing(index_elements=["name"]).returning(table.c.name)).first() is not None
