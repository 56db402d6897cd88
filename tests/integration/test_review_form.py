"""The review round's XLSX form (issue 10): written for a body, filled as a clerk fills it in a
spreadsheet (choosing the status from the drop-down's own list), read back and stored all or
nothing, against real SQLite and PostgreSQL. Every refusal names the sheet, the row and the reason
and leaves the answers table as it was.
"""

import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine, text

from config.loading import Configuration
from models.db import open_database, session_scope
from models.documents import store_programme
from models.queries import find_document
from models.reviews import close_round, find_round, open_round, progress, questions
from workflows.orchestration.review_import import FormRefused, form_for, import_form
from workflows.reading.programme import parse_programme
from workflows.reading.review_form import read_review_form

OPENED = datetime(2023, 6, 1, 2, 0, tzinfo=UTC)
DUE = date(2023, 7, 31)
ANSWERED = date(2023, 7, 10)
TARGET = "B.II.3.2"  # UBND's target: water, two indicators (70 %, 100 %)


@pytest.fixture
def engine(database_url: str, sample_text: str, configuration: Configuration) -> Iterator[Engine]:
    """The sample programme stored and a mid-term round opened on 01/06/2023."""
    engine = open_database(database_url)
    programme = parse_programme(sample_text, rules=configuration.rules, policy=configuration.policy)
    with session_scope(engine) as session:
        store_programme(session, programme=programme, source="sample", registry=configuration.registry, actor="test",
                        now=OPENED)
        open_round(session, document=find_document(session), kind="midterm", due=DUE, period_from=date(2021, 1, 4),
                   period_to=date(2023, 5, 31), actor="BTV", on=OPENED.date(), now=OPENED)
    yield engine
    engine.dispose()


