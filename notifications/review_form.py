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
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from xml.sax.saxutils import quoteattr

from config.words import codes, comparator_sign, label, show_date, show_number, word
from notifications.xlsx_writer import Book, Font, Format, Sheet, Styles, cell, column_letter, row
from notifications.xlsx_writer import text as xml_text

FORM_NAME = "dondoc-review-form"
FORM_VERSION = "1"
META_SHEET = "dondoc"
HEADER_ROW = 7
COLUMNS = ("key", "kind", "section", "text", "due", "status", "note", "indicator", "target", "unit", "value")
"""The columns in order; the reader finds them through the ``col.<name>`` lines of the hidden sheet."""

STATUS_LABELS: dict[str, tuple[str, str]] = {
    code: (label("answer_status", code), label("answer_status", code, "en")) for code in codes("answer_status")
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
_KIND_TITLES = {kind: (word("round_kind", kind), word("round_kind", kind, "en")) for kind in codes("round_kind")}

_INPUT, _HEAD, _BOX = "FFF7D6", "DDE6F0", "A0A0A0"
_LETTERS = tuple(column_letter(n) for n in range(1, len(COLUMNS) + 1))
_FILL_IN = {"status", "note", "value"}


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
    """The form for one body in one round, as the bytes of an XLSX file (written by
    :mod:`notifications.xlsx_writer`: a round writes one per body, a thousand at a time)."""
    en = language == "en"
    styles, s = _formats()
    rows: list[str] = _heading(s, round_id=round_id, kind=kind, period_from=period_from, period_to=period_to, due=due,
                               body=f"{body_code} — {body_name}", en=en)
    last = _rows(rows, s, items, en)
    title = sheet_title(language)
    answers = Sheet(title, rows, widths=[_WIDTHS[name] for name in COLUMNS], freeze=f"B{HEADER_ROW + 1}",
                    merges=[f"A5:{_LETTERS[-1]}5"], validations=[_status_list(last, en)],
                    protection=_protected(allow_format=True),
                    page={"orientation": "landscape", "paperSize": "9", "fitToHeight": "0", "fitToWidth": "1"})
    facts = _facts(round_id=round_id, body=body_code, kind=kind, due=due, language=language)
    meta = Sheet(META_SHEET, [row(n, (cell(f"A{n}", field), cell(f"B{n}", value)))
                              for n, (field, value) in enumerate(facts.items(), start=1)],
                 protection=_protected(allow_format=False), state="veryHidden")
    book = Book(styles=styles, sheets=[answers, meta],
                names=[("_xlnm.Print_Titles", 0, f"'{title}'!${HEADER_ROW}:${HEADER_ROW}")],
                properties={f"dondoc.{field}": facts[field] for field in ("format", "round", "body", "kind", "due")})
    return book.save()


@lru_cache(maxsize=1)
def _formats() -> tuple[Styles, dict[str, int]]:
    """The form's cell formats, registered once: every form of a round shares them."""
    styles = Styles()
    plain = Format(border=_BOX, wrap=True, vertical="top")
    named = {
        "title": Format(font=Font(bold=True, size=14)), "bold": Format(font=Font(bold=True)),
        "due": Format(font=Font(bold=True, color="C00000")), "how": Format(font=Font(italic=True), wrap=True, vertical="top"),
        "head": Format(font=Font(bold=True), fill=_HEAD, border=_BOX, wrap=True, vertical="center", horizontal="center"),
        "plain": plain, "date": replace(plain, number_format="dd/mm/yyyy"),
        "quiet": replace(plain, font=Font(color="808080")),
        "input": replace(plain, font=Font(color="000000"), fill=_INPUT, locked=False),
    }
    return styles, {name: styles.index(fmt) for name, fmt in named.items()}


def _heading(s: dict[str, int], *, round_id: int, kind: str, period_from: date, period_to: date, due: date,
             body: str, en: bool) -> list[str]:
    """Rows 1-5 (what the form is, whose, by when, how to fill it) and the header row."""
    title = _KIND_TITLES.get(kind, (kind, kind))[1 if en else 0]
    lines = (
        ("REVIEW ANSWER FORM" if en else "PHIẾU TRẢ LỜI SƠ KẾT, TỔNG KẾT", "title"),
        (f"Round no. {round_id}: {title}, period {show_date(period_from)} to {show_date(period_to)}" if en else
         f"Đợt {title} số {round_id}, kỳ từ {show_date(period_from)} đến {show_date(period_to)}", "bold"),
        (f"Body: {body}" if en else f"Cơ quan: {body}", "bold"),
        (f"Answer by: {show_date(due)}" if en else f"Hạn trả lời: {show_date(due)}", "due"),
        ("For each item choose a status from the list and write a short account; for a target write the value "
         "reached of each indicator, as a number in its unit (12,5 or 12.5). Do not change the key column."
         if en else
         "Với mỗi nhiệm vụ: chọn tình trạng trong danh sách và ghi tóm tắt kết quả; với chỉ tiêu: ghi giá trị "
         "đạt được của từng chỉ số, là một số theo đơn vị (12,5 hoặc 12.5). Không sửa cột key.", "how"),
    )
    rows = [row(n, [cell(f"A{n}", line, s[style])], height=2 * _LINE_HEIGHT if n == len(lines) else None)
            for n, (line, style) in enumerate(lines, start=1)]
    rows.append(row(HEADER_ROW, (cell(f"{letter}{HEADER_ROW}", _HEADINGS[name][1 if en else 0], s["head"])
                                 for letter, name in zip(_LETTERS, COLUMNS, strict=True)), height=2 * _LINE_HEIGHT))
    return rows


def _rows(out: list[str], s: dict[str, int], items: Sequence[FormItem], en: bool) -> int:
    """Append the items and their indicators under the header; return the last row written."""
    number = HEADER_ROW
    for item in items:
        number += 1
        values: dict[str, object] = {"key": item.key, "kind": word("item_kind", item.kind, "en" if en else "vi"),
                                     "section": item.section, "text": item.text, "due": item.due}
        out.append(_put(number, values, item=True))
        for position, indicator in enumerate(item.indicators, start=1):
            number += 1
            out.append(_put(number, {"key": item.key, "indicator": position,
                                        "text": f"{_label(en)} {position}: {indicator.name}",
                                        "target": _target(indicator, en), "unit": indicator.unit}, item=False))
    return number


def _label(en: bool) -> str:
    return "Indicator" if en else "Chỉ số"


def _put(number: int, values: dict[str, object], *, item: bool) -> str:
    """One row: an item's (status and account to fill) or an indicator's (the value to fill; the
    item's own columns greyed)."""
    lines = max(_lines(value, _WIDTHS[name]) for name, value in values.items())
    styles = _column_styles(item, values.get("due") is not None)
    return row(number, [cell(f"{letter}{number}", values.get(name), style)
                        for letter, name, style in zip(_LETTERS, COLUMNS, styles, strict=True)],
               height=lines * _LINE_HEIGHT)


@lru_cache(maxsize=4)
def _column_styles(item: bool, dated: bool) -> tuple[int, ...]:
    """Each column's format on an item's row or an indicator's: the cells to fill coloured and
    unlocked, a due date shown dd/mm/yyyy, an indicator row's repeated columns grey."""
    s = _formats()[1]
    styles = []
    for name in COLUMNS:
        if name in _FILL_IN and (item != (name == "value")):
            styles.append(s["input"])
        elif name == "due" and dated:
            styles.append(s["date"])
        elif item or name in ("text", "target", "unit"):
            styles.append(s["plain"])
        else:
            styles.append(s["quiet"])
    return tuple(styles)


def _lines(value: object, width: int) -> int:
    """How many lines ``value`` wraps to in a column ``width`` characters wide (roughly, as a
    spreadsheet would: words are not split, so a little slack)."""
    if not isinstance(value, str) or not value:
        return 1
    return max(1, -(-len(value) * 11 // (width * 10 - 10)))


def _number(value: float, en: bool) -> str:
    return show_number(value, "en" if en else "vi")


def _target(indicator: FormIndicator, en: bool) -> str:
    value = _number(indicator.target, en)
    if indicator.comparator == "between" and indicator.target_max is not None:
        shown = f"{value} – {_number(indicator.target_max, en)}"
    elif indicator.comparator == "times_baseline":
        shown = f"× {value} {'the baseline' if en else 'so với gốc'}"
    else:
        shown = f"{comparator_sign(indicator.comparator)} {value}".strip()
    return f"{shown} ({indicator.year})" if indicator.year else shown


def _status_list(last: int, en: bool) -> str:
    """The status column's drop-down: a list validation, the labels in the form's language."""
    labels = [pair[1 if en else 0] for pair in STATUS_LABELS.values()]
    column = _LETTERS[COLUMNS.index("status")]
    attributes = {
        "type": "list", "allowBlank": "1", "showInputMessage": "1", "showErrorMessage": "1",
        "errorTitle": "Status" if en else "Tình trạng",
        "error": ("Choose one of: " if en else "Chọn một trong: ") + ", ".join(labels),
        "promptTitle": "Status" if en else "Tình trạng", "prompt": "Choose from the list" if en else "Chọn trong danh sách",
        "sqref": f"{column}{HEADER_ROW + 1}:{column}{max(last, HEADER_ROW + 1)}",
    }
    said = "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items())
    return f"<dataValidation{said}><formula1>{xml_text(chr(34) + ','.join(labels) + chr(34))}</formula1></dataValidation>"


def _protected(*, allow_format: bool) -> dict[str, str]:
    """Sheet protection without a password; ``allow_format``: a clerk may widen a column, size a row."""
    allowed = "0" if allow_format else "1"  # "0" means not protected, i.e. allowed
    return {"sheet": "1", "objects": "0", "scenarios": "0", "selectLockedCells": "0", "selectUnlockedCells": "0",
            "formatCells": allowed, "formatColumns": allowed, "formatRows": allowed, "insertColumns": "1",
            "insertRows": "1", "insertHyperlinks": "1", "deleteColumns": "1", "deleteRows": "1", "sort": "1",
            "autoFilter": "1", "pivotTables": "1"}


def _facts(*, round_id: int, body: str, kind: str, due: date, language: str) -> dict[str, str]:
    """The hidden sheet's ``field | value`` pairs (``workflows/reading/review_form.py`` reads them)."""
    facts = {"format": FORM_NAME, "version": FORM_VERSION, "round": str(round_id), "body": body, "kind": kind,
             "due": due.isoformat(), "language": language, "sheet": sheet_title(language),
             "header_row": str(HEADER_ROW), "check": form_check(round_id, body)}
    facts.update({f"col.{name}": str(index) for index, name in enumerate(COLUMNS, start=1)})
    return facts
