"""A ruled table on a PDF page recovered as rows: one line per row, its cells joined by " | ", the
shape every other reader gives a table.

PDFium's text layer gives a table cell by cell, each cell's wrapped lines on lines of their own
and nothing between cells, so rows cannot be told from the text alone. The rules Word and
LibreOffice draw around the cells can: horizontal rules bound the rows, and the vertical rules
that cross a row bound its cells (a merged cell, such as a group row's title, has none inside
it). Each cell's text is then read inside its box. A table drawn without rules stays as the text
layer gives it here (:mod:`pdf_borderless` reads an appendix's). Only pages with rules pay for
this: one look at the page's path objects.
"""

import itertools
from typing import Any

_THIN = 2.5
"""A rule is a path at most this thick (points)."""
_NEAR = 2.0
"""Rules closer than this meet (points)."""

Box = tuple[float, float, float, float]
"""left, bottom, right, top, in PDF points."""


def _rules(page: Any) -> tuple[list[Box], list[Box]]:
    """The page's thin horizontal and vertical paths."""
    import pypdfium2.raw as pdfium_c

    horizontal: list[Box] = []
    vertical: list[Box] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=5):
        left, bottom, right, top = obj.get_bounds()
        if top - bottom <= _THIN and right - left >= 10:
            horizontal.append((left, bottom, right, top))
        elif right - left <= _THIN and top - bottom >= 5:
            vertical.append((left, bottom, right, top))
    return horizontal, vertical


def _meets(a: Box, b: Box) -> bool:
    return a[0] - _NEAR <= b[2] and b[0] - _NEAR <= a[2] and a[1] - _NEAR <= b[3] and b[1] - _NEAR <= a[3]


def ruled_tables(page: Any) -> list[tuple[Box, list[list[Box]]]]:
    """Each ruled table on the page: its box and its rows of cell boxes, top row first."""
    horizontal, vertical = _rules(page)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    groups: list[list[Box]] = []
    for rule in horizontal + vertical:  # rules that meet belong to one table
        meeting = [g for g in groups if any(_meets(rule, other) for other in g)]
        merged = [rule, *(r for g in meeting for r in g)]
        groups = [g for g in groups if g not in meeting] + [merged]
    tables = []
    for group in groups:
        rows = _rows([r for r in group if r in horizontal], [r for r in group if r in vertical])
        if len(rows) >= 2 and any(len(row) >= 2 for row in rows):  # not a frame drawn around a paragraph
            box = (min(r[0] for r in group), min(r[1] for r in group), max(r[2] for r in group), max(r[3] for r in group))
            tables.append((box, rows))
    return sorted(tables, key=lambda t: -t[0][3])


def _cluster(values: list[float]) -> list[float]:
    """Values closer than :data:`_NEAR` taken as one."""
    found: list[float] = []
    for value in sorted(values):
        if not found or value - found[-1] > _NEAR:
            found.append(value)
    return found


def _rows(horizontal: list[Box], vertical: list[Box]) -> list[list[Box]]:
    """Rows between consecutive horizontal rules; in each, cells between the vertical rules that cross it."""
    ys = _cluster([(r[1] + r[3]) / 2 for r in horizontal])[::-1]
    rows: list[list[Box]] = []
    for top, bottom in itertools.pairwise(ys):
        middle = (top + bottom) / 2
        xs = _cluster([(r[0] + r[2]) / 2 for r in vertical if r[1] - _NEAR <= middle <= r[3] + _NEAR])
        if len(xs) >= 2:
            rows.append([(left, bottom, right, top) for left, right in itertools.pairwise(xs)])
    return rows


def _cell_text(textpage: Any, box: Box) -> str:
    left, bottom, right, top = box
    return " ".join(str(textpage.get_text_bounded(left + 1, bottom + 0.5, right - 1, top - 0.5)).split())


def with_rows(textpage: Any, tables: list[tuple[Box, list[list[Box]]]]) -> str:
    """The page's text in its order, the characters inside each table replaced by its rows."""
    written: list[str] = []
    done: set[int] = set()
    start, inside = 0, -1
    count = textpage.count_chars()
    for index in range(count):
        left, bottom, right, top = textpage.get_charbox(index)
        if left == right == bottom == top == 0:  # a generated line break: it stays with its run
            continue
        x, y = (left + right) / 2, (bottom + top) / 2
        table = next((n for n, (b, _) in enumerate(tables) if b[0] <= x <= b[2] and b[1] <= y <= b[3]), -1)
        if table != inside:
            written.append(_run(textpage, start, index, inside, tables, done))
            start, inside = index, table
    written.append(_run(textpage, start, count, inside, tables, done))
    return "".join(written)


def _run(textpage: Any, start: int, end: int, table: int, tables: list[tuple[Box, list[list[Box]]]], done: set[int]) -> str:
    """A run of characters: as the text layer gives it outside a table; a table's rows, once, inside it."""
    if table < 0:
        return str(textpage.get_text_range(start, end - start)) if end > start else ""
    if table in done:
        return ""
    done.add(table)
    lines = [" | ".join(_cell_text(textpage, cell) for cell in row) for row in tables[table][1]]
    return "\n" + "\n".join(line for line in lines if line.strip(" |")) + "\n"
