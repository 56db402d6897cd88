"""The review round's XLSX form: what a body fills in and sends back (``dondoc review import``).

One visible sheet ("Trả lời" / "Answers") a clerk reads at a glance: heading lines (the round,
the body, the deadline), then one row per item (its ``key``, kind, section, text, due date, a
status chosen from a drop-down list and a short account) and, under each target, one row per
indicator with the target and the unit beside the cell for the value reached. Only the cells to
fill are unlocked; the sheet is protected without a password, so the keys are not changed by a
slip of the hand (a determined hand is refused by the reader, which checks every key against
the database).

The machine's part is a very hidden sheet ``dondoc`` (one ``field | value`` pair per row): the
format's name and version, the round, the body, the header row and the column of each question,
and a check over round and body, so that a form edited to pass for another body or round is
refused. The same facts are in the workbook's custom properties for a person who looks.
``workflows/reading/review_form.py`` reads this layout back; the two change together.

Plain data in (:class:`FormItem`, :class:`FormIndicator`) because notifications cannot import
workflows: ``workflows/orchestration`` builds the rows from the database and calls
:func:`review_form_xlsx`, which returns the file's bytes (for an attachment or ``-o FILE``).
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from config.words import show_date, word

FORM_NAME = "dondoc-review-form"
FORM_VERSION = "1"
META_SHEET = "dondoc"
HEADER_ROW = 7
COLUMNS = ("key", "kind", "section", "text", "due", "status", "note", "indicator", "target", "unit", "value")
"""The columns in order; the reader finds them through the ``col.<name>`` lines of the hidden sheet."""

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "done": ("Hoàn thành", "Done"),
    "on_track": ("Đúng tiến độ", "On track"),
    "behind": ("Chậm tiến độ", "Behind"),
    "not_started": ("Chưa triển khai", "Not started"),
    "blocked": ("Vướng mắc", "Blocked"),
}
"""Each answer status with its Vietnamese and English label: the drop-down shows the form's language."""

_HEADINGS: dict[str, tuple[str, str]] = {
    "key": ("key", "key"), "kind": ("Loại", "Kind"), "section": ("Mục", "Section"),
    "text": ("Nội dung", "What is asked"), "due": ("Hạn", "Due"),
    "status": ("Tình trạng (chọn)", "Status (choose)"), "note": ("Tóm tắt kết quả", "Short account"),
    "indicator": ("Chỉ số", "Indicator"), "target": ("Mục tiêu", "Target"), "unit": ("Đơn vị", "Unit"),
    "value": ("Giá trị đạt được", "Value reached"),
}
_WIDTHS = {"key": 10, "kind": 10, "section": 20, "text": 52, "due": 11, "status": 17, "note": 34,
           "indicator": 7, "target": 14, "unit": 12, "value": 13}
_LINE_HEIGHT = 15.0  # points per wrapped line at the default 11 pt: openpyxl does not size rows, so we do
_KIND_TITLES = {"midterm": ("sơ kết giữa nhiệm kỳ", "mid-term review"),
                "yearly": ("tổng kết năm", "yearly review"), "final": ("tổng kết nhiệm kỳ", "final review")}
_SYMBOLS = {"equal": "=", "at_least": "≥", "more_than": ">", "below": "<", "at_most": "≤"}

_INPUT = PatternFill("solid", fgColor="FFF7D6")
_HEAD = PatternFill("solid", fgColor="DDE6F0")
_QUIET = Font(color="808080")
_THIN = Side(style="thin", color="A0A0A0")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class FormIndicator:
    """One indicator of a target: the form asks for the value reached, in ``unit``. The form
    numbers a target's indicators 1, 2, ... in the order given (the ``indicator`` column); the
    importer maps that number back to the stored ``position``."""

    position: int
    name: str
    unit: str
    target: float
    comparator: str  # equal | at_least | more_than | below | at_most | between | times_baseline
    target_max: float | None = None
    year: int | None = None


