"""The ``dondoc`` command run as a user runs it: a subprocess with its own home and settings."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from workflows.orchestration.ingest import sample_path

DONDOC = [str(Path(sys.executable).parent / "dondoc")]


def run(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    environment.update({"DONDOC_HOME": str(home), **(env or {})})
    return subprocess.run([*DONDOC, *args], capture_output=True, text=True, env=environment, timeout=120)


def ok(home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(home, *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def table_counts(home: Path) -> dict[str, int]:
    with sqlite3.connect(home / "dondoc.db") as db:
        return {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("item", "assignment", "audit_event", "document")}


def test_parse_prints_the_programme_as_json_without_a_database(tmp_path: Path) -> None:
    data = json.loads(ok(tmp_path, "parse", str(sample_path()), "--json"))
    assert not (tmp_path / "dondoc.db").exists()
    assert len(data["items"]) == 136
    item = next(i for i in data["items"] if i["key"] == "B.II.3.2")
    assert {"key", "kind", "section", "text", "lead", "cooperating", "rule", "due", "recurrence", "indicators"} <= set(item)
    assert (item["kind"], item["due"], item["lead"]) == ("target", "2025-12-31", "UBND")
    assert [(i["name"], i["comparator"], i["value"], i["unit"], i["year"]) for i in item["indicators"]] == [
        ("Tỷ lệ dân số được sử dụng nước sạch", "equal", 70.0, "%", 2025),
        ("nước hợp vệ sinh", "equal", 100.0, "%", 2025),
    ]


def test_ingest_then_items_shows_what_parse_showed(tmp_path: Path) -> None:
    first = ok(tmp_path, "ingest", "--sample")
    assert "136 mục (136 mới" in first
    again = ok(tmp_path, "ingest", "--sample")
    assert again.startswith("Không có gì thay đổi")
    parsed = json.loads(ok(tmp_path, "parse", str(sample_path()), "--json"))["items"]
    stored = json.loads(ok(tmp_path, "items", "--format", "json"))["items"]
    assert all(i.pop("document_due") == i["due"] for i in stored)  # no extension: the document's date is in force
    assert all(i.pop("delegated_to") is None for i in stored)  # nothing delegated (dondoc delegate)
    for item in parsed:  # what reading found and the database does not keep (issue 12): parse --json only
        assert (item.pop("source"), item.pop("appendix"), item.pop("lead_named"), item.pop("cooperating_named")) == (
            "body", None, None, [])
    assert stored == parsed


def test_items_filters_by_body_section_kind_and_due_date(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    by_body = json.loads(ok(tmp_path, "items", "--body", "Ban Tuyên giáo Tỉnh uỷ", "--format", "json"))["items"]
    assert by_body and all("BTG" in [i["lead"], *i["cooperating"]] for i in by_body)
    by_section = json.loads(ok(tmp_path, "items", "--section", "C.II.1", "--kind", "task", "--format", "json"))["items"]
    assert {i["section"] for i in by_section} == {"C.II.1.1", "C.II.1.2", "C.II.1.3", "C.II.1.4", "C.II.1.5"}
    urgent = json.loads(ok(tmp_path, "items", "--due-before", "2022-01-01", "--format", "json"))["items"]
    assert {i["key"] for i in urgent} == {"C.I.2.1.c.2", "C.I.2.2.a.2", "D.III"}
    csv_out = ok(tmp_path, "items", "--kind", "directive", "--format", "csv")
    assert csv_out.splitlines()[0].startswith("\ufeffkey,kind,section,lead") and len(csv_out.splitlines()) == 7


def test_a_manual_assignment_survives_a_reingest(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    assert "BDV" in ok(tmp_path, "assign", "C.I.7.1", "bdv")
    ok(tmp_path, "ingest", "--sample")
    item = next(i for i in json.loads(ok(tmp_path, "items", "--format", "json"))["items"] if i["key"] == "C.I.7.1")
    assert (item["lead"], item["rule"]) == ("BDV", "manual")


def test_bodies_lists_codes_names_and_addresses(tmp_path: Path) -> None:
    bodies = {b["code"]: b for b in json.loads(ok(tmp_path, "bodies", "--json"))["bodies"]}
    assert bodies["BTV"]["name_vi"] == "Ban Thường vụ Tỉnh ủy" and bodies["BTV"]["escalates_to"] is None
    assert all(e.endswith(".example.org") for b in bodies.values() for e in b["emails"])
    assert "Standing Committee" in ok(tmp_path, "bodies", env={"DONDOC_LANGUAGE": "en"})


def _windows_1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters, some precomposed, tone marks combining."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = list(unicodedata.normalize("NFD", ch))
            out += unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u031b\u0306\u0302")).encode("cp1258")
            out += "".join(m for m in marks if m not in "\u031b\u0306\u0302").encode("cp1258")
    return out


def _bad(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.txt", b"", "is empty"),
        ("binary.pdf", b"%PDF-1.7\x00\x01\x02\x03" * 100, "không mở được tệp PDF"),  # read by its content: a broken PDF, not text
        ("cp1258.txt", _windows_1258("CHƯƠNG TRÌNH HÀNH ĐỘNG\nnhiệm kỳ 2020 - 2025\n\nA. MỤC ĐÍCH\n"), "not UTF-8"),
        ("prose.txt", "Một bức thư.\n\nKhông có đề mục nào.\n".encode(), "no recognisable programme outline"),
    ],
)
def test_bad_documents_are_refused_in_one_line_and_the_database_is_unchanged(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    ok(tmp_path, "ingest", "--sample")
    before = table_counts(tmp_path)
    for command in ("parse", "ingest"):
        result = run(tmp_path, command, str(_bad(tmp_path, name, content)))
        assert result.returncode == 2
        assert says in result.stderr and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert table_counts(tmp_path) == before


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(300_000_000)  # sparse: 300 MB without writing them
    result = run(tmp_path, "ingest", str(huge))
    assert result.returncode == 2 and "300 MB" in result.stderr and "DONDOC_MAX_DOCUMENT_MB" in result.stderr


def test_a_rules_file_naming_an_unknown_body_is_refused(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    before = table_counts(tmp_path)
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - id: typo\n    when: {kind: task}\n    lead: UBNDD\n  - id: default\n    lead: UBND\n")
    result = run(tmp_path, "ingest", "--sample", env={"DONDOC_RULES_FILE": str(rules)})
    assert result.returncode == 3
    assert "rule 'typo' names unknown body 'UBNDD'" in result.stderr and result.stderr.count("\n") == 1
    assert table_counts(tmp_path) == before


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"DONDOC_LANGUAGE": "fr"}, "DONDOC_LANGUAGE"),
        ({"DONDOC_DATABASE_URL": "mysql://x"}, "DONDOC_DATABASE_URL"),
        ({"DONDOC_MAX_DOCUMENT_MB": "lots"}, "DONDOC_MAX_DOCUMENT_MB"),
    ],
)
def test_a_wrong_setting_is_named(tmp_path: Path, env: dict[str, str], says: str) -> None:
    result = run(tmp_path, "items", env=env)
    assert result.returncode == 3 and says in result.stderr and "Traceback" not in result.stderr


def test_the_settings_file_is_read_from_the_home(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.db"
    (tmp_path / "dondoc.toml").write_text(f'database_url = "sqlite:///{other}"\nlanguage = "en"\n')
    assert "Ingested" in ok(tmp_path, "ingest", "--sample")
    assert other.exists() and not (tmp_path / "dondoc.db").exists()


def test_unknown_item_or_body_on_assign(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    unknown_body = run(tmp_path, "assign", "C.I.7.1", "NOBODY")
    assert unknown_body.returncode == 3 and "không có cơ quan 'NOBODY'" in unknown_body.stderr  # Vietnamese first
    unknown_item = run(tmp_path, "assign", "Z.9", "UBND")
    assert unknown_item.returncode == 4 and "không có mục 'Z.9'" in unknown_item.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["items", "--kind", "nonsense"], "--kind nhận một trong các giá trị target, task, directive, không phải 'nonsense'"),
        (["report", "X", "--status", "done", "--percent", "500"], "--percent phải trong khoảng 0..100, không phải 500"),
        (["report", "X"], "thiếu --status"),
        (["report", "X", "--status", "finished"], "--status nhận một trong các giá trị not_started, in_progress"),
        (["report", "X", "--status", "done", "--value", "70%"], "--value nhận TÊN=GIÁ TRỊ, không phải '70%'"),
        (["parse"], "thiếu FILE"),
        (["ingest"], "--sample"),
        (["nope"], "không có lệnh 'nope'"),
        (["items", "--bogus"], "không có tùy chọn --bogus"),
        (["items", "--body"], "--body cần một giá trị"),
        (["outbox", "list", "--limit", "many"], "--limit nhận một số nguyên, không phải 'many'"),
        (["items", "--due-before", "31/02/2025"], "--due-before: 31/02/2025 không phải là một ngày có thật"),
        (["remind", "--as-of", "tomorrow"], "--as-of nhận một ngày dd/mm/yyyy hoặc YYYY-MM-DD, không phải 'tomorrow'"),
        (["extend", "D.III", "--to", "2025-13-01", "--reason", "r"], "--to: 2025-13-01 không phải là một ngày có thật"),
        (["parse", "a", "b"], "thừa đối số: b"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_code_64_before_any_database_opens(
    tmp_path: Path, args: list[str], says: str
) -> None:
    result = run(tmp_path, *args)
    assert result.returncode == 64, result.stderr
    assert result.stderr.startswith("dondoc: lỗi: ") and result.stderr.count("\n") == 1, result.stderr
    assert says in result.stderr and result.stdout == ""
    assert not (tmp_path / "dondoc.db").exists()


def test_usage_errors_speak_english_by_setting(tmp_path: Path) -> None:
    result = run(tmp_path, "items", "--kind", "nonsense", env={"DONDOC_LANGUAGE": "en"})
    assert result.returncode == 64
    assert result.stderr == "dondoc: error: --kind takes one of target, task, directive, not 'nonsense'\n"
    missing = run(tmp_path, "report", "X", env={"DONDOC_LANGUAGE": "en"})
    assert (missing.returncode, missing.stderr) == (64, "dondoc: error: --status is missing\n")


def test_help_still_works_and_shows_flags_as_flags(tmp_path: Path) -> None:
    for command, flag in (("status", "--json"), ("remind", "--dry-run"), ("ingest", "--sample"), ("assign", "--cooperating")):
        shown = ok(tmp_path, command, "--help")
        line = next(line for line in shown.splitlines() if flag in line)
        assert "<" not in line and "bool" not in line, line
    assert "not_started|in_progress|done|blocked" in ok(tmp_path, "report", "--help", env={"COLUMNS": "200"})
    assert "DD/MM/YYYY" in ok(tmp_path, "remind", "--help")
    assert "Commands" in ok(tmp_path)  # the bare command shows the menu


def test_parse_labels_what_it_prints(tmp_path: Path) -> None:
    vi = ok(tmp_path, "parse", str(sample_path())).splitlines()
    assert vi[0].startswith("Văn bản: CHƯƠNG TRÌNH HÀNH ĐỘNG") and vi[1:3] == ["Nhiệm kỳ: 2020 - 2025", "Số mục: 136"]
    assert vi[3] == "Theo loại: nhiệm vụ 104, chỉ tiêu 26, chỉ đạo 6" and vi[4].startswith("Theo cơ quan chủ trì: UBND 103")
    en = ok(tmp_path, "parse", str(sample_path()), env={"DONDOC_LANGUAGE": "en"}).splitlines()
    assert en[1:4] == ["Term: 2020 - 2025", "Items: 136", "By kind: task 104, target 26, directive 6"]


def test_dates_are_taken_as_dd_mm_yyyy_as_well_as_iso(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    by_iso = json.loads(ok(tmp_path, "items", "--due-before", "2022-01-01", "--format", "json"))["items"]
    by_vn = json.loads(ok(tmp_path, "items", "--due-before", "01/01/2022", "--format", "json"))["items"]
    assert by_vn == by_iso and len(by_vn) == 3
    assert json.loads(ok(tmp_path, "status", "--as-of", "02/04/2021", "--json"))["as_of"] == "2021-04-02"
    table = ok(tmp_path, "items", "--due-before", "01/01/2022")
    assert "01/04/2021" in table and "2021-04-01" not in table  # shown as dd/mm/yyyy


def _rows(table: str) -> list[list[str]]:
    """The cells of a rich table's body and footer rows (the lines drawn with │)."""
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in table.splitlines() if line.startswith("│")]


