"""``--document``'s lookup (``models.document_names.resolve_document``) on SQLite and PostgreSQL:
a document is found by its key, its number (case and spaces ignored) or a start of its key; its
number, issuer and date are read back from the trail; a document stored before they were
recorded gets them at its next ingest, even one that changes nothing else."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from config.errors import NotFoundError
from config.loading import Configuration
from config.settings import Settings
from models.db import open_database, session_scope
from models.document_names import describe_documents, resolve_document
from models.queries import find_document
from models.tables import AuditEvent
from tests.acceptance.test_document_names import SECOND
from workflows.orchestration.ingest import parse_file, sample_path, store


def _stored(tmp_path: Path, database_url: str, configuration: Configuration) -> tuple[Engine, str, str]:
    settings = Settings(home=tmp_path, database_url=database_url)
    engine = open_database(database_url)
    second = tmp_path / "58.txt"
    second.write_text(SECOND, encoding="utf-8")
    keys = []
    for path in (sample_path(), second):
        programme = parse_file(path, settings=settings, configuration=configuration)
        store(engine, programme, source=path.name, configuration=configuration, actor="test")
        keys.append(programme.key)
    return engine, keys[0], keys[1]


def test_a_document_is_found_by_key_number_or_start_of_key(
    tmp_path: Path, database_url: str, configuration: Configuration
) -> None:
    engine, sample_key, second_key = _stored(tmp_path, database_url, configuration)
    with session_scope(engine) as session:
        for name in (second_key, "58/NQ-CP", "58/nq-cp", "58 / nq - cp", second_key[:60]):
            assert resolve_document(session, name).key == second_key, name
        assert find_document(session, "58/NQ-CP").key == second_key  # what every command calls
        assert find_document(session, sample_key[:40].upper()).key == sample_key
        described = {d.document.key: d for d in describe_documents(session)}
        assert (described[second_key].number, described[second_key].issuer, described[second_key].issued_on,
                described[second_key].items) == ("58/NQ-CP", "CHÍNH PHỦ", date(2026, 4, 21), 3)
        for wrong in ("58/NQ-CQ", "chuong-trinh", "%", "_"):
            with pytest.raises(NotFoundError) as refused:
                resolve_document(session, wrong)
            assert f"'{wrong}'" in str(refused.value) and "58/NQ-CP" in str(refused.value)


def test_a_document_stored_before_its_number_was_recorded_gets_it_at_the_next_ingest(
    tmp_path: Path, database_url: str, configuration: Configuration
) -> None:
    settings = Settings(home=tmp_path, database_url=database_url)
    engine = open_database(database_url)
    second = tmp_path / "58.txt"
    second.write_text(SECOND, encoding="utf-8")
    programme = parse_file(second, settings=settings, configuration=configuration)
    bare = type(programme)(**{**programme.__dict__, "number": None, "issuer": None, "issued_on": None})
    store(engine, bare, source="58.txt", configuration=configuration, actor="test")  # as an older dondoc stored it
    changes = store(engine, programme, source="58.txt", configuration=configuration, actor="test",
                    now=datetime.now(UTC))
    assert not changes.any  # the same text: nothing of it changed
    with session_scope(engine) as session:
        assert resolve_document(session, "58/nq-cp").key == programme.key
        actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "document")).all()]
    store(engine, programme, source="58.txt", configuration=configuration, actor="test")
    with session_scope(engine) as session:
        again = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "document")).all()]
    assert actions.count("document.described") == 1 and again == actions  # once, then a re-ingest writes nothing
