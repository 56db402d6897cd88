"""The hand-written XLSX (notifications/xlsx_writer.py) as a spreadsheet reads it: openpyxl opens
it, values keep their kind (text stays text, even text that starts with "="; dates are dates
shown dd/mm/yyyy), and text a spreadsheet would refuse (control characters) or a number it has
no place for (NaN) does not spoil the file.
"""

import io
from datetime import date, datetime

import openpyxl

from notifications.review_form import FormIndicator, FormItem, review_form_xlsx
from notifications.xlsx_writer import Book, Font, Format, Sheet, cell, row


def test_a_target_written_with_an_equals_sign_is_text_not_a_formula() -> None:
    """"= 70 (2025)" was written by openpyxl as a formula: a spreadsheet showed an error in its place."""
    data = review_form_xlsx(round_id=1, kind="midterm", period_from=date(2021, 1, 4), period_to=date(2023, 5, 31),
                            due=date(2023, 7, 31), body_code="UBND", body_name="Ủy ban", items=[
                                FormItem("B.II.3.2", "target", "Mục", "Nước sạch", None,
                                         (FormIndicator(0, "Tỷ lệ", "%", 70.0, "equal", None, 2025),))])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Trả lời"]
    target = sheet.cell(row=9, column=9)
    assert (target.value, target.data_type) == ("= 70 (2025)", "s")


def test_values_keep_their_kind_and_bad_text_or_numbers_do_not_spoil_the_file() -> None:
    book = Book()
    bold, dated = book.styles.index(Format(font=Font(bold=True))), book.styles.index(Format(number_format="dd/mm/yyyy"))
    rows = [row(1, [cell("A1", "tên", bold), cell("B1", "ngày", bold)]),
            row(2, [cell("A2", "a\x01b <c> & d"), cell("B2", date(2023, 7, 31), dated), cell("C2", float("nan")),
                    cell("D2", 2.5), cell("E2", 7), cell("F2", True)])]
    book.sheets.append(Sheet("Trang", rows, widths=(12, 12), freeze="A2", autofilter="A1:B2"))
    sheet = openpyxl.load_workbook(io.BytesIO(book.save()))["Trang"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B2" and sheet["A1"].font.bold
    assert [c.value for c in sheet[2]][:2] == ["ab <c> & d", datetime(2023, 7, 31)]
    assert sheet["B2"].number_format == "dd/mm/yyyy"
    assert (sheet["C2"].value, sheet["D2"].value, sheet["E2"].value, sheet["F2"].value) == (None, 2.5, 7, True)
