"""Storing programmes in a real SQLite file and a real PostgreSQL database."""

import dataclasses
import threading
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import Session, col, select

from config.errors import ConflictError, DondocError, StorageError
from config.loading import Configuration
from models.db import SCHEMA_REVISION, make_engine, open_database, session_scope
from models.documents import store_programme
from models.outbound_tables import OutboxMessage
from models.programme import Programme
from models.programme import RuleAssignment as Assignment_
from models.queries import ItemFilter, assign_manually, find_document, list_items
from models.reports import active_item, request_extension
from models.tables import Assignment, AuditEvent, ExtensionRequest, Indicator, Item
from workflows.reading.programme import parse_programme

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
T1 = datetime(2026, 2, 5, 8, 0, tzinfo=UTC)


def _parse(text: str, configuration: Configuration) -> Programme:
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy)


def _ingest(engine: Engine, programme: Programme, configuration: Configuration, now: datetime):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return store_programme(session, programme=programme, source="test.txt", registry=configuration.registry, actor="test", now=now)


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def test_the_first_ingest_stores_every_item_with_one_lead(engine: Engine, sample_text: str, configuration: Configuration) -> None:
    changes = _ingest(engine, _parse(sample_text, configuration), configuration, T0)
    assert len(changes.added) == 136
    with Session(engine) as session:
        leads = session.exec(select(func.count()).select_from(Assignment).where(Assignment.role == "lead")).one()
        rows = list_items(session, document=find_document(session), where=ItemFilter(body="BTG"))
    assert leads == 136
    assert {r["key"] for r in rows} >= {"C.II.1.1.1", "C.II.1.1.2", "C.II.1.1.3"}


def test_ingesting_the_same_document_twice_changes_nothing(engine: Engine, sample_text: str, configuration: Configuration) -> None:
    programme = _parse(sample_text, configuration)
    _ingest(engine, programme, configuration, T0)
    counts = [_count(engine, t) for t in (Item, Assignment, AuditEvent)]
    changes = _ingest(engine, programme, configuration, T1)
    assert not changes.any
    assert [_count(engine, t) for t in (Item, Assignment, AuditEvent)] == counts
    with Session(engine) as session:
        assert session.exec(select(func.max(Item.updated_at))).one() == T0


def test_a_document_that_repeats_its_bullets_ingested_again_changes_nothing(
    engine: Engine, sample_text: str, configuration: Configuration
) -> None:
    # Given a document whose parts B to D stand twelve times (keys B, B~2 ... B~12: in key order
    # B~10 comes before B~2, so rows read back by key would pair the copies crosswise)
    lines = sample_text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("B. "))
    end = next(i for i, line in enumerate(lines) if line.startswith("T/M"))
    programme = _parse("\n".join(lines[:start] + lines[start:end] * 12), configuration)
    _ingest(engine, programme, configuration, T0)
    events = _count(engine, AuditEvent)
    # When it is ingested again, unchanged
    changes = _ingest(engine, programme, configuration, T1)
    # Then nothing is renumbered, updated or written
    assert (changes.renumbered, changes.updated, changes.any) == ([], [], False)
    assert _count(engine, AuditEvent) == events


def test_a_revision_updates_adds_and_retires_and_keeps_manual_assignments(
    engine: Engine, sample_text: str, configuration: Configuration
) -> None:
    _ingest(engine, _parse(sample_text, configuration), configuration, T0)
    with session_scope(engine) as session:
        document = find_document(session)
        assign_manually(session, document=document, key="C.I.1.1.2", body="BTC", role="lead", actor="coordinator", now=T0)
        moved = session.exec(select(Item).where(Item.key == "C.I.1.1.2")).one()
        removed = session.exec(select(Item).where(Item.key == "C.I.1.3.3")).one()
    # Given a revision: one bullet reworded, one inserted before it (renumbering), one removed.
    revised = sample_text.replace(
        "- Xây dựng chương trình xúc tiến đầu tư nhằm thu hút",
        "- Thành lập Trung tâm xúc tiến đầu tư và hỗ trợ doanh nghiệp của tỉnh.\n\n- Xây dựng chương trình xúc tiến đầu tư nhằm thu hút",
    ).replace("12 cụm công nghiệp trên", "15 cụm công nghiệp trên").replace(
        "- Phát triển các khu chăn nuôi tập trung theo hình thức công nghiệp, áp\ndụng công nghệ cao, khu giết mổ gia súc tập trung.\n", ""
    )
    changes = _ingest(engine, _parse(revised, configuration), configuration, T1)
    assert changes.added == ["C.I.1.1.2"]
    assert changes.updated == ["C.I.1.1.3"]
    assert changes.retired == ["C.I.1.3.3"]
    assert changes.renumbered == ["C.I.1.1.3", "C.I.1.3.3", "C.I.1.3.4"]
    with Session(engine) as session:
        kept = session.get(Item, moved.id)
        assert kept is not None and kept.key == "C.I.1.1.3" and "15 cụm công nghiệp" in kept.text
        lead = session.exec(select(Assignment).where(Assignment.item_id == moved.id, Assignment.role == "lead")).one()
        assert (lead.body_code, lead.rule, lead.manual) == ("BTC", "manual", True)
        gone = session.get(Item, removed.id)
        assert gone is not None and gone.retired_at == T1
    # And the same revision again changes nothing.
    assert not _ingest(engine, _parse(revised, configuration), configuration, T1).any


