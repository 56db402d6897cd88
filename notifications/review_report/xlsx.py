"""The review report as an XLSX workbook: one sheet per part (summary, targets, tasks, bodies),
every row, for the Office to filter, sort and count again.

Each sheet's header row is bold, frozen and carries an auto-filter; numbers are numbers and dates
real dates shown dd/mm/yyyy, so that a filter and a sum work. Written by
:mod:`notifications.xlsx_writer`, rows streamed to the file as text: the tasks sheet of a
100,000-item round is 100,000 rows, some 1.2 million cells, which openpyxl (even write-only)
took half a minute to write.

Codes (a task's kind, the answer's channel, the comparator) are shown as the vocabulary's words
(``config.words``) in the sheet's language, as every other column is: the sheets are for people.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from config.words import label
from notifications.review_report.docx_words import reason_word, say, status_word, verdict_word
from notifications.review_report.model import STATUSES, ReviewReport
from notifications.xlsx_writer import Book, Font, Format, Sheet, cell, column_letter, row

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
SHEETS = {"vi": ("Tổng hợp", "Chỉ tiêu", "Nhiệm vụ", "Cơ quan"), "en": ("Summary", "Targets", "Tasks", "Bodies")}
HEADERS = {
    "summary": (("Nội dung", "Số", "Tỷ lệ"), ("What", "Number", "Share")),
    "targets": (("Số hiệu", "Vị trí", "Chỉ số", "Đơn vị", "So sánh", "Mức cơ sở", "Mức cơ sở (văn bản)", "Chỉ tiêu",
                 "Chỉ tiêu tối đa", "Năm", "Cơ quan", "Đạt được", "Theo lộ trình", "Tỷ lệ lộ trình", "Đánh giá"),
                ("Key", "Position", "Indicator", "Unit", "Comparator", "Baseline", "Baseline (document)", "Target",
                 "Target max", "Year", "Body", "Reached", "On the path", "Share of the path", "Verdict")),
    "tasks": (("Số hiệu", "Loại", "Mục", "Nội dung", "Cơ quan", "Thời hạn", "Tình trạng", "Ý kiến của cơ quan",
               "Ngày trả lời", "Kênh", "Muộn", "Cần quan tâm"),
              ("Key", "Kind", "Section", "Item", "Body", "Due", "Status", "The body's words", "Answered on",
               "Channel", "Late", "For attention")),
    "bodies": (("Mã", "Cơ quan", "Được hỏi", "Đã báo cáo", "Muộn", "Chưa báo cáo"),
               ("Code", "Body", "Asked", "Answered", "Late", "Missing")),
}
WIDTHS = {"summary": (48, 12, 10), "targets": (12, 8, 50, 14, 14, 12, 18, 10, 10, 8, 12, 12, 12, 12, 16),
          "tasks": (12, 10, 12, 70, 12, 12, 16, 50, 12, 10, 8, 14), "bodies": (12, 40, 10, 10, 10, 12)}


def _pick(pair: tuple[Sequence[str], Sequence[str]], language: str) -> Sequence[str]:
    return pair[1] if language == "en" else pair[0]


class Share(float):
    """A share (0.25) written as a number shown as a percentage (25,0%)."""


def _sheet(book: Book, title: str, part: str, language: str, rows: Iterable[Sequence[Any]], count: int) -> None:
    """A sheet with its bold, frozen, filtered header row, then ``rows`` (``count`` of them)."""
    headers = _pick(HEADERS[part], language)
    letters = [column_letter(n) for n in range(1, len(headers) + 1)]
    bold = book.styles.index(Format(font=Font(bold=True), wrap=True, vertical="top"))
    dated = book.styles.index(Format(number_format=DATE_FORMAT))
    shared = book.styles.index(Format(number_format=PERCENT_FORMAT))

    def lines() -> Iterable[str]:
        yield row(1, (cell(f"{letter}1", value, bold) for letter, value in zip(letters, headers, strict=True)))
        for number, values in enumerate(rows, start=2):
            yield row(number, (cell(f"{letter}{number}", value,
                                    shared if isinstance(value, Share) else dated if isinstance(value, date) else 0)
                               for letter, value in zip(letters, values, strict=True)))

    book.sheets.append(Sheet(title, lines(), widths=WIDTHS[part], freeze="A2",
                             autofilter=f"A1:{letters[-1]}{count + 1}"))


def _summary_rows(report: ReviewReport, language: str) -> list[tuple[Any, ...]]:
    r, s = report.round, report.summary
    en = language == "en"
    asked = s.items_asked or 1
    rows: list[tuple[Any, ...]] = [
        ("Round" if en else "Đợt", r.id, None),
        ("Kind" if en else "Loại", say(f"what_{r.kind}", language, year=r.period_to.year), None),
        ("Period from" if en else "Kỳ báo cáo từ ngày", r.period_from, None),
        ("Period to" if en else "Kỳ báo cáo đến ngày", r.period_to, None),
        ("Due" if en else "Hạn trả lời", r.due, None),
        ("Figures as of" if en else "Số liệu đến ngày", r.as_of, None),
        ("Draft (round open)" if en else "Dự thảo (đợt chưa đóng)", ("yes" if en else "có") if r.draft else
         ("no" if en else "không"), None),
        ("Bodies asked" if en else "Số cơ quan được hỏi", s.bodies_asked, None),
        ("Items asked" if en else "Số nội dung được hỏi", s.items_asked, Share(1.0 if s.items_asked else 0.0)),
        ("Items answered" if en else "Số nội dung đã báo cáo", s.items_answered, Share(s.items_answered / asked)),
        ("answered on time" if en else "trong đó đúng hạn", s.answered_on_time, Share(s.answered_on_time / asked)),
        ("answered late" if en else "trong đó muộn", s.answered_late, Share(s.answered_late / asked)),
        ("Items not answered" if en else "Số nội dung chưa báo cáo", s.items_missing, Share(s.items_missing / asked)),
        ("Bodies that answered in full" if en else "Cơ quan báo cáo đầy đủ", s.bodies_complete, None),
        ("Bodies that answered in part" if en else "Cơ quan báo cáo chưa đầy đủ", s.bodies_partial, None),
        ("Bodies that did not answer" if en else "Cơ quan chưa báo cáo", len(s.bodies_silent), None),
    ]
    total = report.by_status.total or 1
    rows += [(status_word(status, language), report.by_status.of(status), Share(report.by_status.of(status) / total))
             for status in STATUSES]
    rows += [(say("verdict", language) + ": " + verdict_word(v, language), n, None)
             for v, n in report.verdict_counts().items()]
    return rows


def render_xlsx(report: ReviewReport, language: str) -> bytes:
    """The workbook's bytes, its sheets and headers in ``language``."""
    language = "en" if language == "en" else "vi"
    book = Book()
    summary, targets, tasks, bodies = SHEETS[language]
    attention = {a.item_key: reason_word(a.reason, language) for a in report.attention}
    rows = _summary_rows(report, language)
    _sheet(book, summary, "summary", language, rows, len(rows))
    _sheet(book, targets, "targets", language, (
        (t.item_key, t.position, t.name, t.unit, label("comparator", t.comparator, language), t.baseline, t.baseline_text, t.target, t.target_max,
         t.year, t.body, t.value, t.expected, None if t.share is None else Share(t.share), verdict_word(t.verdict, language)) for t in report.targets),
        len(report.targets))
    late = say("late", language)
    _sheet(book, tasks, "tasks", language, (
        (t.item_key, label("item_kind", t.kind, language), t.section_key, t.text, t.body, t.due,
         status_word(t.status, language), t.note, t.answered_on,
         label("channel", t.channel, language) if t.channel else None, late if t.late else None, attention.get(t.item_key)) for t in report.tasks),
        len(report.tasks))
    _sheet(book, bodies, "bodies", language, (
        (b.code, b.name(language), b.asked, b.answered, b.late, b.missing) for b in report.bodies), len(report.bodies))
    return book.save()
