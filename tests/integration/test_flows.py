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

    from workflows.orchestration.flows import dispatch_flow, escalate_flow, ingest_flow, remind_flow

    monkeypatch.setenv("DONDOC_HOME", str(tmp_path))
    ingest_flow(str(sample_path()))
    reminded = remind_flow(date(2021, 3, 31))
    assert reminded.queued == 3 and {e.item_id for e in reminded.emails} and all("01/04/2021" in e.subject for e in reminded.emails)
    assert remind_flow(date(2021, 3, 31)).queued == 0
    assert escalate_flow(date(2021, 4, 8)).queued == 3
    sent = dispatch_flow()
    assert sent.sent == 6 and len(list(mailbox.Maildir(tmp_path / "Maildir", create=False))) == 6
    assert dispatch_flow().sent == 0
