"""A table's header, on one row or split over two, read as columns by what they mean.

Offices often split a header over two rows: a first row "TT | Nội dung nhiệm vụ | Cơ quan thực
hiện | Thời gian" whose "Cơ quan thực hiện" spans two columns, and a second row "Chủ trì | Phối
hợp" under it. The readers give the merged cells in three ways: repeated (a Markdown pipe table,
"Cơ quan thực hiện | Cơ quan thực hiện"), empty ("Cơ quan thực hiện | "), or written once, so that
the first row has fewer cells than the rows under it (python-docx, which also repeats a cell
merged downwards, "TT", on the second row). Each column is read from both rows together ("Cơ quan
thực hiện Chủ trì" is the lead, "Thực hiện 2025" a baseline), and the second row is no item.

A row is a second header row when it writes nothing in the task column (or repeats its header)
and every cell it adds is a header's word (a role, or a year): a task row has its number and its
task; a group row ("I | Lĩnh vực kinh tế") its numeral.
"""

import re
from dataclasses import dataclass

from workflows.reading.appendix_columns import Column, column_of, table_kind

_YEAR_CELL = re.compile(r"^(?:năm\s+)?(?:19|20)\d{2}$", re.IGNORECASE)


@dataclass(frozen=True)
class Header:
    """Where a table's header is, what its columns mean and what kind of table it heads."""

    end: int
    """Index of the first row under the header."""
    columns: list[Column]
    kind: str
    rows: tuple[tuple[str, ...], ...]
    """The header's rows as written: a page that repeats them repeats no item."""


def header_of(rows: list[tuple[int, list[str]]]) -> Header | None:
    """The header among the first three rows, with the row under it when that row completes it;
    None for a table that lists neither tasks nor targets."""
    for index, (_, cells) in enumerate(rows[:3]):
        columns = [column_of(cell) for cell in cells]
        kind = table_kind(columns)
        if not kind:
            continue
        if index + 1 < len(rows):
            below = rows[index + 1][1]
            two = _two_rows(cells, columns, below)
            if two is not None:
                return Header(index + 2, two, table_kind(two) or kind, (tuple(cells), tuple(below)))
        return Header(index + 1, columns, kind, (tuple(cells),))
    return None


def _two_rows(top: list[str], columns: list[Column], below: list[str]) -> list[Column] | None:
    """The columns read from ``top`` and ``below`` together, if ``below`` is a second header row."""
    spread = _spread(top, below) if len(top) < len(below) else top
    below = below + [""] * (len(spread) - len(below))
    task = next((i for i, c in enumerate(columns) if c.role in ("content", "name")), None)
    if task is not None and len(spread) != len(top):  # the top row's cells moved: find the task column again
        task = next((i for i, cell in enumerate(spread) if column_of(cell).role in ("content", "name")), None)
    if task is None or (below[task] and below[task] != spread[task]):
        return None
    added = [cell for cell, above in zip(below, spread, strict=True) if cell and cell != above]
    if not added or not all(_YEAR_CELL.match(cell) or column_of(cell).role != "other" for cell in added):
        return None
    return [_column(above, cell) for above, cell in zip(spread, below, strict=True)]


def _spread(top: list[str], below: list[str]) -> list[str]:
    """A first row with fewer cells than the second (merged cells written once) laid over it: the
    cells that start and end both rows alike (or over an empty cell) stay in place, the cells
    between spread over the second row's cells between."""
    def same(a: str, b: str) -> bool:
        return not b or a == b

    left = 0
    while left < len(top) and same(top[left], below[left]):
        left += 1
    right = 0
    while right < len(top) - left and same(top[-1 - right], below[-1 - right]):
        right += 1
    middle, width = top[left : len(top) - right], len(below) - left - right
    if not middle:
        return top + [""] * (len(below) - len(top))
    spread = [middle[min(i * len(middle) // width, len(middle) - 1)] for i in range(width)]
    return top[:left] + spread + top[len(top) - right :]


def _column(above: str, cell: str) -> Column:
    """A column read from its two header cells: the words of both ("Cơ quan thực hiện Chủ trì"),
    or the one there is."""
    if not cell or cell == above:
        return column_of(above)
    if not above:
        return column_of(cell)
    return column_of(f"{above} {cell}")
