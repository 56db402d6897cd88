"""One letter per body per day: a stretch of the term replayed with the daily chase.

Given the bundled sample stored, when the chase runs each day from 01/03/2021 to 15/07/2021 (with
two progress reports on the way), then, per body and day: every reminder and rung the rules owe
reaches each body it concerns (the lead, the bodies the ladder writes to, the cooperating bodies)
in exactly one letter, which names the item; a body gets at most one chase letter a day; a second
run of a day queues nothing; and every letter is a message mail readers take without a defect.
Two chase runs at once (separate engines, as two schedulers would have) put no part in two letters.
"""

import email
import email.policy
import json
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from config.loading import Configuration
from config.settings import Settings
from models.db import open_database, session_scope
from models.escalations import RungRecord, record_rungs
from models.queries import find_document
from models.states import Reminder, Rung
from notifications.render import header_safe
from workflows.orchestration import chase as chase_module
from workflows.orchestration.chase import chase, owed_rungs
from workflows.orchestration.ingest import parse_file, sample_path, store
from workflows.orchestration.reports import submit_report
from workflows.orchestration.sweeps import owed_reminders

REPORTS = {date(2021, 5, 20): ("C.II.2.2", "in_progress"), date(2021, 6, 2): ("C.I.2.2.a.2", "done")}


def _stored(engine: Engine, configuration: Configuration, settings: Settings) -> None:
    programme = parse_file(sample_path(), settings=settings, configuration=configuration)
    store(engine, programme, source=sample_path().name, configuration=configuration, actor="test")


def _owed_pairs(reminders: list[Reminder], rungs: list[Rung], configuration: Configuration) -> dict[str, set[str]]:
    """What each body must hear of on a day, by part key: its own items' reminders and rungs under
    their per-item key, the ladder's rungs and the shared items under ``KEY@BODY``."""
    addressed = {code for code, body in configuration.registry.bodies.items() if body.emails}
    owed: dict[str, set[str]] = defaultdict(set)
    for key, item, others in [(r.key, r.item, ()) for r in reminders] + [(g.key, g.item, (*g.to, *g.cc)) for g in rungs]:
        if item.lead in addressed:
            owed[item.lead].add(key)
        for body in {*others, *item.cooperating} - {item.lead}:
            if body in addressed:
                owed[body].add(f"{key}@{body}")
    return owed


def _letters(engine: Engine, day: date) -> list[tuple[int, str, str, list[str], str]]:
    with engine.connect() as db:
        rows = db.execute(text("SELECT id, key, subject, recipients, raw FROM outbox WHERE kind = 'chase' AND due_date = :d"),
                          {"d": day}).all()
    return [(r[0], r[1], r[2], list(r[3]) if isinstance(r[3], list) else json.loads(r[3]), r[4]) for r in rows]


def _parts(engine: Engine) -> dict[str, tuple[int, str]]:
    with engine.connect() as db:
        return {k: (o, b) for k, o, b in db.execute(text("SELECT key, outbox_id, body_code FROM letter_part")).all()}


