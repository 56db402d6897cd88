"""Indicators of a target: what is measured, the comparator, value, unit and year.

A target bullet can hold several ("nước sạch đạt 70%, nước hợp vệ sinh đạt 100%"). A value counts
as an indicator when it carries a unit (%, USD, lần, người, ...) so that a year, an age ("dưới 5
tuổi") or a count in passing ("4 cấp học") is not mistaken for one. The comparator comes from the
words around the value; the name is the text before it in its clause, or after it when the text
before says nothing more than "đến năm 2025, có ít nhất".
"""

import re

from models.programme import Indicator
from workflows.reading.numbers import NUMBER, parse_number

UNITS = [
    "nghìn tỷ đồng", "triệu tỷ đồng", "tỷ đồng", "triệu đồng", "nghìn đồng", "đồng/người",
    "tỷ USD", "triệu USD", "nghìn USD", "USD/người", "USD",
    "%/năm", "%",
    "lần",
    "triệu lượt khách", "nghìn lượt khách", "lượt khách", "triệu lượt", "nghìn lượt",
    "nghìn người", "triệu người", "người",
    "đồng chí", "đảng viên",
    "bác sĩ công lập", "bác sĩ", "giường công lập", "giường bệnh", "giường",
    "nghìn ha", "ha", "km", "MW", "tấn", "nghìn tấn", "triệu tấn",
    "doanh nghiệp", "hợp tác xã",
]
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_NUM = f"(?:{NUMBER})"
_PER = rf"(?:\s*\([^()]*\))?\s*trên\s+({_NUM})\s+(dân|người dân)\b"

_BETWEEN = re.compile(
    rf"(?P<cue>(?:đạt\s+|chiếm\s+)?(?:từ\s+)?)(?P<low>{_NUM})\s*(?P<unit1>{_UNIT})?\s*(?:-|–|đến)\s*"
    rf"(?P<high>{_NUM})\s*(?P<unit>{_UNIT})(?!\w)"
)
_TIMES = re.compile(
    rf"(?P<cue>gấp|giảm|tăng)\s+(?:(?:ít nhất|tối thiểu|không dưới|trên|hơn)\s+)?(?P<value>{_NUM})\s*(?P<unit>lần|%)?"
    rf"\s+so với\s+(?P<base>[^,;.()]+)"
)
"""A change against a baseline: "gấp 2,2 lần so với năm 2020", "giảm 1/2 so với ...", "giảm 10% so
với năm 2025" (0,9 times the baseline: the direction is in the factor, the baseline kept)."""
_RATE = re.compile(
    rf"(?P<cue>giảm|tăng)\s+(?:(?:bình quân|trung bình)\s+)?(?:(?:hàng|hằng) năm\s+)?"
    rf"(?:(?P<bound>ít nhất|tối thiểu|không dưới|trên|hơn)\s+)?(?P<value>{_NUM})\s*(?P<unit>%/năm)(?!\w)"
    rf"(?:\s+so với\s+(?P<base>[^,;.()]+))?"
)
"""A yearly rate of change: "giảm 1,5%/năm so với năm 2025", "tăng bình quân 8%/năm". The rate is
signed (a fall is -1,5 %/năm) and its comparator points the same way, so that the target falls:
"giảm 1,5%/năm" is met by a fall of 1,5 or more a year, at most -1,5 %/năm ("trên"/"hơn": below
it); a rise is at least its rate. The baseline, when named, is kept. (A fall is not turned into a
factor of the baseline as "giảm 10% so với" is: per year, the words do not say whether the
percentages compound or are points of a rate.)"""
_RATE_BOUNDS = {"trên": "more_than", "hơn": "more_than"}
_FALLING = {"at_least": "at_most", "more_than": "below"}
_BASELINE = re.compile(r"so với\s+[^,;.()]+")
_SINGLE = re.compile(
    rf"(?P<cue>(?:(?:đạt|chiếm|có|là)\s+)?(?:trên|hơn|dưới|ít nhất|tối thiểu|không dưới|"
    rf"không quá|tối đa|từ)?\s*)(?P<value>{_NUM})\s*(?P<unit>{_UNIT})(?!\w)(?P<more>\s+trở lên)?"
)
_COMPARATORS = {
    "trên": "more_than", "hơn": "more_than",
    "dưới": "below", "không quá": "at_most", "tối đa": "at_most",
    "ít nhất": "at_least", "tối thiểu": "at_least", "không dưới": "at_least",
}
_YEAR = re.compile(r"năm\s+(\d{4})(?:\s*-\s*(\d{4}))?")
_TIME = r"(?:(?:đến|trong|vào)\s+)?(?:\d+\s+)?năm\s+\d{4}(?:\s*-\s*\d{4})?|giai đoạn\s+\d{4}\s*-\s*\d{4}"
_LEADING = re.compile(
    rf"^(?:{_TIME}|phấn đấu|trong đó|hàng năm|hằng năm|đạt|có|và|là|[,;:)\s])+", re.IGNORECASE
)
_TRAILING = re.compile(
    rf"(?:{_TIME}|(?:duy trì\s+)?(?:ổn định\s+)?ở mức|duy trì(?:\s+ổn định)?|đạt|chiếm|có|là|và|[,;:(\s])+$",
    re.IGNORECASE,
)
"""Words that lead up to a value and measure nothing ("... duy trì ổn định ở mức 52%")."""



