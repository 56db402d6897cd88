"""Prefect's environment defaults: under dondoc's home, no telemetry, a temporary-server
database per process (two processes that shared one printed ``database is locked``)."""

import os
import subprocess
import sys
from pathlib import Path

from workflows.orchestration.prefect_env import MARKER, prefect_environment

SHOW = (
    "import os, sys\n"
    "from workflows.orchestration.prefect_env import prefect_environment\n"
    "prefect_environment()\n"
    "print(os.environ.get('PREFECT_HOME'), os.environ.get('PREFECT_SERVER_DATABASE_CONNECTION_URL'), flush=True)\n"
    "sys.stdin.read()\n"  # hold the slot until told to end
)


def _clean(home: Path, **more: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DONDOC_", "_DONDOC_"))}
    keep.pop("DO_NOT_TRACK", None)
    return keep | {"DONDOC_HOME": str(home)} | more


def _start(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", SHOW], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)


def test_prefect_lives_under_dondocs_home_with_telemetry_off(tmp_path: Path) -> None:
    environ = {"DONDOC_HOME": str(tmp_path)}
    chosen = prefect_environment(environ=environ)
    assert environ["PREFECT_HOME"] == str(tmp_path / "prefect")
    assert environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false" and environ["DO_NOT_TRACK"] == "1"
    assert environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "120"
    assert environ["PREFECT_SERVER_DATABASE_CONNECTION_URL"].startswith(f"sqlite+aiosqlite:///{tmp_path / 'prefect'}/")
    assert set(chosen) <= set(environ)


def test_what_the_user_set_is_kept(tmp_path: Path) -> None:
    environ = {"DONDOC_HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "mine"), "DO_NOT_TRACK": "0",
               "PREFECT_API_URL": "http://127.0.0.1:4200/api"}
    chosen = prefect_environment(environ=environ)
    assert environ["PREFECT_HOME"] == str(tmp_path / "mine") and environ["DO_NOT_TRACK"] == "0"
    assert "PREFECT_HOME" not in chosen and "DO_NOT_TRACK" not in chosen
    assert "PREFECT_SERVER_DATABASE_CONNECTION_URL" not in environ  # a server is named: no temporary one


def test_two_processes_at_once_each_get_their_own_temporary_server_database(tmp_path: Path) -> None:
    first, second = _start(_clean(tmp_path)), _start(_clean(tmp_path))
    try:
        assert first.stdout is not None and second.stdout is not None
        one, two = first.stdout.readline().split(), second.stdout.readline().split()
    finally:
        for process in (first, second):
            process.communicate("", timeout=30)
    assert one[0] == two[0] == str(tmp_path / "prefect")
    assert one[1] != two[1] and {one[1], two[1]} <= {
        f"sqlite+aiosqlite:///{tmp_path / 'prefect' / name}" for name in ("prefect.db", "prefect-1.db")}
    # and once they have ended, the next process takes the first database again, already migrated
    third = _start(_clean(tmp_path))
    out, _ = third.communicate("", timeout=30)
    assert out.split()[1] == f"sqlite+aiosqlite:///{tmp_path / 'prefect' / 'prefect.db'}"


def test_a_child_process_does_not_share_its_parents_database(tmp_path: Path) -> None:
    environ = _clean(tmp_path)
    parent = _start(environ)
    try:
        assert parent.stdout is not None
        home, database = parent.stdout.readline().split()
        # the child inherits what the parent set (as a subprocess of `dondoc serve` would)
        inherited = environ | {"PREFECT_HOME": home, "PREFECT_SERVER_DATABASE_CONNECTION_URL": database,
                               MARKER: f"{parent.pid}:PREFECT_HOME,PREFECT_SERVER_DATABASE_CONNECTION_URL"}
        child = _start(inherited)
        out, _ = child.communicate("", timeout=30)
    finally:
        parent.communicate("", timeout=30)
    assert out.split()[0] == home and out.split()[1] != database
