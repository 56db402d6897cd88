"""Commands that said or did the wrong thing (issue 8, "Commands that say or do the wrong thing").

- ``dondoc demo`` run twice stored its progress reports twice and printed the running total of
  the outbox as if it had sent it again.
- After ``extension approve``, ``items`` (table, JSON, CSV) and ``items --due-before`` kept the
  document's due date while ``status`` showed the new one.
- ``items --format csv`` wrote a cell starting with ``=HYPERLINK(`` as it was (Excel runs it), and
  without a byte-order mark (Excel on Windows then garbles the diacritics).
- ``assign`` then a re-ingest printed a count of leads that disagreed with what was stored;
  ``assign --cooperating`` printed "lead before: X" when the lead had not changed; a repeated
  ``assign`` said nothing of "no change" and wrote another audit event.
- A report on an item already done was stored against a later period and the item stayed done.

Each runs the command as a user does, on SQLite and on PostgreSQL.
"""

import csv
import io
import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.acceptance.test_cli import DONDOC
from workflows.orchestration.ingest import sample_path


def dondoc(home: Path, url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    environment.update({"DONDOC_HOME": str(home), "DONDOC_DATABASE_URL": url, **(env or {})})
    return subprocess.run([*DONDOC, *args], capture_output=True, text=True, env=environment, timeout=180)


def ok(home: Path, url: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = dondoc(home, url, *args, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def scalar(url: str, query: str, **values: object) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            return int(db.execute(text(query), values).scalar_one())
    finally:
        engine.dispose()


def items_by_key(home: Path, url: str, *args: str) -> dict[str, dict[str, object]]:
    return {i["key"]: i for i in json.loads(ok(home, url, "items", "--format", "json", *args))["items"]}


# --- dondoc demo, twice ---------------------------------------------------------------------


def test_a_second_demo_run_adds_nothing_and_says_what_it_did_this_time(database_url: str, tmp_path: Path) -> None:
    first = ok(tmp_path, database_url, "demo", "--days", "8")
    reports = scalar(database_url, "select count(*) from progress_report")
    sent = scalar(database_url, "select count(*) from outbox where status = 'sent'")
    assert reports == 3 and sent > 0
    second = ok(tmp_path, database_url, "demo", "--days", "8")
    assert scalar(database_url, "select count(*) from progress_report") == 3  # stored twice before
    assert scalar(database_url, "select count(*) from outbox") == sent
    assert f"Lần chạy này: {sent} thư mới, {sent} thư gửi; hộp thư đi: {sent} đã gửi" in first
    assert f"Lần chạy này: 0 thư mới, 0 thư gửi; hộp thư đi: {sent} đã gửi" in second, second
    for mixed in ("/ reports", "more", "outbox:", "gửi/sent", "ngày/days", "mail:"):
        assert mixed not in first + second, mixed

    english = ok(tmp_path, database_url, "demo", "--days", "8", env={"DONDOC_LANGUAGE": "en"})
    assert f"This run: 0 new emails, 0 sent; outbox: {sent} sent" in english, english
    assert "báo cáo" not in english and "thư" not in english


# --- the current due date in items ----------------------------------------------------------


def test_items_show_the_current_due_date_after_an_approved_extension(database_url: str, tmp_path: Path) -> None:
    ok(tmp_path, database_url, "ingest", "--sample")
    ok(tmp_path, database_url, "extend", "D.III", "--to", "2021-06-30", "--reason", "Chờ hướng dẫn", "--as-of", "2021-03-20")
    ok(tmp_path, database_url, "extension", "approve", "1", "--as-of", "2021-03-22")

    item = items_by_key(tmp_path, database_url)["D.III"]
    assert (item["due"], item["document_due"]) == ("2021-06-30", "2021-04-01")
    assert "D.III" not in items_by_key(tmp_path, database_url, "--due-before", "2021-05-01")
    assert "D.III" in items_by_key(tmp_path, database_url, "--due-before", "2021-07-01")
    (row,) = [line for line in ok(tmp_path, database_url, "items", "--section", "D").splitlines() if "D.III" in line]
    assert row.index("30/06/2021") < row.index("01/04/2021")  # the current date first, the document's beside it
    table = list(csv.DictReader(io.StringIO(ok(tmp_path, database_url, "items", "--format", "csv").lstrip("\ufeff"))))
    (csv_row,) = [r for r in table if r["key"] == "D.III"]
    assert (csv_row["due"], csv_row["document_due"]) == ("2021-06-30", "2021-04-01")
    status = {i["key"]: i for i in json.loads(ok(tmp_path, database_url, "status", "--as-of", "2021-04-22", "--json"))["items"]}
    assert status["D.III"]["due"] == item["due"]


# --- CSV for Excel ---------------------------------------------------------------------------


def test_csv_cells_that_excel_would_run_are_neutralised_and_the_file_opens_as_utf8(tmp_path: Path) -> None:
    document = tmp_path / "evil.txt"
    document.write_text(
        sample_path().read_text(encoding="utf-8")
        .replace("- Xây dựng chương trình xúc tiến đầu tư nhằm thu hút", '- =HYPERLINK("http://evil.example/","Bấm") nhằm thu hút')
        .replace("- Tỷ lệ che phủ rừng năm 2025 đạt trên 46,5%.", "- @SUM(1+1) che phủ rừng năm 2025 đạt trên 46,5%."),
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    ok(tmp_path, url, "ingest", str(document))
    raw = subprocess.run([*DONDOC, "items", "--format", "csv"], capture_output=True, check=True, timeout=120,
                         env={**{k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}, "DONDOC_HOME": str(tmp_path)}).stdout
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    texts = [r["text"] for r in rows]
    assert any(t.startswith("'=HYPERLINK(") for t in texts) and any(t.startswith("'@SUM(") for t in texts)
    for row in rows:
        for cell in row.values():
            assert not re.match(r"[=+\-@\t\r]", cell), cell
    assert any("Bấm" in t for t in texts)


# --- assign and the ingest summary ------------------------------------------------------------


def leads_line(output: str) -> Counter[str]:
    (line,) = [line for line in output.splitlines() if line.startswith("Theo cơ quan chủ trì: ")]
    return Counter({code: int(n) for code, n in (part.rsplit(" ", 1) for part in line.split(": ", 1)[1].split(", "))})


def test_the_ingest_summary_counts_the_leads_as_stored(database_url: str, tmp_path: Path) -> None:
    ok(tmp_path, database_url, "ingest", "--sample")
    ok(tmp_path, database_url, "assign", "B.II.1.4", "BTG")
    again = ok(tmp_path, database_url, "ingest", "--sample")
    stored = Counter(str(i["lead"]) for i in items_by_key(tmp_path, database_url).values())
    assert stored["BTG"] >= 1
    assert leads_line(again) == stored


def test_assign_says_what_changed_and_a_repeat_changes_nothing(database_url: str, tmp_path: Path) -> None:
    ok(tmp_path, database_url, "ingest", "--sample")
    lead = items_by_key(tmp_path, database_url)["C.I.1.1.1"]["lead"]
    events = "select count(*) from audit_event where action = 'assignment.manual'"

    added = ok(tmp_path, database_url, "assign", "C.I.1.1.1", "BTG", "--cooperating")
    assert "trước đó chủ trì" not in added  # the lead did not change
    assert "BTG" in added and "phối hợp" in added
    cooperating = items_by_key(tmp_path, database_url)["C.I.1.1.1"]["cooperating"]
    assert f"các cơ quan phối hợp nay là: {', '.join(cooperating)}" in added  # type: ignore[arg-type]
    assert scalar(database_url, events) == 1

    repeated = ok(tmp_path, database_url, "assign", "C.I.1.1.1", "BTG", "--cooperating")
    assert repeated.startswith("Không có gì thay đổi: "), repeated
    assert scalar(database_url, events) == 1

    moved = ok(tmp_path, database_url, "assign", "C.I.1.1.1", "BDV")
    assert f"trước đó chủ trì: {lead}" in moved
    assert ok(tmp_path, database_url, "assign", "C.I.1.1.1", "BDV").startswith("Không có gì thay đổi: ")
    assert "Nothing changed: " in ok(tmp_path, database_url, "assign", "C.I.1.1.1", "BDV", env={"DONDOC_LANGUAGE": "en"})
    assert scalar(database_url, events) == 2


# --- a report on an item already done ---------------------------------------------------------


def test_a_report_on_a_done_item_is_refused_unless_it_reopens_the_item(database_url: str, tmp_path: Path) -> None:
    ok(tmp_path, database_url, "ingest", "--sample")  # C.I.2.1.c.2 is due 01/04/2021
    ok(tmp_path, database_url, "report", "C.I.2.1.c.2", "--status", "done", "--as-of", "2021-03-20")

    refused = dondoc(tmp_path, database_url, "report", "C.I.2.1.c.2", "--status", "in_progress", "--as-of", "2021-03-25")
    assert refused.returncode == 6, refused.stderr
    assert refused.stderr.strip().splitlines() == [
        "dondoc: lỗi: C.I.2.1.c.2 đã hoàn thành ngày 20/03/2021; dùng --reopen để mở lại"
    ]
    assert scalar(database_url, "select count(*) from progress_report") == 1
    again = dondoc(tmp_path, database_url, "report", "C.I.2.1.c.2", "--status", "done", "--as-of", "2021-03-25")
    assert again.returncode == 6 and scalar(database_url, "select count(*) from progress_report") == 1
    contradictory = dondoc(tmp_path, database_url, "report", "C.I.2.1.c.2", "--status", "done", "--reopen")
    assert contradictory.returncode == 64 and len(contradictory.stderr.strip().splitlines()) == 1

    reopened = ok(tmp_path, database_url, "report", "C.I.2.1.c.2", "--status", "in_progress", "--reopen", "--as-of", "2021-03-25")
    assert "Mục C.I.2.1.c.2 đã hoàn thành ngày 20/03/2021, nay được mở lại." in reopened
    assert scalar(database_url, "select count(*) from progress_report") == 2
    # open again: reminded before its deadline, on the ladder after it, and overdue in status
    item_id = scalar(database_url, "select id from item where key = 'C.I.2.1.c.2' and retired_at is null")
    ok(tmp_path, database_url, "remind", "--as-of", "2021-03-31")
    assert scalar(database_url, "select count(*) from outbox where key like :k", k=f"reminder:item:{item_id}:%") == 1
    ok(tmp_path, database_url, "escalate", "--as-of", "2021-04-08")
    assert scalar(database_url, "select count(*) from escalation where item_id = :id", id=item_id) == 1
    status = {i["key"]: i["status"] for i in json.loads(ok(tmp_path, database_url, "status", "--as-of", "2021-04-09", "--json"))["items"]}
    assert status["C.I.2.1.c.2"] == "not_done_overdue"

    ok(tmp_path, database_url, "report", "C.I.2.1.c.2", "--status", "done", "--as-of", "2021-04-10")  # open: no flag needed
    status = {i["key"]: i["status"] for i in json.loads(ok(tmp_path, database_url, "status", "--as-of", "2021-04-11", "--json"))["items"]}
    assert status["C.I.2.1.c.2"] == "done_late"


def test_the_refusal_speaks_english_by_setting(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    ok(tmp_path, url, "ingest", "--sample")
    ok(tmp_path, url, "report", "D.III", "--status", "done", "--as-of", "2021-03-30")
    refused = dondoc(tmp_path, url, "report", "D.III", "--status", "blocked", "--as-of", "2021-04-30", env={"DONDOC_LANGUAGE": "en"})
    assert refused.returncode == 6
    assert refused.stderr.strip() == "dondoc: error: D.III was done on 30/03/2021; use --reopen to open it again"