def _clean_name(text: str) -> str:
    """Trim a name to what is measured: no connecting words or years at its edges.

    Inside an unclosed parenthesis ("... dịch vụ (chiếm") the words there name the value when
    they say something ("(tương ứng tỷ lệ từ"), else the words before the parenthesis do.
    """
    opened = text.rfind("(")
    if opened > text.rfind(")"):
        inside = _trim(text[opened + 1 :])
        if len(inside.split()) >= 2:
            return inside
        text = text[:opened]
    return _trim(text)


def _trim(text: str) -> str:
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING.sub("", _LEADING.sub("", text)).strip(" -")
    return text


def _name_after(clause: str, end: int) -> tuple[str, int]:
    """The words after a value up to the next separator ("80% số xã đạt chuẩn nông thôn mới,")."""
    match = re.search(r"[,;().]|\s+và\s+", clause[end:])
    stop = end + match.start() if match else len(clause)
    return _trim(clause[end:stop]), stop


def _comparator(cue: str, more: str | None) -> str:
    cue = " ".join(cue.split())
    for word, comparator in _COMPARATORS.items():
        if cue.endswith(word):
            return comparator
    if more or cue.endswith("từ"):
        return "at_least" if more else "equal"
    return "equal"


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r";|\.\s+(?=[A-ZĐÀ-Ỹ])", text) if c.strip()]


Found = tuple[int, int, re.Match[str], str]
"""A value found in a clause: where it starts and ends (with any "trên N dân" after it), the
match and its kind ("times", "between" or "single")."""


def indicators_of(text: str, default_year: int) -> list[Indicator]:
    """Return the indicators of a target's text, in the order they appear."""
    found: list[Indicator] = []
    for clause in _clauses(text):
        year = _year_of(clause, default_year)
        previous_end = 0
        for start, end, match, kind in _values_in(clause):
            unit = _unit_of(clause, match, kind)
            name, end = _name_of(clause, previous_end, start, end, unit)
            previous_end = end
            try:
                found.append(_indicator(name, match, kind, unit, year))
            except ValueError:  # "1/0%" or a numeral too long to be finite: no indicator, the text stays
                continue
    return found


def measurable(text: str) -> bool:
    """Does the text hold a value with a unit, an indicator to measure? A goal bullet that does is
    a target ("Phấn đấu 100% đơn vị ... vào năm 2030"); one that does not is a general aim."""
    return any(_values_in(clause) for clause in _clauses(text))


