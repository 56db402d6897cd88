"""Deadlines, recurrence and reporting dates, read from an item's words and the programme's term.

Pure functions of text and dates. The wording decides, most specific first: an explicit date,
month or quarter ("trước ngày 20/9/2027", "tháng 8/2027", "Quý III/2027"); for a yearly item, a
day and month ("định kỳ hằng năm (trước ngày 15/12)", due on its first return after the start);
the year of the heading the item stands under ("Nhiệm vụ cần làm ngay trong năm 2027");
"khẩn trương" (urgent); a year ("đến năm 2025", "năm 2025"); a period or a bare range
("giai đoạn 2021 - 2025", "2027 - 2028": its end); else the end of the programme's term. A year
outside the programme's time (a reference to an older resolution's horizon, a vision for 2035)
is not a deadline.

"thường xuyên" and "khẩn trương" mark the item only where they govern a task's verb: at the start
of the item, of a sentence or of a clause ("...; thường xuyên kiểm tra", "Trong đó, khẩn trương
thành lập ..."), or before a verb ("chỉ đạo ... khẩn trương xây dựng"). Before a passive or
stative word they describe a noun ("những địa bàn thường xuyên bị ngập"), and after a comma's
"trong đó," they detail one part of the clause before, not the item ("..., trong đó, khẩn trương
hoàn thành ..."); neither makes the item continuous or urgent. A heading that says "thường
xuyên" makes everything under it continuous.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from config.errors import DocumentError
from config.folding import fold, original_words
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
_MONTH = re.compile(r"(?<!\d )(?<!\d)" + fold(r"tháng\s+(\d{1,2})(?:/|\s+năm\s+)(\d{4})"))
"""A month, with or without a cue; not the month of a worded date ("ngày 5 tháng 3 năm 2027")."""
_DAY_MONTH = re.compile(_CUE + r"\s+(?:" + fold("ngày") + r"\s+)?(\d{1,2})/(\d{1,2})(?![/\d])")
"""A day and month with no year: a yearly item's date ("hằng năm (trước ngày 15/12)")."""
_WORDED_DAY_MONTH = re.compile(fold(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})") + r"(?![/\d])(?!\s+" + fold("năm") + r"\s+\d)")
"""A day and month in words with no year ("ngày 15 tháng 12 hằng năm")."""
_EACH_YEAR = r"(?:\s+" + fold("h[àằ]ng năm") + ")?"
_YEARLY_MONTH = re.compile(r"(?<!\d )(?<!\d)" + fold(r"tháng\s+(\d{1,2})") + r"(?![/\d])(?!\s+" + fold("năm") + r"\s+\d)" + _EACH_YEAR)
"""A month with no year ("tháng 12 hằng năm"): a yearly item's month; not "6 tháng", not a dated month."""
_YEARLY_QUARTER = re.compile(fold(r"quý\s+(iv|iii|ii|i|[1-4])") + r"(?![\w/])(?!\s+" + fold("năm") + r"\s+\d)" + _EACH_YEAR)
"""A quarter with no year ("Quý IV hằng năm", "trong quý I hằng năm"): a yearly item's quarter."""
_QUARTER = re.compile(fold(r"quý\s+(iv|iii|ii|i|[1-4])(?:/|\s+năm\s+)(\d{4})"))
_HALF = re.compile(fold(r"6 tháng (đầu|cuối) năm\s+(\d{4})"))
_YEAR = re.compile(fold(r"năm\s+(\d{4})(?:\s*[-–]\s*(\d{4}))?"))
_PERIOD = re.compile(r"(?<![\d/.,-])(?:" + fold(r"giai đoạn") + r"\s+)?(\d{4})\s*[-–]\s*(\d{4})(?![\d/]|[.,]\d)")
"""A period, named ("giai đoạn 2021 - 2025") or bare ("2027 - 2028"); not a date or a number."""
_TENURE = fold("nhiệm kỳ")
"""A range after "nhiệm kỳ" is a body's tenure (elections "nhiệm kỳ 2021 - 2026"), not a deadline."""
_HEADING_YEAR = re.compile(fold(r"(?:trong|làm ngay|trước mắt)\s+(?:trong\s+)?năm\s+(\d{4})"))
_URGENT = fold("khẩn trương")
_YEARLY = (fold("hàng năm"), fold("hằng năm"))
_CONTINUOUS = fold("thường xuyên")
_DESCRIBING = {fold(w) for w in ("bị", "được", "xảy", "gặp", "chịu", "có", "là")}
"""Words after "thường xuyên" that describe a noun (``địa bàn thường xuyên bị ngập``), not a task."""
_DETAIL = re.compile(r",\s*" + fold("trong đó") + r"\s*,?\s*$")
_CLAUSE_END = re.compile(r"[.;:!?]")

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


