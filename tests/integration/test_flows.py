"""The flows under Prefect (a test harness: a real temporary Prefect server).

The flows take plain parameters only; each reads its settings from the environment, here the
``DONDOC_HOME`` that the test sets.
"""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from workflows.orchestration.ingest import sample_path
from workflows.orchestration.prefect_env import prefect_environment

# Before the harness imports Prefect: a home of its own, no telemetry, 120 s to start.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="dondoc-prefect-"))
prefect_environment()


@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.mark.prefect
def test_the_ingest_flow_stores_the_programme_once(harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workflows.orchestration.flows import ingest_flow

    monkeypatch.setenv("DONDOC_HOME", str(tmp_path))
    programme, changes = ingest_flow(str(sample_path()))
    assert len(programme.items) == 136 and len(changes.added) == 136
    _, again = ingest_flow(str(sample_path()))
    assert not again.any
    assert (tmp_path / "dondoc.db").exists()


@pytest.mark.prefect
def test_the_sweep_and_dispatch_flows_queue_then_send_once(harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mailbox
    from datetime import date

    from workflows.orchestration.flows import chase_flow, dispatch_flow, ingest_flow

    monkeypatch.setenv("DONDOC_HOME", str(tmp_path))
    ingest_flow(str(sample_path()))
    chased = chase_flow(date(2021, 3, 31))  # three deadlines of 01/04/2021: their leads' and cooperating bodies' letters
    assert chased.owed == 3 and chased.queued == len(chased.emails) >= 2
    assert all(e.kind == "chase" and "01/04/2021" in e.text for e in chased.emails)
    assert chase_flow(date(2021, 3, 31)).queued == 0
    escalated = chase_flow(date(2021, 4, 8))  # the same three, now level 1: lead, supervising body, Office
    assert escalated.owed == 3 and escalated.queued >= 3
    sent = dispatch_flow()
    total = chased.queued + escalated.queued
    assert sent.sent == total and len(list(mailbox.Maildir(tmp_path / "Maildir", create=False))) == total
    assert dispatch_flow().sent == 0


THREADS = """
import sys, threading
from datetime import date
errors = []
together = threading.Barrier(12)
def job(kind):
    try:
        from workflows.orchestration.flows import SWEEP_FLOWS
        together.wait(timeout=60)
        SWEEP_FLOWS[kind](date(2021, 3, 31), True)
    except BaseException as exc:
        errors.append(f"{kind}: {type(exc).__name__}: {exc}")
threads = [threading.Thread(target=job, args=(kind,)) for kind in ("chase", "remind", "digest") * 4]
for t in threads: t.start()
for t in threads: t.join()
print("errors:", errors)
sys.exit(1 if errors else 0)
"""


@pytest.mark.prefect
def test_jobs_that_start_at_the_same_minute_share_one_temporary_server(tmp_path: Path) -> None:
    """``dondoc serve`` runs the jobs due at one minute in several threads; the first flow of a
    process starts Prefect's temporary server, which the other threads once raced to start
    (``AssertionError: Server process did not start``)."""
    import signal
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DONDOC_", "_DONDOC_"))}
    env |= {"DONDOC_HOME": str(tmp_path)}
    subprocess.run([str(Path(sys.executable).parent / "dondoc"), "ingest", "--sample"], env=env, check=True,
                   capture_output=True, timeout=120)
    # In a session of its own, so that a hung run is ended with the temporary server it started.
    jobs = subprocess.Popen([sys.executable, "-c", THREADS], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = jobs.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(jobs.pid, signal.SIGKILL)
        out, err = jobs.communicate()
    assert jobs.returncode == 0, out[-2000:] + err[-3000:]
    assert (tmp_path / "prefect" / "prefect.db").exists()  # Prefect's home under dondoc's