def heading_target(title: str) -> tuple[str, str] | None:
    """A heading that states its target after a colon ("Về giáo dục: Phấn đấu đạt ít nhất 80% số
    trường đạt chuẩn"): its name and the target, or None when the words after the colon hold no
    value with a unit (a heading that only introduces what follows)."""
    head, colon, tail = title.partition(":")
    if not colon or not head.strip() or not tail.strip() or not _values_in(tail):
        return None
    return head.strip(), tail.strip()


def _year_of(clause: str, default_year: int) -> int:
    """The latest year a clause names, up to the item's own year (its due year by default)."""
    years = [int(last or first) for first, last in _YEAR.findall(_BASELINE.sub("", clause))]  # not the baseline's
    years = [y for y in years if y <= default_year]
    return max(years) if years else default_year


def _values_in(clause: str) -> list[Found]:
    """The values with a unit in a clause, in order; a multiple ("gấp 2 lần"), then a range, then a
    single value, each taking its stretch of text so that no value is read twice."""
    taken: list[tuple[int, int]] = []
    matches: list[Found] = []
    for kind, pattern in (("rate", _RATE), ("times", _TIMES), ("between", _BETWEEN), ("single", _SINGLE)):
        for match in pattern.finditer(clause):
            start = match.start("value" if kind != "between" else "low")
            if any(a <= start < b for a, b in taken):
                continue
            end = match.end()
            per = re.match(_PER, clause[end:]) if kind in ("between", "single") else None
            if per:
                end += per.end()
            taken.append((match.start(), end))
            matches.append((match.start(), end, match, kind))
    return sorted(matches, key=lambda m: m[0])


def _unit_of(clause: str, match: re.Match[str], kind: str) -> str:
    """The value's unit, with "per N inhabitants" when the text says so ("10 bác sĩ trên 10.000 dân")."""
    unit = match.group("unit") or ""
    per = re.match(_PER, clause[match.end():]) if kind in ("between", "single") else None
    return f"{unit}/{per.group(1)} {per.group(2)}" if per else unit


def _name_of(clause: str, previous_end: int, start: int, end: int, unit: str) -> tuple[str, int]:
    """What the value measures: the words before it since the last value, else the words after it
    (which then belong to this indicator: the returned end moves past them)."""
    name = _clean_name(clause[previous_end:start])
    if len(name.split()) < 2:
        after, stop = _name_after(clause, end)
        if after:
            name, end = after, stop
    if not name and "/" in unit:
        name = unit.replace("/", " trên ")
    return name, end


def _indicator(name: str, match: re.Match[str], kind: str, unit: str, year: int) -> Indicator:
    if kind == "rate":
        return _rate(name, match, year)
    if kind == "times":
        value = parse_number(match.group("value"))
        if match.group("unit") == "%":  # "giảm 10%" is 0,9 times the baseline, "tăng 12%" 1,12 times
            value = round(1 + value / 100 if match.group("cue") != "giảm" else 1 - value / 100, 10)
        elif match.group("cue") == "giảm" and not match.group("unit"):
            value = 1 - value
        return Indicator(name, "times_baseline", value, "lần", year, baseline=" ".join(match.group("base").split()))
    if kind == "between":
        return Indicator(name, "between", parse_number(match.group("low")), unit, year,
                         value_max=parse_number(match.group("high")))
    comparator = _comparator(match.group("cue"), match.group("more"))
    return Indicator(name, comparator, parse_number(match.group("value")), unit, year)


def _rate(name: str, match: re.Match[str], year: int) -> Indicator:
    """A yearly rate of change, signed by its direction, with its baseline when it names one."""
    falling = match.group("cue") == "giảm"
    value = parse_number(match.group("value"))
    comparator = _RATE_BOUNDS.get(match.group("bound") or "", "at_least")
    if falling:
        value, comparator = -value, _FALLING.get(comparator, comparator)
    base = match.group("base")
    return Indicator(name, comparator, value, "%/năm", year, baseline=" ".join(base.split()) if base else None)
