"""Finding the tables after a programme's signature in the text every reader gives, and the
appendix each belongs to (its name, number and note as written).

A table reaches the reader as one line per row with " | " between cells. A page break inside it
(a blank line, a page number) does not end it; a row broken by the page is joined again, and a
header repeated on the new page is skipped.
"""

import re
from dataclasses import dataclass, field

from config.folding import fold
from workflows.reading.appendix_columns import is_numbering_row, split_cells
from workflows.reading.appendix_headers import Header

SIGNATURE = re.compile(r"^(?:T/M|TM\.|KT\.|Nơi nhận\b)", re.MULTILINE)
"""The lines that end the body (the outline stops at the same ones)."""
_APPENDIX = re.compile(r"^phụ\s+lục(?:\s+số)?\s*([ivxl]+|\d+)?\b", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*-)?$", re.IGNORECASE)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}

@dataclass
class Table:
    """The rows of one table after the signature, and the lines above it since the last table."""

    above: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    """The line number of each line ``above``."""
    after_break: set[int] = field(default_factory=set)
    """Lines of rows that follow a blank line or a page number: a page break inside the table."""


def tables_after_signature(text: str) -> list[Table]:
    """The tables after the first signature line, each with the lines above it."""
    if "|" not in text:  # one memchr over the text: a document with no table pays nothing more
        return []
    signed = SIGNATURE.search(text)
    if signed is None:
        return []
    offset = text.count("\n", 0, signed.start())
    return tables_in(text[signed.start() :].split("\n"), offset)


def after_signature(text: str) -> tuple[list[Table], Table]:
    """The tables after the first signature line, and the lines after the last of them (a note
    under it, an appendix with no table): a ``Table`` with no rows. Its first line is the signature's."""
    signed = SIGNATURE.search(text)
    if signed is None:
        return [], Table([])
    offset = text.count("\n", 0, signed.start())
    return _scan(text[signed.start() :].split("\n"), offset)


def tables_before_signature(text: str) -> list[Table]:
    """The tables in the body, before the first signature line (or in the whole of an unsigned text)."""
    if "|" not in text:
        return []
    signed = SIGNATURE.search(text)
    return tables_in(text[: signed.start() if signed else len(text)].split("\n"), 0)


def is_row(line: str) -> bool:
    """A line that every reader writes for a table's row: cells with " | " between them."""
    return " | " in line or line.startswith("| ") or line.endswith(" |")


def tables_in(lines: list[str], offset: int) -> list[Table]:
    """The tables among ``lines`` (the first of them is line ``offset + 1``), each with the lines
    above it since the table before."""
    return _scan(lines, offset)[0]


def _scan(lines: list[str], offset: int) -> tuple[list[Table], Table]:
    """:func:`tables_in`, and the lines after the last table (a ``Table`` with no rows)."""
    tables: list[Table] = []
    current: Table | None = None
    above: list[str] = []
    numbers: list[int] = []
    broken = False
    for index, line in enumerate(lines):
        if is_row(line):
            if current is None:
                current = Table(above, lines=numbers)
                tables.append(current)
                above, numbers = [], []
            elif broken:
                current.after_break.add(offset + index + 1)
            current.rows.append((offset + index + 1, split_cells(line)))
            broken = False
        elif line and not _PAGE_NUMBER.match(line):
            current = None
            above.append(line)
            numbers.append(offset + index + 1)
        else:
            broken = True
    return tables, Table(above, lines=numbers)


def _number(label: str | None) -> int | None:
    if not label:
        return None
    if label.isdigit():
        return int(label)
    values = [_ROMAN_VALUES[ch] for ch in label.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def name_of(above: list[str]) -> tuple[str, int | None, list[str]]:
    """The appendix's name as written ("PHỤ LỤC I: DANH MỤC NHIỆM VỤ ..."), its number, and the
    lines in brackets under it ("(Kèm theo Chương trình ...)", however it wraps), which become its
    section's context."""
    start = max((i for i, line in enumerate(above) if _APPENDIX.match(fold(line))), default=None)
    words: list[str] = []
    notes: list[str] = []
    depth = 0
    for line in above[start:] if start is not None else above[-1:]:
        if depth > 0 or line.startswith("("):
            notes.append(line)
            depth += line.count("(") - line.count(")")
        else:
            words.append(line)
    if not words:
        return "", None, notes
    number = _APPENDIX.match(fold(words[0])) if start is not None else None
    rest = " ".join(words[1:])
    name = f"{words[0].rstrip(': ')}: {rest}" if rest else words[0]
    return name, _number(number.group(1)) if number else None, notes


def is_appendix(line: str) -> bool:
    """A line that opens an appendix: "PHỤ LỤC I", "Phụ lục số 2: ..."."""
    return bool(_APPENDIX.match(fold(line)))


def naming(above: list[str]) -> int:
    """Where the lines that name a table start among ``above`` (what :func:`name_of` reads): its
    last "PHỤ LỤC" line, else its last line. The lines before follow the table before (or the
    signature, for the first table)."""
    return max((i for i, line in enumerate(above) if _APPENDIX.match(fold(line))), default=max(len(above) - 1, 0))


def loose(lines: list[str], numbers: list[int]) -> tuple[list[str], list[tuple[int, str, int | None, list[str]]]]:
    """Lines after the signature that are no table's: those before the first "PHỤ LỤC" line, which
    follow what came before them, and each appendix with no table (its line, name, number and
    the rest of its lines). Its name is its "PHỤ LỤC" line and the lines in capitals under it."""
    starts = [i for i, line in enumerate(lines) if _APPENDIX.match(fold(line))]
    appendices = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=False):
        title = end
        for i in range(start + 1, end):
            if lines[i].upper() != lines[i] or not any(ch.isalpha() for ch in lines[i]):
                title = i
                break
        name, number, notes = name_of(lines[start:title])
        appendices.append((numbers[start], name, number, notes + lines[title:end]))
    return lines[: starts[0] if starts else len(lines)], appendices


def joined(table: Table, header: Header) -> list[tuple[int, list[str]]]:
    """The rows under the header, without the row of column numbers or a header repeated on a new
    page, a row broken across a page joined again: a row with no number whose task cell is empty,
    or that follows a page break, continues the row before it cell by cell."""
    columns = header.columns
    tt = next((i for i, c in enumerate(columns) if c.role == "tt"), None)
    what = next((i for i, c in enumerate(columns) if c.role in ("content", "name")), None)
    rows: list[tuple[int, list[str]]] = []
    for line, cells in table.rows[header.end :]:
        if is_numbering_row(cells) or tuple(cells) in header.rows:
            continue
        numbered = tt is not None and tt < len(cells) and bool(cells[tt])
        empty_task = what is None or what >= len(cells) or not cells[what]
        if rows and not numbered and len(cells) == len(rows[-1][1]) and (empty_task or line in table.after_break):
            previous = rows[-1][1]
            rows[-1] = (rows[-1][0], [" ".join(f"{a} {b}".split()) for a, b in zip(previous, cells, strict=True)])
            continue
        rows.append((line, cells))
    return rows
