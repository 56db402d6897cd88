"""Documents stored twice, taken for another or lost (issue 8, "Sent twice, marked wrongly, or lost").

A document was known by its title cut to 120 characters, so another programme whose title shared
that prefix retired all 136 items of the first, with exit 0; a revision could retire most items
without a word; a bullet removed then restored came back as a new item without its reports; and
two ingests at once failed or both numbered their revision 2. Each runs on SQLite and PostgreSQL.
"""

import contextlib
import dataclasses
import os
import subprocess
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

import models.documents
from config.loading import Configuration
from models.db import open_database, session_scope
from models.documents import Changes, store_programme
from models.matching import legacy_key, match_items
from models.programme import Programme
from models.queries import assign_manually, find_document
from models.reports import add_report
from models.tables import Assignment, AuditEvent, Document, Item, ProgressReport
from tests.acceptance.test_cli import DONDOC, run
from workflows.orchestration.ingest import sample_path
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
T1 = datetime(2026, 2, 5, 8, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
TERM_LINE = "nhiệm kỳ 2020 - 2025"
REMOVED = "- Phát triển các khu chăn nuôi tập trung theo hình thức công nghiệp, áp\ndụng công nghệ cao, khu giết mổ gia súc tập trung.\n"


def sample() -> str:
    """The sample as the reader sees it (normalised), which is what the parser takes."""
    return read_document(sample_path(), max_bytes=10**8)


def with_title_tail(text: str, tail: str) -> str:
    """The sample with words added to the end of its title (the term line that closes it)."""
    return text.replace(f"\n{TERM_LINE}\n", f"\n{TERM_LINE}, {tail}\n", 1)


def without_part_c(text: str) -> str:
    """The sample without its part C (the tasks): a few items of A, B and D are left."""
    lines = text.split("\n")
    start = lines.index("C. NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM")
    end = lines.index("D. TỔ CHỨC THỰC HIỆN")
    return "\n".join(lines[:start] + lines[end:])


def dondoc(home: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run(home, *args, env={"DONDOC_DATABASE_URL": url})


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def active_items(engine: Engine, document: Document) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(Item).where(Item.document_id == document.id, col(Item.retired_at).is_(None))
        return int(session.exec(query).one())


def documents(engine: Engine) -> list[Document]:
    with Session(engine) as session:
        return list(session.exec(select(Document).order_by(col(Document.id))).all())


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def _parse(text: str, configuration: Configuration) -> Programme:
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy)


def _store(engine: Engine, programme: Programme, configuration: Configuration, now: datetime) -> Changes:
    with session_scope(engine) as session:
        return store_programme(session, programme=programme, source="test.txt", registry=configuration.registry,
                               actor="test", now=now)


# --- 1. a document is known by what identifies it -------------------------------------------

def test_another_programme_whose_title_shares_the_first_120_characters_is_a_document_of_its_own(
    tmp_path: Path, database_url: str, engine: Engine, configuration: Configuration
) -> None:
    # Given two programmes whose titles differ only after their first 120 characters
    first = with_title_tail(sample(), "trọng tâm là phát triển kinh tế biển và chuyển đổi số toàn diện trên địa bàn")
    second = without_part_c(with_title_tail(sample(), "trọng tâm là phát triển kinh tế biển và chuyển đổi số ở cấp cơ sở"))
    titles = [_parse(text, configuration).title for text in (first, second)]
    assert titles[0] != titles[1] and legacy_key(titles[0]) == legacy_key(titles[1])
    assert dondoc(tmp_path, database_url, "ingest", write(tmp_path, "first.txt", first)).returncode == 0
    # When the second is ingested
    result = dondoc(tmp_path, database_url, "ingest", write(tmp_path, "second.txt", second))
    # Then it is stored beside the first, which keeps its 136 items
    assert result.returncode == 0, result.stderr
    stored = documents(engine)
    assert len(stored) == 2 and len({d.key for d in stored}) == 2
    assert active_items(engine, stored[0]) == 136
    assert all(len(d.key) <= 120 for d in stored)


def numbered(number: str, *, issuer: str = "TỈNH ỦY KHÁNH HÒA", day: str = "ngày 24 tháng 11 năm 2020") -> str:
    header = f"{issuer} ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố: {number} Nha Trang, {day}\n\n"
    return header + sample().split("\n", 4)[4]  # the sample without its draft header


def test_a_numbered_document_is_known_by_issuer_number_and_date(configuration: Configuration) -> None:
    key = _parse(numbered("12-CTr/TU"), configuration).key
    # Another number, another issuer or another date: another document, although the title is the same
    assert _parse(numbered("13-CTr/TU"), configuration).key != key
    assert _parse(numbered("12-CTr/TU", issuer="THÀNH ỦY NHA TRANG"), configuration).key != key
    assert _parse(numbered("12-CTr/TU", day="ngày 2 tháng 3 năm 2021"), configuration).key != key
    # The same document, its case and spacing aside, is the same document
    assert _parse(numbered("12-ctr/TU", issuer="Tỉnh ủy Khánh Hòa"), configuration).key == key
    # And a draft without a number is known by its full title
    assert _parse(sample(), configuration).key != _parse(with_title_tail(sample(), "(sửa đổi)"), configuration).key


# --- 1. a revision that retires most of the items asks first ---------------------------------

def test_a_revision_that_would_retire_most_items_asks_for_confirm_and_stores_nothing(
    tmp_path: Path, database_url: str, engine: Engine
) -> None:
    assert dondoc(tmp_path, database_url, "ingest", "--sample").returncode == 0
    with Session(engine) as session:
        events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    revision = write(tmp_path, "revision.txt", without_part_c(sample()))
    # When a revision without part C is ingested
    refused = dondoc(tmp_path, database_url, "ingest", revision)
    # Then it is refused in one line that says how many of how many items would go, and nothing is stored
    assert refused.returncode == 6
    (line,) = refused.stderr.strip().splitlines()
    assert "trong 136 mục" in line and "--confirm" in line, line
    (document,) = documents(engine)
    assert document.version == 1 and active_items(engine, document) == 136
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == events
    # And with --confirm it goes through
    confirmed = dondoc(tmp_path, database_url, "ingest", revision, "--confirm")
    assert confirmed.returncode == 0, confirmed.stderr
    (document,) = documents(engine)
    assert document.version == 2 and active_items(engine, document) < 68


def test_a_database_written_with_the_old_keys_still_knows_the_sample(
    tmp_path: Path, database_url: str, engine: Engine, configuration: Configuration
) -> None:
    # Given the sample stored as the old code stored it: under its title's slug cut to 120
    programme = _parse(sample(), configuration)
    _store(engine, dataclasses.replace(programme, key=legacy_key(programme.title)), configuration, T0)
    # When it is ingested again
    result = dondoc(tmp_path, database_url, "ingest", "--sample")
    # Then it is the same document: one row, now under the new key, no item added or retired
    assert result.returncode == 0, result.stderr
    assert "(0 mới, 0 thay đổi, 0 loại bỏ, 0 phân công lại)" in result.stdout
    (document,) = documents(engine)
    assert document.key == programme.key and document.version == 1
    assert active_items(engine, document) == 136
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Item)).one() == 136
    assert "Không có gì thay đổi" in dondoc(tmp_path, database_url, "ingest", "--sample").stdout


