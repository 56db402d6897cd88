"""The audit trail cannot be rewritten, and what is rewritten anyway is found (issue 8, "Sent twice,
marked wrongly, or lost").

The trail refused UPDATE and DELETE, but on SQLite ``INSERT OR REPLACE`` over an existing id
overwrote a row, and on PostgreSQL ``TRUNCATE`` emptied the table. Both are refused now. And each
row carries the hash of the row before it, so that someone who can drop the triggers (the owner of
the database) still cannot edit or delete a row, or add one by hand, without ``dondoc audit verify``
naming the first row that breaks the chain (exit 6).
"""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from config.loading import Configuration
from config.words import show_moment
from models.audit import audit, verify_trail
from models.db import make_engine, open_database, session_scope
from tests.acceptance.test_cli import ok, run
from workflows.orchestration.ingest import store
from workflows.reading.programme import parse_programme

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def trail(database_url: str, configuration: Configuration, sample_text: str) -> Iterator[Engine]:
    """Given the sample ingested (one transaction, a few events) and thirty commands after it, of
    one to three events each."""
    engine = open_database(database_url)
    programme = parse_programme(sample_text, rules=configuration.rules, policy=configuration.policy)
    store(engine, programme, source="sample", configuration=configuration, actor="test", now=T0)
    for n in range(30):
        with session_scope(engine) as session:
            for m in range(1 + n % 3):
                audit(session, actor="test", action="report.submitted", entity="item", key=f"K.{n}.{m}",
                      at=T0 + timedelta(hours=n + 1, seconds=m), percent=n, note="tiến độ", values={"x": n / 7})
    yield engine
    engine.dispose()


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM audit_event")).scalar_one())


def _row(engine: Engine, row_id: int) -> tuple[datetime, str, str]:
    """A row's time, actor and action, as dondoc reads them."""
    from models.tables import AuditEvent

    with session_scope(engine) as session:
        event = session.get(AuditEvent, row_id)
        assert event is not None
        return event.at, event.actor, event.action


def _verify(engine: Engine, tmp_path: Path, language: str = "vi") -> tuple[int, str, str]:
    """``dondoc audit verify`` as a user runs it, on this database."""
    url = engine.url.render_as_string(hide_password=False)
    result = run(tmp_path, "audit", "verify", env={"DONDOC_DATABASE_URL": url, "DONDOC_LANGUAGE": language})
    return result.returncode, result.stdout, result.stderr


# Writes that would rewrite history; each must be refused by the database itself, whatever the
# columns of the table (the same statements ran before the hash columns existed).
REWRITES = {
    "sqlite": [
        "INSERT OR REPLACE INTO audit_event SELECT * FROM forged",
        "REPLACE INTO audit_event SELECT * FROM forged",
        "INSERT INTO audit_event SELECT * FROM forged WHERE true ON CONFLICT (id) DO UPDATE SET actor = 'intruder'",
        "UPDATE audit_event SET actor = 'intruder' WHERE id = 2",
        "DELETE FROM audit_event WHERE id = 2",
    ],
    "postgresql": [
        "TRUNCATE audit_event",
        "TRUNCATE audit_event RESTART IDENTITY CASCADE",
        "INSERT INTO audit_event SELECT * FROM forged ON CONFLICT (id) DO UPDATE SET actor = 'intruder'",
        "UPDATE audit_event SET actor = 'intruder' WHERE id = 2",
        "DELETE FROM audit_event WHERE id = 2",
    ],
}


def test_the_database_refuses_to_overwrite_empty_update_or_delete_the_trail(trail: Engine) -> None:
    rows, before = _count(trail), _row(trail, 2)
    for sql in REWRITES[trail.dialect.name]:  # on failure, the traceback shows which write was taken
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), trail.begin() as connection:
            # a copy of row 2 with another actor, to write over row 2
            connection.execute(sa.text("DROP TABLE IF EXISTS forged"))  # SQLite keeps a temporary table on rollback
            connection.execute(sa.text("CREATE TEMPORARY TABLE forged AS SELECT * FROM audit_event WHERE id = 2"))
            connection.execute(sa.text("UPDATE forged SET actor = 'intruder'"))
            connection.execute(sa.text(sql))
    assert (_count(trail), _row(trail, 2)) == (rows, before)


