"""A mid-term review round replayed on the command line, each command a subprocess, as the
Office's clerk runs it: open as of 01/05/2023 (answers due 15/06/2023), answers on time and late,
who answered, the list, the refusals (a second round of the period, a due date before the day, an
unknown indicator, a value that is not a number, an answer after closing), and the letters in the
outbox."""

import json
import sqlite3
from pathlib import Path

import pytest

from tests.acceptance.test_cli import ok, run

GRDP = "Tốc độ tăng trưởng kinh tế (GRDP) bình quân hàng năm"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("review")
    ok(home, "ingest", "--sample")
    return home


def outbox(home: Path, kind: str) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "dondoc.db") as db:
        return db.execute("SELECT key, raw FROM outbox WHERE kind = ? ORDER BY key", (kind,)).fetchall()


def refused(home: Path, code: int, *args: str) -> str:
    result = run(home, *args)
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_a_midterm_round_from_opening_to_closing(home: Path) -> None:
    opened = run(home, "review", "open", "--kind", "midterm", "--due", "15/06/2023", "--as-of", "01/05/2023",
                 "--by", "Ban Thường vụ")
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout == "1\n"  # the round's number alone, for scripts
    assert "sơ kết giữa nhiệm kỳ số 1" in opened.stderr and "01/01/2021 - 01/05/2023" in opened.stderr
    letters = outbox(home, "review_request")
    assert len(letters) >= 10 and all(key.startswith("review:1:") for key, _ in letters)
    assert "review:1:UBND" in dict(letters) and "phieu-bao-cao-dot-1-UBND.xlsx" in dict(letters)["review:1:UBND"]

    assert "đã có đợt" in refused(home, 6, "review", "open", "--kind", "midterm", "--due", "15/06/2023", "--as-of", "01/05/2023")
    assert "--due" in refused(home, 64, "review", "open", "--kind", "yearly", "--due", "30/04/2023", "--as-of", "01/05/2023")
    assert len(outbox(home, "review_request")) == len(letters)

    on_time = ok(home, "review", "answer", "1", "B.II.1.1", "--status", "on_track", "--note", "Ước đạt 7,2%",
                 "--value", f"{GRDP}=7,2", "--as-of", "10/06/2023")
    assert "UBND" in on_time and "đúng tiến độ" in on_time and "7,2" in on_time
    late = ok(home, "review", "answer", "1", "B.II.1.3", "--status", "behind", "--value", "1=50", "--value", "3=9,1",
              "--as-of", "20/06/2023")
    assert "sau thời hạn 15/06/2023" in late
    ok(home, "review", "answer", "1", "C.II.1.1.1", "--status", "done", "--as-of", "12/06/2023")  # BTG's item
    assert "nông nghiệp" in refused(home, 64, "review", "answer", "1", "B.II.1.3", "--status", "behind", "--value", "nông nghiệp=5")
    assert "'nhiều'" in refused(home, 64, "review", "answer", "1", "B.II.1.3", "--status", "behind", "--value", "1=nhiều")
    assert "UBND" in refused(home, 6, "review", "answer", "1", "B.II.1.3", "--status", "done", "--body", "BTV")
    refused(home, 4, "review", "answer", "1", "Z.9.9", "--status", "done")
    refused(home, 4, "review", "answer", "7", "B.II.1.3", "--status", "done")

    status = json.loads(ok(home, "review", "status", "1", "--json"))
    bodies = {b["body"]: b for b in status["bodies"]}
    assert status["round"]["status"] == "open"
    assert {k: bodies["UBND"][k] for k in ("answered", "late")} == {"answered": 2, "late": 1}
    assert bodies["UBND"]["missing"] == bodies["UBND"]["asked"] - 2
    assert {k: bodies["BTG"][k] for k in ("answered", "late")} == {"answered": 1, "late": 0}
    assert sum(b["answered"] for b in bodies.values()) == 3
    (listed,) = json.loads(ok(home, "review", "list", "--json"))["rounds"]
    assert {k: listed[k] for k in ("id", "kind", "status", "period_from", "period_to", "due", "opened_by", "opened_on")} == {
        "id": 1, "kind": "midterm", "status": "open", "period_from": "2021-01-01", "period_to": "2023-05-01",
        "due": "2023-06-15", "opened_by": "Ban Thường vụ", "opened_on": "2023-05-01"}
    assert "15/06/2023" in ok(home, "review", "list")

    closed = ok(home, "review", "close", "1", "--as-of", "25/06/2023")
    assert "3/" in closed and "25/06/2023" in closed
    assert "25/06/2023" in refused(home, 6, "review", "answer", "1", "B.II.1.2", "--status", "done", "--as-of", "26/06/2023")
    refused(home, 6, "review", "close", "1", "--as-of", "26/06/2023")
    assert [key for key, _ in outbox(home, "review_report")] == ["review:1:report"]
    assert json.loads(ok(home, "review", "list", "--json"))["rounds"][0]["status"] == "closed"
    # replayed as of a day: the round as it stood, the answers given by then
    (then,) = json.loads(ok(home, "review", "list", "--json", "--as-of", "11/06/2023"))["rounds"]
    assert (then["status"], then["closed_on"]) == ("open", None)
    assert json.loads(ok(home, "review", "list", "--json", "--as-of", "30/04/2023"))["rounds"] == []
    early = json.loads(ok(home, "review", "status", "1", "--json", "--as-of", "11/06/2023"))
    assert sum(b["answered"] for b in early["bodies"]) == 1 and early["round"]["status"] == "open"


def test_english_by_setting(home: Path) -> None:
    result = run(home, "review", "status", "1", env={"DONDOC_LANGUAGE": "en"})
    assert result.returncode == 0 and "mid-term review round 1" in result.stdout