@dataclass(frozen=True)
class FormItem:
    """One item the round asks the body about (``indicators`` only for a target)."""

    key: str
    kind: str
    section: str
    text: str
    due: date | None = None
    indicators: tuple[FormIndicator, ...] = ()


def form_check(round_id: int, body: str) -> str:
    """The check the hidden sheet carries over round and body: a form whose round or body was
    edited without it is refused (not a secret, a guard against an honest mistake)."""
    return hashlib.sha256(f"{FORM_NAME}|{round_id}|{body}".encode()).hexdigest()[:16]


def sheet_title(language: str) -> str:
    return "Answers" if language == "en" else "Trả lời"


def review_form_xlsx(
    *, round_id: int, kind: str, period_from: date, period_to: date, due: date, body_code: str,
    body_name: str, items: Sequence[FormItem], language: str = "vi",
) -> bytes:
    """The form for one body in one round, as the bytes of an XLSX file."""
    en = language == "en"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(language)
    _heading(sheet, round_id=round_id, kind=kind, period_from=period_from, period_to=period_to, due=due,
             body=f"{body_code} — {body_name}", en=en)
    last = _rows(sheet, items, en)
    _status_list(sheet, last, en)
    _layout(sheet, last)
    _machine_part(book, round_id=round_id, body=body_code, kind=kind, due=due, language=language)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _heading(sheet: Worksheet, *, round_id: int, kind: str, period_from: date, period_to: date, due: date,
             body: str, en: bool) -> None:
    title = _KIND_TITLES.get(kind, (kind, kind))[1 if en else 0]
    lines = (
        ("REVIEW ANSWER FORM" if en else "PHIẾU TRẢ LỜI SƠ KẾT, TỔNG KẾT", Font(bold=True, size=14)),
        (f"Round no. {round_id}: {title}, period {show_date(period_from)} to {show_date(period_to)}" if en else
         f"Đợt {title} số {round_id}, kỳ từ {show_date(period_from)} đến {show_date(period_to)}", Font(bold=True)),
        (f"Body: {body}" if en else f"Cơ quan: {body}", Font(bold=True)),
        (f"Answer by: {show_date(due)}" if en else f"Hạn trả lời: {show_date(due)}", Font(bold=True, color="C00000")),
        ("For each item choose a status from the list and write a short account; for a target write the value "
         "reached of each indicator, as a number in its unit (12,5 or 12.5). Do not change the key column."
         if en else
         "Với mỗi nhiệm vụ: chọn tình trạng trong danh sách và ghi tóm tắt kết quả; với chỉ tiêu: ghi giá trị "
         "đạt được của từng chỉ số, là một số theo đơn vị (12,5 hoặc 12.5). Không sửa cột key.", Font(italic=True)),
    )
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
    sheet.merge_cells(start_row=len(lines), start_column=1, end_row=len(lines), end_column=len(COLUMNS))
    sheet.cell(row=len(lines), column=1).alignment = _WRAP
    sheet.row_dimensions[len(lines)].height = 2 * _LINE_HEIGHT
    sheet.row_dimensions[HEADER_ROW].height = 2 * _LINE_HEIGHT
    for index, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=_HEADINGS[name][1 if en else 0])
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD, _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _rows(sheet: Worksheet, items: Sequence[FormItem], en: bool) -> int:
    """Write the items and their indicators under the header; return the last row written."""
    row = HEADER_ROW
    for item in items:
        row += 1
        _put(sheet, row, {"key": item.key, "kind": word("item_kind", item.kind, "en" if en else "vi"),
                          "section": item.section, "text": item.text, "due": item.due})
        _fill_in(sheet, row, ("status", "note"))
        for number, indicator in enumerate(item.indicators, start=1):
            row += 1
            _put(sheet, row, {"key": item.key, "indicator": number,
                              "text": f"{_label(en)} {number}: {indicator.name}",
                              "target": _target(indicator, en), "unit": indicator.unit}, quiet=("key",))
            _fill_in(sheet, row, ("value",))
    return row


