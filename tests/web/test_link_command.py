"""``dondoc link`` and the link key (issue 9): a fresh link per body, revocation, the key made
private on first use and never shown, placeholders refused at start. The command run as a user
runs it, on a real SQLite file."""

import os
import stat
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from models.db import open_database, session_scope
from notifications.links import read_token
from tests.acceptance.test_cli import DONDOC
from web.access import Refused, visitor
from workflows.orchestration.runtime import open_runtime


def dondoc(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    environment.update({"DONDOC_HOME": str(home), **env})
    return subprocess.run([*DONDOC, *args], capture_output=True, text=True, env=environment, timeout=120)


def test_a_link_is_printed_alone_on_stdout_and_the_key_file_is_private(tmp_path: Path) -> None:
    made = dondoc(tmp_path, "link", "ubnd", DONDOC_BASE_URL="https://dondoc.example.vn/")
    assert made.returncode == 0, made.stderr
    link = made.stdout.strip()
    assert link.startswith("https://dondoc.example.vn/b/") and "\n" not in link
    assert "Đường link của UBND, dùng đến hết ngày" in made.stderr
    key_file = tmp_path / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 32 and key not in made.stdout + made.stderr
    again = dondoc(tmp_path, "link", "UBND", "--expires", "31/12/2099")
    assert again.returncode == 64 and "--expires 31/12/2099" in again.stderr


def test_revoke_makes_every_earlier_link_of_that_body_invalid(tmp_path: Path) -> None:
    first = dondoc(tmp_path, "link", "UBND").stdout.strip()
    other = dondoc(tmp_path, "link", "BTV").stdout.strip()
    revoked = dondoc(tmp_path, "link", "revoke", "UBND")
    assert revoked.returncode == 0 and "Đã thu hồi mọi đường link đã cấp cho UBND" in revoked.stdout
    between = dondoc(tmp_path, "link", "UBND").stdout.strip()
    assert dondoc(tmp_path, "link", "revoke", "UBND").returncode == 0  # a second revocation ends the link made between
    fresh = dondoc(tmp_path, "link", "UBND").stdout.strip()
    os.environ["DONDOC_HOME"] = str(tmp_path)
    try:
        runtime = open_runtime()
    finally:
        del os.environ["DONDOC_HOME"]
    known, now = set(runtime.configuration.registry.bodies), datetime.now(UTC)

    def verdict(link: str) -> str:
        with session_scope(runtime.engine) as session:
            try:
                return visitor(session, link.rsplit("/", 1)[1], settings=runtime.settings, now=now, known=known).body
            except Refused as refused:
                return refused.reason

    assert (verdict(first), verdict(between), verdict(other), verdict(fresh)) == ("revoked", "revoked", "BTV", "UBND")
    runtime.engine.dispose()


def test_a_placeholder_or_short_key_is_refused_at_start_without_repeating_it(tmp_path: Path) -> None:
    for key, says in (("changeme", "placeholder"), ("Sh0rt-but-not-a-placeholder", "too short")):
        for command in (["web"], ["link", "UBND"]):
            refused = dondoc(tmp_path, *command, DONDOC_SECRET_KEY=key)
            assert refused.returncode == 3 and says in refused.stderr, (command, refused.stderr)
            assert key not in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "dondoc.db").exists()


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    assert dondoc(tmp_path, "link", "UBND").returncode == 0
    (tmp_path / "secret.key").chmod(0o644)
    refused = dondoc(tmp_path, "web")
    assert refused.returncode == 3 and "readable by others" in refused.stderr


def test_a_set_key_signs_and_is_never_printed(tmp_path: Path) -> None:
    key = "tX9-" + "v" * 20 + "-a-real-random-looking-key-42"
    made = dondoc(tmp_path, "link", "DD_HDND", DONDOC_SECRET_KEY=key)
    assert made.returncode == 0 and key not in made.stdout + made.stderr
    assert not (tmp_path / "secret.key").exists()
    open_database(f"sqlite:///{tmp_path / 'dondoc.db'}").dispose()
    from pydantic import SecretStr

    from config.settings import Settings

    settings = Settings(_env_file=None, home=tmp_path, secret_key=SecretStr(key))
    assert read_token(made.stdout.strip().rsplit("/", 1)[1], settings=settings, now=datetime.now(UTC)).body == "DD_HDND"
