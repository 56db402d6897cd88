"""An appendix table drawn without rules, recovered as rows from where PDFium puts its words.

With no rules on the page (:mod:`pdf_tables` needs them), PDFium's text layer gives such a table
cell by cell, each cell's wrapped lines on lines of their own: the rows are lost. Its text
rectangles keep the layout, though: each is a run of words on one line, and a cell's runs start
at its column's left edge. So, only after an appendix's title ("PHỤ LỤC ...", "DANH MỤC ...",
"BIỂU ...": ordinary prose is never split into cells), a line starting with "TT"/"STT" whose
runs stand apart is taken as a header: its runs' left edges are the columns. Below it, a line
with a number in the first column ("1", "II", "(1)") starts a row; the lines under it, on this
page or at the top of the next, add their runs to the cells of their columns. A run that crosses
a column edge is a merged cell on a row's first line (a group's title) and ends the table
elsewhere, as does a title, a new header or words in the first column that are no number.

Written as the ruled tables are: one line per row, cells joined by " | ". An appendix with a
header-like line whose columns cannot be told apart is reported (a warning naming it), not read
as rows of nonsense in silence.
"""

import itertools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from config.folding import fold

log = logging.getLogger(__name__)

_TITLE = re.compile(r"^\s*(?:PHỤ LỤC|Phụ lục|DANH MỤC|BIỂU (?:CHỈ TIÊU|SỐ|\d|[IVX]+\b))(?:\s|:|$)", re.MULTILINE)
"""An appendix's title at the start of a line: where tables may stand without rules."""
_HEADER_FIRST = {"tt", "stt", "số tt", "số thứ tự"}
_COLUMN_WORDS = tuple(
    fold(w) for w in ("nhiệm vụ", "nội dung", "cơ quan", "chủ trì", "phối hợp", "thời hạn", "thời gian", "sản phẩm", "chỉ tiêu")
)
"""Words of a table's column headers: a line with two of them in runs of their own looks like a header."""
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|\(\d{1,2}\)|[a-zđ]\)|[A-Z])\.?$")
"""What a row's first cell holds: "1", "1.2", "II", "(1)", "a)"."""
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:(?:trang|page)\s+)?\d{1,4}(?:\s*-)?$", re.IGNORECASE)
_GAP = 6.0
"""Runs on a header line closer than this (points) are one cell (a change of font inside it)."""
_EDGE = 3.0
"""How far (points) a run may start left of its column's edge, or end right of the next one."""

_MARGIN = 0.08
"""The share of the page's height at its top and at its bottom where a running head or foot stands:
its line inside a table's run is written as a line of its own and does not end the table."""

Run = tuple[float, float, float, float, str]
"""left, bottom, right, top, text of one text rectangle."""


@dataclass
class Row:
    """A table row being read: its cells, and the column of a merged cell that runs to the end."""

    cells: list[str]
    merged: int | None = None

    def add(self, column: int, words: str) -> None:
        column = min(column, self.merged) if self.merged is not None else column
        self.cells[column] = f"{self.cells[column]} {words}".strip()

    def line(self) -> str:
        return " | ".join(self.cells[: self.merged + 1] if self.merged is not None else self.cells)