def _read(raw: str) -> tuple[EmailMessage, str]:
    """The message as a mail reader parses it, with no defect in any part, and its plain text."""
    message = email.message_from_string(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    for part in message.walk():
        assert not part.defects, (message["Subject"], part.get_content_type(), part.defects)
    assert message["Date"] is not None and message["Date"].datetime.tzinfo is not None
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    return message, str(plain.get_content())


def _report(engine: Engine, configuration: Configuration, key: str, status: str, day: date) -> None:
    with session_scope(engine) as session:
        submit_report(session, policy=configuration.policy, document=find_document(session), key=key, body=None,
                      status=status, percent=None, note="test", values={}, on=day, actor="test", now=datetime.now(UTC))


def test_each_owed_reminder_and_rung_reaches_each_body_in_exactly_one_letter_a_day(
    database_url: str, configuration: Configuration, tmp_path: Path,
) -> None:
    settings = Settings(home=tmp_path, database_url=database_url)
    engine = open_database(database_url)
    _stored(engine, configuration, settings)
    with engine.connect() as db:
        items: dict[int, str] = dict(db.execute(text("SELECT id, key FROM item")).all())
    emails = {code: set(body.emails) for code, body in configuration.registry.bodies.items()}
    day, letters_seen, busiest = date(2021, 3, 1), 0, 0
    while day <= date(2021, 7, 15):
        if day in REPORTS:
            _report(engine, configuration, *REPORTS[day], day)
        before = _parts(engine)
        owed = _owed_pairs(owed_reminders(engine, configuration, day), owed_rungs(engine, configuration, day), configuration)
        result = chase(engine, settings=settings, configuration=configuration, as_of=day)
        after = _parts(engine)
        letters = _letters(engine, day)
        by_body: dict[str, list[int]] = defaultdict(list)
        for outbox_id, key, subject, recipients, raw in letters:
            body = key.split(":")[1]
            by_body[body].append(outbox_id)
            message, plain = _read(raw)
            assert str(message["Subject"]) == header_safe(subject, 250)
            assert set(recipients) == emails[body]
            carried = [k for k, (o, _) in after.items() if o == outbox_id]
            assert carried, f"{key} carries nothing"
            for part in carried:  # the letter names every item it carries
                item_key = items[int(part.split(":")[2])]
                assert item_key in plain, (key, part)
        assert all(len(ids) == 1 for ids in by_body.values()), f"{day}: more than one letter for a body: {dict(by_body)}"
        for body, keys in owed.items():
            for key in keys:  # owed today: in exactly one letter (unique key), to this body, today's or earlier
                assert key in after, f"{day}: {key} owed to {body} went in no letter"
                assert after[key][1] == body
                if key not in before:
                    assert after[key][0] in by_body[body], f"{day}: {key} is new but not in {body}'s letter of the day"
        new = set(after) - set(before)
        assert new <= {k for keys in owed.values() for k in keys}, f"{day}: letters carry what is not owed"
        assert result.queued == len(letters) == len(by_body)
        again = chase(engine, settings=settings, configuration=configuration, as_of=day)
        assert again.queued == 0 and not again.emails and _parts(engine) == after, f"{day}: a second run queued something"
        letters_seen, busiest = letters_seen + len(letters), max(busiest, len(letters))
        day += timedelta(days=1)
    assert letters_seen > 100 and busiest >= 10  # the stretch did exercise the letters
    engine.dispose()


def test_two_chase_runs_at_once_put_no_part_in_two_letters(
    database_url: str, configuration: Configuration, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(home=tmp_path, database_url=database_url)
    slow = chase_module.chase_email  # type: ignore[attr-defined]

    def slow_letter(*args: Any, **kwargs: Any) -> Any:  # a slower writer: the two runs' transactions overlap
        time.sleep(0.05)
        return slow(*args, **kwargs)

    monkeypatch.setattr(chase_module, "chase_email", slow_letter)
    first = open_database(database_url)
    _stored(first, configuration, settings)
    day = date(2021, 6, 1)  # 136 reminders and rungs owed, to 17 bodies
    reached = owed_rungs(first, configuration, day)
    with session_scope(first) as session:  # recorded already, so that recording them (which waits on the
        # other run's uncommitted rows) does not serialise the two runs: the letters' own guard must
        record_rungs(session, rungs=[RungRecord(g.item.id, g.subject, g.since, g.level, g.reason) for g in reached],
                     on=day, now=datetime.now(UTC))
    engines = [first, open_database(database_url)]
    start, queued, errors = threading.Barrier(2), [0, 0], []

    def run(n: int) -> None:
        try:
            start.wait()
            queued[n] = chase(engines[n], settings=settings, configuration=configuration, as_of=day).queued
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    letters = _letters(first, day)
    parts = _parts(first)
    bodies = [key.split(":")[1] for _, key, _, _, _ in letters]
    assert len(bodies) == len(set(bodies)) == sum(queued) and sum(queued) >= 10, (bodies, queued)
    for outbox_id, key, _, _, raw in letters:  # each letter says exactly the parts it holds
        _read(raw)
        body = key.split(":")[1]
        assert all(parts[p][1] == body for p in parts if parts[p][0] == outbox_id)
        assert any(parts[p][0] == outbox_id for p in parts)
    for engine in engines:
        engine.dispose()