# --- 2. a bullet removed and then restored comes back with its reports ------------------------

def test_a_restored_bullet_brings_back_its_item_with_reports_and_manual_assignment(
    engine: Engine, configuration: Configuration
) -> None:
    text = sample()
    _store(engine, _parse(text, configuration), configuration, T0)
    with session_scope(engine) as session:
        document = find_document(session)
        item = session.exec(select(Item).where(Item.key == "C.I.1.3.3")).one()
        add_report(session, item=item, body="UBND", status="in_progress", percent=40, note="Đang làm", values={},
                   period=date(2026, 6, 30), on=date(2026, 1, 20), actor="test", now=T0)
        assign_manually(session, document=document, key="C.I.1.3.3", body="BTC", role="lead", actor="test", now=T0)
    # Given a revision that removed the bullet
    assert REMOVED in text
    assert _store(engine, _parse(text.replace(REMOVED, ""), configuration), configuration, T1).retired == ["C.I.1.3.3"]
    # When the bullet is restored
    changes = _store(engine, _parse(text, configuration), configuration, T2)
    # Then its old row is active again, with its report and its manual lead, and no new item
    assert changes.restored == ["C.I.1.3.3"] and changes.added == []
    with Session(engine) as session:
        back = session.exec(select(Item).where(Item.key == "C.I.1.3.3", col(Item.retired_at).is_(None))).one()
        assert back.id == item.id
        assert session.exec(select(func.count()).select_from(Item)).one() == 136
        report = session.exec(select(ProgressReport).where(ProgressReport.item_id == back.id)).one()
        assert report.note == "Đang làm"
        lead = session.exec(select(Assignment).where(Assignment.item_id == back.id, Assignment.role == "lead")).one()
        assert (lead.body_code, lead.manual) == ("BTC", True)
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "item.restored")).one().detail["id"] == item.id


# --- 3. ingests at once are serialised ----------------------------------------------------------

def test_two_first_ingests_at_once_on_a_fresh_database_store_one_document(
    tmp_path: Path, empty_database_url: str
) -> None:
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")},
                   "DONDOC_HOME": str(tmp_path), "DONDOC_DATABASE_URL": empty_database_url}
    both = [subprocess.Popen([*DONDOC, "ingest", "--sample"], env=environment, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in both]
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    engine = open_database(empty_database_url)
    try:
        (document,) = documents(engine)
        assert active_items(engine, document) == 136
    finally:
        engine.dispose()


def test_two_revisions_at_once_are_numbered_one_after_the_other(
    database_url: str, configuration: Configuration, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = sample()
    engine = open_database(database_url)
    _store(engine, _parse(text, configuration), configuration, T0)
    revisions = [text.replace("12 cụm công nghiệp trên", "15 cụm công nghiệp trên"), text.replace(REMOVED, "")]
    # Both ingests meet after reading the stored document, if the database lets them both in
    meeting = threading.Barrier(2, timeout=2)

    def meet(*args: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for the lock: go on alone
            meeting.wait()
        return match_items(*args)

    monkeypatch.setattr(models.documents, "match_items", meet)
    failures: list[BaseException] = []

    def ingest(revision: str) -> None:
        own = open_database(database_url)  # an engine (and so a connection) of its own
        try:
            _store(own, _parse(revision, configuration), configuration, T1)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=ingest, args=(revision,)) for revision in revisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "document.ingested")).all()
    engine.dispose()
    assert failures == []
    assert sorted(e.detail["version"] for e in events) == [1, 2, 3]
