"""Inputs that hang or blow up, and opening the database (issue 8, "Inputs that hang or blow up").

Each was found by attacking dondoc: ``ingest /dev/zero`` grew without limit and a FIFO with no
writer hung; a document nested 1,200 levels deep ended in RecursionError; ESC sequences in a
document reached the terminal; a NUL after the first 64 KB was stored; unusual database URLs and a
database from a newer dondoc ended in tracebacks; read commands created an empty database, and the
database was created readable by everyone. Every command here runs as a subprocess with a time
limit, so that a hang fails the test instead of blocking the suite.
"""

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from config.errors import DocumentError
from tests.acceptance.test_cli import DONDOC, ok
from workflows.orchestration.ingest import sample_path
from workflows.reading.extract import extract
from workflows.reading.outline import MAX_DEPTH, build
from workflows.reading.text import normalise

LIMIT = 60
"""Seconds a command may take here; a command that hangs fails its test after this."""


def quick(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``run`` from the acceptance tests, with a shorter time limit (a hang raises TimeoutExpired)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    environment.update({"DONDOC_HOME": str(home), **(env or {})})
    return subprocess.run([*DONDOC, *args], capture_output=True, text=True, env=environment, timeout=LIMIT)


def refused(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """Refused as the house promises: the exit code, one line on stderr naming the problem."""
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    for word in words:
        assert word in lines[0], lines[0]


def stored_documents(home: Path, env: dict[str, str] | None = None) -> list[object]:
    """The documents ``dondoc documents`` lists (none when there is no database at all)."""
    result = quick(home, "documents", "--json", env=env)
    if result.returncode == 4 and "no database yet" in result.stderr:
        return []
    assert result.returncode == 0, result.stderr
    documents: list[object] = json.loads(result.stdout)["documents"]
    return documents


# --- documents that are not regular files -------------------------------------------------------


@pytest.mark.parametrize("command", ["parse", "ingest"])
def test_a_device_or_a_fifo_is_refused_as_a_document_without_hanging(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it for reading would wait for ever
    for path in ("/dev/zero", str(fifo)):
        refused(quick(tmp_path, command, path), 2, path, "not a regular file")


def test_a_document_larger_than_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1_500_001)
    refused(quick(tmp_path, "parse", str(big), env={"DONDOC_MAX_DOCUMENT_MB": "1"}), 2, "DONDOC_MAX_DOCUMENT_MB")


# --- a document nested too deep -----------------------------------------------------------------

HEAD = "CHƯƠNG TRÌNH HÀNH ĐỘNG\nnhiệm kỳ 2020 - 2025\n\nC. NHIỆM VỤ VÀ GIẢI PHÁP\n\n"


def nested(levels: int) -> str:
    """A tasks part with headings 1.1, 1.1.1, 1.1.1.1 ...: each dotted depth is a marker type of
    its own, so each opens a level under the one before; one bullet at the bottom."""
    headings = "".join(f"{'.'.join(['1'] * (n + 2))}. Nhiệm vụ cấp {n + 1}\n\n" for n in range(levels))
    return HEAD + headings + "- Thực hiện việc cuối cùng.\n"


def test_a_document_nested_deeper_than_a_programme_is_refused_in_one_line(tmp_path: Path) -> None:
    document = tmp_path / "deep.txt"
    document.write_text(nested(1200), encoding="utf-8")
    for command in ("parse", "ingest"):
        refused(quick(tmp_path, command, str(document)), 2, "nested", str(MAX_DEPTH))
    assert stored_documents(tmp_path) == []


def test_a_document_as_deep_as_the_limit_still_parses() -> None:
    _, items = extract(build(normalise(nested(MAX_DEPTH - 1))))
    assert [i.text for i in items] == ["Thực hiện việc cuối cùng."]
    assert len(items[0].section_titles) == MAX_DEPTH
    with pytest.raises(DocumentError, match="nested"):
        build(normalise(nested(MAX_DEPTH)))


# --- control characters and NUL -----------------------------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;owned\x07\x7f\u009b31m"
"""Clear the screen, set the terminal's title, DEL and an 8-bit CSI: nothing a document says."""

BULLET = "- Tỷ lệ dân số được sử dụng nước sạch"


def _controls(text: str) -> list[str]:
    return [ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]


def test_control_characters_in_a_document_reach_neither_the_terminal_nor_the_database(tmp_path: Path) -> None:
    sample = sample_path().read_text(encoding="utf-8")
    assert BULLET in sample
    document = tmp_path / "escapes.txt"
    document.write_text(sample.replace(BULLET, BULLET.replace("nước sạch", f"nước{ESCAPES} sạch"), 1), encoding="utf-8")
    parsed = ok(tmp_path, "parse", str(document), "--json")
    assert _controls(parsed) == [] and "\\u00" not in parsed and "nước[2J]0;owned31m sạch" in parsed  # JSON writes ESC escaped
    ok(tmp_path, "ingest", str(document))
    for output in ("table", "json", "csv"):
        shown = ok(tmp_path, "items", "--format", output)
        assert _controls(shown) == [] and "\\u00" not in shown, output
    with sqlite3.connect(tmp_path / "dondoc.db") as db:
        stored = [row[0] for row in db.execute("select text from item")]
    assert len(stored) == 136 and not any(_controls(t) for t in stored)


def test_normalise_keeps_tabs_newlines_and_letters_and_drops_the_other_controls() -> None:
    assert normalise(f"a{ESCAPES}b\tc\r\nđ\fé\x00") == "a[2J]0;owned31mb c\nđ\n\né"


def test_a_nul_byte_after_the_first_64_kb_is_refused_and_nothing_is_stored(tmp_path: Path, database_url: str) -> None:
    sample = sample_path().read_text(encoding="utf-8")
    padding = "Đoạn văn bổ sung để văn bản dài hơn sáu mươi tư nghìn byte. " * 300
    text_ = sample.replace("A. MỤC ĐÍCH, YÊU CẦU\n", f"A. MỤC ĐÍCH, YÊU CẦU\n\n{padding}\n", 1)
    text_ = text_.replace("chỉ đạo tổ chức sơ kết", "chỉ đạo tổ\x00 chức sơ kết", 1)
    data = text_.encode("utf-8")
    assert data.index(b"\x00") > 65536
    document = tmp_path / "nul.txt"
    document.write_bytes(data)
    env = {"DONDOC_DATABASE_URL": database_url}
    refused(quick(tmp_path, "ingest", str(document), env=env), 2, str(document), "binary")
    assert stored_documents(tmp_path, env) == []


# --- database URLs and a database from a newer dondoc ------------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlitefoo://", "sqlitefoo"),
        ("postgresql+nosuch://u@127.0.0.1/db", "nosuch"),
        ("postgresql+psycopg://u:hidden@127.0.0.1:notaport/db", "port"),
        ("postgresql+psycopg://u:hidden@127.0.0.1:99999/db", "99999"),
        ("not a url at all", "URL"),
        ("postgresql+psycopg2://u:hidden@127.0.0.1/db", "psycopg2"),
    ],
)
def test_a_database_url_that_cannot_work_is_a_settings_error_in_one_line(tmp_path: Path, url: str, says: str) -> None:
    result = quick(tmp_path, "items", env={"DONDOC_DATABASE_URL": url})
    refused(result, 3, "DONDOC_DATABASE_URL", says)
    assert "hidden" not in result.stderr


