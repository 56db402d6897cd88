"""Dates a user gives, bounded by the programme's term (issue 8, "Dates, numbers and calendars").

One approved extension to 31/12/9999 made ``status``, ``remind``, ``escalate``, ``digest`` and
``extend`` fail for every item (``year 10000 is out of range``) and nothing could undo it;
``escalate --as-of 31/12/9999`` ran for 94 s and queued 1,328 emails; a report dated 1900 counted
as done on time, one dated 2099 silenced escalation; an extension id of 10^23 was an
OverflowError. Every date a user gives must now fall within the programme's window (the term
plus five years: for the sample, 01/01/2020 - 31/12/2030), else one line names the option, the
date and the window, with exit code 64 and nothing stored; a date already stored out of range
answers instead of crashing, and ``extension revoke`` undoes the approval.
"""

import json
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.acceptance.test_cli import ok, run
from workflows.rules import workdays
from workflows.rules.reporting import reporting_dates
from workflows.rules.window import date_window

WINDOW = "(01/01/2020 - 31/12/2030)"
"""The sample's term is 2020 - 2025."""

TABLES = ("progress_report", "extension_request", "audit_event", "outbox", "escalation", "document")


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            return {t: db.execute(text(f"select count(*) from {t}")).scalar_one() for t in TABLES}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the sample ingested and extension request 1 waiting (C.I.7.1 to 31/12/2026)."""
    home = tmp_path_factory.mktemp("ingested")
    ok(home, "ingest", "--sample")
    assert "số 1" in ok(home, "extend", "C.I.7.1", "--to", "31/12/2026", "--reason", "chờ vốn")
    return home


@pytest.fixture
def home(ingested: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(ingested, copy)
    return copy


def sqlite(home: Path) -> str:
    return f"sqlite:///{home / 'dondoc.db'}"


def test_the_window_is_the_term_and_five_years_after_within_the_calendar() -> None:
    assert date_window(2020, 2025) == (date(2020, 1, 1), date(2030, 12, 31))
    # a term the holiday calendar does not cover is cut to it, never past date.max
    assert date_window(2095, 9995) == (date(2095, 1, 1), date(2100, 12, 31))
    assert date_window(1000, 2000) == (date(1990, 1, 1), date(2005, 12, 31))


def test_the_chase_arithmetic_stops_at_the_last_day_a_date_can_hold() -> None:
    # an extension stored as 31/12/9999 gave `year 10000 is out of range` to every command
    assert reporting_dates(date(2021, 1, 1), date.max, "half_yearly")[-2:] == [date(9999, 6, 30), date.max]
    assert workdays.plus_working_days(date(9999, 12, 29), 10) == date.max
    assert workdays.on_or_after(date.max) == date.max
    assert workdays.minus_working_days(date.min, 3) == date.min


REFUSED = [
    (("status", "--as-of", "31/12/9999"), "--as-of 31/12/9999"),
    (("status", "--as-of", "1900-01-01"), "--as-of 01/01/1900"),
    (("remind", "--as-of", "31/12/9999"), "--as-of 31/12/9999"),
    (("escalate", "--as-of", "31/12/9999"), "--as-of 31/12/9999"),
    (("escalate", "--as-of", "31/12/2031", "--orchestrate"), "--as-of 31/12/2031"),
    (("digest", "--as-of", "01/01/2019"), "--as-of 01/01/2019"),
    (("report", "C.I.7.1", "--status", "done", "--as-of", "01/01/1900"), "--as-of 01/01/1900"),
    (("report", "C.I.7.1", "--status", "blocked", "--as-of", "01/01/2099"), "--as-of 01/01/2099"),
    (("extend", "C.I.2.1.c.2", "--to", "31/12/9999", "--reason", "x"), "--to 31/12/9999"),
    (("extend", "C.I.2.1.c.2", "--to", "31/12/2026", "--reason", "x", "--as-of", "01/01/1900"), "--as-of 01/01/1900"),
    (("extension", "approve", "1", "--as-of", "31/12/9999"), "--as-of 31/12/9999"),
    (("extension", "refuse", "1", "--note", "không", "--as-of", "31/12/9999"), "--as-of 31/12/9999"),
]


@pytest.mark.parametrize(("args", "named"), REFUSED, ids=[" ".join(a[:2]) + " " + a[-1] for a, _ in REFUSED])
def test_a_date_outside_the_programme_is_refused_in_one_line_and_nothing_is_stored(
    home: Path, args: tuple[str, ...], named: str
) -> None:
    before = counts(sqlite(home))
    started = time.monotonic()
    result = run(home, *args)
    assert time.monotonic() - started < 20  # escalate --as-of 31/12/9999 ran 94 s
    assert result.returncode == 64, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{named} nằm ngoài thời gian của chương trình {WINDOW}" in result.stderr
    assert counts(sqlite(home)) == before


def test_the_refusal_reads_in_english_and_a_day_inside_the_window_is_taken(home: Path) -> None:
    result = run(home, "remind", "--as-of", "31/12/9999", env={"DONDOC_LANGUAGE": "en"})
    assert result.returncode == 64
    assert result.stderr == f"dondoc: error: --as-of 31/12/9999 is outside the programme's time {WINDOW}\n"
    assert ok(home, "escalate", "--as-of", "31/12/2030", "--dry-run")
    assert json.loads(ok(home, "status", "--as-of", "01/01/2020", "--json"))["as_of"] == "2020-01-01"


def test_demo_refuses_a_start_outside_the_sample_and_stores_nothing(tmp_path: Path) -> None:
    for start, named in (("01/01/1900", "--start 01/01/1900"), ("01/12/2030", "--start + --days 29/01/2031")):
        result = run(tmp_path, "demo", "--start", start, "--days", "60")
        assert result.returncode == 64, result.stderr
        assert result.stderr.count("\n") == 1
        assert f"{named} nằm ngoài thời gian của chương trình {WINDOW}" in result.stderr
    assert counts(sqlite(tmp_path))["document"] == 0


@pytest.mark.parametrize("request_id", ["100000000000000000000000", "9223372036854775808", "0"])
def test_an_extension_id_outside_what_a_database_holds_is_a_usage_error(home: Path, request_id: str) -> None:
    for command in (["approve", request_id], ["refuse", request_id, "--note", "x"], ["revoke", request_id, "--note", "x"]):
        result = run(home, "extension", *command)
        assert result.returncode == 64, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "REQUEST_ID" in result.stderr and "1..9223372036854775807" in result.stderr


def store_approved(url: str, key: str, to: date) -> int:
    """An approved extension as an earlier dondoc (or a hand in the database) left it."""
    engine = create_engine(url)
    try:
        with engine.begin() as db:
            item_id, due, lead = db.execute(text(
                "select i.id, i.due, a.body_code from item i join assignment a on a.item_id = i.id and a.role = 'lead'"
                " where i.key = :key"), {"key": key}).one()
            db.execute(text(
                "insert into extension_request (item_id, body_code, previous_due, requested_due, reason, status,"
                " requested_on, decided_on, decided_by, decision_note)"
                " values (:item, :body, :due, :to, 'mãi mãi', 'approved', :on, :on, 'cũ', null)"),
                {"item": item_id, "body": lead, "due": due, "to": to, "on": date(2024, 1, 2)})
            return int(db.execute(text("select max(id) from extension_request")).scalar_one())
    finally:
        engine.dispose()


def test_a_stored_extension_to_9999_answers_and_revoke_puts_it_right(tmp_path: Path, database_url: str) -> None:
    env = {"DONDOC_DATABASE_URL": database_url}

    def answers(*args: str) -> str:
        result = run(tmp_path, *args, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    answers("ingest", "--sample")
    request_id = store_approved(database_url, "C.I.7.1", date(9999, 12, 31))

    # Every command that reads the items still answers, and the item shows the date stored
    items = {i["key"]: i for i in json.loads(answers("status", "--as-of", "02/01/2024", "--json"))["items"]}
    assert (items["C.I.7.1"]["due"], items["C.I.7.1"]["extended"]) == ("9999-12-31", True)
    assert "Nhắc hạn ngày 02/01/2024" in answers("remind", "--as-of", "02/01/2024")
    assert "Đôn đốc ngày 31/12/2030" in answers("escalate", "--as-of", "31/12/2030", "--dry-run")
    answers("digest", "--as-of", "02/01/2024", "--dry-run")
    assert "số" in answers("extend", "C.II.1.1.1", "--to", "31/12/2026", "--reason", "x", "--as-of", "02/01/2024")

    # A coordinator cannot approve it again, but can revoke it
    again = run(tmp_path, "extension", "approve", str(request_id), env=env)
    assert again.returncode == 6 and again.stderr.count("\n") == 1
    revoked = answers("extension", "revoke", str(request_id), "--note", "nhập nhầm", "--as-of", "03/01/2024")
    assert f"số {request_id}" in revoked and "31/12/2025" in revoked
    items = {i["key"]: i for i in json.loads(answers("status", "--as-of", "03/01/2024", "--json"))["items"]}
    assert (items["C.I.7.1"]["due"], items["C.I.7.1"]["extended"]) == ("2025-12-31", False)
    listed = {e["id"]: e for e in json.loads(answers("extension", "list", "--json"))["extensions"]}
    assert (listed[request_id]["status"], listed[request_id]["note"]) == ("refused", "nhập nhầm")
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            actions = db.execute(text("select action from audit_event order by id")).scalars().all()
    finally:
        engine.dispose()
    assert actions[-1] == "extension.revoked"

    # Revoking twice, or a request that was never approved, contradicts what is stored
    twice = run(tmp_path, "extension", "revoke", str(request_id), "--note", "x", env=env)
    assert twice.returncode == 6 and twice.stderr.count("\n") == 1


def test_a_waiting_request_beyond_the_window_cannot_be_approved(home: Path) -> None:
    request_id = store_approved(sqlite(home), "C.I.2.1.c.2", date(9999, 12, 31))
    engine = create_engine(sqlite(home))
    with engine.begin() as db:
        db.execute(text("update extension_request set status = 'pending', decided_on = null, decided_by = null"
                        " where id = :id"), {"id": request_id})
    engine.dispose()
    before = counts(sqlite(home))
    result = run(home, "extension", "approve", str(request_id))
    assert result.returncode == 6, result.stderr
    assert result.stderr.count("\n") == 1 and "31/12/9999" in result.stderr and WINDOW in result.stderr
    assert counts(sqlite(home)) == before
    assert run(home, "extension", "refuse", str(request_id), "--note", "quá xa").returncode == 0
