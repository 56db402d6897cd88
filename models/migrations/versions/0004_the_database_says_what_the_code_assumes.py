"""the database says what the code assumes: CHECKs on codes, escalates_to as a foreign key, one
pending extension per item, scheduler_slot and escalation.reached_on renamed, redundant indexes dropped

Every row is kept, except the claims of past runs in scheduler_lease (now scheduler_slot): a claim
matters only for the seconds its slot is contested, and ``models.slots`` now purges them. A second
pending extension request for one item (two concurrent ``extend`` could leave one before this
revision) is closed as refused, with a note naming the request it repeats, so that the new
unique index can hold. A row that breaks a new CHECK stops the upgrade with its table and
constraint named; nothing is changed then.

Indexes of 0001-0003, each looked at:

- dropped ``ix_assignment_item_id``: ``uq_assignment_item_body (item_id, body_code)`` leads with
  item_id and serves every lookup by item.
- dropped ``ix_escalation_item_id``: ``uq_escalation_rung (item_id, subject, overdue_since, level)``
  leads with item_id.
- dropped ``ix_item_document_id``: every read of items by document asks for active items, which
  the partial ``uq_item_active_key (document_id, key) WHERE retired_at IS NULL`` serves; documents
  are never deleted, so no foreign-key check needs it either (and one province has one document).
- kept ``ix_item_due`` (the sweeps' window on due dates), ``ix_assignment_body_code`` (items by
  body), ``ix_progress_report_item_id``, ``ix_extension_request_item_id`` (the new pending index
  covers pending requests only), ``ix_extension_request_status`` (approved extensions, read by
  every sweep), ``ix_outbox_due`` and ``ix_outbox_item_id``, ``ix_audit_event_action``; the unique
  constraints and the partial unique indexes, which are rules, not speed-ups; and APScheduler's
  ``ix_apscheduler_jobs_next_run_time``, which is its own.

On SQLite a table with a new constraint is copied into a new one (Alembic's batch mode); that is
safe only with foreign keys off, or dropping ``item`` would delete its indicators and assignments
(ON DELETE CASCADE). ``models.db.migrate`` turns them off and checks every reference after; this
revision refuses to run with them on.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The codes as they are at this revision (a later revision that adds one adds it here).
CODES: dict[tuple[str, str], tuple[str, ...] | tuple[int, ...]] = {
    ("progress_report", "status"): ("not_started", "in_progress", "done", "blocked"),
    ("extension_request", "status"): ("pending", "approved", "refused"),
    ("outbox", "status"): ("pending", "sending", "sent", "dead", "uncertain"),
    ("outbox", "kind"): ("reminder", "escalation", "digest"),
    ("assignment", "role"): ("lead", "cooperating"),
    ("item", "kind"): ("target", "task", "directive"),
    ("item", "recurrence"): ("once", "yearly", "continuous"),
    ("indicator", "comparator"): ("equal", "at_least", "more_than", "below", "at_most", "between", "times_baseline"),
    ("body", "kind"): (
        "standing_committee", "party_committee", "coordinator", "government", "party_group", "council", "front",
        "mass_organisation", "advisory_board", "local_committee", "affiliated_committee",
    ),
    ("escalation", "subject"): ("deadline", "report"),
    ("escalation", "level"): (1, 2),
}
CHECKS: dict[str, list[tuple[str, str]]] = {}
for (_table, _column), _codes in CODES.items():
    _listed = ", ".join(repr(code) for code in _codes)
    CHECKS.setdefault(_table, []).append((f"ck_{_table}_{_column}", f"{_column} IN ({_listed})"))
CHECKS["progress_report"].append(("ck_progress_report_percent", "percent IS NULL OR percent BETWEEN 0 AND 100"))

PENDING = "status = 'pending'"
DROPPED = {"assignment": ["ix_assignment_item_id"], "escalation": ["ix_escalation_item_id"], "item": ["ix_item_document_id"]}


def upgrade() -> None:
    _refuse_foreign_keys_on()
    _refuse_rows_that_break_a_check()
    _refuse_unknown_escalation_targets()
    _close_repeated_pending_extensions()

    op.execute("DELETE FROM scheduler_lease")  # claims of past runs: a claim matters only while its slot is contested
    op.rename_table("scheduler_lease", "scheduler_slot")
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            if table == "escalation":
                batch.alter_column("on", new_column_name="reached_on", existing_type=sa.Date(), existing_nullable=False)
            if table == "body":
                batch.create_foreign_key(
                    "fk_body_escalates_to", "body", ["escalates_to"], ["code"], deferrable=True, initially="DEFERRED"
                )
            if table == "extension_request":
                batch.create_index(
                    "uq_extension_request_one_pending", ["item_id"], unique=True,
                    sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING),
                )
            for index in DROPPED.get(table, []):
                batch.drop_index(index)
            for name, condition in checks:
                batch.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, _condition in checks:
                batch.drop_constraint(name, type_="check")
            for index in DROPPED.get(table, []):
                column = "document_id" if table == "item" else "item_id"
                batch.create_index(index, [column], unique=False)
            if table == "extension_request":
                batch.drop_index("uq_extension_request_one_pending")
            if table == "body":
                batch.drop_constraint("fk_body_escalates_to", type_="foreignkey")
            if table == "escalation":
                batch.alter_column("reached_on", new_column_name="on", existing_type=sa.Date(), existing_nullable=False)
    op.rename_table("scheduler_slot", "scheduler_lease")


def _refuse_foreign_keys_on() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "0004 copies tables on SQLite and needs foreign keys off (PRAGMA foreign_keys=OFF outside a "
            "transaction), or copying item would delete its indicators and assignments; models.db.migrate does it"
        )


def _refuse_rows_that_break_a_check() -> None:
    bind = op.get_bind()
    for table, checks in CHECKS.items():
        for name, condition in checks:
            count = bind.execute(sa.text(f'SELECT count(*) FROM "{table}" WHERE NOT ({condition})')).scalar()
            if count:
                raise RuntimeError(f"{count} rows of {table} break {name} ({condition}): correct them, then upgrade")


def _refuse_unknown_escalation_targets() -> None:
    bind = op.get_bind()
    unknown = bind.execute(sa.text(
        "SELECT code, escalates_to FROM body WHERE escalates_to IS NOT NULL "
        "AND escalates_to NOT IN (SELECT code FROM body)"
    )).first()
    if unknown is not None:
        raise RuntimeError(f"body {unknown[0]} escalates to {unknown[1]}, which is not a stored body")


def _close_repeated_pending_extensions() -> None:
    """Of several pending requests for one item, the first stays pending; the later ones are
    closed as refused, saying which request they repeat."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, item_id FROM extension_request WHERE status = 'pending' ORDER BY item_id, id"
    )).all()
    first: dict[int, int] = {}
    for request_id, item_id in rows:
        if item_id not in first:
            first[item_id] = request_id
            continue
        bind.execute(
            sa.text(
                "UPDATE extension_request SET status = 'refused', decided_on = CURRENT_DATE, "
                "decided_by = 'dondoc upgrade 0004', decision_note = :note WHERE id = :id"
            ),
            {"id": request_id, "note": f"repeats pending request {first[item_id]} for the same item"},
        )
