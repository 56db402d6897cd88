"""A filled review form (``notifications/review_form.py`` writes it) read back into answer rows.

Pure: bytes in, rows and problems out, no database. What the rows mean (is the round open, does
the body lead the item, is indicator 3 one of the item's) is for
``workflows/orchestration/review_import.py`` to decide against what is stored.

The form's layout is read from its very hidden ``dondoc`` sheet (format, version, round, body,
header row, the column of each question, a check over round and body), so the reader does not
guess columns from headings a clerk may have retyped; only the ``key`` heading is checked, as
the sign that the sheet is the one written. A file that is no XLSX, or no form, raises
:class:`NotAForm` (exit 2); everything else wrong in a form is a :class:`FormProblem` naming the
sheet, the row and the reason, all of them, so that a clerk fixes the file in one go.

Hardened against what arrives by email: a size cap before anything is opened, a cap on what the
zip holds once unpacked (a zip bomb is refused unread), a cap on rows, cached values and not
formulas (``data_only``), and every openpyxl failure turned into one line.
"""

import hashlib
import math
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from config.folding import fold
from config.words import codes, label, show_number
from workflows.reading.numbers import parse_number

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_ROWS = 20_000
FORM_NAME = "dondoc-review-form"
META_SHEET = "dondoc"
QUESTIONS = ("key", "status", "note", "indicator", "value")

_STATUS_WORDS = {code: (label("answer_status", code), label("answer_status", code, "en")) for code in codes("answer_status")}
STATUSES = {fold(text): code for code, pair in _STATUS_WORDS.items() for text in (code, *pair)}
"""Every way a status may be written in a form: the code, the Vietnamese label, the English one."""


class NotAForm(ValueError):
    """The file is not a dondoc review form at all (not an XLSX, too large, no form's hidden sheet)."""


@dataclass(frozen=True)
class FormProblem:
    """One thing wrong in a filled form: where (sheet, row; no row for the whole file) and why."""

    sheet: str
    row: int | None
    reason: str

    def line(self, language: str = "vi") -> str:
        place = self.sheet if self.row is None else (
            f"{self.sheet}, row {self.row}" if language == "en" else f"{self.sheet}, dòng {self.row}")
        return f"{place}: {self.reason}"


@dataclass
class FilledRow:
    """One item's answer as filled: ``values`` maps an indicator's position (text) to a number;
    ``value_rows`` where each value was written, so a refusal names that row."""

    row: int
    key: str
    status: str | None
    note: str | None
    values: dict[str, float] = field(default_factory=dict)
    value_rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FilledForm:
    """A form read back: whose and which round it says it is, its answers and its problems."""

    round_id: int
    body: str
    sheet: str
    answers: tuple[FilledRow, ...]
    problems: tuple[FormProblem, ...]


def form_check(round_id: int, body: str) -> str:
    """The same check ``notifications/review_form.py`` writes (the two modules change together)."""
    return hashlib.sha256(f"{FORM_NAME}|{round_id}|{body}".encode()).hexdigest()[:16]


def read_review_form(data: bytes, *, language: str = "vi", max_rows: int = MAX_ROWS) -> FilledForm:
    """Read a filled form; :class:`NotAForm` when it is none, otherwise every problem listed."""
    _check_container(data, language)
    from openpyxl import load_workbook  # openpyxl is slow to import; a plain read does not need it

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a broken zip member, bad XML: openpyxl raises many kinds
        raise NotAForm(_say(language, f"không đọc được tệp XLSX ({type(error).__name__})",
                            f"the XLSX file cannot be read ({type(error).__name__})")) from None
    try:
        facts = _facts(book, language)
        return _read_sheet(book, facts, language, max_rows)
    except NotAForm:
        raise
    except Exception as error:  # a malformed sheet openpyxl only trips on while iterating
        raise NotAForm(_say(language, f"không đọc được tệp XLSX ({type(error).__name__})",
                            f"the XLSX file cannot be read ({type(error).__name__})")) from None
    finally:
        book.close()


