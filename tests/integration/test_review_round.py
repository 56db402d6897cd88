"""A review round's life on a real database (SQLite and PostgreSQL): open, answer, close.

Given the bundled sample stored, when the Standing Committee opens a mid-term round on 01/05/2023
(answers due 15/06/2023), then each body that leads an item gets one request letter in the outbox,
with the link to its answer page and its XLSX form, and opening it again queues nothing twice;
answers on time and late are counted so; a later answer replaces the earlier one while the audit
trail keeps both; a second round of the same period, an item not asked of a body and an answer
after the round closed are refused; closing queues the report's letter to the Standing Committee
and the Office; ``serve``'s job closes a round the day after its due date plus the grace, once.
"""

import email
import email.policy
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from config.errors import ConflictError
from config.loading import Configuration
from config.settings import Settings
from models.db import open_database, session_scope
from models.reviews import find_round, progress
from workflows.orchestration.ingest import parse_file, sample_path, store
from workflows.orchestration.reviews import (
    NotAsked,
    RoundClosed,
    RoundExists,
    answer_review,
    close_due,
    close_review,
    open_review,
    queue_requests,
)
from workflows.reading.review_values import ValueProblem

OPENED, DUE = date(2023, 5, 1), date(2023, 6, 15)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def stored(tmp_path: Path, database_url: str, configuration: Configuration) -> tuple[Engine, Settings]:
    settings = Settings(_env_file=None, home=tmp_path, database_url=database_url)
    engine = open_database(database_url)
    programme = parse_file(sample_path(), settings=settings, configuration=configuration)
    store(engine, programme, source=sample_path().name, configuration=configuration, actor="test")
    return engine, settings


def _open(engine: Engine, settings: Settings, configuration: Configuration) -> int:
    opened = open_review(engine, settings=settings, configuration=configuration, kind="midterm", due=DUE, on=OPENED,
                         actor="Ban Thường vụ", now=NOW)
    return opened.round.id or 0


def _outbox(engine: Engine, kind: str) -> dict[str, EmailMessage]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, raw FROM outbox WHERE kind = :kind"), {"kind": kind}).all()
    found = {}
    for key, raw in rows:
        message = email.message_from_string(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage) and not message.defects
        found[key] = message
    return found


def _answer(engine: Engine, round_id: int, key: str, status: str, on: date, values: list[tuple[str, str]] | None = None,
            body: str | None = None) -> None:
    answer_review(engine, round_id=round_id, key=key, status=status, note=f"{key} {status}", values=values or [],
                  body=body, on=on, actor="test", channel="command", now=NOW)


def test_opening_queues_one_request_per_body_with_its_link_and_form_once(
    stored: tuple[Engine, Settings], configuration: Configuration
) -> None:
    engine, settings = stored
    round_id = _open(engine, settings, configuration)
    with session_scope(engine) as session:
        asked = {p.body: p.asked for p in progress(session, review=find_round(session, round_id))}
    addressed = {code for code, body in configuration.registry.bodies.items() if body.emails}
    letters = _outbox(engine, "review_request")
    assert set(letters) == {f"review:{round_id}:{body}" for body in asked if body in addressed}
    ubnd = letters[f"review:{round_id}:UBND"]
    text_part = ubnd.get_body(("plain",))
    assert text_part is not None
    said = text_part.get_content()
    assert f"{settings.base_url}/b/" in said and "15/06/2023" in said and "sơ kết giữa nhiệm kỳ" in said
    assert "B.II.1.1" in said and "đạt được" in said  # a target's indicator, with the value asked for
    (form,) = list(ubnd.iter_attachments())
    assert str(form.get_filename()).endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(form.get_content())).worksheets[0]
    keys = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str) and cell.startswith(("A.", "B.", "C.", "D."))}
    assert len(keys) == asked["UBND"]
    with session_scope(engine) as session:  # asked again (a retried flow): nothing queued twice
        review = find_round(session, round_id)
        from models.reviews import asked_by_body

        again = queue_requests(session, review=review, asked=asked_by_body(session, review=review), settings=settings,
                               configuration=configuration, now=NOW)
    assert again == 0 and len(_outbox(engine, "review_request")) == len(letters)
    with pytest.raises(RoundExists):
        _open(engine, settings, configuration)


