"""Upgrading a database made at the first migration to the newest, on SQLite and PostgreSQL: the
data is kept and the newest constraints hold. Rows are written with plain SQL, as the schema of
their revision had them, not through today's models.
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from config.bodies import KINDS
from config.words import codes
from models import tables
from models.check import check
from models.db import SCHEMA_REVISION, alembic_config, current_revision, open_database

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
WHEN = sa.DateTime(timezone=True)


def _insert(connection: Connection, table: str, **values: Any) -> None:
    """An INSERT of ``values`` into ``table`` as it is in the database, whatever today's models say."""
    columns = [sa.column(name, WHEN if isinstance(value, datetime) else None) for name, value in values.items()]
    connection.execute(sa.table(table, *columns).insert().values(**values))


def _rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql)).all()]


def _at_0001(connection: Connection) -> None:
    """A programme as 0001 stored it: a document, two bodies, two items (one retired), their
    indicator, assignments and an audit event."""
    _insert(connection, "document", id=1, key="CT-01", title="Chương trình hành động", first_year=2025, last_year=2030,
            start=date(2025, 12, 1), sha256="a" * 64, source="ct.txt", version=1, ingested_at=T0)
    for code, kind, up in (("BTV", "standing_committee", None), ("UBND", "government", "BTV")):
        _insert(connection, "body", code=code, name_vi=code, name_en=code, kind=kind, emails=json.dumps([f"{code}@x.vn"]),
                escalates_to=up, active=True)
    for item_id, key, retired in ((1, "C.I.1", None), (2, "C.I.2", None), (3, "C.I.1", T0)):
        _insert(connection, "item", id=item_id, document_id=1, key=key, kind="target" if item_id == 1 else "task",
                section_key="C.I", text=f"Việc {item_id}.", due=date(2026, 12, 31), recurrence="once",
                deadline_basis="năm 2026", position=item_id, line=10 + item_id, created_at=T0, updated_at=T0,
                retired_at=retired)
    _insert(connection, "indicator", id=7, item_id=1, position=0, name="Tỷ lệ che phủ rừng", comparator="at_least",
            value=47.5, value_max=None, unit="%", year=2030, baseline=None)
    for assignment_id, item_id, code, role in ((1, 1, "UBND", "lead"), (2, 1, "BTV", "cooperating"), (3, 2, "UBND", "lead")):
        _insert(connection, "assignment", id=assignment_id, item_id=item_id, body_code=code, role=role, rule="r",
                manual=False, assigned_at=T0)
    _insert(connection, "audit_event", id=1, at=T0, actor="test", action="document.ingested", entity="document",
            entity_key="CT-01", detail=json.dumps({"added": 2}))


def _at_0003(connection: Connection) -> None:
    """What the chase wrote at 0002-0003: a report, two pending extensions for one item (the race
    that 0004 closes), an escalation with its ``on`` column, an email, a claimed scheduler slot."""
    _insert(connection, "progress_report", id=1, item_id=1, body_code="UBND", status="in_progress", percent=40,
            note=None, values=json.dumps({}), period=date(2026, 6, 30), submitted_on=date(2026, 6, 28),
            submitted_at=T0, actor="UBND")
    for request_id in (1, 2):
        _insert(connection, "extension_request", id=request_id, item_id=2, body_code="UBND",
                previous_due=date(2026, 12, 31), requested_due=date(2027, 6, 30), reason="thêm thời gian",
                status="pending", requested_on=date(2026, 7, request_id), decided_on=None, decided_by=None,
                decision_note=None)
    _insert(connection, "escalation", id=1, item_id=2, subject="deadline", overdue_since=date(2027, 1, 1), level=1,
            reason="quá hạn", on=date(2027, 1, 4), created_at=T0)
    _insert(connection, "outbox", id=1, key="reminder:item:2", kind="reminder", item_id=2, due_date=date(2026, 12, 31),
            level=0, sender="dondoc@x.vn", recipients=json.dumps(["UBND@x.vn"]), subject="Nhắc hạn",
            message_id="<1@x.vn>", raw="raw", status="sent", attempts=1, next_attempt_at=T0, last_error=None,
            created_at=T0, sent_at=T0, claimed_by=None, claimed_until=None)
    _insert(connection, "scheduler_lease", name="remind@2026-01-05T07:00:00+07:00", holder="host:1", expires_at=T0)


