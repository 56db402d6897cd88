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

Written as the ruled tables are: one line per row, cells joined by " | ". The model is a table
whose cells start at their row's top (Word's default). A table that breaks it (a cell centred in
its row starts above the row's number, so its first lines would join the row before) is caught
two ways: a cell that starts below its row's first line or skips a line, and rows that do not
hold exactly the words the text layer has where the table stands. Such a table, and an appendix
whose header's columns cannot be told apart (no "TT" column), stay as the text layer gives them,
every word kept, and a warning names the appendix: never rows of misplaced words in silence.
"""

import itertools
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from config.folding import fold
from workflows.reading.formats.pdf_runs import Run, char_index, letters, nfc, text_lines

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
_GAP = 6.0
"""Runs on a header line closer than this (points) are one cell (a change of font inside it)."""
_EDGE = 3.0
"""How far (points) a run may start left of its column's edge, or end right of the next one."""

_MARGIN = 0.08
"""The share of the page's height at its top and at its bottom where a running head or foot stands:
its line inside a table's run is written as a line of its own and does not end the table."""



Place = tuple[int, int]
"""A line's page and its rank on the page, top first."""


@dataclass
class Row:
    """A table row being read: its cells, the column of a merged cell that runs to the end, the
    line it starts on and the last line of each of its cells."""

    cells: list[str]
    top: Place
    merged: int | None = None
    last: dict[int, Place] = field(default_factory=dict)

    def add(self, column: int, words: str, at: Place) -> bool:
        """Add a run to its cell; say whether it fits the model the rows are read by: a cell
        starts on its row's first line (or runs on from the page before) and goes on line by line."""
        column = min(column, self.merged) if self.merged is not None else column
        before = self.last.get(column)
        if before is None:
            fits = at == self.top or at[0] != self.top[0]
        else:
            fits = at[0] != before[0] or at[1] == before[1] + 1
        self.last[column] = at
        self.cells[column] = f"{self.cells[column]} {words}".strip()
        return fits

    def line(self) -> str:
        return " | ".join(self.cells[: self.merged + 1] if self.merged is not None else self.cells)


@dataclass
class Table:
    """A borderless table: its columns' left edges, and whether its words broke the model (a
    cell centred in its row, a header whose cells start above its "TT"): then it stays text."""

    columns: list[float]
    appendix: str
    misread: bool = False


@dataclass
class Piece:
    """The part of a page a table covers: its rows (and a running head or foot among them), and
    the text layer's own words there, written instead when the table was misread."""

    table: Table
    items: list[str | Row]
    raw: str = ""

    def text(self) -> str:
        if self.table.misread:
            return self.raw
        return "".join(item if isinstance(item, str) else "\n" + item.line() + "\n" for item in self.items)


@dataclass
class BorderlessTables:
    """Reads a document's pages in order; a table and its rows may run on from one page to the next."""

    pages: list[list[str | Piece]] = field(default_factory=list)
    table: Table | None = None
    row: Row | None = None
    appendix: str | None = None
    unread: list[str] = field(default_factory=list)
    ruled: list[list[str]] = field(default_factory=list)
    """Each page's ruled tables' rows, as :meth:`add_text` was given them."""

    def add_text(self, text: str, rows: list[str]) -> None:
        """A page read otherwise (its ruled tables already ``rows``): its text as it is."""
        self.table, self.row = None, None
        self.pages.append([text])
        self.ruled.append(rows)

    def add_page(self, textpage: Any, raw: str) -> None:
        """A page with no ruled table (``raw``, its text layer): its text, an appendix's borderless table in it as rows."""
        self.ruled.append([])
        if self.appendix is None and _TITLE.search(nfc(raw)) is None:  # the body of the document: as it is
            self.pages.append([raw])
            return
        raw, start = nfc(raw), 0
        parts: list[str | Piece] = []
        piece = Piece(self.table, []) if self.table else None
        height = float(textpage.page.get_height())
        for number, line in enumerate(text_lines(textpage)):
            words = " ".join(run[4] for run in line)
            if piece is not None and not _MARGIN < (line[0][1] + line[0][3]) / 2 / height < 1 - _MARGIN:
                piece.items.append(f"\n{words}\n")  # a running head or foot, a page number: a line of its own
                continue
            for event, row in self._line(line, (len(self.pages), number)):
                at = char_index(textpage, line[0])
                if event == "close" and piece is not None:
                    piece.raw, start = raw[start:at], at
                    parts.append(piece)
                    piece = None
                elif event == "open" and self.table is not None:
                    parts.append(raw[start:at])
                    piece, start = Piece(self.table, [row]), at
                elif piece is not None:
                    piece.items.append(row)
        if piece is not None:
            piece.raw = raw[start:]
        parts.append(piece or raw[start:])
        self.pages.append(parts)

    def _line(self, line: list[Run], at: Place) -> list[tuple[str, Row]]:
        """Read one line of the page: the tables it closes ("close") or opens ("open", with the
        header row) and the rows it starts ("row")."""
        text = " ".join(run[4] for run in line)
        if self.table is not None:
            if _TITLE.match(text) or _header(line) or not self._in_table(line):
                self.table, self.row = None, None
                return [("close", Row([], at)), *self._line(line, at)]
            return [("row", self.row)] if self._table_line(line, at) and self.row else []
        if _TITLE.match(text):
            self._note_title(text)
        elif self.appendix is not None and (fold(line[0][4]) in _HEADER_FIRST or _names_columns(line)):
            columns = _header(line)
            if columns is None:  # a header with no "TT" column, or whose cells run together
                self.unread.append(self.appendix)
                return []
            self.table, self.row = Table(columns, self.appendix), Row([""] * len(columns), at)
            self._add(line, at)
            return [("open", self.row)]
        return []

    def _in_table(self, line: list[Run]) -> bool:
        """Whether a line below a table's header is still the table's: words in the first column
        are a row's number, and a run that crosses a column edge is a row's merged cell."""
        first = [run for run in line if self._column(run) == 0]
        numbered = bool(first) and _ROW_NUMBER.match(first[0][4]) is not None
        if first and not numbered:
            return False
        crossing = any(self._crosses(run) for run in line)
        return not crossing or numbered or (self.row is not None and self.row.merged is not None)

    def _table_line(self, line: list[Run], at: Place) -> bool:
        """Add a table's line to its rows; say whether it started a row."""
        assert self.table is not None
        first = [run for run in line if self._column(run) == 0]
        started = bool(first) and _ROW_NUMBER.match(first[0][4]) is not None
        if started:
            crossing = [run for run in line if self._crosses(run)]
            self.row = Row([""] * len(self.table.columns), at, self._column(crossing[0]) if crossing else None)
        self._add(line, at)
        return started

    def _add(self, line: list[Run], at: Place) -> None:
        if self.row is not None and self.table is not None:
            fits = [self.row.add(self._column(run), run[4], at) for run in line]
            if not all(fits) and not self.table.misread:
                self.table.misread = True
                self.unread.append(self.table.appendix)

    def _column(self, run: Run) -> int:
        assert self.table is not None
        return max(0, sum(1 for edge in self.table.columns if edge <= run[0] + _EDGE) - 1)

    def _crosses(self, run: Run) -> bool:
        assert self.table is not None
        column, columns = self._column(run), self.table.columns
        return column + 1 < len(columns) and run[2] > columns[column + 1] + _EDGE

    def _note_title(self, text: str) -> None:
        """An appendix's title ("PHỤ LỤC I"; a "DANH MỤC ..." under it is its subtitle): tables may follow."""
        if fold(text).startswith(fold("phụ lục")) or self.appendix is None:
            self.appendix = " ".join(text.split())

    def texts(self) -> list[str]:
        """Each page's text, each recovered table written as rows of " | " cells; a warning for
        each appendix whose borderless table could not be read as rows."""
        self._check_words()
        for appendix in dict.fromkeys(self.unread):
            log.warning(
                "%s: bảng không kẻ khung, không tách được các cột thành hàng; hãy kiểm tra các mục của phụ lục "
                "(a table drawn without borders whose columns or rows could not be told apart: check this appendix's items)",
                appendix,
            )
        self.unread.clear()
        return ["".join(part if isinstance(part, str) else part.text() for part in page) for page in self.pages]

    def table_rows(self) -> list[set[str]]:
        """Each page's lines that are rows of a recovered table (after :meth:`texts`): never a running head."""
        return [
            {*self.ruled[index], *(
                item.line() for part in page if isinstance(part, Piece) and not part.table.misread
                for item in part.items if isinstance(item, Row)
            )}
            for index, page in enumerate(self.pages)
        ]  # fmt: skip

    def _check_words(self) -> None:
        """A table whose rows do not hold exactly the words the text layer has where it stands
        (a cell above its row's number, a header's cells above its "TT") is misread: it stays text."""
        counts: dict[int, tuple[Table, int, int]] = {}
        for page in self.pages:
            for piece in (part for part in page if isinstance(part, Piece)):
                table, raw, kept = counts.get(id(piece.table), (piece.table, 0, 0))
                kept += sum(letters(item) if isinstance(item, str) else letters("".join(item.cells)) for item in piece.items)
                counts[id(table)] = (table, raw + letters(piece.raw), kept)
        for table, raw, kept in counts.values():
            if raw != kept and not table.misread:
                table.misread = True
                self.unread.append(table.appendix)


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
