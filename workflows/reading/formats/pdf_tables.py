"""A ruled table on a PDF page recovered as rows: one line per row, its cells joined by " | ", the
shape every other reader gives a table.

PDFium's text layer gives a table cell by cell, each cell's wrapped lines on lines of their own
and nothing between cells, so rows cannot be told from the text alone. The rules Word and
LibreOffice draw around the cells can: every rule's x and y make a grid, and a grid cell with
no rule on its right or under it is merged with its neighbour (a group row's title across the
columns, a header's "Cơ quan thực hiện" over "Chủ trì | Phối hợp", a "Nội dung nhiệm vụ" down both
header rows). Rows are written as python-docx gives them: a cell merged across once, a cell
merged down in each row it spans. Each character then goes to the cell its centre stands in.
A table drawn without rules stays as the text
layer gives it here (:mod:`pdf_borderless` reads an appendix's). Only pages with rules pay for
this: one look at the page's path objects.
"""

import bisect
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
        # One row is a table (a table's last row alone on a new page, its top rule drawn at the
        # break); one cell is not (a frame drawn around a paragraph).
        if any(len(row) >= 2 for row in rows):
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
    """The table's grid (every rule's x and y) read as Word's rows: in each band between two
    horizontal rules, its cells left to right, a cell merged across columns (no rule between
    them) once and a cell merged down (no rule under it) in each band it spans, with its whole
    box, as python-docx gives a merged cell. So a header whose first row spans two columns over
    "Chủ trì | Phối hợp" keeps its columns, and a cell's wrapped words stay in that cell."""
    ys = _cluster([(r[1] + r[3]) / 2 for r in horizontal])[::-1]
    xs = _cluster([(r[0] + r[2]) / 2 for r in vertical])
    if len(xs) < 2 or len(ys) < 2:
        return []
    bands, width = len(ys) - 1, len(xs) - 1
    walls = _walls(vertical, xs, [(top + bottom) / 2 for top, bottom in itertools.pairwise(ys)])
    floors = _walls(horizontal, ys, [(left + right) / 2 for left, right in itertools.pairwise(xs)], down=True)
    parent = list(range(bands * width))

    def find(cell: int) -> int:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for band in range(bands):
        for column in range(width):
            here = band * width + column
            if column + 1 < width and (band, column + 1) not in walls:  # no rule on its right: merged across
                parent[find(here + 1)] = find(here)
            if band + 1 < bands and (column, band + 1) not in floors:  # no rule under it: merged down
                parent[find(here + width)] = find(here)
    boxes: dict[int, Box] = {}
    for band, (top, bottom) in enumerate(itertools.pairwise(ys)):
        for column, (left, right) in enumerate(itertools.pairwise(xs)):
            root = find(band * width + column)
            old = boxes.get(root, (left, bottom, right, top))
            boxes[root] = (min(old[0], left), min(old[1], bottom), max(old[2], right), max(old[3], top))
    rows: list[list[Box]] = []
    for band in range(bands):
        roots = dict.fromkeys(find(band * width + column) for column in range(width))
        rows.append([boxes[root] for root in roots])
    return rows


def _walls(rules: list[Box], edges: list[float], middles: list[float], down: bool = False) -> set[tuple[int, int]]:
    """Where rules stand in the grid: (band, edge) for a vertical rule on an edge across a band's
    middle; with ``down``, (column, edge) for a horizontal rule on an edge across a column's middle."""
    edge_at = sorted((value, index) for index, value in enumerate(edges))
    values = [value for value, _ in edge_at]
    across = sorted((middle, index) for index, middle in enumerate(middles))
    spots = [middle for middle, _ in across]
    found: set[tuple[int, int]] = set()
    for rule in rules:
        at = (rule[1] + rule[3]) / 2 if down else (rule[0] + rule[2]) / 2
        near = bisect.bisect_left(values, at - _NEAR)
        if near == len(values) or values[near] > at + _NEAR:
            continue
        low, high = (rule[0], rule[2]) if down else (rule[1], rule[3])
        for _, index in across[bisect.bisect_left(spots, low - _NEAR) : bisect.bisect_right(spots, high + _NEAR)]:
            found.add((index, edge_at[near][1]))
    return found


def with_rows(textpage: Any, tables: list[tuple[Box, list[list[Box]]]]) -> tuple[str, list[str]]:
    """The page's text in its order, the characters inside each table replaced by its rows; and
    those rows (lines the running-head filter must leave alone).

    Each character goes to the cell its centre stands in, not to every cell its box touches: a
    capital's accent on the line under a table ("GIẢI") reaches above the table's last rule, and
    read by the cell's rectangle it would end that row's last cell and be written twice."""
    count = textpage.count_chars()
    text = str(textpage.get_text_range())
    if len(text) != count:  # a character PDFium writes as two code units: read one by one
        text = "".join(str(textpage.get_text_range(index, 1))[:1] or " " for index in range(count))
    grids = [([-max(c[1] for c in row) for row in rows], [[c[0] for c in row] for row in rows]) for _, rows in tables]
    where: list[int] = []
    cells: dict[tuple[int, Box], list[str]] = {}
    inside, cell = -1, None
    for index in range(count):
        left, bottom, right, top = textpage.get_charbox(index)
        if left == right == bottom == top == 0:  # a generated line break: it stays with its run, a space in a cell
            where.append(inside)
            if cell is not None:
                cells[cell].append(" ")
            continue
        x, y = (left + right) / 2, (bottom + top) / 2
        inside = next((n for n, (b, _) in enumerate(tables) if b[0] <= x <= b[2] and b[1] <= y <= b[3]), -1)
        where.append(inside)
        cell = (inside, _cell_at(tables[inside][1], *grids[inside], x, y)) if inside >= 0 else None
        if cell is not None:
            cells.setdefault(cell, []).append(text[index])
    written: list[str] = []
    rows: list[str] = []
    done: set[int] = set()
    start = 0
    for index in range(1, count + 1):
        if index == count or where[index] != where[start]:
            table = where[start]
            if table < 0:
                written.append(text[start:index])
            elif table not in done:  # a table's rows, once, where its first character stands
                done.add(table)
                lines = [
                    " | ".join(" ".join("".join(cells.get((table, box), [])).split()) for box in row)
                    for row in tables[table][1]
                ]
                rows += [line for line in lines if line.strip(" |")]
                written.append("\n" + "\n".join(line for line in lines if line.strip(" |")) + "\n")
            start = index
    return "".join(written), rows


def _cell_at(rows: list[list[Box]], bottoms: list[float], lefts: list[list[float]], x: float, y: float) -> Box:
    """The cell a point stands in (or the nearest, for a point on a rule): the top row whose
    band's bottom (``bottoms``, negated, top row first) is under it, then the last of its cells
    whose left edge (``lefts``) is left of it."""
    row = min(bisect.bisect_left(bottoms, -y), len(rows) - 1)
    return rows[row][max(0, bisect.bisect_right(lefts[row], x) - 1)]