def test_answers_on_time_and_late_are_counted_and_a_later_one_replaces_the_earlier(
    stored: tuple[Engine, Settings], configuration: Configuration
) -> None:
    engine, settings = stored
    round_id = _open(engine, settings, configuration)
    _answer(engine, round_id, "B.II.1.1", "behind", date(2023, 6, 1), [("Tốc độ tăng trưởng kinh tế (GRDP) bình quân hàng năm", "6,9")])
    _answer(engine, round_id, "B.II.1.3", "on_track", DUE, [("1", "50,2"), ("công nghiệp, xây dựng", "30")])
    _answer(engine, round_id, "B.II.1.1", "on_track", date(2023, 6, 20), [("1", "7,6")])  # replaces, now late
    with session_scope(engine) as session:
        counted = {p.body: p for p in progress(session, review=find_round(session, round_id))}
        stored_values = session.execute(text(
            "SELECT a.status, a.\"values\", a.channel FROM review_answer a JOIN item i ON i.id = a.item_id WHERE i.key = 'B.II.1.3'")).one()
        trail = session.execute(text(
            "SELECT count(*) FROM audit_event WHERE action = 'review.answered' AND entity_key = 'B.II.1.1'")).scalar_one()
    assert (counted["UBND"].answered, counted["UBND"].late) == (2, 1)
    assert stored_values[0] == "on_track" and stored_values[2] == "command"
    values = stored_values[1] if isinstance(stored_values[1], dict) else __import__("json").loads(stored_values[1])
    assert values == {"0": 50.2, "1": 30.0}
    assert trail == 2


def test_refusals_store_nothing(stored: tuple[Engine, Settings], configuration: Configuration) -> None:
    engine, settings = stored
    round_id = _open(engine, settings, configuration)
    with pytest.raises(NotAsked):
        _answer(engine, round_id, "B.II.1.1", "done", OPENED, body="BTV")
    with pytest.raises(ValueProblem):
        _answer(engine, round_id, "B.II.1.1", "done", OPENED, [("không có", "1")])
    with pytest.raises(ValueProblem):
        _answer(engine, round_id, "B.II.1.1", "done", OPENED, [("1", "bảy")])
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM review_answer")).scalar_one() == 0


def test_closing_refuses_later_answers_and_queues_the_report_to_the_committee_and_office(
    stored: tuple[Engine, Settings], configuration: Configuration
) -> None:
    engine, settings = stored
    round_id = _open(engine, settings, configuration)
    _answer(engine, round_id, "B.II.1.1", "done", date(2023, 6, 10))
    closed = close_review(engine, settings=settings, configuration=configuration, round_id=round_id,
                          on=date(2023, 6, 25), actor="Ban Thường vụ", now=NOW)
    assert closed.queued == 1 and closed.round.status == "closed"
    with pytest.raises(RoundClosed):
        _answer(engine, round_id, "B.II.1.2", "done", date(2023, 6, 26))
    with pytest.raises(ConflictError):
        close_review(engine, settings=settings, configuration=configuration, round_id=round_id,
                     on=date(2023, 6, 26), actor="x", now=NOW)
    (report,) = _outbox(engine, "review_report").values()
    registry, top = configuration.registry, configuration.policy.escalation_top
    wanted = {*registry.bodies[top].emails, *registry.bodies[registry.coordinator].emails}
    assert {a.addr_spec for field in ("To", "Cc") if report[field] for a in report[field].addresses} == wanted
    said = report.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Kính gửi: Ban Thường vụ" in said and "1 nội dung" in said and "25/06/2023" in said
    files = {str(a.get_filename()): a.get_content() for a in report.iter_attachments()}
    assert sorted(files) == [f"bao-cao-dot-{round_id}.docx", f"bao-cao-dot-{round_id}.xlsx"]
    from docx import Document as Docx

    written = "\n".join(p.text for p in Docx(io.BytesIO(files[f"bao-cao-dot-{round_id}.docx"])).paragraphs)
    assert "BÁO CÁO" in written and "DỰ THẢO" not in written  # the report of a closed round, not a draft
    assert load_workbook(io.BytesIO(files[f"bao-cao-dot-{round_id}.xlsx"])).sheetnames


