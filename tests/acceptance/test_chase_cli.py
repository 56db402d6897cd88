"""The chase as users drive it from the command line, each command a subprocess."""

import json
import mailbox
import os
import signal
import sqlite3
import subprocess
import time
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from tests.acceptance.test_cli import DONDOC, ok, run
from tests.smtp_sink import Sink


@pytest.fixture
def home(tmp_path: Path) -> Path:
    ok(tmp_path, "ingest", "--sample")
    return tmp_path


def outbox_rows(home: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "dondoc.db") as db:
        return db.execute("select key, status from outbox order by id").fetchall()


def test_a_dry_run_shows_and_writes_nothing_then_the_sweep_queues_once(home: Path) -> None:
    dry = ok(home, "remind", "--as-of", "2021-03-31", "--dry-run")
    assert "C.I.2.1.c.2" in dry and "chạy thử" in dry
    assert outbox_rows(home) == []
    ok(home, "remind", "--as-of", "2021-03-31")
    first = outbox_rows(home)
    assert len(first) == 3 and all(status == "pending" for _, status in first)
    ok(home, "remind", "--as-of", "2021-03-31")
    assert outbox_rows(home) == first


def test_dispatch_without_smtp_delivers_to_the_local_maildir_and_says_where(home: Path) -> None:
    ok(home, "remind", "--as-of", "2021-03-31")
    out = ok(home, "outbox", "dispatch")
    assert f"Maildir {home / 'Maildir'}" in out and "Đã gửi 3 thư" in out
    messages = list(mailbox.Maildir(home / "Maildir", create=False))
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in messages]
    assert len(messages) == 3 and all(s.startswith("[dondoc] Nhắc hạn") for s in subjects)
    assert json.loads(ok(home, "outbox", "list", "--json"))["counts"] == {"sent": 3}


def item_id(home: Path, key: str) -> int:
    with sqlite3.connect(home / "dondoc.db") as db:
        (found,) = db.execute("select id from item where key = ?", (key,)).fetchall()
        return int(found[0])


def test_a_done_report_closes_the_item_and_stops_its_reminders(home: Path) -> None:
    out = ok(home, "report", "C.I.2.1.c.2", "--status", "done", "--percent", "100", "--as-of", "2021-03-30")
    assert "C.I.2.1.c.2" in out
    ok(home, "remind", "--as-of", "2021-03-31")
    reminded = {int(k.split(":")[2]) for k, _ in outbox_rows(home) if k.startswith("reminder:item:")}
    assert item_id(home, "C.I.2.1.c.2") not in reminded  # the done item gets no reminder...
    assert reminded == {item_id(home, "C.I.2.2.a.2"), item_id(home, "D.III")}  # ...the two others due that day do
    status = json.loads(ok(home, "status", "--as-of", "2021-04-02", "--json"))
    by_key = {i["key"]: i["status"] for i in status["items"]}
    assert by_key["C.I.2.1.c.2"] == "done_on_time" and by_key["C.I.2.2.a.2"] == "not_done_overdue"


def test_outbox_list_is_a_table_with_recipients_and_says_how_many_it_left_out(home: Path) -> None:
    assert ok(home, "outbox", "list").strip() == "Hộp thư đi trống."
    ok(home, "remind", "--as-of", "31/03/2021")
    shown = ok(home, "outbox", "list", "--limit", "1")
    assert "Người nhận" in shown and "Tiêu đề" in shown  # the header
    assert "ban-can-su-ubnd@khanhhoa.example.org" in shown and "[dondoc] Nhắc hạn D.III: hạn 01/04/2021" in shown
    assert shown.splitlines()[-1] == "… và 2 thư nữa (dùng --limit 3 để xem hết)."
    assert "… and 2 more" in ok(home, "outbox", "list", "--limit", "1", env={"DONDOC_LANGUAGE": "en"})
    assert "thư nữa" not in ok(home, "outbox", "list")
    assert json.loads(ok(home, "outbox", "list", "--limit", "1", "--json"))["left_out"] == 2
    unknown = run(home, "outbox", "list", "--status", "lost")
    assert unknown.returncode == 64 and unknown.stderr.count("\n") == 1
    assert "--status nhận một trong các giá trị pending, sending, sent, dead, uncertain, không phải 'lost'" in unknown.stderr


