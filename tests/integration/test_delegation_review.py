"""Delegation and review rounds (issue 11's gap 1): a delegated item's question is asked of its unit.

Given the bundled sample stored and UBND's task C.I.2.1.c.2 delegated to the Department of Finance
(STC, under UBND) on 01/03/2021, a mid-term round opened on 02/03/2021, due Tuesday 16/03/2021:

- STC's request letter lists the item and its XLSX form carries it; UBND's lists UBND's own items
  and not the delegated one;
- STC answers on its page (the link of its letter): the answer is STC's and counts;
- the report names the row of that question "Ủy ban nhân dân tỉnh (giao: Sở Tài chính)" (code
  ``UBND/STC``): the lead accountable, the unit that answered; UBND's own row does not count it;
- an unanswered delegated question: the level 1 escalation of 23/03/2021 (5 working days late)
  goes to STC and, in copy, to UBND (the body STC answers to) and the Office.
"""

import email
import email.policy
import io
import re
from datetime import UTC, date, datetime
from email.message import EmailMessage
from html import unescape

import openpyxl
from sqlalchemy import text

from models.db import session_scope
from models.reviews import find_round
from tests.integration.test_delegation import KEY, LEAD, OTHER, UNIT, World, _client, _delegate, _page_path, world
from tests.web.review_forms import round_form, send
from workflows.orchestration.chase import chase
from workflows.orchestration.review_report import compile_report
from workflows.orchestration.reviews import open_review

__all__ = ["world"]  # the fixture, shared with the delegation tests

OPENED, DUE, ANSWERED, LEVEL_1 = date(2021, 3, 2), date(2021, 3, 16), date(2021, 3, 10), date(2021, 3, 23)


def _open(w: World) -> int:
    opened = open_review(w.engine, settings=w.settings, configuration=w.configuration, kind="midterm", due=DUE,
                         on=OPENED, actor="BTV", now=datetime.now(UTC))
    return opened.round.id or 0


def _asked(w: World, number: int) -> dict[str, str]:
    with w.engine.connect() as db:
        rows = db.execute(text("SELECT i.key, q.body_code FROM review_question q JOIN item i ON i.id = q.item_id "
                               "WHERE q.round_id = :r AND i.key IN (:a, :b)"), {"r": number, "a": KEY, "b": OTHER}).all()
    return {str(k): str(b) for k, b in rows}


