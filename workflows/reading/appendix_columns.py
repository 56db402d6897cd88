"""An appendix table's columns read by what their headers mean, and its cells read as values.

Offices word a column's header in many ways ("Cơ quan chủ trì", "Đơn vị chủ trì thực hiện",
"Thời gian hoàn thành", "Thời hạn", "Tiến độ"), so a header is folded and matched against a few
keyword sets, one per role, in an order that settles the overlaps: "Thời gian thực hiện" is a
deadline before "thực hiện" can make it a lead; "Thực hiện 2025" has a year and so is a target
table's baseline; "Đơn vị tính" is a unit before "đơn vị" can make it a lead. A header that
matches nothing keeps its words: its cells are quoted in the item's text, never dropped.
"""

import re
from dataclasses import dataclass

from config.folding import fold
from workflows.reading.body_names import glue
from workflows.reading.numbers import NUMBER, parse_number

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ROLE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("unit", ("đơn vị tính", "đvt", "đơn vị đo")),
    ("start", ("bắt đầu",)),
    ("deadline", ("thời gian", "thời hạn", "tiến độ", "thời điểm", "hoàn thành", "năm hoàn thành", "kết thúc")),
    ("cooperating", ("phối hợp",)),
    ("note", ("ghi chú",)),
]
"""Roles read before a header's year: their words decide even when a year stands beside them. A
start ("Thời gian thực hiện: Bắt đầu") is read before a deadline, so that the date a task starts
is never taken for the date it is due: its cells are quoted in the item's text."""
_PRODUCT_WORDS = tuple(fold(w) for w in ("sản phẩm", "kết quả", "hình thức"))
_BASELINE_WORDS = tuple(fold(w) for w in ("thực hiện", "ước", "hiện trạng", "năm gốc", "cơ sở", "đạt được", "kết quả"))
_CONTENT_WORDS = tuple(fold(w) for w in ("nhiệm vụ", "nội dung", "công việc", "đề án", "giải pháp", "chương trình"))
_LEAD_WORDS = tuple(fold(w) for w in ("chủ trì", "thực hiện", "cơ quan", "đơn vị", "trách nhiệm", "tham mưu"))
_NAME_WORDS = (fold("chỉ tiêu"),)
_TARGET_WORDS = tuple(fold(w) for w in ("mục tiêu", "kế hoạch"))
_TT = {"tt", "stt", "số tt", "số thứ tự", "thứ tự"}
_NUMBERING_CELL = re.compile(r"^\(?\d{1,2}\)?$")
"""A cell of the row of column numbers "(1) | (2) | (3)" that many tables print under their headers."""


@dataclass(frozen=True)
class Column:
    """A column's role (tt, content, name, lead, cooperating, start, deadline, unit, target, baseline,
    product, note, other), its header as written and, for a target or baseline, its year."""

    role: str
    header: str
    year: int | None = None


def column_of(header: str) -> Column:
    """What a header cell means (see the module doc for the order of the tests)."""
    folded = fold(header).strip(" .:")
    if folded in _TT:
        return Column("tt", header)
    for role, words in _ROLE_WORDS:
        if any(fold(word) in folded for word in words):
            return Column(role, header)
    years = _YEAR.findall(folded)
    if any(word in folded for word in _NAME_WORDS) and not years:
        return Column("name", header)
    if any(word in folded for word in _CONTENT_WORDS):
        return Column("content", header)
    if years:
        role = "baseline" if any(word in folded for word in _BASELINE_WORDS) else "target"
        return Column(role, header, int(years[-1]))
    if any(word in folded for word in _PRODUCT_WORDS):
        return Column("product", header)
    if any(word in folded for word in _LEAD_WORDS):
        return Column("lead", header)
    if any(word in folded for word in _TARGET_WORDS):
        return Column("target", header)
    return Column("other", header)