def test_an_approved_extension_moves_reminders_and_escalation_to_the_new_date(home: Path) -> None:
    out = ok(home, "extend", "D.III", "--to", "2021-06-30", "--reason", "Chờ Trung ương hướng dẫn", "--as-of", "2021-03-20")
    assert "01/04/2021" in out and "30/06/2021" in out
    ok(home, "escalate", "--as-of", "2021-04-08")  # level 1 for the three urgent items, D.III among them
    assert sum(1 for k, _ in outbox_rows(home) if k.startswith("escalation")) == 3
    ok(home, "extension", "approve", "1", "--as-of", "2021-04-09")
    ok(home, "escalate", "--as-of", "2021-04-15")
    assert sum(1 for k, _ in outbox_rows(home) if k.startswith("escalation")) == 3 + 2  # the other two climb on; D.III stops
    listed = json.loads(ok(home, "extension", "list", "--json"))["extensions"]
    assert listed[0]["status"] == "approved" and listed[0]["previous_due"] == "2021-04-01"
    status = {i["key"]: i for i in json.loads(ok(home, "status", "--as-of", "2021-04-22", "--json"))["items"]}
    assert status["D.III"]["extended"] and status["D.III"]["status"] == "not_done_within_deadline"
    ok(home, "remind", "--as-of", "2021-06-29")
    assert any("2021-06-30:1" in k for k, _ in outbox_rows(home) if k.startswith("reminder"))


@pytest.mark.parametrize(
    ("policy", "says"),
    [
        ("escalation:\n  top: NOBODY\n", "escalation.top names unknown body 'NOBODY'"),
        ("schedule:\n  jobs:\n    remind: '61 7 * * *'\n", "schedule.jobs.remind: '61 7 * * *' is not a cron expression"),
    ],
)
def test_a_bad_policy_is_refused_at_start(tmp_path: Path, policy: str, says: str) -> None:
    (tmp_path / "policy.yaml").write_text(policy)
    result = run(tmp_path, "remind", env={"DONDOC_POLICY_FILE": str(tmp_path / "policy.yaml")})
    assert result.returncode == 3 and says in result.stderr and "Traceback" not in result.stderr


def test_a_bad_address_is_refused_at_start(tmp_path: Path) -> None:
    bodies = (Path(__file__).parents[2] / "config" / "bodies.yaml").read_text()
    (tmp_path / "bodies.yaml").write_text(bodies.replace("[ubnd@khanhhoa.example.org]", "[ubnd at khanhhoa]"))
    result = run(tmp_path, "remind", env={"DONDOC_BODIES_FILE": str(tmp_path / "bodies.yaml")})
    assert result.returncode == 3 and "bodies[6].emails[1]: must be an email address, not 'ubnd at khanhhoa'" in result.stderr
    bad_from = run(tmp_path, "remind", env={"DONDOC_MAIL_FROM": "dondoc"})
    assert bad_from.returncode == 3 and "DONDOC_MAIL_FROM" in bad_from.stderr


def test_the_smtp_password_never_appears_in_output(home: Path) -> None:
    secret = "s3cr3t-Pa55"
    ok(home, "remind", "--as-of", "2021-03-31")
    result = run(home, "outbox", "dispatch", env={"DONDOC_SMTP_HOST": "127.0.0.1", "DONDOC_SMTP_PORT": str(Sink().port),
                                                  "DONDOC_SMTP_USERNAME": "vptu", "DONDOC_SMTP_PASSWORD": secret})
    assert result.returncode == 7 and "cannot connect" in result.stderr
    assert secret not in result.stdout + result.stderr
    placeholder = run(home, "outbox", "dispatch", env={"DONDOC_SMTP_PASSWORD": "changeme"})
    assert placeholder.returncode == 3 and "placeholder" in placeholder.stderr and "changeme" not in placeholder.stderr