def write_form(engine: Engine, configuration: Configuration, body: str = "UBND", language: str = "vi") -> openpyxl.Workbook:
    with session_scope(engine) as session:
        data = form_for(session, round_id=1, body=configuration.registry.resolve(body), language=language)
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet: Worksheet) -> dict[tuple[str, object], int]:
    """(key, indicator number or None) -> the row it is on, as a clerk finds it by eye."""
    header = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "key")
    return {(str(sheet.cell(row=r, column=1).value), sheet.cell(row=r, column=8).value): r
            for r in range(header + 1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value}


def drop_down(sheet: Worksheet) -> list[str]:
    """The labels the status column's list validation offers (what the clerk picks from)."""
    [validation] = [v for v in sheet.data_validations.dataValidation if "F" in str(v.sqref)]
    assert validation.type == "list"
    return str(validation.formula1).strip('"').split(",")


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def answer_count(engine: Engine) -> int:
    with engine.connect() as db:
        return int(db.execute(text("SELECT count(*) FROM review_answer")).scalar_one())


def store(engine: Engine, data: bytes, on: date = ANSWERED) -> int:
    form = read_review_form(data)
    with session_scope(engine) as session:
        return import_form(session, form=form, on=on, actor="clerk", now=OPENED, language="vi").stored


def test_the_form_asks_each_item_the_body_leads_with_a_status_drop_down(engine: Engine, configuration: Configuration) -> None:
    book = write_form(engine, configuration)
    sheet = book["Trả lời"]
    assert drop_down(sheet) == ["Hoàn thành", "Đúng tiến độ", "Chậm tiến độ", "Chưa triển khai", "Vướng mắc"]
    heading = " ".join(str(sheet.cell(row=r, column=1).value) for r in range(1, 5))
    assert "Đợt sơ kết giữa nhiệm kỳ số 1" in heading and "Cơ quan: UBND" in heading and "Hạn trả lời: 31/07/2023" in heading
    with session_scope(engine) as session:
        asked = [item.key for item, _ in questions(session, review=find_round(session, 1), body="UBND")]
    found = rows_of(sheet)
    assert [key for key, position in found if position is None] == asked
    water = found[(TARGET, 1)]
    assert (sheet.cell(row=water, column=9).value, sheet.cell(row=water, column=10).value) == ("= 70 (2025)", "%")  # numbered from 1 for a person
    assert sheet.freeze_panes == "B8" and sheet.protection.sheet
    assert book["dondoc"].sheet_state == "veryHidden"
    assert drop_down(write_form(engine, configuration, language="en")["Answers"])[0] == "Done"


def test_a_filled_form_is_stored_and_a_second_one_replaces_it(engine: Engine, configuration: Configuration) -> None:
    book = write_form(engine, configuration)
    sheet = book["Trả lời"]
    labels, found = drop_down(sheet), rows_of(sheet)
    first, *_ = [key for key, position in found if position is None and key != TARGET]
    sheet.cell(row=found[(first, None)], column=6, value=labels[0])
    sheet.cell(row=found[(first, None)], column=7, value="Đã xong trong quý II")
    sheet.cell(row=found[(TARGET, None)], column=6, value=labels[2])
    sheet.cell(row=found[(TARGET, 1)], column=11, value="62,5")
    sheet.cell(row=found[(TARGET, 2)], column=11, value=98)
    assert store(engine, saved(book)) == 2
    with session_scope(engine) as session:
        review = find_round(session, 1)
        ubnd = next(p for p in progress(session, review=review) if p.body == "UBND")
        stored = {item.key: a for item, a in questions(session, review=review, body="UBND") if a is not None}
    assert (ubnd.answered, ubnd.late) == (2, 0)
    assert (stored[first].status, stored[first].note, stored[first].channel) == ("done", "Đã xong trong quý II", "form")
    assert (stored[TARGET].status, stored[TARGET].values) == ("behind", {"0": 62.5, "1": 98.0})  # stored positions: the water one is 0
    sheet.cell(row=found[(TARGET, None)], column=6, value="on_track")  # a code is read too
    assert store(engine, saved(book), on=date(2023, 8, 2)) == 2
    with session_scope(engine) as session:
        ubnd = next(p for p in progress(session, review=find_round(session, 1)) if p.body == "UBND")
    assert (ubnd.answered, ubnd.late, answer_count(engine)) == (2, 2, 2)


def _other_body_key(engine: Engine) -> str:
    with session_scope(engine) as session:
        ubnd = {item.key for item, _ in questions(session, review=find_round(session, 1), body="UBND")}
        return next(item.key for item, _ in questions(session, review=find_round(session, 1)) if item.key not in ubnd)


def _refusal(case: str, engine: Engine, sheet: Worksheet, book: openpyxl.Workbook) -> str:
    """Spoil the filled form as ``case`` says; return what the refusal must say."""
    found = rows_of(sheet)
    row = found[(TARGET, None)]
    if case == "closed":
        with session_scope(engine) as session:
            close_round(session, review=find_round(session, 1), actor="BTV", on=DUE, now=OPENED)
        return "dondoc: đợt 1 đã đóng ngày 31/07/2023"
    if case == "other body's key":
        sheet.cell(row=row, column=1, value=(key := _other_body_key(engine)))
        return f"Trả lời, dòng {row}: mục {key} do"
    if case == "bad status":
        sheet.cell(row=row, column=6, value="Xong rồi")
        return f"Trả lời, dòng {row}: tình trạng «Xong rồi» không có trong danh sách"
    if case == "not a number":
        sheet.cell(row=found[(TARGET, 2)], column=11, value="abc")
        return f"Trả lời, dòng {found[(TARGET, 2)]}: giá trị «abc» không phải là số"
    book["dondoc"].cell(row=4, column=2, value="HDND")  # tampered body
    return "dondoc: phiếu đã bị sửa: đợt 1, cơ quan HDND"


@pytest.mark.parametrize("case", ["closed", "other body's key", "bad status", "not a number", "tampered body"])
def test_a_spoilt_form_is_refused_with_sheet_row_and_reason_and_stores_nothing(
    case: str, engine: Engine, configuration: Configuration
) -> None:
    book = write_form(engine, configuration)
    sheet = book["Trả lời"]
    found = rows_of(sheet)
    good = next(key for key, position in found if position is None and key != TARGET)
    sheet.cell(row=found[(good, None)], column=6, value="Hoàn thành")  # a good row: it must not be stored either
    sheet.cell(row=found[(TARGET, None)], column=6, value="Chậm tiến độ")
    sheet.cell(row=found[(TARGET, 1)], column=11, value="12.5")
    sheet.cell(row=found[(TARGET, 2)], column=11, value=50)
    expected = _refusal(case, engine, sheet, book)
    before = answer_count(engine)
    with pytest.raises(FormRefused) as refused:
        store(engine, saved(book))
    assert any(line.startswith(expected) for line in refused.value.lines), refused.value.lines
    assert answer_count(engine) == before == 0


def test_every_problem_of_a_form_is_listed_not_only_the_first(engine: Engine, configuration: Configuration) -> None:
    book = write_form(engine, configuration)
    sheet = book["Trả lời"]
    found = rows_of(sheet)
    sheet.cell(row=found[(TARGET, None)], column=6, value="??")
    sheet.cell(row=found[(TARGET, 1)], column=11, value="abc")
    sheet.cell(row=found[(TARGET, 2)], column=11, value="x")
    with pytest.raises(FormRefused) as refused:
        store(engine, saved(book))
    assert [line.split(":")[0] for line in refused.value.lines] == [
        f"Trả lời, dòng {found[(TARGET, None)]}", f"Trả lời, dòng {found[(TARGET, 1)]}", f"Trả lời, dòng {found[(TARGET, 2)]}"]


@pytest.mark.libreoffice
def test_the_form_opens_in_libreoffice_and_a_form_saved_by_it_imports(
    engine: Engine, configuration: Configuration, tmp_path: Path, database_url: str
) -> None:
    """LibreOffice prints the form (the PNG is kept beside the PDF for a person to look at), and a
    form LibreOffice saved again keeps its hidden part: a clerk may fill it there."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the spreadsheet program does not depend on the database")
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    book = write_form(engine, configuration)
    found = rows_of(book["Trả lời"])
    book["Trả lời"].cell(row=found[(TARGET, None)], column=6, value="Vướng mắc")
    (tmp_path / "form.xlsx").write_bytes(saved(book))
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    for target, folder in (("pdf", "pdf"), ("xlsx", "again")):
        subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir", str(tmp_path / folder),
                        str(tmp_path / "form.xlsx")], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "pdf" / "form.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "pdf" / "form")], check=True)
        assert list((tmp_path / "pdf").glob("form*.png"))
    assert store(engine, (tmp_path / "again" / "form.xlsx").read_bytes()) == 1


def test_the_commands_write_import_and_refuse_with_one_line_per_problem(tmp_path: Path) -> None:
    """``dondoc review form`` and ``dondoc review import`` as a clerk runs them (SQLite)."""
    from tests.acceptance.test_cli import ok, run

    ok(tmp_path, "ingest", "--sample")
    engine = open_database(f"sqlite:///{tmp_path / 'dondoc.db'}")
    with session_scope(engine) as session:
        open_round(session, document=find_document(session), kind="midterm", due=DUE, period_from=date(2021, 1, 4),
                   period_to=date(2023, 5, 31), actor="BTV", on=OPENED.date(), now=OPENED)
    engine.dispose()
    assert run(tmp_path, "review", "form", "1", "--body", "NOBODY", "-o", str(tmp_path / "x.xlsx")).returncode == 4
    ok(tmp_path, "review", "form", "1", "--body", "UBND", "-o", str(tmp_path / "ubnd.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "ubnd.xlsx")
    found = rows_of(book["Trả lời"])
    book["Trả lời"].cell(row=found[(TARGET, None)], column=6, value="Sai")
    book["Trả lời"].cell(row=found[(TARGET, 1)], column=11, value="abc")
    book.save(tmp_path / "bad.xlsx")
    refused = run(tmp_path, "review", "import", str(tmp_path / "bad.xlsx"), "--as-of", "10/07/2023")
    assert refused.returncode == 6 and "Traceback" not in refused.stderr
    assert [line.strip().split(":")[0] for line in refused.stderr.splitlines()[1:]] == [
        f"Trả lời, dòng {found[(TARGET, None)]}", f"Trả lời, dòng {found[(TARGET, 1)]}"]
    (tmp_path / "note.xlsx").write_text("not a spreadsheet")
    wrong = run(tmp_path, "review", "import", str(tmp_path / "note.xlsx"))
    assert (wrong.returncode, len(wrong.stderr.splitlines())) == (2, 1)
    book["Trả lời"].cell(row=found[(TARGET, None)], column=6, value="Vướng mắc")
    book["Trả lời"].cell(row=found[(TARGET, 1)], column=11, value="55")
    book.save(tmp_path / "good.xlsx")
    assert "đã lưu 1 trả lời của UBND" in ok(tmp_path, "review", "import", str(tmp_path / "good.xlsx"), "--as-of", "10/07/2023",
                                             "--by", "Văn thư UBND")
