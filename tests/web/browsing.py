"""What the letter-to-page and letters-in-browser tests share: Debian's Chromium (or a skip, or a
failure when ``DONDOC_REQUIRE_BROWSER`` asks for the browser tests), a folder for screenshots
outside the repository, the ``dondoc`` command as a user runs it, and the answer page served by
uvicorn on loopback with a chosen clock.

The page is served in this process rather than by ``dondoc web`` because a replayed term's letters
carry links that expire on the term's own days (``links.valid_days`` after the letter): the real
clock would call every one of them expired. The application is the same ``web.app.create_app``
that ``dondoc web`` serves, over the same home and database, through a real HTTP server.
"""

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from tests.acceptance.test_cli import DONDOC
from tests.smtp_sink import free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium() -> str:
    """The browser's path, or skip (fail under ``DONDOC_REQUIRE_BROWSER``)."""
    if CHROMIUM is None:
        if os.environ.get("DONDOC_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed, and DONDOC_REQUIRE_BROWSER asks for the browser tests")
        pytest.skip("no chromium on the PATH")
    pytest.importorskip("playwright.sync_api")
    return CHROMIUM


def artifacts_folder(tmp_path: Path, name: str) -> Path:
    root = os.environ.get("DONDOC_TEST_ARTIFACTS")
    folder = Path(root) / name if root else tmp_path / "shots" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def dondoc(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    """Run ``dondoc ARGS`` as a subprocess with ``env``; its stdout, once it has exited 0."""
    done = subprocess.run([*DONDOC, *args], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"dondoc {' '.join(args)}: {done.stderr}"
    return done.stdout


def user_env(home: Path, **settings: str) -> dict[str, str]:
    """The environment of a user whose only dondoc settings are ``DONDOC_HOME`` and ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env["DONDOC_HOME"] = str(home)
    env.update({f"DONDOC_{k.upper()}": v for k, v in settings.items()})
    return env


@contextmanager
def answer_page(home: Path, port: int, now: datetime) -> Iterator[str]:
    """The answer page of ``home`` served on 127.0.0.1:``port`` by uvicorn, its clock at ``now``."""
    import uvicorn

    from config.settings import Settings
    from web.app import create_app
    from workflows.orchestration.runtime import open_runtime

    base = f"http://127.0.0.1:{port}"
    runtime = open_runtime(Settings(_env_file=None, home=home, base_url=base))
    server = uvicorn.Server(uvicorn.Config(create_app(runtime, clock=lambda: now), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the answer page did not start"
            time.sleep(0.05)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        runtime.engine.dispose()


__all__ = ["answer_page", "artifacts_folder", "chromium", "dondoc", "free_port", "user_env"]
