"""Reading a filled review form (pure, no database): what the reader accepts and how it refuses
a file that is not a form, without a traceback and without unpacking a zip bomb."""

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from notifications.review_form import STATUS_LABELS, FormIndicator, FormItem, review_form_xlsx
from workflows.reading.review_form import NotAForm, read_review_form

ITEMS = [FormItem("A.1", "task", "I", "Việc một", date(2025, 12, 31)),
         FormItem("B.2", "target", "II", "Chỉ tiêu hai", None, (FormIndicator(0, "Tỷ lệ", "%", 70, "equal", year=2025),)),
         FormItem("C.3", "task", "III", "Việc ba")]


def form(language: str = "vi") -> openpyxl.Workbook:
    data = review_form_xlsx(round_id=3, kind="midterm", period_from=date(2021, 1, 1), period_to=date(2023, 5, 31),
                            due=date(2023, 7, 31), body_code="UBND", body_name="Ủy ban nhân dân tỉnh", items=ITEMS,
                            language=language)
    return openpyxl.load_workbook(io.BytesIO(data))


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("code", list(STATUS_LABELS))
def test_every_status_is_read_from_either_language_or_its_code(code: str) -> None:
    for written in (*STATUS_LABELS[code], code, STATUS_LABELS[code][0].upper()):
        book = form()
        book["Trả lời"]["F8"] = written
        [answer] = read_review_form(saved(book)).answers
        assert (answer.key, answer.status) == ("A.1", code)


def test_blank_rows_are_skipped_and_values_read_with_comma_or_point() -> None:
    book = form()
    sheet = book["Trả lời"]
    sheet["F9"], sheet["K10"] = "Chậm tiến độ", "12,5"
    filled = read_review_form(saved(book))
    assert (filled.round_id, filled.body, filled.problems) == (3, "UBND", ())
    assert [(a.key, a.values) for a in filled.answers] == [("B.2", {"1": 12.5})]
    sheet["K10"] = "12.5"
    assert read_review_form(saved(book)).answers[0].values == {"1": 12.5}


def test_a_formula_is_read_as_its_value_never_run() -> None:
    book = form()
    sheet = book["Trả lời"]
    sheet["F9"], sheet["K10"] = "behind", "=WEBSERVICE(\"http://example.invalid\")"
    [answer] = read_review_form(saved(book)).answers
    assert answer.values == {}  # no cached value: read as no value, the formula itself is never evaluated


@pytest.mark.parametrize("data", [b"hello, not a spreadsheet", b"PK\x03\x04 broken", b""])
def test_bytes_that_are_no_xlsx_are_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(NotAForm, match="không phải tệp XLSX"):
        read_review_form(data)


def test_an_xlsx_that_is_no_form_is_refused() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "key"  # type: ignore[index]
    with pytest.raises(NotAForm, match="không phải phiếu trả lời"):
        read_review_form(saved(book))


def test_a_zip_bomb_is_refused_unread() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (150 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(NotAForm, match="quá lớn"):
        read_review_form(out.getvalue(), language="vi")


def test_too_many_rows_are_refused() -> None:
    book = form()
    sheet = book["Trả lời"]
    for row in range(11, 40):
        sheet.cell(row=row, column=1, value="X")
    with pytest.raises(NotAForm, match="more than 20 rows"):
        read_review_form(saved(book), language="en", max_rows=20)


def test_an_english_form_reads_back_the_same() -> None:
    book = form("en")
    book["Answers"]["F8"] = "Not started"
    [answer] = read_review_form(saved(book), language="en").answers
    assert answer.status == "not_started"