def test_status_is_a_table_with_a_header_a_row_per_body_and_a_total_row(tmp_path: Path) -> None:
    missing = run(tmp_path, "status")  # no database yet: a read says so and creates none (issue 8)
    assert missing.returncode == 4 and "no database yet" in missing.stderr
    ok(tmp_path, "ingest", "--sample")
    by_body = json.loads(ok(tmp_path, "status", "--as-of", "02/04/2021", "--json"))["by_body"]
    shown = ok(tmp_path, "status", "--as-of", "02/04/2021")
    assert "Tình hình thực hiện đến ngày 02/04/2021" in shown
    header = next(line for line in shown.splitlines() if line.startswith("┃"))
    assert [h.strip() for h in header.strip("┃").split("┃")] == [
        "Cơ quan", "hoàn thành đúng hạn", "hoàn thành quá hạn", "chưa hoàn thành, trong hạn", "chưa hoàn thành, quá hạn",
        "vướng mắc", "Tổng"]
    *bodies, total = _rows(shown)
    assert [row[0].split()[0] for row in bodies] == sorted(by_body)
    ubnd = next(row for row in bodies if row[0] == "UBND Ủy ban nhân dân tỉnh")
    assert ubnd[1:] == ["0", "0", "101", "2", "0", "103"]
    assert total == ["Tổng cộng", "0", "0", "133", "3", "0", "136"]
    directives = _rows(ok(tmp_path, "status", "--as-of", "02/04/2021", "--kind", "directive", env={"DONDOC_LANGUAGE": "en"}))
    assert directives[-1] == ["Total", "0", "0", "5", "1", "0", "6"] and len(directives) == 7
    assert ok(tmp_path, "status", "--kind", "directive", "--body", "UBND").strip() == "Không có mục nào khớp bộ lọc."


def test_ctrl_c_is_one_line_and_exit_code_130(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    environment["DONDOC_HOME"] = str(tmp_path)
    demo = subprocess.Popen([*DONDOC, "demo", "--days", "2000"], env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert demo.stdout is not None and demo.stdout.readline().startswith("dondoc demo: 22/02/2021")
    demo.send_signal(signal.SIGINT)
    _, err = demo.communicate(timeout=60)
    assert (demo.returncode, err) == (130, "dondoc: đã dừng (Ctrl-C)\n")