@dataclass
class BorderlessTables:
    """Reads a document's pages in order; a table and its rows may run on from one page to the next."""

    pages: list[list[str | Row]] = field(default_factory=list)
    columns: list[float] | None = None
    row: Row | None = None
    appendix: str | None = None
    recovered: bool = False
    unread: list[str] = field(default_factory=list)

    def add_text(self, text: str) -> None:
        """A page read otherwise (its ruled tables already rows): its text as it is."""
        self.columns, self.row = None, None
        self.pages.append([text])

    def add_page(self, textpage: Any) -> None:
        """A page with no ruled table: its text, an appendix's borderless table in it as rows."""
        raw = str(textpage.get_text_range())
        if self.appendix is None and _TITLE.search(_nfc(raw)) is None:  # the body of the document: as it is
            self.pages.append([raw])
            return
        raw = _nfc(raw)
        parts: list[str | Row] = []
        cursor: int | None = 0 if self.columns is None else None  # the text layer not yet written, from here
        height = float(textpage.page.get_height())
        for line in _lines(textpage):
            middle = (line[0][1] + line[0][3]) / 2
            if cursor is None and not _MARGIN < middle / height < 1 - _MARGIN:  # a running head or foot in a table's page
                parts.append("\n" + " ".join(run[4] for run in line) + "\n")
                continue
            for event, row in self._line(line):
                if event == "close":
                    cursor = _index(textpage, line[0])
                    continue
                if event == "open" and cursor is not None:
                    parts.append(raw[cursor : _index(textpage, line[0])])
                    cursor = None
                parts.append(row)
        if cursor is not None:
            parts.append(raw[cursor:])
        self.pages.append(parts)

    def _line(self, line: list[Run]) -> list[tuple[str, Row]]:
        """Read one line of the page: the tables it closes ("close") or opens ("open", with the
        header row) and the rows it starts ("row")."""
        text = " ".join(run[4] for run in line)
        if self.columns is not None:
            if _TITLE.match(text) or _header(line) or not self._in_table(line):
                self.columns, self.row = None, None
                return [("close", Row([])), *self._line(line)]
            return [("row", self.row)] if self._table_line(line) and self.row else []
        if _TITLE.match(text):
            self._note_title(text)
        elif self.appendix is not None and (fold(line[0][4]) in _HEADER_FIRST or _names_columns(line)):
            columns = _header(line)
            if columns is None:  # a header with no "TT" column, or whose cells run together
                self.unread.append(self.appendix)
                return []
            self.columns, self.row, self.recovered = columns, Row([""] * len(columns)), True
            for run in line:
                self.row.add(self._column(run), run[4])
            return [("open", self.row)]
        return []

    def _in_table(self, line: list[Run]) -> bool:
        """Whether a line below a table's header is still the table's: words in the first column
        are a row's number, and a run that crosses a column edge is a row's merged cell."""
        first = [run for run in line if self._column(run) == 0]
        numbered = bool(first) and _ROW_NUMBER.match(first[0][4]) is not None
        if first and not numbered and not _PAGE_NUMBER.match(first[0][4]):
            return False
        crossing = any(self._crosses(run) for run in line)
        return not crossing or numbered or (self.row is not None and self.row.merged is not None)

    def _table_line(self, line: list[Run]) -> bool:
        """Add a table's line to its rows; say whether it started a row."""
        assert self.columns is not None
        if len(line) == 1 and _PAGE_NUMBER.match(line[0][4]):
            return False
        first = [run for run in line if self._column(run) == 0]
        started = bool(first) and _ROW_NUMBER.match(first[0][4]) is not None
        if started:
            self.row = Row([""] * len(self.columns))
            crossing = [run for run in line if self._crosses(run)]
            self.row.merged = self._column(crossing[0]) if crossing else None
        if self.row is not None:
            for run in line:
                self.row.add(self._column(run), run[4])
        return started

    def _column(self, run: Run) -> int:
        assert self.columns is not None
        return max(0, sum(1 for edge in self.columns if edge <= run[0] + _EDGE) - 1)

    def _crosses(self, run: Run) -> bool:
        assert self.columns is not None
        column = self._column(run)
        return column + 1 < len(self.columns) and run[2] > self.columns[column + 1] + _EDGE

    def _note_title(self, text: str) -> None:
        """An appendix's title: tables may follow. The last one's table unread is reported."""
        if fold(text).startswith(fold("phụ lục")) or self.appendix is None:
            self._report()
            self.appendix, self.recovered = " ".join(text.split()), False

    def _report(self) -> None:
        if self.appendix in self.unread and not self.recovered:
            log.warning(
                "%s: bảng không kẻ khung, không tách được các cột thành hàng; hãy kiểm tra các mục của phụ lục "
                "(a table drawn without borders whose columns could not be told apart: check this appendix's items)",
                self.appendix,
            )

    def texts(self) -> list[str]:
        """Each page's text, each recovered table written as rows of " | " cells."""
        self._report()
        self.unread.clear()
        return ["".join(part if isinstance(part, str) else "\n" + part.line() + "\n" for part in page) for page in self.pages]


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _lines(textpage: Any) -> list[list[Run]]:
    """The page's text rectangles as lines, top first, each line's runs left to right."""
    runs: list[Run] = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        words = " ".join(str(textpage.get_text_bounded(left, bottom, right, top)).split())
        if words:
            runs.append((left, bottom, right, top, unicodedata.normalize("NFC", words)))
    runs.sort(key=lambda run: -(run[1] + run[3]))
    lines: list[list[Run]] = []
    for run in runs:
        middle, first = (run[1] + run[3]) / 2, lines[-1][0] if lines else None
        if first is not None and abs(middle - (first[1] + first[3]) / 2) <= max(2.5, 0.3 * (run[3] - run[1])):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line) for line in lines]


def _header(line: list[Run]) -> list[float] | None:
    """The columns' left edges of a header line ("TT | Tên nhiệm vụ | ..."), or None when it is
    not one or its cells do not stand apart (fewer than three)."""
    if fold(line[0][4]) not in _HEADER_FIRST:
        return None
    edges = [line[0][0]]
    for before, run in itertools.pairwise(line):
        if run[0] - before[2] > _GAP:
            edges.append(run[0])
    return edges if len(edges) >= 3 else None


def _names_columns(line: list[Run]) -> bool:
    """Whether two runs of a line are column headers by their words ("Nhiệm vụ", "Cơ quan chủ trì")."""
    return sum(1 for run in line if any(word in fold(run[4]) for word in _COLUMN_WORDS)) >= 2


def _index(textpage: Any, run: Run) -> int:
    """Where a run's first character stands in the page's text layer."""
    left, bottom, _, top, _ = run
    found = textpage.get_index(left + 1, (bottom + top) / 2, 2, 2)
    return int(found) if found >= 0 else 0
