"""Delegation (issue 11): the unit gets the next letter, the lead sees its answer and gets the escalation.

Given the bundled sample stored, the People's Committee (UBND) leads task C.I.2.1.c.2 and task
C.I.2.2.a.2, both due Thursday 01/04/2021 (the policy's offsets 30, 7, 1, 0 working days; the
ladder at 5 and 5 working days; no holiday between). UBND delegates C.I.2.1.c.2 to the Department
of Finance (STC, whose ``escalates_to`` is UBND in the shipped bodies.yaml) on 01/03/2021. Then:

- 31/03 (1 working day before): STC's letter carries the reminder of C.I.2.1.c.2 and names UBND as
  the lead; UBND's letter carries the reminder of C.I.2.2.a.2 (still its own) and not C.I.2.1.c.2;
- the same day STC answers on its page (the link in its letter): the page lists the item, the
  report is stored as STC's; UBND's page shows the item delegated to STC with that report;
- 08/04 (5 working days late): level 1 goes to UBND (as its own overdue item, naming STC), to
  UBND's supervising body (BCSD_UBND) and the Office (VPTU), and to STC too: not the unit alone.

Refusals store nothing (no delegation row, no audit event). Taking the item back sends the next
reminder to the lead again.
"""

import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, text

from config.loading import Configuration
from config.settings import Settings
from config.words import word
from models.db import open_database, session_scope
from models.delegations import active_units
from models.queries import find_document
from notifications.links import link_for
from web.access import csrf_token
from web.app import create_app
from workflows.orchestration.chase import chase
from workflows.orchestration.delegation import delegate_item, take_back
from workflows.orchestration.ingest import parse_file, sample_path, store
from workflows.orchestration.reports import submit_report
from workflows.orchestration.runtime import Runtime
from workflows.rules.delegation import Refusal

KEY, OTHER, LEAD, UNIT = "C.I.2.1.c.2", "C.I.2.2.a.2", "UBND", "STC"
DELEGATED, REMINDED, ESCALATED = date(2021, 3, 1), date(2021, 3, 31), date(2021, 4, 8)
SIGNING = SecretStr("d" * 8 + "-the-delegation-tests-own-signing-key-0123")


@dataclass
class World:
    engine: Engine
    settings: Settings
    configuration: Configuration
    item_id: int


@pytest.fixture
def world(database_url: str, configuration: Configuration, tmp_path: Path) -> Iterator[World]:
    settings = Settings(_env_file=None, home=tmp_path, database_url=database_url, secret_key=SIGNING)
    engine = open_database(database_url)
    store(engine, parse_file(sample_path(), settings=settings, configuration=configuration), source=sample_path().name,
          configuration=configuration, actor="test")
    with engine.connect() as db:
        item_id = db.execute(text("SELECT id FROM item WHERE key = :k"), {"k": KEY}).scalar_one()
    assert configuration.registry.bodies[UNIT].escalates_to == LEAD
    yield World(engine, settings, configuration, int(item_id))
    engine.dispose()


def _delegate(w: World, unit: str = UNIT, *, key: str = KEY, body: str | None = LEAD) -> None:
    with session_scope(w.engine) as session:
        delegate_item(session, policy=w.configuration.policy, registry=w.configuration.registry,
                      document=find_document(session), key=key, unit=unit, body=body, actor="clerk", on=DELEGATED,
                      now=datetime.now(UTC))