def _message(w: World, key: str) -> tuple[EmailMessage, str]:
    """The outbox letter ``key`` and its plain text, on one line."""
    with w.engine.connect() as db:
        raw = db.execute(text("SELECT raw FROM outbox WHERE key = :k"), {"k": key}).scalar_one()
    message = email.message_from_string(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    return message, " ".join(str(plain.get_content()).split())


def _request(w: World, number: int, body: str) -> tuple[str, list[str]]:
    """The request letter of ``body``: its plain text, and the item keys its XLSX form carries."""
    message, plain = _message(w, f"review:{number}:{body}")
    forms = [part.get_payload(decode=True) for part in message.walk() if part.get_filename("").endswith(".xlsx")]
    assert len(forms) == 1 and isinstance(forms[0], bytes)
    book = openpyxl.load_workbook(io.BytesIO(forms[0]))
    keys = [str(c.value) for sheet in book.worksheets if sheet.sheet_state == "visible" for row in sheet.iter_rows()
            for c in row if isinstance(c.value, str) and c.value.startswith("C.")]
    return plain, keys


def test_the_unit_is_asked_answers_on_its_page_and_the_report_names_the_lead_with_it(world: World) -> None:
    w = world
    _delegate(w)
    number = _open(w)
    assert _asked(w, number) == {KEY: UNIT, OTHER: LEAD}

    unit_letter, unit_form = _request(w, number, UNIT)
    lead_letter, lead_form = _request(w, number, LEAD)
    assert KEY in unit_letter and KEY in unit_form
    assert KEY not in lead_letter and KEY not in lead_form and OTHER in lead_form

    with _client(w, ANSWERED) as client:
        path = _page_path(w, UNIT, ANSWERED)
        page = client.get(path)
        assert page.status_code == 200 and f'id="r{number}-{KEY}"' in page.text
        fields = round_form(page.text, f"{path}/review/{number}")
        fields.update({f"status:{KEY}": "on_track", f"note:{KEY}": "Sở Tài chính đã trình đề án"})
        sent = client.post(f"{path}/review/{number}", data=send(fields))
        assert sent.status_code == 303, sent.text
    with w.engine.connect() as db:
        stored = db.execute(text("SELECT a.body_code, a.status, a.channel FROM review_answer a JOIN item i ON i.id = a.item_id "
                                 "WHERE a.round_id = :r AND i.key = :k"), {"r": number, "k": KEY}).one()
    assert tuple(stored) == (UNIT, "on_track", "page")

    with session_scope(w.engine) as session:
        report = compile_report(session, find_round(session, number), w.configuration, as_of=ANSWERED)
    rows = {b.code: b for b in report.bodies}
    held = rows[f"{LEAD}/{UNIT}"]
    assert held.name("vi") == "Ủy ban nhân dân tỉnh (giao: Sở Tài chính)"
    assert held.name("en") == "{} (delegated to {})".format(*(w.configuration.registry.bodies[b].name("en") for b in (LEAD, UNIT)))
    assert (held.asked, held.answered, held.late) == (1, 1, 0)
    with w.engine.connect() as db:
        led = db.execute(text("SELECT count(*) FROM review_question q WHERE q.round_id = :r AND q.body_code = :b"),
                         {"r": number, "b": LEAD}).scalar_one()
    assert rows[LEAD].asked == led and UNIT not in rows  # STC leads nothing in the sample: only its row for UBND
    assert any(t.item_key == KEY and t.body == f"{LEAD}/{UNIT}" and t.status == "on_track" for t in report.tasks)


def test_a_missing_answer_of_the_unit_is_escalated_to_the_lead(world: World) -> None:
    w = world
    _delegate(w)
    number = _open(w)
    chase(w.engine, settings=w.settings, configuration=w.configuration, as_of=LEVEL_1)
    with w.engine.connect() as db:
        rows = db.execute(text(
            "SELECT p.key, p.body_code, p.role FROM letter_part p JOIN outbox o ON o.id = p.outbox_id "
            "JOIN item i ON i.id = p.item_id WHERE i.key = :k AND p.subject = 'review' AND o.due_date = :d"),
            {"k": KEY, "d": LEVEL_1}).all()
    rung = f"escalation:item:{w.item_id}:review:{number}:1"
    assert {str(r[0]): (str(r[1]), str(r[2])) for r in rows} == {
        rung: (UNIT, "lead"), f"{rung}@{LEAD}": (LEAD, "escalated"), f"{rung}@VPTU": ("VPTU", "escalated")}
    _, letter = _message(w, f"chase:{LEAD}:{LEVEL_1.isoformat()}")  # the lead's letter names the unit still owing
    review = letter[letter.index(f"SƠ KẾT GIỮA NHIỆM KỲ SỐ {number}"):]
    assert "Sở Tài chính" in review and "đôn đốc cấp 1" in review


def _html_text(message: EmailMessage) -> str:
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", str(html.get_content()))).split())


def test_the_units_request_letter_says_which_lead_delegated_each_item_to_it(world: World) -> None:
    w = world
    _delegate(w)
    number = _open(w)
    lead_vi = w.configuration.registry.bodies[LEAD].name("vi")
    message, plain = _message(w, f"review:{number}:{UNIT}")
    html = _html_text(message)
    for said in (plain, html):  # the item line names the lead, in both parts
        assert f"(do {lead_vi} giao)" in said
        assert "chủ trì hoặc được giao thực hiện" in said
    assert f"{KEY} (do {lead_vi} giao) -" in plain
    lead_message, lead_plain = _message(w, f"review:{number}:{LEAD}")  # the lead's own items: no such words
    assert "giao)" not in lead_plain and "giao)" not in _html_text(lead_message)
    assert "chủ trì nêu dưới đây" in lead_plain



def test_the_units_request_letter_names_the_lead_in_english_with_the_english_setting(world: World) -> None:
    w = world
    _delegate(w)
    opened = open_review(w.engine, settings=w.settings.model_copy(update={"language": "en"}),
                         configuration=w.configuration, kind="midterm", due=DUE, on=OPENED, actor="BTV",
                         now=datetime.now(UTC))
    lead_en = w.configuration.registry.bodies[LEAD].name("en")
    message, plain = _message(w, f"review:{opened.round.id}:{UNIT}")
    for said in (plain, _html_text(message)):
        assert f"(delegated by {lead_en})" in said and "items it leads or was delegated" in said
    assert f"{KEY} (delegated by {lead_en}) -" in plain
