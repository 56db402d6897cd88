"""A clerk names a document by its number: ``dondoc documents`` shows number, issuer, date and
title, every ``--document`` takes the number (or the key, or a start of it), and a command that
shows the last-ingested document by default says which one when several are stored.

The trial's faults: ``documents`` showed only a 120-character key; ``items --document 58/NQ-CP``
exited 4; ``items`` alone listed the last document ingested without saying so.
"""

import json
import shutil
from pathlib import Path

import pytest

from tests.acceptance.test_cli import ok, run

SECOND = """CHÍNH PHỦ
Số: 58/NQ-CP
Hà Nội, ngày 21 tháng 4 năm 2026

CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện chuyển đổi số giai đoạn 2026 - 2030 của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia

I. MỤC ĐÍCH, YÊU CẦU
1. Cụ thể hóa các nhiệm vụ được giao.
II. NHIỆM VỤ, GIẢI PHÁP
1. Hoàn thiện thể chế
- Xây dựng cơ sở dữ liệu đất đai, hoàn thành trong năm 2027.
- Cung cấp dịch vụ công trực tuyến toàn trình, hoàn thành trong năm 2028.
2. Phát triển hạ tầng
- Phủ sóng di động 5G toàn quốc, hoàn thành trong năm 2029.
"""
"""A short Government programme made for the test: number, issuer and date in its heading."""
SECOND_KEYS = ["II.1.1", "II.1.2", "II.2.1"]


@pytest.fixture(scope="module")
def stocked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the bundled sample ingested first, then the 58/NQ-CP programme (the last one)."""
    home = tmp_path_factory.mktemp("stocked")
    (home / "58-nq-cp.txt").write_text(SECOND, encoding="utf-8")
    ok(home, "ingest", "--sample")
    ok(home, "ingest", str(home / "58-nq-cp.txt"))
    return home


@pytest.fixture
def home(stocked: Path, tmp_path: Path) -> Path:
    """A copy of the stocked home for each test, so that one that writes changes no other."""
    return Path(shutil.copytree(stocked, tmp_path / "home"))


def _keys(home: Path, *args: str) -> list[str]:
    return [i["key"] for i in json.loads(ok(home, "items", "--format", "json", *args))["items"]]


def test_documents_shows_number_issuer_date_title_to_the_width_and_the_key_last(home: Path) -> None:
    lines = ok(home, "documents", env={"COLUMNS": "80"}).splitlines()
    at = lines.index("58/NQ-CP · CHÍNH PHỦ · 21/04/2026")
    title, rest = lines[at + 1], lines[at + 2]
    assert title.startswith("    CHƯƠNG TRÌNH HÀNH ĐỘNG thực hiện chuyển đổi số") and title.endswith("…")
    assert len(title) <= 80
    assert rest.startswith("    bản 1 · 3 mục · mã: chuong-trinh-hanh-dong-thuc-hien-chuyen-doi-so")  # the whole key, last
    assert any(line.startswith("    bản 1 · 136 mục · mã: chuong-trinh") for line in lines)  # the sample: a draft
    data = json.loads(ok(home, "documents", "--json"))["documents"]
    second = data[1]
    assert {"key", "title", "version", "sha256", "ingested_at"} <= set(second)  # today's shape kept
    assert (second["number"], second["issuer"], second["issued_on"], second["items"]) == (
        "58/NQ-CP", "CHÍNH PHỦ", "2026-04-21", 3)
    assert (data[0]["number"], data[0]["items"]) == (None, 136)


@pytest.mark.parametrize("name", ["58/NQ-CP", "58/nq-cp", " 58 / NQ-CP "])
def test_items_takes_the_number_whatever_its_case_and_spaces(home: Path, name: str) -> None:
    assert _keys(home, "--document", name) == SECOND_KEYS


def test_items_takes_the_key_and_a_start_of_it(home: Path) -> None:
    sample_key = json.loads(ok(home, "documents", "--json"))["documents"][0]["key"]
    assert len(_keys(home, "--document", sample_key)) == 136
    assert len(_keys(home, "--document", "chuong-trinh-hanh-dong-thuc-hien-nghi")) == 136


def test_an_unknown_number_is_one_line_naming_it_and_the_documents_there_are(home: Path) -> None:
    result = run(home, "items", "--document", "58/NQ-CQ")
    assert result.returncode == 4 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "'58/NQ-CQ'" in lines[0] and "58/NQ-CP (thực hiện chuyển đổi số" in lines[0]
    assert "chuong-trinh-hanh-dong-thuc-hien-n… (thực hiện Nghị quyết Đại hội" in lines[0]  # a start that names it


def test_an_ambiguous_start_of_key_is_one_line_naming_the_choices(home: Path) -> None:
    result = run(home, "items", "--document", "chuong-trinh", env={"DONDOC_LANGUAGE": "en"})
    assert result.returncode == 4
    assert result.stderr.count("\n") == 1 and "'chuong-trinh' names several documents" in result.stderr
    assert "58/NQ-CP" in result.stderr


def test_every_document_option_takes_the_number(home: Path) -> None:
    assert "BTG" in ok(home, "assign", "II.2.1", "BTG", "--document", "58/nq-cp")
    assert run(home, "assign", "II.2.1", "BTG", "--document", "59/NQ-CP").returncode == 4


def test_items_without_document_says_which_one_it_shows_when_several_are_stored(home: Path) -> None:
    header = "Chương trình 58/NQ-CP (CHÍNH PHỦ, 21/04/2026) — 3 mục"
    assert ok(home, "items").splitlines()[0].startswith(header)
    english = ok(home, "items", env={"DONDOC_LANGUAGE": "en"}).splitlines()[0]
    assert english.startswith("Programme 58/NQ-CP (CHÍNH PHỦ, 21/04/2026) — 3 items")
    machine = run(home, "items", "--format", "json")  # JSON stays JSON: the line goes to standard error
    assert json.loads(machine.stdout)["document"]["title"].startswith("CHƯƠNG TRÌNH") and header in machine.stderr
    assert not ok(home, "items", "--document", "58/NQ-CP").startswith("Chương trình")  # asked for: no need

