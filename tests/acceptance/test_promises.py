"""What the README promises and no other test checked, each command run as a user runs it."""

import json
import sqlite3
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from tests.acceptance.test_cli import ok, run
from workflows.orchestration.ingest import sample_path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    ok(tmp_path, "ingest", "--sample")
    return tmp_path


def query(home: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "dondoc.db") as db:
        return db.execute(sql, args).fetchall()


def items_json(home: Path, *args: str) -> dict[str, dict[str, object]]:
    return {i["key"]: i for i in json.loads(ok(home, "items", "--format", "json", *args))["items"]}


def test_the_weekly_digest_lists_the_overdue_items_by_body_once_a_week(home: Path) -> None:
    # Given three items overdue on Monday 12/04/2021 (two led by UBND, one by its party committee)
    ok(home, "digest", "--as-of", "2021-04-12")
    ok(home, "outbox", "dispatch")
    letter = _the_letter(home)
    text = str(letter.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    # Then the coordinator gets one letter that names them, by body and with the counts by status
    assert letter["To"] == "van-phong@khanhhoa.example.org"
    assert "Quá hạn: 3 mục." in text
    assert "- C.I.2.1.c.2 (nhiệm vụ, Ủy ban nhân dân tỉnh): hạn 01/04/2021" in text
    assert "- C.I.2.2.a.2 (nhiệm vụ, Ủy ban nhân dân tỉnh): hạn 01/04/2021" in text
    assert "- D.III (chỉ đạo, Ban cán sự đảng Ủy ban nhân dân tỉnh): hạn 01/04/2021" in text
    assert "- Tổng cộng: 136, chưa hoàn thành, trong hạn 133, chưa hoàn thành, quá hạn 3" in text
    # And a second run in the same week (Thursday) queues nothing more
    ok(home, "digest", "--as-of", "2021-04-15")
    assert query(home, "select count(*) from outbox where kind = 'digest'") == [(1,)]


def _the_letter(home: Path) -> EmailMessage:
    """The one message in the Maildir, parsed as a mail client would."""
    (path,) = list((home / "Maildir" / "new").iterdir())
    letter = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(letter, EmailMessage)
    return letter


def test_a_refused_extension_leaves_the_due_date_as_it_was(home: Path) -> None:
    ok(home, "extend", "D.III", "--to", "30/06/2021", "--reason", "Chờ hướng dẫn", "--as-of", "2021-03-20")
    ok(home, "extension", "refuse", "1", "--note", "Không đủ lý do", "--as-of", "2021-03-22")
    (request,) = json.loads(ok(home, "extension", "list", "--json"))["extensions"]
    assert request["status"] == "refused" and request["note"] == "Không đủ lý do"
    by_key = {i["key"]: i for i in json.loads(ok(home, "status", "--as-of", "2021-04-12", "--json"))["items"]}
    assert by_key["D.III"]["due"] == "2021-04-01" and not by_key["D.III"]["extended"]
    assert by_key["D.III"]["status"] == "not_done_overdue"
    # a decided request cannot be decided again: it contradicts what is stored
    again = run(home, "extension", "approve", "1")
    assert again.returncode == 6 and len(again.stderr.strip().splitlines()) == 1 and "refused" in again.stderr


def test_indicator_values_are_stored_as_numbers_with_the_report(home: Path) -> None:
    ok(home, "report", "B.II.1.1", "--status", "in_progress", "--value", "tăng trưởng=7,5", "--value", "ghi chú=khá",
       "--as-of", "2021-07-01")
    ((values,),) = query(home, "select p.\"values\" from progress_report p join item i on i.id = p.item_id where i.key = 'B.II.1.1'")
    assert json.loads(str(values)) == {"tăng trưởng": 7.5, "ghi chú": "khá"}
    bad = run(home, "report", "B.II.1.1", "--status", "in_progress", "--value", "no-equals-sign")
    assert bad.returncode != 0 and len(bad.stderr.strip().splitlines()) == 1 and "no-equals-sign" in bad.stderr


def test_a_cooperating_body_is_added_without_changing_the_lead(home: Path) -> None:
    before = items_json(home)["C.I.1.1.1"]
    ok(home, "assign", "C.I.1.1.1", "BTG", "--cooperating")
    after = items_json(home)["C.I.1.1.1"]
    assert after["lead"] == before["lead"] and "BTG" in after["cooperating"]  # type: ignore[operator]
    # making the lead a cooperating body of its own item contradicts what is stored
    refused = run(home, "assign", "C.I.1.1.1", str(before["lead"]), "--cooperating")
    assert refused.returncode == 6 and len(refused.stderr.strip().splitlines()) == 1


def test_documents_lists_each_programme_with_its_version(home: Path, tmp_path: Path) -> None:
    (document,) = json.loads(ok(home, "documents", "--json"))["documents"]
    assert document["version"] == 1 and document["title"].endswith("nhiệm kỳ 2020 - 2025")
    revised = tmp_path / "revised.txt"
    revised.write_text(sample_path().read_text(encoding="utf-8").replace("trước năm 2025", "trước năm 2024", 1)
                       + "\n", encoding="utf-8")
    ok(home, "ingest", str(revised))
    (document,) = json.loads(ok(home, "documents", "--json"))["documents"]
    assert document["version"] == 2
    assert document["key"] in ok(home, "documents")


def test_status_filters_by_body_and_by_kind(home: Path) -> None:
    every = json.loads(ok(home, "status", "--as-of", "2021-04-12", "--json"))["items"]
    mine = json.loads(ok(home, "status", "--as-of", "2021-04-12", "--body", "Ban Tuyên giáo Tỉnh uỷ", "--json"))["items"]
    assert mine and {i["lead"] for i in mine} == {"BTG"} and len(mine) < len(every)
    kinds = {i["key"]: i for i in json.loads(ok(home, "items", "--format", "json", "--kind", "target"))["items"]}
    targets = json.loads(ok(home, "status", "--as-of", "2021-04-12", "--kind", "target", "--json"))["items"]
    assert {i["key"] for i in targets} == set(kinds)


def test_a_database_that_cannot_be_opened_exits_5_in_one_line(tmp_path: Path) -> None:
    result = run(tmp_path, "items", env={"DONDOC_DATABASE_URL": "postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing"})
    assert result.returncode == 5, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "secret" not in result.stderr