def test_a_database_made_by_a_newer_dondoc_is_refused_and_left_as_it_is(tmp_path: Path, database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("update alembic_version set version_num = '0099'"))
    try:
        for command in (("status",), ("ingest", "--sample")):
            result = quick(tmp_path, *command, env={"DONDOC_DATABASE_URL": database_url})
            refused(result, 5, "newer dondoc", "0099", "upgrade dondoc")
        with engine.connect() as connection:
            assert connection.execute(text("select version_num from alembic_version")).scalar_one() == "0099"
            assert connection.execute(text("select count(*) from item")).scalar_one() == 0
    finally:
        engine.dispose()


# --- read commands create nothing; the database is its owner's --------------------------------

READS = [("items",), ("status",), ("documents",), ("outbox", "list"), ("extension", "list")]


@pytest.mark.parametrize("command", READS, ids=" ".join)
def test_a_read_command_without_a_database_says_so_and_creates_nothing(tmp_path: Path, command: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    result = quick(home, *command)
    refused(result, 4, "no database yet", str(home / "dondoc.db"), "dondoc ingest")
    assert not home.exists()


@pytest.mark.parametrize("command", READS, ids=" ".join)
def test_a_read_command_on_an_empty_database_creates_no_table(
    tmp_path: Path, empty_database_url: str, command: tuple[str, ...]
) -> None:
    result = quick(tmp_path, *command, env={"DONDOC_DATABASE_URL": empty_database_url})
    refused(result, 4, "no database yet", "dondoc ingest")
    engine = create_engine(empty_database_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_the_database_and_its_folder_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "new" / "home"
    old = os.umask(0o022)  # what a usual login has: without care, files would be readable by all
    try:
        ok(home, "ingest", "--sample")
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    made = [p for p in home.iterdir() if p.name.startswith("dondoc.db")]
    assert home / "dondoc.db" in made
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert json.loads(ok(home, "documents", "--json"))
