"""the audit trail is chained: each row carries the hash of the row before it; an insert over a
stored id (SQLite's INSERT OR REPLACE) and TRUNCATE (PostgreSQL) are refused

0001 made the trail refuse UPDATE and DELETE. Two ways around that remained: on SQLite, ``INSERT
OR REPLACE`` (and ``REPLACE``) over an existing id deletes the old row and inserts the new one,
and a BEFORE DELETE trigger does not fire for that delete (unless ``recursive_triggers`` is on);
on PostgreSQL, ``TRUNCATE`` fires no row trigger. Now a BEFORE INSERT trigger refuses a row whose
id is stored (SQLite), and a statement trigger refuses TRUNCATE (PostgreSQL).

The new columns ``prev_hash`` and ``hash`` (hex sha256, NOT NULL, 64 characters by a CHECK) are
filled for the rows already stored, in id order, with the recipe of ``models.audit`` at this
revision (:func:`_digest`, frozen here), so that an upgraded database verifies. The update guard
is off while they are filled and back on before the revision ends; on SQLite the table is copied
to make the columns NOT NULL (which drops its triggers), so all of them are made again.

Revision ID: 0005
Revises: 0004
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
HASHED = "length(prev_hash) = 64 AND length(hash) = 64"
REFUSE = "SELECT RAISE(ABORT, 'the audit trail is append-only')"
SQLITE_GUARDS = {  # 0001's two, and the one that closes INSERT OR REPLACE
    "audit_event_no_update": f"BEFORE UPDATE ON audit_event BEGIN {REFUSE}; END",
    "audit_event_no_delete": f"BEFORE DELETE ON audit_event BEGIN {REFUSE}; END",
    "audit_event_no_replace": (
        f"BEFORE INSERT ON audit_event WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) BEGIN {REFUSE}; END"
    ),
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("audit_event", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_event", sa.Column("hash", sa.String(length=64), nullable=True))
    if sqlite:
        _drop_sqlite_guards()
    else:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    _chain_stored_rows()
    with op.batch_alter_table("audit_event") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_check_constraint("ck_audit_event_hashed", HASHED)
    if sqlite:
        _create_sqlite_guards(SQLITE_GUARDS)
    else:
        op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_sqlite_guards()
    else:
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        # from 0005 dondoc numbers the rows itself; the code of 0004 takes the next id from the sequence
        op.execute("SELECT setval(pg_get_serial_sequence('audit_event', 'id'), coalesce(max(id), 0) + 1, false) FROM audit_event")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_constraint("ck_audit_event_hashed", type_="check")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    if sqlite:  # the copy of the table dropped 0001's guards with the old table
        _create_sqlite_guards({k: v for k, v in SQLITE_GUARDS.items() if k != "audit_event_no_replace"})


def _drop_sqlite_guards() -> None:
    for name in SQLITE_GUARDS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create_sqlite_guards(guards: dict[str, str]) -> None:
    for name, body in guards.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _digest(prev_hash: str, row: Any) -> str:
    """``models.audit.digest`` as it is at this revision: sha256 of the previous hash and the row's
    compact JSON [id, at in UTC, actor, action, entity, entity_key, detail], keys sorted, ASCII."""
    at: datetime = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)  # SQLite gives UTC back without its zone
    canonical = json.dumps([row.id, at.astimezone(UTC).isoformat(), row.actor, row.action, row.entity, row.entity_key,
                            row.detail], sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _chain_stored_rows() -> None:
    columns = ("id", "at", "actor", "action", "entity", "entity_key", "detail", "prev_hash", "hash")
    types: dict[str, Any] = {"at": sa.DateTime(timezone=True), "detail": sa.JSON()}
    audit_event = sa.table("audit_event", *(sa.column(name, types.get(name)) for name in columns))
    bind = op.get_bind()
    chained, prev = [], GENESIS
    for row in bind.execute(sa.select(audit_event).order_by(audit_event.c.id)):
        digest = _digest(prev, row)
        chained.append({"row_id": row.id, "prev": prev, "digest": digest})
        prev = digest
    if chained:
        bind.execute(
            audit_event.update().where(audit_event.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("prev"), hash=sa.bindparam("digest")),
            chained,
        )