def test_serve_closes_a_round_the_day_after_due_plus_grace_once(
    stored: tuple[Engine, Settings], configuration: Configuration
) -> None:
    from datetime import timedelta

    engine, settings = stored
    round_id = _open(engine, settings, configuration)
    last = DUE + timedelta(days=configuration.policy.review_close_grace_days)

    def run(day: date) -> list[int]:
        return [c.round.id or 0 for c in close_due(engine, settings=settings, configuration=configuration, as_of=day,
                                                   actor="dondoc serve", now=NOW)]

    assert run(last) == []  # answers of the grace's last day still count
    assert run(last + timedelta(days=1)) == [round_id]
    assert run(last + timedelta(days=2)) == []
    with session_scope(engine) as session:
        review = find_round(session, round_id)
        assert (review.status, review.closed_on, review.closed_by) == ("closed", last + timedelta(days=1), "dondoc serve")
    assert len(_outbox(engine, "review_report")) == 1


def test_the_serve_job_closes_past_rounds_once_per_slot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         configuration: Configuration) -> None:
    """``serve``'s review job as the scheduler calls it: the runtime from the environment, the
    slot claimed, the round closed on today's date; the same slot again does nothing."""
    from workflows.orchestration.scheduler import REVIEW_JOB, run_job

    for name in [k for k in __import__("os").environ if k.startswith("DONDOC_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DONDOC_HOME", str(tmp_path))
    settings = Settings(_env_file=None, home=tmp_path)
    engine = open_database(settings.url)
    store(engine, parse_file(sample_path(), settings=settings, configuration=configuration), source="sample",
          configuration=configuration, actor="test")
    round_id = _open(engine, settings, configuration)
    run_job(REVIEW_JOB, orchestrate=False)
    with session_scope(engine) as session:
        review = find_round(session, round_id)
        assert (review.status, review.closed_by) == ("closed", "dondoc serve")
    with engine.connect() as connection:
        slots = connection.execute(text("SELECT name FROM scheduler_slot")).scalars().all()
    assert [s for s in slots if s.startswith(f"{REVIEW_JOB}@")]
    run_job(REVIEW_JOB, orchestrate=False)  # the same slot: claimed already, nothing runs
    assert len(_outbox(engine, "review_report")) == 1


@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    import os
    import tempfile

    from workflows.orchestration.prefect_env import prefect_environment

    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="dondoc-prefect-"))
    prefect_environment()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.mark.prefect
def test_the_review_round_flow_opens_then_closes(harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 configuration: Configuration) -> None:
    from workflows.orchestration.flows import ingest_flow, review_close_flow, review_round_flow

    monkeypatch.setenv("DONDOC_HOME", str(tmp_path))
    ingest_flow(str(sample_path()))
    round_id = review_round_flow("midterm", DUE, as_of=OPENED, close_on=date(2023, 6, 25), by="Ban Thường vụ")
    yearly = review_round_flow("yearly", date(2023, 2, 15), as_of=date(2023, 1, 15), period_from=date(2022, 1, 1),
                               period_to=date(2022, 12, 31))
    assert review_close_flow(date(2023, 2, 20)) == []  # due 15/02 + 5 days of grace: still open on the 20th
    assert review_close_flow(date(2023, 2, 21)) == [yearly]
    engine = open_database(f"sqlite:///{tmp_path / 'dondoc.db'}")
    with session_scope(engine) as session:
        assert [(r.id, r.status, r.closed_on) for r in (find_round(session, round_id), find_round(session, yearly))] == [
            (round_id, "closed", date(2023, 6, 25)), (yearly, "closed", date(2023, 2, 21))]
    assert len(_outbox(engine, "review_report")) == 2