def dated(columns: list[Column], first_year: int) -> list[Column]:
    """The columns with each target year before the plan's first year read as a baseline: in a
    plan for 2026 - 2030, "Năm 2025 | Năm 2027 | Năm 2030" starts from 2025's figure, it does not
    set a target for a year already gone ("Thực hiện 2025" says so in its words, ``column_of``)."""
    return [Column("baseline", c.header, c.year) if c.role == "target" and c.year and c.year < first_year else c
            for c in columns]  # fmt: skip


def table_kind(columns: list[Column]) -> str | None:
    """``targets`` (a name and a value column), ``tasks`` (what to do and who or by when), else None."""
    roles = {c.role for c in columns}
    if roles & {"name", "content"} and "target" in roles:
        return "targets"
    if roles & {"name", "content"} and roles & {"lead", "deadline", "cooperating"}:
        return "tasks"
    return None


def is_numbering_row(cells: list[str]) -> bool:
    """The row "(1) | (2) | (3) ..." under a header: it numbers the columns, it is no task."""
    filled = [c for c in cells if c]
    return bool(filled) and all(_NUMBERING_CELL.match(c) for c in filled)


def split_cells(row: str) -> list[str]:
    """A row's cells, each with its spaces collapsed (the readers write " | " between cells)."""
    return [" ".join(cell.split()) for cell in row.split("|")]


def body_names(cell: str) -> list[str]:
    """The bodies a cell names, as written: split at semicolons, line ends, "+"/"-" list marks and
    at a comma before a capital, where a body's name follows (``body_names.glue``: "Sở Lao động -
    Thương binh và Xã hội" is one body); "và" is never a split ("Sở Kế hoạch và Đầu tư" is one body)."""
    names: list[str] = []
    for part in re.split(r"[;\n]", cell):  # a piece that starts no body's name stays with the one before
        pieces = re.split(r"(,\s+(?=[A-ZĐÀ-Ỹ])|\s[-+•]\s|^[-+•]\s)", part)  # "Sở Văn hóa, Thể thao và Du lịch"
        names.extend(glue(pieces[0::2], pieces[1::2]))
    return [name for name in (" ".join(n.split()).strip(" ,.-+") for n in names) if name]


_COMPARATORS = [
    ("≥", "at_least"), (">=", "at_least"), ("≤", "at_most"), ("<=", "at_most"), (">", "more_than"),
    ("<", "below"), ("không dưới", "at_least"), ("ít nhất", "at_least"), ("tối thiểu", "at_least"),
    ("không quá", "at_most"), ("tối đa", "at_most"), ("trên", "more_than"), ("hơn", "more_than"),
    ("dưới", "below"),
]  # fmt: skip
_RANGE = re.compile(rf"^({NUMBER})\s*(?:-|–|đến)\s*({NUMBER})")
_SINGLE = re.compile(rf"^({NUMBER})")


@dataclass(frozen=True)
class Value:
    """A target cell read as a number: comparator, value, upper value of a range, its own unit."""

    comparator: str
    value: float
    value_max: float | None
    unit: str


def value_of(cell: str) -> Value | None:
    """A target cell's value ("8", "≥ 70", "Trên 90", "8 - 8,5", "100%", "1.500 trở lên"); None
    when the cell holds words, not a number ("Đạt chuẩn"): the words stay in the item's text."""
    text = " ".join(cell.split())
    comparator = "equal"
    for word, name in _COMPARATORS:
        if fold(text).startswith(word):
            comparator, text = name, text[len(word) :].strip()
            break
    if fold(text).endswith(fold("trở lên")):
        comparator, text = "at_least", text[: -len("trở lên")].strip()
    try:
        ranged = _RANGE.match(text)
        if ranged:
            low, high = parse_number(ranged.group(1)), parse_number(ranged.group(2))
            return Value("between", low, high, text[ranged.end() :].strip())
        single = _SINGLE.match(text)
        if single:
            return Value(comparator, parse_number(single.group(1)), None, text[single.end() :].strip())
    except ValueError:  # "1/0": written as a number, naming none
        return None
    return None