def test_the_audit_trail_is_append_only(engine: Engine, sample_text: str, configuration: Configuration) -> None:
    _ingest(engine, _parse(sample_text, configuration), configuration, T0)
    with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event"))
    assert _count(engine, AuditEvent) > 0


def test_a_failed_ingest_leaves_the_database_as_it_was(engine: Engine, sample_text: str, configuration: Configuration) -> None:
    _ingest(engine, _parse(sample_text, configuration), configuration, T0)
    counts = [_count(engine, t) for t in (Item, Assignment, AuditEvent)]
    revised = _parse(sample_text.replace("Tỷ lệ che phủ rừng", "Tỷ lệ che phủ rừng tự nhiên"), configuration)
    # The last item names a body the database does not know: the foreign key refuses it.
    last = revised.items[-1]
    ghost = dataclasses.replace(last, text=last.text + " Bổ sung.", assignments=(Assignment_(body="GHOST", role="lead", rule="x"),))
    broken = dataclasses.replace(revised, items=(*revised.items[:-1], ghost))
    with pytest.raises(StorageError, match=r"(?i)foreign key") as refused, session_scope(engine) as session:
        store_programme(session, programme=broken, source="x", registry=configuration.registry, actor="t", now=T1)
    assert "\n" not in str(refused.value)
    assert [_count(engine, t) for t in (Item, Assignment, AuditEvent)] == counts
    with Session(engine) as session:
        assert session.exec(select(func.max(Item.updated_at))).one() == T0


def test_the_schema_revision_is_alembics_head(database_url: str) -> None:
    from alembic.script import ScriptDirectory

    from models.db import alembic_config, current_revision

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    assert head == SCHEMA_REVISION
    engine = make_engine(database_url)
    assert current_revision(engine) == head
    engine.dispose()


def test_indicators_keep_their_ids_when_a_sibling_changes(engine: Engine, sample_text: str, configuration: Configuration) -> None:
    # Given B.II.1.3 with three indicators (52,6%, 31,1%, 7,8%) stored
    _ingest(engine, _parse(sample_text, configuration), configuration, T0)
    before = _indicators(engine, "B.II.1.3")
    assert [value for _, value in before] == [52.6, 31.1, 7.8]
    # When a revision changes the middle one only
    revised = sample_text.replace("xây dựng (chiếm 31,1%)", "xây dựng (chiếm 32,1%)")
    changes = _ingest(engine, _parse(revised, configuration), configuration, T1)
    # Then every indicator keeps its row: the changed one is updated in place
    assert changes.updated == ["B.II.1.3"]
    after = _indicators(engine, "B.II.1.3")
    assert [row_id for row_id, _ in after] == [row_id for row_id, _ in before]
    assert [value for _, value in after] == [52.6, 32.1, 7.8]


def _indicators(engine: Engine, key: str) -> list[tuple[int | None, float]]:
    with Session(engine) as session:
        item = session.exec(select(Item).where(Item.key == key, col(Item.retired_at).is_(None))).one()
        rows = session.exec(select(Indicator).where(Indicator.item_id == item.id).order_by(col(Indicator.position))).all()
        return [(row.id, row.value) for row in rows]


def test_a_duplicate_key_is_a_one_line_conflict_not_a_driver_error(engine: Engine) -> None:
    def message() -> OutboxMessage:
        return OutboxMessage(key="reminder:twice", kind="reminder", sender="a@b.example", recipients=["c@d.example"],
                             subject="s", message_id="<m@d>", raw="raw", next_attempt_at=T0, created_at=T0)

    with session_scope(engine) as session:
        session.add(message())
    with pytest.raises(ConflictError, match="contradicts what is stored") as refused, session_scope(engine) as session:
        session.add(message())
    assert "\n" not in str(refused.value)
    assert _count(engine, OutboxMessage) == 1


def test_two_extension_requests_at_once_leave_one_pending(
    engine: Engine, sample_text: str, configuration: Configuration
) -> None:
    _ingest(engine, _parse(sample_text, configuration), configuration, T0)
    failures: list[DondocError] = []

    def request(pause: float) -> None:
        try:
            with session_scope(engine) as session:
                item = active_item(session, document=find_document(session), key="C.I.1.1.1")
                request_extension(session, item=item, body="UBND", current_due=item.due, to=date(2030, 12, 31),
                                  reason="more time", on=date(2026, 3, 1), actor="test", now=T1)
                time.sleep(pause)  # the first stays uncommitted while the second asks
        except DondocError as error:
            failures.append(error)

    first = threading.Thread(target=request, args=(1.0,))
    first.start()
    time.sleep(0.3)
    request(0.0)
    first.join()
    with Session(engine) as session:
        pending = session.exec(select(ExtensionRequest).where(ExtensionRequest.status == "pending")).all()
    assert len(pending) == 1
    assert len(failures) == 1
    # The second waited for the first to commit, then the one-pending index refused it
    assert isinstance(failures[0], ConflictError), failures[0]
    assert "C.I.1.1.1 already has an extension request waiting for a decision" in str(failures[0])