def _advance_sequences(connection: Connection) -> None:
    """Rows were given their ids: move PostgreSQL's sequences past them, as an application would have."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("document", "item", "indicator", "assignment", "audit_event", "progress_report",
                  "extension_request", "escalation", "outbox"):
        connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


@pytest.fixture
def upgraded(empty_database_url: str) -> Iterator[Engine]:
    """A database made at 0001, filled, taken to 0003, filled, then opened as dondoc opens it."""
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0001")
    engine = sa.create_engine(empty_database_url)
    with engine.begin() as connection:
        _at_0001(connection)
    command.upgrade(config, "0003")
    with engine.begin() as connection:
        _at_0003(connection)
        _advance_sequences(connection)
    engine.dispose()
    upgraded = open_database(empty_database_url)
    yield upgraded
    upgraded.dispose()


def test_an_upgrade_from_the_first_migration_keeps_the_data(upgraded: Engine) -> None:
    assert current_revision(upgraded) == SCHEMA_REVISION
    assert _rows(upgraded, "SELECT id, key, kind, retired_at IS NULL FROM item ORDER BY id") == [
        (1, "C.I.1", "target", True), (2, "C.I.2", "task", True), (3, "C.I.1", "task", False)
    ]
    # copying the item table on SQLite must not delete its children (ON DELETE CASCADE)
    assert _rows(upgraded, "SELECT id, item_id, body_code, role FROM assignment ORDER BY id") == [
        (1, 1, "UBND", "lead"), (2, 1, "BTV", "cooperating"), (3, 2, "UBND", "lead")
    ]
    assert _rows(upgraded, "SELECT id, item_id, value FROM indicator") == [(7, 1, 47.5)]
    assert _rows(upgraded, "SELECT code, escalates_to FROM body ORDER BY code") == [("BTV", None), ("UBND", "BTV")]
    assert _rows(upgraded, "SELECT id, status, percent FROM progress_report") == [(1, "in_progress", 40)]
    [(escalation_id, level, reached_on)] = _rows(upgraded, "SELECT id, level, reached_on FROM escalation")
    assert (escalation_id, level, str(reached_on)) == (1, 1, "2027-01-04")
    assert _rows(upgraded, "SELECT id, status FROM outbox") == [(1, "sent")]
    assert _rows(upgraded, "SELECT count(*) FROM audit_event") == [(1,)]
    # the second of two pending requests for one item is closed, saying which one it repeats
    closed = _rows(upgraded, "SELECT id, status, decision_note FROM extension_request ORDER BY id")
    assert closed == [(1, "pending", None), (2, "refused", "repeats pending request 1 for the same item")]
    # the register of claimed slots has its new name, and its old claims are gone
    assert _rows(upgraded, "SELECT count(*) FROM scheduler_slot") == [(0,)]
    assert "scheduler_lease" not in sa.inspect(upgraded).get_table_names()


REPORT = ("INSERT INTO progress_report (item_id, body_code, status, percent, \"values\", period, submitted_on, "
          "submitted_at, actor) VALUES (1, 'UBND', '{status}', {percent}, '{{}}', '2026-06-30', '2026-06-30', "
          "CURRENT_TIMESTAMP, 't')")


REFUSED = [
    (REPORT.format(status="finished", percent="NULL"), "ck_progress_report_status"),
    (REPORT.format(status="done", percent=101), "ck_progress_report_percent"),
    ("INSERT INTO extension_request (item_id, body_code, previous_due, requested_due, reason, status, requested_on) "
     "VALUES (2, 'UBND', '2026-12-31', '2027-12-31', 'x', 'pending', '2026-08-01')",
     "uq_extension_request_one_pending|UNIQUE constraint failed: extension_request.item_id"),
    ("UPDATE body SET escalates_to = 'GHOST' WHERE code = 'UBND'", "fk_body_escalates_to|FOREIGN KEY constraint failed"),
    ("UPDATE body SET kind = 'club'", "ck_body_kind"),
    ("UPDATE escalation SET level = 3", "ck_escalation_level"),
    ("UPDATE escalation SET subject = 'mood'", "ck_escalation_subject"),
    ("UPDATE assignment SET role = 'owner' WHERE id = 2", "ck_assignment_role"),
    ("UPDATE indicator SET comparator = 'about'", "ck_indicator_comparator"),
    ("UPDATE item SET kind = 'wish' WHERE id = 1", "ck_item_kind"),
    ("UPDATE item SET recurrence = 'hourly' WHERE id = 1", "ck_item_recurrence"),
    ("UPDATE outbox SET kind = 'spam'", "ck_outbox_kind"),
    ("UPDATE outbox SET status = 'lost'", "ck_outbox_status"),
    ("UPDATE extension_request SET status = 'maybe' WHERE id = 1", "ck_extension_request_status"),
    ("UPDATE item SET retired_at = NULL WHERE id = 3", "uq_item_active_key|UNIQUE constraint failed: item.document_id, item.key"),
]
"""A write no version of dondoc makes, and the constraint that refuses it (PostgreSQL's name|SQLite's words)."""


def test_after_the_upgrade_the_database_refuses_what_the_code_never_writes(upgraded: Engine) -> None:
    for sql, refused_by in REFUSED:  # on failure, the traceback shows which write was taken
        with pytest.raises(IntegrityError, match=refused_by), upgraded.begin() as connection:
            connection.execute(sa.text(sql))


def test_after_the_upgrade_a_retired_item_may_share_a_key_and_a_decided_extension_may_follow(upgraded: Engine) -> None:
    # the partial unique indexes kept their WHERE through SQLite's table copies
    with upgraded.begin() as connection:
        connection.execute(sa.text("UPDATE item SET retired_at = CURRENT_TIMESTAMP WHERE id = 1"))
        connection.execute(sa.text("UPDATE item SET key = 'C.I.1', retired_at = NULL WHERE id = 3"))
        connection.execute(sa.text("UPDATE extension_request SET status = 'approved' WHERE id = 1"))
        connection.execute(sa.text(
            "INSERT INTO extension_request (item_id, body_code, previous_due, requested_due, reason, status, requested_on) "
            "VALUES (2, 'UBND', '2027-06-30', '2027-12-31', 'x', 'pending', '2027-05-01')"
        ))
    assert _rows(upgraded, "SELECT count(*) FROM extension_request WHERE status = 'pending'") == [(1,)]


def test_the_models_match_the_migrations(empty_database_url: str) -> None:
    assert check(empty_database_url) is None


def test_the_codes_the_database_allows_are_the_codes_dondoc_names() -> None:
    assert codes("report") == tables.REPORT_STATUSES
    assert codes("extension") == tables.EXTENSION_STATUSES
    assert codes("outbox") == tables.OUTBOX_STATUSES
    assert codes("item_kind") == tables.ITEM_KINDS
    assert codes("recurrence") == tables.RECURRENCES
    assert codes("role") == tables.ROLES
    assert tables.BODY_KINDS == tuple(KINDS) == codes("body_kind")


def test_after_the_upgrade_the_audit_trail_is_chained_guarded_and_verifies(upgraded: Engine) -> None:
    from models.audit import GENESIS, audit, verify_trail
    from models.db import session_scope

    # the row stored before the chain existed was chained by the upgrade, and the chain goes on from it
    assert _rows(upgraded, "SELECT id, prev_hash FROM audit_event") == [(1, GENESIS)]
    with session_scope(upgraded) as session:
        audit(session, actor="t", action="report.submitted", entity="item", key="C.I.1", at=T0, percent=50)
    with session_scope(upgraded) as session:
        verdict = verify_trail(session)
    assert (verdict.rows, verdict.broken) == (2, None)
    # the guards survived SQLite's copy of the table, and the new ones hold
    rewrites = ["UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"]
    rewrites.append("TRUNCATE audit_event" if upgraded.dialect.name == "postgresql" else
                    "INSERT OR REPLACE INTO audit_event SELECT * FROM audit_event WHERE id = 1")
    for sql in rewrites:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), upgraded.begin() as connection:
            connection.execute(sa.text(sql))
    assert _rows(upgraded, "SELECT count(*) FROM audit_event") == [(2,)]


def test_0012_takes_a_document_s_number_from_the_latest_audit_event_that_recorded_it(empty_database_url: str) -> None:
    # Given a database at 0011, where an ingest kept the heading's number, issuer and date only in
    # its audit events (a later event, the heading re-read, says what the document is now)
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0011")
    engine = sa.create_engine(empty_database_url)
    with engine.begin() as connection:
        _insert(connection, "document", id=1, key="CT-01", title="Chương trình hành động", first_year=2025, last_year=2030,
                start=date(2025, 12, 1), sha256="a" * 64, source="ct.txt", version=1, ingested_at=T0)
        for event_id, action, facts in (
            (1, "document.ingested", {"added": 2, "number": "58/NQ", "issuer": "CHÍNH PHỦ CỘNG HÒA", "issued_on": None}),
            (2, "document.described", {"number": "58/NQ-CP", "issuer": "CHÍNH PHỦ", "issued_on": "2026-04-21"}),
        ):
            _insert(connection, "audit_event", id=event_id, at=T0, actor="test", action=action, entity="document",
                    entity_key="CT-01", detail=json.dumps(facts, ensure_ascii=False), prev_hash="0" * 64, hash=str(event_id) * 64)
    engine.dispose()
    # When it is taken to 0012, then the document row says what the latest event recorded
    command.upgrade(config, "0012")
    engine = sa.create_engine(empty_database_url)
    [(number, issuer, issued_on)] = _rows(engine, "SELECT number, issuer, issued_on FROM document")
    engine.dispose()
    assert (number, issuer, str(issued_on)) == ("58/NQ-CP", "CHÍNH PHỦ", "2026-04-21")
