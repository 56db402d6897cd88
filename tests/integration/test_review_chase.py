"""A review round's unanswered questions are chased in the daily letter, like an item's dates.

Given the bundled sample stored and a mid-term round opened on Thursday 01/06/2023, due Friday
14/07/2023 (no public holiday in June or July 2023), with the policy's offsets 30, 7, 1 and 0 working
days and the ladder at 5 and 5 working days, the days are worked out by hand:

- reminders on 02/06 (30 working days before; the opening day itself is the request letter's),
  05/07 (7), 13/07 (1) and 14/07 (0);
- level 1 on 21/07 (5 working days late): the body asked, its supervising body and the Office;
- level 2 on 28/07 (10 working days late): the Standing Committee too.

The Propaganda Board (BTG) answers every question on the opening day and hears nothing of the
round; the People's Committee (UBND) answers three of its questions on 20/07 and its rungs then
count the rest. Every body gets at most one chase letter a day, a second run of a day adds
nothing, and a closed round is chased no more.
"""

import asyncio
import email
import email.policy
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from config.loading import Configuration
from config.settings import Settings
from models import reviews
from models.db import open_database, session_scope
from models.queries import find_document
from workflows.orchestration.chase import chase
from workflows.orchestration.ingest import parse_file, sample_path, store

OPENED, DUE = date(2023, 6, 1), date(2023, 7, 14)
OWED = {  # day: what the round owes each body that has not answered (kind, offset or level)
    date(2023, 6, 2): ("reminder", 30),
    date(2023, 7, 5): ("reminder", 7),
    date(2023, 7, 13): ("reminder", 1),
    date(2023, 7, 14): ("reminder", 0),
    date(2023, 7, 21): ("escalation", 1),
    date(2023, 7, 28): ("escalation", 2),
}
QUIET = (OPENED, date(2023, 6, 5), date(2023, 7, 4), date(2023, 7, 17), date(2023, 7, 20), date(2023, 7, 27), date(2023, 8, 4))
"""Days the round owes nothing new: the opening day, days between two offsets, after the due date
before level 1, between the rungs, after level 2."""
ANSWERED, PARTLY, LATE_ANSWERS = "BTG", "UBND", date(2023, 7, 20)


@dataclass
class Round:
    engine: Engine
    settings: Settings
    id: int
    asked: dict[str, int]
    """Questions per body asked."""


@pytest.fixture
def opened(database_url: str, configuration: Configuration, tmp_path: Path) -> Iterator[Round]:
    settings = Settings(home=tmp_path, database_url=database_url)
    engine = open_database(database_url)
    programme = parse_file(sample_path(), settings=settings, configuration=configuration)
    store(engine, programme, source=sample_path().name, configuration=configuration, actor="test")
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        review = reviews.open_round(session, document=find_document(session), kind="midterm", due=DUE,
                                    period_from=date(2021, 1, 1), period_to=OPENED, actor="BTV", on=OPENED, now=now)
        asked = {p.body: p.asked for p in reviews.progress(session, review=review)}
        for item, _ in reviews.questions(session, review=review, body=ANSWERED):
            reviews.record_answer(session, review=review, item=item, body=ANSWERED, status="on_track", note="đúng tiến độ",
                                  values={}, on=OPENED, channel="command", actor="test", now=now)
        round_id = review.id or 0
    assert asked[ANSWERED] >= 1 and asked[PARTLY] > 3 and len(asked) >= 5  # the sample asks several bodies
    yield Round(engine, settings, round_id, asked)
    engine.dispose()


def _answer_some(found: Round, body: str, count: int, on: date) -> None:
    with session_scope(found.engine) as session:
        review = reviews.find_round(session, found.id)
        for item, _ in reviews.questions(session, review=review, body=body)[:count]:
            reviews.record_answer(session, review=review, item=item, body=body, status="behind", note="chậm",
                                  values={}, on=on, channel="page", actor=body, now=datetime.now(UTC))


def _review_parts(engine: Engine) -> dict[str, tuple[str, str, str, int, int, str]]:
    """Every review part stored: key -> (body, role, kind, level, item id, its letter's key)."""
    with engine.connect() as db:
        rows = db.execute(text(
            "SELECT p.key, p.body_code, p.role, p.kind, p.level, p.item_id, o.key FROM letter_part p "
            "JOIN outbox o ON o.id = p.outbox_id WHERE p.subject = 'review'")).all()
    return {r[0]: (r[1], r[2], r[3], int(r[4]), int(r[5]), r[6]) for r in rows}


