"""Delivery through a real SMTP server on loopback: every message once, or visibly pending or dead."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from config import CONFIG_DIR
from config.policy import Policy
from models.db import open_database, session_scope
from models.outbound_tables import OutboxMessage
from models.outbox import Draft, enqueue
from notifications.dispatch import SENDING_GROUP, DispatchResult, backoff, run
from notifications.mailers import SmtpMailer
from notifications.render import Email, message_id, to_mime
from tests.smtp_sink import Handler, Sink

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


@pytest.mark.parametrize("reply", ["451", "421"])  # "drop" (after DATA) is uncertain: tests/faults/test_dispatch.py
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


def test_a_message_refused_for_now_every_time_is_dead_after_the_last_attempt_and_tried_no_more(
    engine: Engine, sink: Sink
) -> None:
    # Given a server that answers 451 to everything, and three attempts allowed
    queue(engine, 1)
    sink.handler.default = "451"
    policy = Policy(batch_size=50, backoff_seconds=60, max_attempts=3)
    now = NOW
    # When it is dispatched whenever it is due: attempts 1 and 2 leave it waiting, with backoff
    for attempt in (1, 2):
        result = run(engine, mailer(sink.port), policy=policy, now=now)
        assert (result.retrying, result.dead) == (1, 0)
        status, attempts, error = statuses(engine)["test:0"]
        assert (status, attempts) == ("pending", attempt) and error == "451 4.3.0 try again later"
        now += backoff(attempt, policy) + timedelta(seconds=1)
    # Then the third attempt is the last: dead, saying it gave up after 3 attempts and why
    result = run(engine, mailer(sink.port), policy=policy, now=now)
    assert (result.sent, result.retrying, result.dead) == (0, 0, 1)
    status, attempts, error = statuses(engine)["test:0"]
    assert (status, attempts) == ("dead", 3)
    assert error == "gave up after 3 attempts: 451 4.3.0 try again later"
    # ...and no later dispatch tries it a fourth time
    for later in (timedelta(hours=1), timedelta(days=30)):
        assert run(engine, mailer(sink.port), policy=policy, now=now + later) == DispatchResult()
    assert sink.handler.answered == [("test:0", "451")] * 3
    assert statuses(engine)["test:0"][:2] == ("dead", 3) and sink.received == []


def test_a_dispatch_sends_at_most_its_limit(engine: Engine, sink: Sink) -> None:
    """On PostgreSQL a claim once took every due message (the LIMIT ... FOR UPDATE SKIP LOCKED
    subquery of its UPDATE was rescanned per row), ignoring ``--limit`` and the batch size."""
    keys = queue(engine, 30)
    result = run(engine, mailer(sink.port), policy=Policy(batch_size=10, backoff_seconds=60), now=NOW, limit=5)
    assert result.sent == 5 and sink.keys() == {k: 1 for k in keys[:5]}  # `outbox dispatch --limit 5`
    with Session(engine) as session:
        waiting = session.exec(select(OutboxMessage).where(OutboxMessage.status == "pending")).all()
    assert sorted(m.key for m in waiting) == sorted(keys[5:]) and {m.claimed_by for m in waiting} == {None}


def _dispatcher(home: Path, url: str, port: int, policy_file: Path | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env.update({"DONDOC_HOME": str(home), "DONDOC_DATABASE_URL": url, "DONDOC_SMTP_HOST": "127.0.0.1",
                "DONDOC_SMTP_PORT": str(port), "DONDOC_SMTP_SECURITY": "none"})
    if policy_file is not None:
        env["DONDOC_POLICY_FILE"] = str(policy_file)
    dondoc = str(Path(sys.executable).parent / "dondoc")
    return subprocess.Popen([dondoc, "outbox", "dispatch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _due_now(engine: Engine) -> None:
    """Make every message due for subprocesses, which read the real clock."""
    with session_scope(engine) as session:
        for m in session.exec(select(OutboxMessage)).all():
            m.next_attempt_at = datetime.now(UTC) - timedelta(minutes=1)


def _small_batches(directory: Path, size: int) -> Path:
    """The shipped policy with batches of ``size``, so that a backlog is many batches to share."""
    shipped = CONFIG_DIR / "policy.yaml"
    text = shipped.read_text(encoding="utf-8")
    assert "  batch_size: 200\n" in text, "the shipped policy's batch size moved: update this test"
    path = directory / "policy.yaml"
    path.write_text(text.replace("  batch_size: 200\n", f"  batch_size: {size}\n"), encoding="utf-8")
    return path


def _finish(processes: list[subprocess.Popen[str]], *, timeout: float) -> list[tuple[str, str]]:
    """Wait for every process; on time-out, stop them all and fail with what each had said."""
    try:
        return [p.communicate(timeout=timeout) for p in processes]
    except subprocess.TimeoutExpired:
        for p in processes:
            p.kill()
        said = [p.communicate() for p in processes]
        pytest.fail(f"a dispatcher did not finish in {timeout:.0f} s: {said}")


def test_two_dispatchers_at_once_share_the_backlog_and_send_each_message_once(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    # Given 120 due messages, batches of 10, and a slow server with one port per dispatcher (one
    # shared record), which answers no DATA until both dispatchers have started sending
    keys = queue(engine, 120)
    _due_now(engine)
    policy = _small_batches(tmp_path, 10)
    shared = Handler(delay=0.01, rendezvous=2)
    sinks = [Sink(shared).start(), Sink(shared).start()]
    try:
        # When two dispatchers run at once
        processes = [_dispatcher(tmp_path, database_url, s.port, policy) for s in sinks]
        outputs = _finish(processes, timeout=60)
    finally:
        for s in sinks:
            s.stop()
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    # Then each did part of the work, as it says itself and as the server saw it...
    said = [int(m.group(1)) for out, _ in outputs for m in [re.search(r"Đã gửi (\d+) thư", out)] if m]
    seen = [[r for r in shared.received if r.port == s.port] for s in sinks]
    assert said == [len(s) for s in seen], outputs
    assert all(n > 0 for n in said), f"one dispatcher sent everything: {said}"
    # ...at the same time (their sending windows overlap)...
    windows = [(min(r.at for r in s), max(r.at for r in s)) for s in seen]
    assert max(start for start, _ in windows) < min(end for _, end in windows), windows
    # ...and every message arrived once, and is marked sent
    assert Counter(r.key for r in shared.received) == {k: 1 for k in keys}
    assert {s for s, _, _ in statuses(engine).values()} == {"sent"}


def test_a_dispatcher_killed_mid_batch_loses_nothing(engine: Engine, database_url: str, sink: Sink, tmp_path: Path) -> None:
    keys = queue(engine, 40)
    _due_now(engine)
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