def _say(language: str, vi: str, en: str) -> str:
    return en if language == "en" else vi


def _check_container(data: bytes, language: str) -> None:
    if len(data) > MAX_BYTES:
        raise NotAForm(_say(language, f"tệp quá lớn ({show_number(len(data))} byte; tối đa {show_number(MAX_BYTES)})",
                            f"the file is too large ({show_number(len(data), 'en')} bytes; "
                            f"at most {show_number(MAX_BYTES, 'en')})"))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise NotAForm(_say(language, "không phải tệp XLSX", "not an XLSX file")) from None
    if len(members) > 1000 or sum(member.file_size for member in members) > MAX_UNPACKED:
        raise NotAForm(_say(language, "tệp XLSX giải nén ra quá lớn, không đọc",
                            "the XLSX file unpacks too large; not read"))
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise NotAForm(_say(language, "không phải tệp XLSX", "not an XLSX file"))


def _facts(book: Any, language: str) -> dict[str, str]:
    """The hidden sheet's ``field | value`` pairs; refused when the file is not a form."""
    not_form = NotAForm(_say(language, "không phải phiếu trả lời sơ kết, tổng kết của dondoc",
                             "not a dondoc review form"))
    if META_SHEET not in book.sheetnames:
        raise not_form
    facts: dict[str, str] = {}
    for row in book[META_SHEET].iter_rows(max_row=100, max_col=2, values_only=True):
        if row and row[0] is not None:
            facts[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    if facts.get("format") != FORM_NAME:
        raise not_form
    if facts.get("version") != "1":
        raise NotAForm(_say(language, f"phiếu phiên bản {facts.get('version')} không đọc được",
                            f"form version {facts.get('version')} is not one this dondoc reads"))
    return facts


def _layout(facts: dict[str, str], language: str) -> tuple[int, dict[str, int]]:
    try:
        header = int(facts["header_row"])
        columns = {name: int(facts[f"col.{name}"]) for name in QUESTIONS}
    except (KeyError, ValueError):
        raise NotAForm(_say(language, "phần ẩn của phiếu bị hỏng", "the form's hidden part is damaged")) from None
    if not 1 <= header <= 100 or not all(1 <= column <= 50 for column in columns.values()):
        raise NotAForm(_say(language, "phần ẩn của phiếu bị hỏng", "the form's hidden part is damaged"))
    return header, columns


def _read_sheet(book: Any, facts: dict[str, str], language: str, max_rows: int) -> FilledForm:
    header, columns = _layout(facts, language)
    name = facts.get("sheet", "")
    if name not in book.sheetnames:
        raise NotAForm(_say(language, f"phiếu thiếu trang «{name}»", f"the form has no sheet {name!r}"))
    problems: list[FormProblem] = []
    round_id, body = _whose(facts, problems, language)
    sheet = book[name]
    width = max(columns.values())
    rows = sheet.iter_rows(min_row=header, max_col=width, values_only=True)
    heading = next(rows, None)
    if heading is None or len(heading) < columns["key"] or _text(heading[columns["key"] - 1]) != "key":
        raise NotAForm(_say(language, f"trang «{name}» không có cột tiêu đề key ở dòng {header}",
                            f"sheet {name!r} has no column headed key on row {header}"))
    reader = _Rows(name, columns, language, problems)
    for number, cells in enumerate(rows, start=header + 1):
        if number - header > max_rows:
            raise NotAForm(_say(language, f"phiếu có hơn {show_number(max_rows)} dòng",
                                f"the form has more than {show_number(max_rows, 'en')} rows"))
        reader.take(number, cells)
    return FilledForm(round_id=round_id, body=body, sheet=name, answers=tuple(reader.finish()), problems=tuple(problems))


def _whose(facts: dict[str, str], problems: list[FormProblem], language: str) -> tuple[int, str]:
    body = facts.get("body", "")
    try:
        round_id = int(facts.get("round", ""))
    except ValueError:
        problems.append(FormProblem(META_SHEET, None, _say(language, "số đợt trong phiếu bị sửa", "the form's round was edited")))
        return 0, body
    if facts.get("check") != form_check(round_id, body):
        problems.append(FormProblem(META_SHEET, None, _say(
            language, f"phiếu đã bị sửa: đợt {round_id}, cơ quan {body} không khớp với phiếu đã phát",
            f"the form was edited: round {round_id}, body {body} do not match the form sent")))
    return round_id, body


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


class _Rows:
    """Rows of the answer sheet, grouped by key: an item row (status, note) and its indicator rows."""

    def __init__(self, sheet: str, columns: dict[str, int], language: str, problems: list[FormProblem]) -> None:
        self.sheet, self.columns, self.language, self.problems = sheet, columns, language, problems
        self.items: dict[str, FilledRow] = {}
        self.loose: list[tuple[int, str, str, float]] = []  # row, key, position, value: indicator rows

    def cell(self, cells: tuple[Any, ...], name: str) -> Any:
        index = self.columns[name] - 1
        return cells[index] if index < len(cells) else None

    def problem(self, row: int, vi: str, en: str) -> None:
        self.problems.append(FormProblem(self.sheet, row, _say(self.language, vi, en)))

    def take(self, number: int, cells: tuple[Any, ...]) -> None:
        key = _text(self.cell(cells, "key"))
        if not key:
            if any(_text(self.cell(cells, name)) for name in ("status", "note", "value")):
                self.problem(number, "dòng có trả lời nhưng không có key", "the row has an answer but no key")
            return
        position = _text(self.cell(cells, "indicator"))
        if position:
            self.take_value(number, key, position, self.cell(cells, "value"))
            return
        if key in self.items:
            self.problem(number, f"key {key} có hai lần (dòng {self.items[key].row})",
                         f"key {key} appears twice (row {self.items[key].row})")
            return
        status = self.status(number, _text(self.cell(cells, "status")))
        note = _text(self.cell(cells, "note")) or None
        self.items[key] = FilledRow(row=number, key=key, status=status, note=note)

    def status(self, number: int, written: str) -> str | None:
        if not written:
            return None
        code = STATUSES.get(fold(written))
        if code is None:
            labels = ", ".join(pair[1 if self.language == "en" else 0] for pair in _STATUS_WORDS.values())
            self.problem(number, f"tình trạng «{written}» không có trong danh sách ({labels})",
                         f"status {written!r} is not in the list ({labels})")
            return ""
        return code

    def take_value(self, number: int, key: str, position: str, value: object) -> None:
        if not position.isdigit():
            self.problem(number, f"số chỉ số «{position}» bị sửa", f"the indicator number {position!r} was edited")
            return
        if value is None or (isinstance(value, str) and not value.strip()):
            return  # no value: fine
        reached = _number(value)
        if reached is None:
            shown = value.strftime("%d/%m/%Y") if isinstance(value, (date, datetime)) else _text(value)
            self.problem(number, f"giá trị «{shown}» không phải là số", f"value {shown!r} is not a number")
            return
        self.loose.append((number, key, str(int(position)), reached))

    def finish(self) -> list[FilledRow]:
        for number, key, position, reached in self.loose:
            item = self.items.get(key)
            if item is None:
                self.problem(number, f"chỉ số của key {key} không nằm dưới dòng của mục đó",
                             f"an indicator of key {key} without that item's row")
            elif position in item.values:
                self.problem(number, f"chỉ số {position} của {key} có hai lần", f"indicator {position} of {key} appears twice")
            else:
                item.values[position], item.value_rows[position] = reached, number
        answered = []
        for item in self.items.values():
            if item.status is None and (item.note or item.values):
                self.problem(item.row, f"{item.key}: chưa chọn tình trạng", f"{item.key}: no status chosen")
            elif item.status:
                answered.append(item)
        return answered


def _number(value: object) -> float | None:
    """A value reached as a finite number: a numeric cell, or text such as "12,5", "12.5", "1.200"."""
    if isinstance(value, (bool, date, datetime)):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        return parse_number(str(value).replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return None