def _parts(w: World, day: date) -> dict[str, tuple[str, str, str]]:
    """The letter parts of ``day``'s letters about the delegated item: part key -> (body, role, kind)."""
    with w.engine.connect() as db:
        rows = db.execute(text(
            "SELECT p.key, p.body_code, p.role, p.kind FROM letter_part p JOIN outbox o ON o.id = p.outbox_id "
            "WHERE p.item_id = :i AND o.due_date = :d"), {"i": w.item_id, "d": day}).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _letter(w: World, body: str, day: date) -> str:
    with w.engine.connect() as db:
        raw = db.execute(text("SELECT raw FROM outbox WHERE key = :k"), {"k": f"chase:{body}:{day.isoformat()}"}).scalar_one()
    message = email.message_from_string(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    return " ".join(str(plain.get_content()).split())


def _count(w: World, table: str) -> int:
    with w.engine.connect() as db:
        return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _client(w: World, day: date) -> TestClient:
    moment = datetime.combine(day, time(8), ZoneInfo("Asia/Ho_Chi_Minh"))
    runtime = Runtime(w.settings, w.configuration, w.engine)
    return TestClient(create_app(runtime, clock=lambda: moment), raise_server_exceptions=False, follow_redirects=False)


def _page_path(w: World, body: str, day: date) -> str:
    moment = datetime.combine(day, time(8), ZoneInfo("Asia/Ho_Chi_Minh"))
    link = link_for(body, settings=w.settings, policy=w.configuration.policy, now=moment, generation=0)
    return link.removeprefix(w.settings.base_url)


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_unit_gets_the_reminder_answers_on_its_page_and_the_lead_sees_it_and_gets_the_escalation(world: World) -> None:
    w = world
    _delegate(w)

    # the next letter: the reminder of 31/03 goes to the unit, not to the lead
    chase(w.engine, settings=w.settings, configuration=w.configuration, as_of=REMINDED)
    reminder = f"reminder:item:{w.item_id}:deadline:2021-04-01:1"
    assert _parts(w, REMINDED) == {reminder: (UNIT, "lead", "reminder")}
    unit_letter, lead_letter = _letter(w, UNIT, REMINDED), _letter(w, LEAD, REMINDED)
    assert KEY in unit_letter and "Đơn vị được giao thực hiện: Sở Tài chính (cơ quan chủ trì: Ủy ban nhân dân tỉnh)" in unit_letter
    assert OTHER in lead_letter and KEY not in lead_letter  # the lead's own items still reach it; the delegated one not

    # the unit answers on its page
    with _client(w, REMINDED) as client:
        unit_page = _page_path(w, UNIT, REMINDED)
        shown = client.get(unit_page)
        assert shown.status_code == 200 and KEY in shown.text and "Đơn vị được giao thực hiện" in _plain(shown.text)
        token = unit_page.removeprefix("/b/")
        document_key = re.search(r'name="document" value="([^"]+)"', shown.text)
        assert document_key is not None
        answered = client.post(f"{unit_page}/report", data={
            "csrf": csrf_token(w.settings, token, "report"), "document": document_key.group(1), "key": KEY,
            "status": "in_progress", "percent": "40", "note": "Sở đang tổng hợp số liệu"})
        assert answered.status_code == 303, answered.text
        with w.engine.connect() as db:
            stored = db.execute(text("SELECT body_code, status, percent FROM progress_report WHERE item_id = :i"),
                                {"i": w.item_id}).all()
        assert [tuple(r) for r in stored] == [(UNIT, "in_progress", 40)]

        # the lead sees the unit's answer on its own page
        lead_page = _plain(client.get(_page_path(w, LEAD, REMINDED)).text)
        said = f"Sở Tài chính · báo cáo gần nhất (Sở Tài chính, 31/03/2021): {word('report', 'in_progress', 'vi')}, 40 %"
        assert "Giao thực hiện" in lead_page and said in lead_page, lead_page[:3000]

    # the escalation: level 1 to the lead (its own overdue item), its supervising body and the Office, and the unit
    chase(w.engine, settings=w.settings, configuration=w.configuration, as_of=ESCALATED)
    rung = f"escalation:item:{w.item_id}:deadline:2021-04-01:1"
    assert _parts(w, ESCALATED) == {
        rung: (UNIT, "lead", "escalation"),
        f"{rung}@{LEAD}": (LEAD, "lead", "escalation"),
        f"{rung}@BCSD_UBND": ("BCSD_UBND", "escalated", "escalation"),
        f"{rung}@VPTU": ("VPTU", "escalated", "escalation"),
    }
    lead_letter = _letter(w, LEAD, ESCALATED)
    assert KEY in lead_letter and "Đơn vị được giao thực hiện: Sở Tài chính" in lead_letter
    assert "Đơn vị được giao thực hiện: Sở Tài chính" in _letter(w, "BCSD_UBND", ESCALATED)


def test_taken_back_the_next_reminder_goes_to_the_lead_again(world: World) -> None:
    w = world
    _delegate(w)
    with session_scope(w.engine) as session:
        held = take_back(session, policy=w.configuration.policy, document=find_document(session), key=KEY, body=LEAD,
                         actor="clerk", on=DELEGATED, now=datetime.now(UTC))
    assert held.unit == UNIT
    with session_scope(w.engine) as session:
        assert active_units(session) == {}
    chase(w.engine, settings=w.settings, configuration=w.configuration, as_of=REMINDED)
    assert _parts(w, REMINDED) == {f"reminder:item:{w.item_id}:deadline:2021-04-01:1": (LEAD, "lead", "reminder")}


@pytest.mark.parametrize(("unit", "key", "body", "reason"), [
    ("BTG", KEY, LEAD, "not_under"),        # a board of the Party Committee, not under UBND
    ("BCSD_UBND", KEY, LEAD, "not_under"),  # above UBND, not under it
    (LEAD, KEY, LEAD, "itself"),
    (UNIT, KEY, "BTC", "not_lead"),         # a body delegating an item it does not lead
    (UNIT, OTHER, LEAD, "done"),            # reported done below
])
def test_a_refused_delegation_stores_nothing(world: World, unit: str, key: str, body: str, reason: str) -> None:
    w = world
    with session_scope(w.engine) as session:
        submit_report(session, policy=w.configuration.policy, document=find_document(session), key=OTHER, body=LEAD,
                      status="done", percent=100, note=None, values={}, on=DELEGATED, actor="test", now=datetime.now(UTC))
    before = (_count(w, "delegation"), _count(w, "audit_event"))
    with pytest.raises(Refusal) as refused:
        _delegate(w, unit, key=key, body=body)
    assert refused.value.reason == reason and refused.value.says("vi")
    assert (_count(w, "delegation"), _count(w, "audit_event")) == before


def test_a_second_active_delegation_of_one_item_is_refused_by_the_database(world: World) -> None:
    """Two clerks at once cannot both win: the partial unique index holds one active row per item."""
    from config.errors import ConflictError
    from models.delegation_tables import Delegation

    _delegate(world)
    with pytest.raises(ConflictError), session_scope(world.engine) as session:
        session.add(Delegation(item_id=world.item_id, lead_code=LEAD, unit_code="SKHDT", delegated_by="other clerk",
                               delegated_on=DELEGATED, delegated_at=datetime.now(UTC)))
        session.flush()
    with session_scope(world.engine) as session:
        assert active_units(session) == {world.item_id: UNIT}


def test_dondoc_delegate_on_the_command_line(tmp_path: Path) -> None:
    """``dondoc delegate KEY UNIT`` and ``--end``, as a clerk runs them: one line each, exit 6 for a
    refusal (nothing stored), 4 for a unit the registry does not know, 64 for a missing unit."""
    import sqlite3

    from tests.acceptance.test_cli import ok, run

    def stored() -> tuple[int, int]:
        with sqlite3.connect(tmp_path / "dondoc.db") as db:
            return (db.execute("SELECT count(*) FROM delegation").fetchone()[0],
                    db.execute("SELECT count(*) FROM audit_event").fetchone()[0])

    ok(tmp_path, "ingest", "--sample")
    said = ok(tmp_path, "delegate", KEY, "Sở Tài chính", "--as-of", "01/03/2021", "--by", "Chánh Văn phòng UBND")
    assert said.strip() == (f"Đã giao mục {KEY} cho STC thực hiện; UBND vẫn chủ trì, nhận các thư đôn đốc khi quá hạn.")
    with sqlite3.connect(tmp_path / "dondoc.db") as db:
        row = db.execute("SELECT unit_code, lead_code, delegated_by, delegated_on, ended_at FROM delegation").fetchone()
    assert row[:3] == ("STC", "UBND", "Chánh Văn phòng UBND") and str(row[3]).startswith("2021-03-01") and row[4] is None
    before = stored()
    for args, code, says in [((KEY, "BTG"), 6, "không trực thuộc"), ((KEY, "UBND"), 6, "chính mình"),
                             ((KEY, "NOBODY"), 4, "không có cơ quan NOBODY"), ((KEY,), 64, "thiếu đơn vị")]:
        result = run(tmp_path, "delegate", *args)
        assert result.returncode == code and says in result.stderr, (args, result.returncode, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert stored() == before
    assert "nothing changed" in ok(tmp_path, "delegate", KEY, "STC", env={"DONDOC_LANGUAGE": "en"})
    assert stored() == before
    assert "Đã thu hồi" in ok(tmp_path, "delegate", KEY, "--end")
    result = run(tmp_path, "delegate", KEY, "--end")
    assert result.returncode == 6 and "chưa được giao" in result.stderr


def test_the_console_delegates_from_the_item_page(world: World) -> None:
    """The lead's clerk (a body user of UBND) sees the delegation box on its item with the units
    under UBND, delegates to STC (303, stored with its login), is refused a body not under UBND
    (409, nothing stored), and the Office takes the item back; a body user on another body's item
    is told it does not exist (404)."""
    from tests.web.consoling import Clock, add_users, console_client, sign_in

    w = world
    runtime = Runtime(w.settings, w.configuration, w.engine)
    add_users(runtime)
    with console_client(runtime, Clock()) as clerk, console_client(runtime, Clock()) as office:
        token, office_token = sign_in(clerk, "ubnd"), sign_in(office, "coord")
        page = clerk.get(f"/items/{KEY}")
        assert page.status_code == 200 and 'action="/items/C.I.2.1.c.2/delegate"' in page.text
        assert "STC · Sở Tài chính" in page.text and "SKHDT · Sở Kế hoạch và Đầu tư" in page.text
        refused = clerk.post(f"/items/{KEY}/delegate", data={"unit": "BTG", "csrf": token})
        assert refused.status_code == 409 and "không trực thuộc" in refused.text
        assert _count(w, "delegation") == 0
        done = clerk.post(f"/items/{KEY}/delegate", data={"unit": "STC", "csrf": token})
        assert done.status_code == 303 and done.headers["location"].startswith(f"/items/{KEY}?")
        with w.engine.connect() as db:
            assert db.execute(text("SELECT unit_code, delegated_by FROM delegation WHERE ended_at IS NULL")).one() == ("STC", "console:ubnd")
        assert "Đang giao Sở Tài chính thực hiện" in _plain(clerk.get(f"/items/{KEY}").text)
        with w.engine.connect() as db:
            btg_item = db.execute(text("SELECT i.key FROM item i JOIN assignment a ON a.item_id = i.id "
                                       "WHERE a.body_code = 'BTG' AND a.role = 'lead' ORDER BY i.id")).scalars().first()
        assert clerk.post(f"/items/{btg_item}/delegate", data={"unit": "STC", "csrf": token}).status_code == 404
        taken = office.post(f"/items/{KEY}/delegate", data={"end": "1", "csrf": office_token})
        assert taken.status_code == 303
        with session_scope(w.engine) as session:
            assert active_units(session) == {}
