"""The deployments of ``prefect.yaml`` as a user runs them past one machine.

A real ``prefect server start`` on loopback (its own home, telemetry off), the ``dondoc`` process
work pool, the ``chase`` deployment deployed from ``prefect.yaml``, a worker that runs it against
the project's PostgreSQL database, and the reminders found in the day's letters. Every command is a
subprocess, as a user types it; every process started here is ended in a ``finally``. About a
minute on two cores; it runs once, against PostgreSQL only.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "mat-khau-khong-duoc-lo-9f3a"
"""A password in the worker's environment that must never reach Prefect's database."""

pytestmark = [pytest.mark.prefect, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _clean_environment() -> dict[str, str]:
    """The test's environment less anything of Prefect's or dondoc's that the user may have set."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("PREFECT_", "DONDOC_", "_DONDOC_")) and k != "DO_NOT_TRACK"}


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else "(no log)"


class Processes:
    """The long-running processes a test starts, each in its own process group, with its log."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _run(args: list[str], env: dict[str, str], timeout: float) -> str:
    """A short command; its output, or a failure that shows it."""
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
    import httpx

    while time.monotonic() < deadline:
        assert server.poll() is None, f"prefect server exited {server.returncode}:\n{_tail(log)}"
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"prefect server not healthy in time:\n{_tail(log)}")


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_worker_runs_the_chase_deployment_and_the_reminders_reach_the_outbox(
    database_url: str, tmp_path: Path, processes: Processes
) -> None:
    deadline = time.monotonic() + 170
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    prefect_home = tmp_path / "prefect"
    env = _clean_environment() | {
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_API_URL": api,
    }
    prefect = str(BIN / "prefect")

    # Given a Prefect server on loopback, the process work pool and the chase deployment
    server = processes.start("server", [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env)
    _wait_healthy(api, server, tmp_path / "server.log", min(deadline, time.monotonic() + 90))
    _run([prefect, "work-pool", "create", "dondoc", "--type", "process"], env, timeout=60)
    deployed = _run([prefect, "--no-prompt", "deploy", "--name", "chase"], env, timeout=90)
    assert "chase/chase" in deployed, deployed

    # and a dondoc database (PostgreSQL) holding the sample programme, which workers reach
    dondoc_env = env | {"DONDOC_HOME": str(tmp_path / "home"), "DONDOC_DATABASE_URL": database_url,
                        "DONDOC_SMTP_HOST": "127.0.0.1", "DONDOC_SMTP_USERNAME": "dondoc",
                        "DONDOC_SMTP_PASSWORD": SECRET}
    _run([str(BIN / "dondoc"), "ingest", "--sample"], dondoc_env, timeout=120)

    # When the deployment is run for 31/03/2021 and a worker picks it up
    created = _run([prefect, "deployment", "run", "chase/chase", "--param", "as_of=2021-03-31"], env, timeout=60)
    run_id = re.search(r"UUID: ([0-9a-f-]{36})", created)
    assert run_id, created
    worker = processes.start("worker", [prefect, "worker", "start", "--pool", "dondoc", "--run-once"], dondoc_env)
    try:
        worker.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        pytest.fail(f"the worker did not finish in time:\n{_tail(tmp_path / 'worker.log')}")

    # Then the flow run completed, and the day's letters carry the three reminders owed on 01/04/2021
    import httpx

    state = httpx.get(f"{api}/flow_runs/{run_id.group(1)}", timeout=10).json()["state"]
    assert state["type"] == "COMPLETED", f"{state}\n{_tail(tmp_path / 'worker.log')}"
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT kind, subject FROM outbox ORDER BY subject")).all()
            parts = connection.execute(text("SELECT key FROM letter_part WHERE role = 'lead'")).scalars().all()
    finally:
        engine.dispose()
    assert rows and {kind for kind, _ in rows} == {"chase"}, rows
    assert all("31/03/2021" in subject for _, subject in rows), rows
    assert len(parts) == 3 and all(":deadline:2021-04-01:" in key for key in parts), parts
    # and the SMTP password that the worker's environment holds is nowhere in Prefect's database
    stored = b"".join(path.read_bytes() for path in prefect_home.glob("*.db*"))
    assert stored, f"no Prefect database in {prefect_home}"
    assert SECRET.encode() not in stored, "the SMTP password is in Prefect's database"
