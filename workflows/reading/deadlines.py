"""Deadlines, recurrence and reporting dates, read from an item's words and the programme's term.

Pure functions of text and dates. The wording decides, most specific first: an explicit date,
month or quarter; "khẩn trương" (urgent); a year ("đến năm 2025", "năm 2025"); a period
("giai đoạn 2021 - 2025"); else the end of the programme's term. A year outside the programme's
time (a reference to an older resolution's horizon, a vision for 2035) is not a deadline.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from config.errors import DocumentError
from config.folding import fold
from models.programme import Term
from workflows.rules.reporting import end_of_month

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_TERM_PATTERNS = [
    re.compile(fold(r"nhiệm kỳ\s+(\d{4})\s*[-–]\s*(\d{4})")),
    re.compile(fold(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})")),
]
_HORIZON = re.compile(fold(r"đến năm\s+(\d{4})"))
_ISSUED = re.compile(fold(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"))

_CUE = fold(r"(?:trước|chậm nhất(?: là)?|hạn chót|hoàn thành(?: trong| trước)?|xong trước|trong)")
_EXPLICIT_DATE = re.compile(_CUE + r"\s+(?:" + fold("ngày") + r"\s+)?(\d{1,2})/(\d{1,2})/(\d{4})")
_WORDED_DATE = re.compile(
    _CUE + r"\s+" + fold(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
)
_MONTH = re.compile(_CUE + r"\s+" + fold(r"tháng\s+(\d{1,2})(?:/|\s+năm\s+)(\d{4})"))
_QUARTER = re.compile(fold(r"quý\s+(iv|iii|ii|i|[1-4])(?:/|\s+năm\s+)(\d{4})"))
_HALF = re.compile(fold(r"6 tháng (đầu|cuối) năm\s+(\d{4})"))
_YEAR = re.compile(fold(r"năm\s+(\d{4})(?:\s*[-–]\s*(\d{4}))?"))
_PERIOD = re.compile(fold(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})"))
_URGENT = fold("khẩn trương")
_YEARLY = (fold("hàng năm"), fold("hằng năm"))
_CONTINUOUS = fold("thường xuyên")




@dataclass(frozen=True)
class Deadline:
    """When an item is due, whether it recurs, and the words that decided it."""

    due: date
    recurrence: str  # "once" | "yearly" | "continuous"
    basis: str


def find_term(front: str, headings: list[str]) -> Term:
    """Read the programme's term from its title, else from its headings ("đến năm 2025")."""
    for source in (front, " ".join(headings[:3])):
        folded = fold(source)
        for pattern in _TERM_PATTERNS:
            match = pattern.search(folded)
            if match:
                first, last = int(match.group(1)), int(match.group(2))
                if first < last:
                    return Term(first, last)
    for heading in headings:
        match = _HORIZON.search(fold(heading))
        if match:
            last = int(match.group(1))
            return Term(last - 5, last)
    raise DocumentError(
        "cannot tell the programme's term: the title says no 'nhiệm kỳ YYYY - YYYY' and no "
        "heading says 'đến năm YYYY'"
    )


def issue_date(front: str) -> date | None:
    """The date the document was issued, if its front matter says it (``ngày 20 tháng 11 năm 2020``)."""
    match = _ISSUED.search(fold(front))
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def programme_start(term: Term, issued: date | None, override: date | None = None) -> date:
    """The day the programme takes effect: the setting, else its issue date, else the term's second January."""
    return override or issued or date(term.first_year + 1, 1, 1)


def _explicit(folded: str) -> tuple[date, str] | None:
    found: list[tuple[date, str]] = []
    for pattern in (_EXPLICIT_DATE, _WORDED_DATE):
        for match in pattern.finditer(folded):
            day, month, year = (int(g) for g in match.groups())
            try:
                found.append((date(year, month, day), match.group(0)))
            except ValueError:
                continue
    for match in _MONTH.finditer(folded):
        month, year = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            found.append((end_of_month(year, month), match.group(0)))
    for match in _QUARTER.finditer(folded):
        quarter, year = ROMAN_QUARTERS[match.group(1)], int(match.group(2))
        found.append((end_of_month(year, quarter * 3), match.group(0)))
    for match in _HALF.finditer(folded):
        month = 6 if match.group(1) == fold("đầu") else 12
        found.append((end_of_month(int(match.group(2)), month), match.group(0)))
    return min(found) if found else None


def _words(text: str, folded: str, match: re.Match[str]) -> str:
    """The document's own words for a match made on the folded text (same length for Vietnamese)."""
    if len(text) == len(folded):
        return text[match.start() : match.end()]
    return match.group(0)


def deadline_for(text: str, term: Term, start: date, *, urgent_days: int = 90) -> Deadline:
    """Work out an item's deadline from its text (see the module docstring for the order)."""
    folded = fold(text)
    recurrence = "once"
    if any(word in folded for word in _YEARLY):
        recurrence = "yearly"
    elif _CONTINUOUS in folded:
        recurrence = "continuous"

    def in_programme(day: date) -> bool:
        return start <= day <= term.end

    explicit = _explicit(folded)
    if explicit and in_programme(explicit[0]):
        return Deadline(explicit[0], recurrence, explicit[1])  # folded words; dates read the same
    if _URGENT in folded:
        return Deadline(start + timedelta(days=urgent_days), recurrence, "khẩn trương")
    years = [
        (int(m.group(2) or m.group(1)), _words(text, folded, m))
        for m in _YEAR.finditer(folded)
        if start.year <= int(m.group(2) or m.group(1)) <= term.last_year
    ]
    if years:
        year, words = max(years)
        return Deadline(date(year, 12, 31), recurrence, words)
    periods = [
        (min(int(m.group(2)), term.last_year), _words(text, folded, m))
        for m in _PERIOD.finditer(folded)
        if int(m.group(2)) >= start.year
    ]
    if periods:
        year, words = max(periods)
        return Deadline(date(year, 12, 31), recurrence, words)
    return Deadline(term.end, recurrence, f"nhiệm kỳ {term.first_year} - {term.last_year}")
