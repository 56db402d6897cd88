"""Sent twice, marked wrongly, or lost (issue 8): the dispatcher under faults.

Each test sets up one fault that once made dondoc deliver a message twice, mark a delivered one
``uncertain`` or ``dead``, or crash and leave messages claimed: a second dispatcher after the first
one's lease ran out, a server that takes the DATA and never answers, a recipient refused among
others, a database kept busy by another writer. Real SQLite file and PostgreSQL, real aiosmtpd
server on loopback, and the ``dondoc`` command as a subprocess where the user runs it.

The subprocesses shrink two waits that are minutes or seconds in production (the lease, and how
long a busy database is waited for) by setting the module constants before the command runs.
"""

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, select

from config.policy import Policy
from models import outbox
from models.db import open_database, session_scope
from models.outbound_tables import OutboxMessage
from models.outbox import Draft, enqueue, retry
from notifications.dispatch import run
from notifications.mailers import SmtpMailer
from notifications.render import Email, to_mime
from tests.smtp_sink import Handler, Sink

SENDER = "dondoc@khanhhoa.example.org"
POLICY = Policy(batch_size=50, backoff_seconds=60)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = open_database(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink().start()
    yield server
    server.stop()


def mailer(port: int, timeout: float = 5) -> SmtpMailer:
    return SmtpMailer(host="127.0.0.1", port=port, security="none", username=None, password=None, timeout=timeout)


def queue(engine: Engine, n: int, recipients: tuple[str, ...] = ()) -> list[str]:
    """``n`` messages due a minute ago (real time: subprocesses read the real clock)."""
    now = datetime.now(UTC) - timedelta(minutes=1)
    drafts = []
    for i in range(n):
        to = recipients or (f"body{i % 3}@khanhhoa.example.org",)
        email = Email(key=f"fault:{i}", kind="reminder", to=to, cc=(), reply_to=(), subject=f"Nhắc hạn {i}",
                      text=f"Nội dung {i}", html=f"<p>Nội dung {i}</p>", due_date=date(2026, 12, 31))
        mid, raw = to_mime(email, sender=SENDER)
        drafts.append(Draft(email.key, "reminder", None, email.due_date, 0, SENDER, email.to, email.subject, mid, raw))
    with session_scope(engine) as session:
        assert enqueue(session, drafts=drafts, now=now) == n
    return [d.key for d in drafts]


def rows(engine: Engine) -> dict[str, OutboxMessage]:
    with Session(engine) as session:
        return {m.key: m for m in session.exec(select(OutboxMessage)).all()}


def statuses(engine: Engine) -> Counter[str]:
    return Counter(m.status for m in rows(engine).values())


def dondoc(home: Path, url: str, *args: str, port: int | None = None, shrink: dict[str, float] | None = None,
           ) -> subprocess.Popen[str]:
    """``dondoc ARGS`` as a subprocess, with ``shrink`` ("module:NAME": seconds) set before it runs."""
    program = ["import datetime, importlib, sys"]
    for target, seconds in (shrink or {}).items():
        module, name = target.split(":")
        program.append(f"setattr(importlib.import_module({module!r}), {name!r}, datetime.timedelta(seconds={seconds}))")
    program += ["sys.argv = ['dondoc', *sys.argv[1:]]", "from workflows.cli import main", "main()"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env.update({"DONDOC_HOME": str(home), "DONDOC_DATABASE_URL": url})
    if port is not None:
        env.update({"DONDOC_SMTP_HOST": "127.0.0.1", "DONDOC_SMTP_PORT": str(port), "DONDOC_SMTP_SECURITY": "none"})
    return subprocess.Popen([sys.executable, "-c", "\n".join(program), *args], env=env, cwd=Path(__file__).parents[2],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def finish(process: subprocess.Popen[str], timeout: float = 60) -> tuple[str, str]:
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"dondoc did not finish in {timeout:.0f} s: {process.communicate()}")


# --- 1. The lease: renewed while sending, and each send fenced on ownership ------------------------

LEASE = 1.0


def test_a_second_dispatcher_after_the_first_ones_lease_ran_out_sends_nothing_twice(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """Once, the lease was taken at the start of a run and never renewed, and a message was sent
    without checking that the dispatcher still held it: with a slow server and a backlog, a second
    dispatcher re-sent 90 of 500 messages and marked 10 delivered ones ``uncertain``."""
    # Given a backlog of 300 messages, a slow server (20 ms a message, so 200 ms a group of 10, 6 s
    # in all) and a lease of 1 s
    keys = queue(engine, 300)
    sink = Sink(Handler(delay=0.02)).start()
    shrink = {"notifications.dispatch:LEASE": LEASE}
    try:
        # When a first dispatcher starts, and a second one once the first one's first lease ran out
        first = dondoc(tmp_path, database_url, "outbox", "dispatch", port=sink.port, shrink=shrink)
        wait_for(lambda: len(sink.received) > 0)
        time.sleep(LEASE + 0.3)
        second = dondoc(tmp_path, database_url, "outbox", "dispatch", port=sink.port, shrink=shrink)
        outputs = [finish(first), finish(second)]
    finally:
        sink.stop()
    for process, (_, err) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, err
    # Then every message arrived exactly once, is marked sent, none uncertain, none still claimed...
    assert sink.keys() == {k: 1 for k in keys}, [k for k, n in sink.keys().items() if n > 1]
    assert statuses(engine) == {"sent": 300}
    assert all(m.claimed_by is None for m in rows(engine).values())
    # ...and what the two say they sent adds up (the second may find every message held by the
    # first, which renews its lease as it goes: which one sends what is a race, sending twice is not)
    said = [int(m.group(1)) for out, _ in outputs for m in [re.search(r"Đã gửi (\d+) thư", out)] if m]
    assert len(said) == 2 and sum(said) == 300, outputs


def test_marking_a_group_sending_takes_only_what_this_dispatcher_still_holds_and_renews_its_lease(engine: Engine) -> None:
    """The fence, step by step: A's lease runs out and B claims the same messages; A may then send
    none of them, B all; B's marking renews its lease, so a third dispatcher's recovery leaves them."""
    queue(engine, 10)
    lease = timedelta(seconds=60)
    t = datetime.now(UTC)
    ids = [m.id for m in outbox.claim(engine, worker="A", now=t, lease=lease, limit=10) if m.id is not None]
    assert len(ids) == 10
    assert outbox.claim(engine, worker="B", now=t + lease / 2, lease=lease, limit=10) == []  # A's lease holds
    later = t + lease * 2
    assert [m.id for m in outbox.claim(engine, worker="B", now=later, lease=lease, limit=10)] == ids
    with engine.connect() as connection:
        assert outbox.record(connection, finished=[], starting=ids, worker="A", now=later, until=later + lease) == []
        assert sorted(outbox.record(connection, finished=[], starting=ids, worker="B", now=later, until=later + lease)) == ids
    assert statuses(engine) == {"sending": 10} and {m.claimed_by for m in rows(engine).values()} == {"B"}
    assert outbox.recover(engine, now=later + lease / 2) == 0  # B is live: its renewed lease keeps them out of reach
    assert outbox.recover(engine, now=later + lease * 2) == 10  # B stopped: uncertain, for a person


# --- 2. No answer after DATA: uncertain, never retried on its own -----------------------------------

@pytest.mark.parametrize("fault", ["drop", "hang"])
def test_a_server_that_takes_the_data_and_never_answers_leaves_the_message_uncertain_not_resent(
    engine: Engine, sink: Sink, fault: str
) -> None:
    """Once, a message whose DATA reply never came was tried again at the next dispatch: delivered
    twice when the server had in fact taken it ("hang": it answers after the client gave up)."""
    # Given a server that, for the second message, closes the connection after the DATA ("drop")
    # or answers only after the client's time-out of 1 s ("hang")
    keys = queue(engine, 4)
    sink.handler.plan = ["ok", fault]
    sink.handler.hang = 2.0
    # When the outbox is dispatched
    first = run(engine, mailer(sink.port, timeout=1), policy=POLICY, now=datetime.now(UTC))
    # Then that message is uncertain, saying why; the ones never tried wait for the next dispatch
    state = rows(engine)
    assert state[keys[1]].status == "uncertain" and first.uncertain == 1 and first.retrying == 0
    assert "DATA" in (state[keys[1]].last_error or "")
    assert [state[k].status for k in keys] == ["sent", "uncertain", "pending", "pending"]
    # ...and a later dispatch sends the rest, but not that one
    sink.handler.hang = 0
    later = datetime.now(UTC) + timedelta(hours=1)
    assert run(engine, mailer(sink.port), policy=POLICY, now=later).sent == 2
    assert rows(engine)[keys[1]].status == "uncertain"
    delivered_before = sink.keys()[keys[1]]
    assert delivered_before == (1 if fault == "hang" else 0)
    assert run(engine, mailer(sink.port), policy=POLICY, now=later + timedelta(days=1)).sent == 0
    # Only `outbox retry` (a person's decision) sends it again
    with session_scope(engine) as session:
        assert retry(session, now=later) == 1
    assert run(engine, mailer(sink.port), policy=POLICY, now=later).sent == 1
    assert sink.keys()[keys[1]] == delivered_before + 1
    assert statuses(engine) == {"sent": 4}


# --- 3. One recipient refused among others -------------------------------------------------------

TO = ("ubnd@khanhhoa.example.org", "nobody@khanhhoa.example.org", "ban-dan-van@khanhhoa.example.org")


def test_one_recipient_refused_is_sent_to_the_others_and_names_the_refused_address(
    engine: Engine, database_url: str, sink: Sink, tmp_path: Path
) -> None:
    """Once, a message refused for one of its recipients (550 at RCPT) was marked dead although it
    had been delivered to the others, and `outbox retry` would have sent it to all of them again."""
    # Given a message to three bodies, one of whose addresses the server refuses
    [key] = queue(engine, 1, recipients=TO)
    sink.handler.refuse = {TO[1]: "550 5.1.1 no such user"}
    # When it is dispatched
    result = run(engine, mailer(sink.port), policy=POLICY, now=datetime.now(UTC))
    # Then it went to the two others, and is sent, with the refused address and reply recorded
    assert [r.recipients for r in sink.received] == [[TO[0], TO[2]]]
    assert (result.sent, result.dead, result.retrying) == (1, 0, 0)
    message = rows(engine)[key]
    assert message.status == "sent" and message.sent_at is not None
    assert message.last_error is not None and TO[1] in message.last_error and "550 5.1.1 no such user" in message.last_error
    # ...which `outbox list` shows, and `outbox retry` leaves alone
    listed = dondoc(tmp_path, database_url, "outbox", "list")
    out, err = finish(listed)
    assert listed.returncode == 0, err
    assert TO[1] in out and "550" in out
    with session_scope(engine) as session:
        assert retry(session, now=datetime.now(UTC)) == 0
    assert run(engine, mailer(sink.port), policy=POLICY, now=datetime.now(UTC) + timedelta(days=1)).sent == 0
    assert len(sink.received) == 1


@pytest.mark.parametrize(("reply", "status"), [("550 5.1.1 no such user", "dead"), ("450 4.2.1 mailbox busy", "pending")])
def test_every_recipient_refused_is_dead_for_5xx_and_waits_for_4xx(engine: Engine, sink: Sink, reply: str, status: str) -> None:
    [key] = queue(engine, 1, recipients=TO)
    sink.handler.refuse = dict.fromkeys(TO, reply)
    run(engine, mailer(sink.port), policy=POLICY, now=datetime.now(UTC))
    message = rows(engine)[key]
    assert message.status == status and message.sent_at is None and reply in (message.last_error or "")
    assert sink.received == []


# --- 4. A database kept busy by another writer ----------------------------------------------------

BUSY = 1.0
"""How long the dispatcher waits for a busy database, shrunk from 15 s."""


def _hold_write_lock(url: str, seconds: float, started: threading.Event) -> None:
    """Another writer (an ingest): holds the database's write lock for ``seconds``."""
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        db.execute("ROLLBACK")
        db.close()
        return
    other = create_engine(url)
    with other.connect() as connection, connection.begin():
        connection.execute(text("LOCK TABLE outbox IN EXCLUSIVE MODE"))
        started.set()
        time.sleep(seconds)
    other.dispose()


def test_a_database_busy_longer_than_the_wait_stops_the_dispatch_cleanly_and_gives_back_its_messages(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """Once, an ingest that held the SQLite write lock for more than 15 s crashed a dispatcher with
    ``database is locked`` (a traceback) and left its messages claimed."""
    # Given 60 due messages and a slow server (50 ms a message)
    keys = queue(engine, 60)
    sink = Sink(Handler(delay=0.05)).start()
    started = threading.Event()
    try:
        # When another writer takes the write lock while the first group of 10 is being sent, and
        # holds it longer than the dispatcher waits (1 s), but not twice as long
        process = dondoc(tmp_path, database_url, "outbox", "dispatch", port=sink.port,
                         shrink={"models.outbox:BUSY_WAIT": BUSY})
        wait_for(lambda: len(sink.received) >= 5)
        holder = threading.Thread(target=_hold_write_lock, args=(database_url, BUSY * 1.75, started))
        holder.start()
        assert started.wait(10)
        out, err = finish(process)
        holder.join()
        # Then the command says so in one line, with the database's exit code, and no traceback
        assert process.returncode == 5, (out, err)
        assert len(err.strip().splitlines()) == 1 and err.startswith("dondoc:") and "Traceback" not in err, err
        assert "busy" in err or "locked" in err, err
        # ...what it sent is recorded sent, and no message is left claimed, sending or uncertain
        state = rows(engine)
        assert all(m.claimed_by is None and m.claimed_until is None for m in state.values())
        counts = statuses(engine)
        assert set(counts) == {"sent", "pending"} and counts["sent"] == len(sink.received) >= 5, counts
        assert all(state[k].attempts == 0 for k in keys if state[k].status == "pending")
        # ...and the next dispatch sends the rest, each message once in all
        assert run(engine, mailer(sink.port), policy=POLICY, now=datetime.now(UTC)).sent == counts["pending"]
    finally:
        sink.stop()
    assert sink.keys() == {k: 1 for k in keys}
    assert statuses(engine) == {"sent": 60}