def _label(en: bool) -> str:
    return "Indicator" if en else "Chỉ số"


def _put(sheet: Worksheet, row: int, values: dict[str, object], quiet: tuple[str, ...] = ()) -> None:
    lines = max(_lines(values.get(name), _WIDTHS[name]) for name in COLUMNS)
    sheet.row_dimensions[row].height = lines * _LINE_HEIGHT
    for index, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=row, column=index, value=values.get(name))  # type: ignore[call-overload]
        cell.border, cell.alignment = _BOX, _WRAP
        if name == "due" and values.get(name) is not None:
            cell.number_format = "dd/mm/yyyy"
        if name in quiet or (name != "text" and "indicator" in values and name not in ("target", "unit")):
            cell.font = _QUIET


def _lines(value: object, width: int) -> int:
    """How many lines ``value`` wraps to in a column ``width`` characters wide (roughly, as a
    spreadsheet would: words are not split, so a little slack)."""
    if not isinstance(value, str) or not value:
        return 1
    return max(1, -(-len(value) * 11 // (width * 10 - 10)))


def _fill_in(sheet: Worksheet, row: int, names: tuple[str, ...]) -> None:
    """Mark the cells a clerk fills: coloured and unlocked (the rest of the sheet is protected)."""
    for name in names:
        cell = sheet.cell(row=row, column=COLUMNS.index(name) + 1)
        cell.fill, cell.protection = _INPUT, Protection(locked=False)
        cell.font = Font(color="000000")


def _number(value: float, en: bool) -> str:
    text = f"{value:g}"
    return text if en else text.replace(".", ",")


def _target(indicator: FormIndicator, en: bool) -> str:
    value = _number(indicator.target, en)
    if indicator.comparator == "between" and indicator.target_max is not None:
        shown = f"{value} – {_number(indicator.target_max, en)}"
    elif indicator.comparator == "times_baseline":
        shown = f"× {value} {'the baseline' if en else 'so với gốc'}"
    else:
        shown = f"{_SYMBOLS.get(indicator.comparator, '')} {value}".strip()
    return f"{shown} ({indicator.year})" if indicator.year else shown


def _status_list(sheet: Worksheet, last: int, en: bool) -> None:
    labels = [pair[1 if en else 0] for pair in STATUS_LABELS.values()]
    validation = DataValidation(
        type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True, showDropDown=False,
        showErrorMessage=True, showInputMessage=True,
        errorTitle="Status" if en else "Tình trạng",
        error=("Choose one of: " if en else "Chọn một trong: ") + ", ".join(labels),
        promptTitle="Status" if en else "Tình trạng",
        prompt=("Choose from the list" if en else "Chọn trong danh sách"),
    )
    column = get_column_letter(COLUMNS.index("status") + 1)
    validation.add(f"{column}{HEADER_ROW + 1}:{column}{max(last, HEADER_ROW + 1)}")
    sheet.add_data_validation(validation)


def _layout(sheet: Worksheet, last: int) -> None:
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[name]
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # False means allowed: a clerk may widen a column
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _machine_part(book: Workbook, *, round_id: int, body: str, kind: str, due: date, language: str) -> None:
    facts = {"format": FORM_NAME, "version": FORM_VERSION, "round": str(round_id), "body": body, "kind": kind,
             "due": due.isoformat(), "language": language, "sheet": sheet_title(language),
             "header_row": str(HEADER_ROW), "check": form_check(round_id, body)}
    facts.update({f"col.{name}": str(index) for index, name in enumerate(COLUMNS, start=1)})
    meta = book.create_sheet(META_SHEET)
    for row, (field, value) in enumerate(facts.items(), start=1):
        meta.cell(row=row, column=1, value=field)
        meta.cell(row=row, column=2, value=value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    for field in ("format", "round", "body", "kind", "due"):
        properties = book.custom_doc_props  # type: ignore[attr-defined]  # openpyxl 3.1; the stubs lag
        properties.append(StringProperty(name=f"dondoc.{field}", value=facts[field]))