_NEEDLES = {
    _EXPLICIT_DATE: "/", _WORDED_DATE: fold("ngày"), _MONTH: fold("tháng"), _QUARTER: fold("quý"),
    _HALF: fold("6 tháng"), _DAY_MONTH: "/", _YEAR: fold("năm"),
    _WORDED_DAY_MONTH: fold("ngày"), _YEARLY_MONTH: fold("tháng"), _YEARLY_QUARTER: fold("quý"),
}
"""A word each date pattern cannot match without: most items name no date, and a substring test
is far cheaper than a scan (the sample's parse time)."""


def _scan(pattern: re.Pattern[str], folded: str) -> Iterator[re.Match[str]]:
    return pattern.finditer(folded) if _NEEDLES[pattern] in folded else iter(())


def _explicit(text: str, folded: str) -> tuple[date, str] | None:
    found: list[tuple[date, str]] = []
    for pattern in (_EXPLICIT_DATE, _WORDED_DATE):
        for match in _scan(pattern, folded):
            day, month, year = (int(g) for g in match.groups())
            try:
                found.append((date(year, month, day), _words(text, folded, match)))
            except ValueError:
                continue
    for match in _scan(_MONTH, folded):
        month, year = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            found.append((end_of_month(year, month), _words(text, folded, match)))
    for match in _scan(_QUARTER, folded):
        quarter, year = ROMAN_QUARTERS[match.group(1)], int(match.group(2))
        found.append((end_of_month(year, quarter * 3), _words(text, folded, match)))
    for match in _scan(_HALF, folded):
        month = 6 if match.group(1) == fold("đầu") else 12
        found.append((end_of_month(int(match.group(2)), month), _words(text, folded, match)))
    return min(found) if found else None


def _words(text: str, folded: str, match: re.Match[str]) -> str:
    """The document's own words for a match made on the folded text, never the folded key ("qúy"):
    the same places when folding kept the length (Vietnamese in NFC, single spaces), else mapped back."""
    if len(text) == len(folded):
        words = text[match.start() : match.end()]
        if fold(words) == match.group(0):
            return " ".join(words.split())
    return original_words(text, match.start(), match.end())


@lru_cache(maxsize=64)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(re.escape(word))


def governs(folded: str, word: str) -> bool:
    """Does ``word`` (folded) govern a task's verb somewhere in ``folded``? (See the module doc.)"""
    if word not in folded:
        return False
    for match in _word_pattern(word).finditer(folded):
        following = folded[match.end() :].split(maxsplit=1)
        if following and following[0].strip(",") in _DESCRIBING:
            continue
        clause = _CLAUSE_END.split(folded[: match.start()])[-1]
        if _DETAIL.search(clause):
            continue
        return True
    return False


@lru_cache(maxsize=4096)
def _heading_facts(heading: str) -> tuple[bool, int | None]:
    """What a heading sets for everything under it: continuous work, and the year of "trong năm
    2027". Cached: every item under a heading asks again, and a programme has few headings."""
    folded = fold(heading)
    year = _HEADING_YEAR.search(folded)
    return governs(folded, _CONTINUOUS), int(year.group(1)) if year else None