def _letters(engine: Engine, day: date) -> Counter[str]:
    with engine.connect() as db:
        keys = db.execute(text("SELECT key FROM outbox WHERE kind = 'chase' AND due_date = :d"), {"d": day}).scalars()
        return Counter(key.split(":")[1] for key in keys)


def _table(engine: Engine, name: str) -> int:
    with engine.connect() as db:
        return int(db.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())


def _rungs(engine: Engine) -> Counter[tuple[int, str, date]]:
    with engine.connect() as db:
        rows = db.execute(text("SELECT level, reached_on, overdue_since FROM escalation WHERE subject = 'review'")).all()
    return Counter((int(level), str(on)[:10], date.fromisoformat(str(since)[:10])) for level, on, since in rows)


def _read(raw: str) -> tuple[str, str]:
    message = email.message_from_string(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    plain, html = message.get_body(preferencelist=("plain",)), message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return str(plain.get_content()), str(html.get_content())


def _letter(engine: Engine, body: str, day: date) -> tuple[str, str]:
    with engine.connect() as db:
        raw = db.execute(text("SELECT raw FROM outbox WHERE key = :k"), {"k": f"chase:{body}:{day.isoformat()}"}).scalar_one()
    return _read(raw)


def _chase_twice(found: Round, configuration: Configuration, day: date) -> dict[str, tuple[str, str, str, int, int, str]]:
    """Run the day's chase, then again: the second run must add nothing. Returns the review parts new that day."""
    before = _review_parts(found.engine)
    chase(found.engine, settings=found.settings, configuration=configuration, as_of=day)
    after = _review_parts(found.engine)
    counts = (_table(found.engine, "outbox"), _table(found.engine, "letter_part"), _table(found.engine, "escalation"))
    again = chase(found.engine, settings=found.settings, configuration=configuration, as_of=day)
    assert again.queued == 0 and not again.emails, f"{day}: a second run queued a letter"
    assert (_table(found.engine, "outbox"), _table(found.engine, "letter_part"), _table(found.engine, "escalation")) == counts
    letters = _letters(found.engine, day)
    assert all(n == 1 for n in letters.values()), f"{day}: a body got more than one letter: {letters}"
    return {k: v for k, v in after.items() if k not in before}


def _ladder(configuration: Configuration, body: str, level: int) -> set[str]:
    """The other bodies a rung of ``level`` on ``body``'s answers writes to (rules of the ladder)."""
    registry = configuration.registry
    known = registry.bodies[body]
    supervisor = known.escalates_to or configuration.policy.escalation_top
    bodies = {supervisor, registry.coordinator} | ({configuration.policy.escalation_top} if level == 2 else set())
    return bodies - {body}


def test_an_unanswered_body_is_reminded_at_the_offsets_then_escalated_in_its_one_letter_and_an_answered_one_hears_nothing(
    opened: Round, configuration: Configuration,
) -> None:
    missing = {body: n for body, n in opened.asked.items() if body != ANSWERED}
    for day in sorted({*OWED, *QUIET}):
        if day == LATE_ANSWERS:
            _answer_some(opened, PARTLY, 3, day)
            missing[PARTLY] -= 3
        new = _chase_twice(opened, configuration, day)
        assert all(body != ANSWERED for body, *_ in new.values()), f"{day}: {ANSWERED} answered all, yet heard of the round"
        if day not in OWED:
            assert not new, f"{day}: the round owes nothing new, yet {len(new)} parts went out"
            continue
        kind, level = OWED[day]
        own = Counter(body for body, role, *_ in new.values() if role == "lead")
        assert own == Counter(missing), f"{day}: each body that has not answered hears of each question it owes"
        assert {(k, lv) for _, role, k, lv, _, _ in new.values()} == {(kind, level)}
        letters = _letters(opened.engine, day)
        for body, _role, _, _, _, letter in new.values():  # in that body's one letter of the day
            assert letter == f"chase:{body}:{day.isoformat()}" and letters[body] == 1
        told = Counter(body for body, role, *_ in new.values() if role == "escalated")
        expected: dict[str, int] = defaultdict(int)
        if kind == "escalation":
            for body, n in missing.items():
                for other in _ladder(configuration, body, level):
                    expected[other] += n
        assert told == Counter(expected), f"{day}: the ladder's bodies hear of each question not answered"
    rungs = _rungs(opened.engine)  # one row per unanswered question and level, overdue since the due date
    assert rungs == {(1, "2023-07-21", DUE): sum(missing.values()), (2, "2023-07-28", DUE): sum(missing.values())}


def test_the_letters_say_the_round_its_count_and_deadline_and_are_delivered(
    opened: Round, configuration: Configuration,
) -> None:
    from notifications.dispatch import dispatch
    from notifications.mailers import SmtpMailer
    from tests.smtp_sink import Sink

    left = opened.asked[PARTLY] - 3
    supervisor = configuration.registry.bodies[PARTLY].escalates_to
    assert supervisor is not None
    chase(opened.engine, settings=opened.settings, configuration=configuration, as_of=date(2023, 7, 5))
    _answer_some(opened, PARTLY, 3, LATE_ANSWERS)
    chase(opened.engine, settings=opened.settings, configuration=configuration, as_of=date(2023, 7, 21))
    plain, html = _letter(opened.engine, PARTLY, date(2023, 7, 5))
    assert f"Đợt sơ kết giữa nhiệm kỳ số 1: còn {opened.asked[PARTLY]} mục chưa trả lời, hạn 14/07/2023" in html
    assert "còn 7 ngày làm việc" in plain and f"… và {opened.asked[PARTLY] - 10} mục khác" in plain
    plain, html = _letter(opened.engine, PARTLY, date(2023, 7, 21))
    assert f"Đợt sơ kết giữa nhiệm kỳ số 1: còn {left} mục chưa trả lời, hạn 14/07/2023" in html
    assert "quá hạn 5 ngày làm việc, đôn đốc cấp 1" in plain and "/b/" in plain  # the answer page's link
    plain, _ = _letter(opened.engine, supervisor, date(2023, 7, 21))
    assert f"Ủy ban nhân dân tỉnh: còn {left} mục chưa trả lời - quá hạn 5 ngày làm việc, đôn đốc cấp 1" in plain
    sink = Sink().start()
    try:
        mailer = SmtpMailer(host="127.0.0.1", port=sink.port, security="none", username=None, password=None, timeout=5)
        result = asyncio.run(dispatch(opened.engine, mailer, policy=configuration.policy, now=datetime.now(UTC)))
        assert result.dead == 0
        delivered = {r.key: r for r in sink.received}
    finally:
        sink.stop()
    received = delivered[f"chase:{PARTLY}:2023-07-21"]
    addresses = set(configuration.registry.bodies[PARTLY].emails)
    assert set(received.recipients) == addresses
    message = email.message_from_bytes(received.message.as_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and f"CÒN {left} MỤC CHƯA TRẢ LỜI, HẠN 14/07/2023" in str(body.get_content())
    assert all(not part.defects for part in message.walk())


def test_a_closed_round_is_chased_no_more(opened: Round, configuration: Configuration) -> None:
    chase(opened.engine, settings=opened.settings, configuration=configuration, as_of=date(2023, 7, 21))
    level_1 = _rungs(opened.engine)
    assert sum(level_1.values()) > 0 and len(_review_parts(opened.engine)) > 0
    with session_scope(opened.engine) as session:
        reviews.close_round(session, review=reviews.find_round(session, opened.id), actor="VPTU",
                            on=date(2023, 7, 24), now=datetime.now(UTC))
    parts = _review_parts(opened.engine)
    for day in (date(2023, 7, 24), date(2023, 7, 28)):  # level 2 would be owed on 28/07
        result = chase(opened.engine, settings=opened.settings, configuration=configuration, as_of=day)
        assert not any("sơ kết" in e.text for e in result.emails)
    assert _review_parts(opened.engine) == parts and _rungs(opened.engine) == level_1



def test_a_round_opened_late_skips_the_offsets_its_request_letter_stood_for(configuration: Configuration) -> None:
    """Opened on Friday 30/06/2023, ten working days before the due: the offset of 30 fell before
    the opening (the request letter says it all), so the reminders are at 7, 1 and 0 only."""
    from models.states import RoundRef
    from workflows.rules.review_chase import owed_on

    late = RoundRef(1, "midterm", DUE, date(2023, 6, 30), date(2021, 1, 1), date(2023, 6, 30))
    days = [date.fromordinal(n) for n in range(late.opened_on.toordinal(), DUE.toordinal() + 1)]
    owed = {day: (o.kind, o.level, o.days) for day in days if (o := owed_on(late, day, configuration.policy)) is not None}
    firsts = {level: min(day for day, (_, lv, _) in owed.items() if lv == level) for _, level, _ in owed.values()}
    assert firsts == {7: date(2023, 7, 5), 1: date(2023, 7, 13), 0: date(2023, 7, 14)}
    assert owed[date(2023, 7, 5)] == ("reminder", 7, 7) and owed[DUE] == ("reminder", 0, 0)