def _serve(home: Path, policy: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env.update({"DONDOC_HOME": str(home), "DONDOC_POLICY_FILE": str(policy)})
    return subprocess.Popen([*DONDOC, "serve", "--direct"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def chase_slots(home: Path) -> list[str]:
    """The chase runs claimed so far, from the register of slots (``scheduler_slot``, called
    ``scheduler_lease`` before migration 0004)."""
    try:
        with sqlite3.connect(home / "dondoc.db", timeout=5) as db:
            tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
            table = next((t for t in ("scheduler_slot", "scheduler_lease") if t in tables), None)
            if table is None:
                return []
            return [row[0] for row in db.execute(f"select name from {table} where name like 'chase@%'")]
    except sqlite3.OperationalError:  # a writer holds the file for a moment
        return []


def test_two_serve_processes_run_each_job_once_and_stop_on_sigterm(home: Path) -> None:
    policy = home / "policy.yaml"
    policy.write_text("schedule:\n  jobs:\n    chase: '*/2 * * * * *'\n"
                      "    digest: '1 1 1 1 *'\n    dispatch: '1 1 1 1 *'\n  misfire_grace_seconds: 1\n")
    ok(home, "chase")  # today's letters written first: each scheduled run then takes under a second, not the 2 s slot
    servers = [_serve(home, policy), _serve(home, policy)]
    deadline = time.monotonic() + 40
    while len(chase_slots(home)) < 3 and time.monotonic() < deadline and all(s.poll() is None for s in servers):
        time.sleep(0.5)
    for server in servers:
        server.send_signal(signal.SIGTERM)
    logs = []
    for server in servers:
        _, err = server.communicate(timeout=30)
        assert server.returncode == 0, err
        logs.append(err)
    slots = chase_slots(home)
    ran = [line for log in logs for line in log.splitlines() if "đang chạy chase cho ngày" in line]
    skipped = [line for log in logs for line in log.splitlines() if "đã chạy ở một tiến trình khác" in line]
    assert len(slots) >= 3 and len(ran) == len(slots), logs  # each slot run by exactly one of the two
    assert len(skipped) >= len(slots) - 1
    assert all(log.rstrip().endswith("đã dừng") for log in logs)


def test_the_daily_chase_writes_one_letter_per_body_once_and_the_item_history_shows_each_part(home: Path) -> None:
    # Given the sample, when the chase runs for 01/06/2021 (136 reminders and rungs owed)
    first = ok(home, "chase", "--as-of", "01/06/2021")
    letters = [line for line in first.splitlines() if line.startswith("  → ")]
    assert len(letters) == len({line.split(":")[0] for line in letters}) == 17, first
    # then run again it queues nothing
    assert "0 thư vào hộp thư đi" in ok(home, "chase", "--as-of", "01/06/2021")
    rows = outbox_rows(home)
    assert len(rows) == 17 and all(key.startswith("chase:") and key.endswith(":2021-06-01") for key, _ in rows)
    # and D.III's level-2 rung is in its lead's letter, the ladder's and a cooperating body's, once each
    history = json.loads(ok(home, "outbox", "list", "--item", "D.III", "--json"))
    seen = sorted((p["body"], p["role"], p["level"]) for p in history["parts"])
    assert seen == [("BCSD_UBND", "lead", 2), ("BTV", "escalated", 2), ("UBND", "cooperating", 2), ("VPTU", "escalated", 2)]
    assert {p["letter"] for p in history["parts"]} == {f"chase:{b}:2021-06-01" for b, _, _ in seen}