def _recurrence(folded: str, headings: Sequence[str]) -> str:
    if any(word in folded for word in _YEARLY):
        return "yearly"
    if governs(folded, _CONTINUOUS) or any(_heading_facts(h)[0] for h in headings):
        return "continuous"
    return "once"


def _yearly_day(text: str, folded: str, start: date) -> tuple[date, str] | None:
    """A yearly item's day ("trước ngày 15/12"), else its month ("tháng 12 hằng năm"), else its
    quarter ("Quý IV hằng năm": the quarter's last day), on its first return on or after the start."""
    for pattern in (_DAY_MONTH, _WORDED_DAY_MONTH, _YEARLY_MONTH, _YEARLY_QUARTER):
        for match in _scan(pattern, folded):
            day, month = _day_and_month(pattern, match)
            try:
                due = date(start.year, month, day if day else end_of_month(start.year, month).day)
            except ValueError:
                continue
            if due < start:
                due = date(start.year + 1, month, day if day else end_of_month(start.year + 1, month).day)
            return due, _words(text, folded, match)
    return None


def _day_and_month(pattern: re.Pattern[str], match: re.Match[str]) -> tuple[int, int]:
    """The day (0: the month's last) and the month a yearly pattern names."""
    if pattern is _YEARLY_QUARTER:
        return 0, ROMAN_QUARTERS[match.group(1)] * 3
    if pattern is _YEARLY_MONTH:
        return 0, int(match.group(1))
    return int(match.group(1)), int(match.group(2))


def _heading_year(headings: Sequence[str], start: date, term: Term) -> tuple[date, str] | None:
    """The year that the nearest heading sets for everything under it ("cần làm ngay trong năm 2027")."""
    for heading in reversed(headings):
        year = _heading_facts(heading)[1]
        if year is not None and start.year <= year <= term.last_year:
            return date(year, 12, 31), heading
    return None


def _year_or_period(text: str, folded: str, term: Term, start: date) -> tuple[date, str] | None:
    years = [
        (int(m.group(2) or m.group(1)), _words(text, folded, m))
        for m in _scan(_YEAR, folded)
        if start.year <= int(m.group(2) or m.group(1)) <= term.last_year
    ]
    if years:
        year, words = max(years)
        return date(year, 12, 31), words
    periods = [
        (min(int(m.group(2)), term.last_year), _words(text, folded, m))
        for m in (_PERIOD.finditer(folded) if "-" in folded or "–" in folded else ())
        if int(m.group(1)) < int(m.group(2)) and int(m.group(2)) >= start.year
        and not folded[: m.start()].rstrip().endswith(_TENURE)
    ]
    if periods:
        year, words = max(periods)
        return date(year, 12, 31), words
    return None


def deadline_for(
    text: str, term: Term, start: date, *, urgent_days: int = 90, headings: Sequence[str] = ()
) -> Deadline:
    """Work out an item's deadline from its text and the titles of the headings above it, outermost
    first (see the module docstring for the order)."""
    folded = fold(text)
    recurrence = _recurrence(folded, headings)
    explicit = _explicit(text, folded)
    if explicit and start <= explicit[0] <= term.end:
        return Deadline(explicit[0], recurrence, explicit[1])
    yearly = _yearly_day(text, folded, start) if recurrence == "yearly" else None
    found = yearly or _heading_year(headings, start, term)
    if found and found[0] <= term.end:
        return Deadline(found[0], recurrence, found[1])
    if governs(folded, _URGENT):
        return Deadline(start + timedelta(days=urgent_days), recurrence, "khẩn trương")
    found = _year_or_period(text, folded, term, start)
    if found:
        return Deadline(found[0], recurrence, found[1])
    return Deadline(term.end, recurrence, f"nhiệm kỳ {term.first_year} - {term.last_year}")