def test_an_intact_trail_verifies_after_an_ingest_and_a_few_commands(database_url: str, tmp_path: Path) -> None:
    env = {"DONDOC_DATABASE_URL": database_url}
    ok(tmp_path, "ingest", "--sample", env=env)
    ok(tmp_path, "report", "C.I.2.1.c.2", "--status", "done", "--percent", "100", "--as-of", "2021-03-30", env=env)
    ok(tmp_path, "extend", "D.III", "--to", "2021-06-30", "--reason", "Chờ Trung ương hướng dẫn", "--as-of", "2021-03-20",
       env=env)
    ok(tmp_path, "extension", "approve", "1", "--as-of", "2021-04-09", env=env)
    engine = make_engine(database_url)
    rows = _count(engine)
    assert rows >= 5
    assert ok(tmp_path, "audit", "verify", env=env).strip().startswith(f"Nhật ký nguyên vẹn: {rows} dòng")
    english = ok(tmp_path, "audit", "verify", env={**env, "DONDOC_LANGUAGE": "en"})
    assert english.strip().startswith(f"The audit trail is intact: {rows} rows")
    newest = ok(tmp_path, "audit", "list", "--limit", "2", env=env)
    assert "extension.approved" in newest and "extension.requested" in newest and "item.added" not in newest
    engine.dispose()


def _as_intruder(engine: Engine, sql: str) -> None:
    """Run ``sql`` as someone with the owner's rights: the triggers that guard the trail are taken
    off, the write is made, and the triggers are put back as they were."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            triggers = connection.execute(sa.text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
            )).all()
            for name, _ddl in triggers:
                connection.execute(sa.text(f"DROP TRIGGER {name}"))
            connection.execute(sa.text(sql))
            for _name, ddl in triggers:
                connection.execute(sa.text(ddl))
        else:
            connection.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            connection.execute(sa.text(sql))
            connection.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


LAST = "(SELECT max(id) FROM audit_event)"
TAMPERING = {  # what is done to the trail, and which row verify must name
    "a row's detail edited": ("UPDATE audit_event SET detail = '{\"percent\": 100}' WHERE id = 40", 40),
    "a row's actor edited": ("UPDATE audit_event SET actor = 'someone else' WHERE id = 40", 40),
    "a row in the middle deleted": ("DELETE FROM audit_event WHERE id = 40", 41),
}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_tampering_with_the_trail_is_named_by_audit_verify(trail: Engine, tmp_path: Path, tampering: str) -> None:
    sql, named = TAMPERING[tampering]
    at, _actor, action = _row(trail, named)
    assert _verify(trail, tmp_path)[0] == 0
    _as_intruder(trail, sql)
    code, out, err = _verify(trail, tmp_path)
    assert (code, out) == (6, "")
    [line] = err.strip().splitlines()  # one line, naming the row, its time and what it recorded
    assert f"dòng số {named} ({show_moment(at)}, {action})" in line
    if named == 41:  # the row after a gap says which row it no longer follows
        assert "dòng số 39" in line
    _code, _out, english = _verify(trail, tmp_path, "en")
    assert f"row {named} ({show_moment(at)}, {action})" in english


def test_a_row_added_by_hand_without_its_hash_is_named(trail: Engine, tmp_path: Path) -> None:
    # no trigger needs to go for this: an insert is allowed, but a forger's hash does not chain
    with trail.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO audit_event (id, at, actor, action, entity, entity_key, detail, prev_hash, hash) "
            f"SELECT id + 1, at, actor, 'item.retired', entity, entity_key, detail, hash, hash FROM audit_event WHERE id = {LAST}"
        ))
    forged = _count(trail)
    code, _out, err = _verify(trail, tmp_path)
    assert code == 6 and f"dòng số {forged} (" in err and "item.retired" in err


def test_concurrent_writers_each_chain_to_the_row_before_them(trail: Engine) -> None:
    # Given four processes' worth of engines appending at once, ten transactions each
    rows = _count(trail)
    url = trail.url.render_as_string(hide_password=False)
    start, failures = threading.Barrier(4), []

    def writer(n: int) -> None:
        engine = make_engine(url)
        try:
            start.wait()
            for i in range(10):
                with session_scope(engine) as session:
                    for j in range(3):
                        audit(session, actor=f"writer {n}", action="report.submitted", entity="item", key=f"W.{n}.{i}.{j}",
                              at=T0)
        except Exception as exc:  # reported below: a thread's exception is otherwise lost
            failures.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then every event is stored, and the trail is one chain
    assert failures == []
    with session_scope(trail) as session:
        verdict = verify_trail(session)
    assert (verdict.rows, verdict.broken) == (rows + 120, None)
