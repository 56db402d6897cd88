"""Delivery through a real SMTP server on loopback: every message once, or visibly pending or dead."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from config.policy import Policy
from models.db import open_database, session_scope
from models.outbox import Draft, enqueue
from models.tables import OutboxMessage
from notifications.dispatch import SENDING_GROUP, run
from notifications.mailers import SmtpMailer
from notifications.render import Email, message_id, to_mime
from tests.smtp_sink import Sink

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
POLICY = Policy(batch_size=50, backoff_seconds=60)


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink().start()
    yield server
    server.stop()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def mailer(port: int) -> SmtpMailer:
    return SmtpMailer(host="127.0.0.1", port=port, security="none", username=None, password=None, timeout=5)


def queue(engine: Engine, n: int) -> list[str]:
    drafts = []
    for i in range(n):
        email = Email(key=f"test:{i}", kind="reminder", to=(f"body{i % 3}@khanhhoa.example.org",), cc=(), reply_to=(),
                      subject=f"Nhắc hạn {i}", text=f"Nội dung {i}", html=f"<p>Nội dung {i}</p>", due_date=date(2026, 3, 9))
        mid, raw = to_mime(email, sender="dondoc@khanhhoa.example.org")
        drafts.append(Draft(email.key, "reminder", None, email.due_date, 0, "dondoc@khanhhoa.example.org", email.to, email.subject, mid, raw))
    with session_scope(engine) as session:
        assert enqueue(session, drafts=drafts, now=NOW) == n
        assert enqueue(session, drafts=drafts, now=NOW) == 0  # the keys are unique: queuing twice adds nothing
    return [d.key for d in drafts]


def statuses(engine: Engine) -> dict[str, tuple[str, int, str | None]]:
    with Session(engine) as session:
        return {m.key: (m.status, m.attempts, m.last_error) for m in session.exec(select(OutboxMessage)).all()}


def test_each_message_is_sent_once_with_a_message_id_from_its_key(engine: Engine, sink: Sink) -> None:
    keys = queue(engine, 12)
    result = run(engine, mailer(sink.port), policy=POLICY, now=NOW)
    assert (result.sent, result.retrying, result.dead) == (12, 0, 0)
    assert sink.keys() == {k: 1 for k in keys}
    assert all(r.message["Message-ID"] == message_id(r.key, "dondoc@khanhhoa.example.org") for r in sink.received)
    assert run(engine, mailer(sink.port), policy=POLICY, now=NOW + timedelta(hours=1)).sent == 0
    assert len(sink.received) == 12


def test_smtp_down_leaves_everything_pending_with_backoff(engine: Engine) -> None:
    keys = queue(engine, 3)
    down = Sink()  # a port nobody listens on
    result = run(engine, mailer(down.port), policy=POLICY, now=NOW)
    assert (result.sent, result.retrying) == (0, 3)
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert {r.status for r in rows} == {"pending"} and {r.attempts for r in rows} == {1}
    assert all(r.next_attempt_at == NOW + timedelta(seconds=60) for r in rows)
    assert all("cannot connect" in (r.last_error or "") for r in rows)
    server = down.start()
    try:
        assert run(engine, mailer(down.port), policy=POLICY, now=NOW + timedelta(seconds=30)).sent == 0  # not yet due
        assert run(engine, mailer(down.port), policy=POLICY, now=NOW + timedelta(seconds=61)).sent == 3
        assert server.keys() == {k: 1 for k in keys}
    finally:
        server.stop()


@pytest.mark.parametrize("reply", ["451", "421", "drop"])
def test_a_temporary_failure_leaves_the_message_pending_and_the_rest_go_later(engine: Engine, sink: Sink, reply: str) -> None:
    keys = queue(engine, 6)
    sink.handler.plan = ["ok", "ok", reply]
    first = run(engine, mailer(sink.port), policy=POLICY, now=NOW)
    state = statuses(engine)
    assert state["test:2"][:2] == ("pending", 1)
    assert first.retrying == 1 and first.dead == 0
    if reply == "451":  # the connection goes on: the rest of the batch is sent at once
        assert first.sent == 5
    else:  # the connection is gone: the rest wait, untried, for the next dispatch
        assert first.sent == 2 and [state[k][:2] for k in keys[3:]] == [("pending", 0)] * 3
    run(engine, mailer(sink.port), policy=POLICY, now=NOW + timedelta(seconds=1))
    run(engine, mailer(sink.port), policy=POLICY, now=NOW + timedelta(minutes=2))
    assert sink.keys() == {k: 1 for k in keys}
    assert {s for s, _, _ in statuses(engine).values()} == {"sent"}


def test_a_permanent_failure_makes_the_message_dead_with_the_reply(engine: Engine, sink: Sink) -> None:
    keys = queue(engine, 4)
    sink.handler.plan = ["ok", "550"]
    result = run(engine, mailer(sink.port), policy=POLICY, now=NOW)
    assert (result.sent, result.dead) == (3, 1)
    status, attempts, error = statuses(engine)["test:1"]
    assert (status, attempts) == ("dead", 1) and error is not None and "550 5.1.1 mailbox unavailable" in error
    assert sink.keys() == {k: 1 for k in keys if k != "test:1"}


def test_retry_makes_dead_messages_due_again(engine: Engine, sink: Sink) -> None:
    from models.outbox import retry

    queue(engine, 2)
    sink.handler.plan = ["550"]
    run(engine, mailer(sink.port), policy=POLICY, now=NOW)
    with session_scope(engine) as session:
        assert retry(session, now=NOW) == 1
    assert run(engine, mailer(sink.port), policy=POLICY, now=NOW).sent == 1
    assert sink.keys() == {"test:0": 1, "test:1": 1}


def _dispatcher(home: Path, url: str, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env.update({"DONDOC_HOME": str(home), "DONDOC_DATABASE_URL": url, "DONDOC_SMTP_HOST": "127.0.0.1",
                "DONDOC_SMTP_PORT": str(port), "DONDOC_SMTP_SECURITY": "none"})
    dondoc = str(Path(sys.executable).parent / "dondoc")
    return subprocess.Popen([dondoc, "outbox", "dispatch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_dispatchers_at_once_send_each_message_once(engine: Engine, database_url: str, sink: Sink, tmp_path: Path) -> None:
    keys = queue(engine, 120)
    with session_scope(engine) as session:  # due now for the subprocesses, which use the real clock
        for m in session.exec(select(OutboxMessage)).all():
            m.next_attempt_at = datetime.now(UTC) - timedelta(minutes=1)
    sink.handler.delay = 0.01
    first, second = _dispatcher(tmp_path, database_url, sink.port), _dispatcher(tmp_path, database_url, sink.port)
    for process in (first, second):
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert sink.keys() == {k: 1 for k in keys}
    assert {s for s, _, _ in statuses(engine).values()} == {"sent"}


def test_a_dispatcher_killed_mid_batch_loses_nothing(engine: Engine, database_url: str, sink: Sink, tmp_path: Path) -> None:
    keys = queue(engine, 40)
    with session_scope(engine) as session:
        for m in session.exec(select(OutboxMessage)).all():
            m.next_attempt_at = datetime.now(UTC) - timedelta(minutes=1)
    sink.handler.delay = 0.15
    process = _dispatcher(tmp_path, database_url, sink.port)
    deadline = time.monotonic() + 60
    while len(sink.received) < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    delivered_before = set(sink.keys())
    assert 10 <= len(delivered_before) < 40
    # The lease of the killed dispatcher runs out; the next dispatch recovers and sends the rest.
    later = datetime.now(UTC) + timedelta(minutes=11)
    sink.handler.delay = 0
    run(engine, mailer(sink.port), policy=POLICY, now=later)
    state = statuses(engine)
    uncertain = {k for k, (s, _, _) in state.items() if s == "uncertain"}
    assert len(uncertain) <= SENDING_GROUP
    assert {s for k, (s, _, _) in state.items() if k not in uncertain} == {"sent"}
    counts = sink.keys()
    assert all(counts[k] == 1 for k in keys if k not in uncertain)  # each delivered exactly once...
    assert all(counts[k] <= 1 for k in uncertain)  # ...and the group in flight is visible, not resent blindly
