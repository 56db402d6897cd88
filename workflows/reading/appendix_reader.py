"""One task or target table read row by row into sections and items, wherever it stands: an
appendix after the signature (``appendix``) or a table in the body under a heading.

A row numbered in roman (or a capital) opens a group, a section under the table's own; every
other row with something to do is an item, keyed under the table's prefix (``PL1.I.2`` in an
appendix, ``B.II.T1.2`` for the first table under the body's heading B.II) so that no key can meet
a key of the outline. Its lead, cooperating bodies and deadline come from the columns.

A row with no number (an empty TT cell) is keyed by its place in its group. That key is only as
stable as the table: a row inserted above it in a revised document moves it, and a re-ingest then
retires the old key and adds a new one (its reports stay with the retired item). Tables with a TT
column, which is nearly all of them, keep their keys across revisions.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from config.bodies import Registry
from config.rules import Rule
from models.programme import Indicator, ParsedItem, RuleAssignment, SectionInfo, Term
from workflows.reading.appendix_columns import Column, body_names, dated, value_of
from workflows.reading.assign import assign
from workflows.reading.deadlines import Deadline, deadline_for
from workflows.reading.named_bodies import Named
from workflows.rules.reporting import reporting_dates

_BARE_DATE = re.compile(
    r"(?:ngày\s+)?(\d{1,2})(?:([/.-])(\d{1,2})\2|\s+tháng\s+(\d{1,2})\s+năm\s+)(\d{4})\.?", re.IGNORECASE
)
"""A deadline cell that is a date and nothing else: "31/12/2026", "ngày 31/12/2026", "31-12-2026",
"ngày 31 tháng 12 năm 2026"."""
_GROUP_LABEL = re.compile(r"^(?:[IVXL]+|[A-ZĐ])\.?$")
"""A row number that opens a group: roman (I, II) or a capital (A, B)."""


@dataclass(frozen=True)
class Context:
    """What every table row needs from the programme around it."""

    term: Term
    start: date
    urgent_days: int
    cadence: str
    rules: Sequence[Rule]
    registry: Registry | None = None


@dataclass(frozen=True)
class Place:
    """Where a table's rows go: the prefix of their keys, the section of the rows before any group
    row, the headings above them, and whether they are an appendix's (its name) or the body's."""

    prefix: str
    section: str
    titles: tuple[str, ...]
    appendix: str | None = None


class TableReader:
    """Reads one table's rows in order: group rows open a group, item rows become items."""

    def __init__(self, context: Context, place: Place, columns: list[Column], kind: str) -> None:
        self.context, self.place, self.kind = context, place, kind
        self.columns = dated(columns, context.term.first_year)  # a year before the plan: its baseline
        self.group: tuple[str, str] | None = None  # (key, title)
        self.groups: list[SectionInfo] = []
        self.items: list[ParsedItem] = []
        self.seen: dict[str, int] = {}
        self.in_section: dict[str, int] = {}  # rows read into each section so far

    def cell(self, cells: list[str], role: str) -> str:
        return next((cells[i] for i, c in enumerate(self.columns) if c.role == role and i < len(cells) and cells[i]), "")

    def row(self, line: int, cells: list[str]) -> None:
        tt = self.cell(cells, "tt").rstrip(".")
        what = self.cell(cells, "content") or self.cell(cells, "name")
        filled = [c for c in cells if c]
        if _GROUP_LABEL.match(tt) or (not tt and len(filled) == 1):
            self._open_group(line, tt, [c for c in filled if c.rstrip(".") != tt] or filled)
            return
        if not what:
            return
        section = self._section()
        self.in_section[section] = rank = self.in_section.get(section, 0) + 1  # a row with no TT: its place
        key = f"{self.group[0] if self.group else self.place.prefix}.{tt or rank}"
        if key in self.seen:
            self.seen[key] += 1
            key = f"{key}~{self.seen[key]}"
        self.seen.setdefault(key, 1)
        self.items.append(self._item(key, line, cells, what))

    def _section(self) -> str:
        return self.group[0] if self.group else self.place.section

    def _open_group(self, line: int, tt: str, words: list[str]) -> None:
        label = tt or f"N{len(self.groups) + 1}"
        key = f"{self.place.prefix}.{label}"
        title = " ".join(words)
        self.group = (key, title)
        self.groups.append(SectionInfo(key, self.place.section, label, title, self.kind, (), line, 0))

    def _item(self, key: str, line: int, cells: list[str], what: str) -> ParsedItem:
        headings = (*self.place.titles, self.group[1]) if self.group else self.place.titles
        text = self._text(cells, what)
        deadline, indicators = self._deadline_and_indicators(cells, what, text, headings)
        leads = body_names(self.cell(cells, "lead"))
        cooperating = leads[1:] + body_names(self.cell(cells, "cooperating"))
        kind = "target" if self.kind == "targets" else "task"
        return ParsedItem(
            key=key, kind=kind, section=self._section(), section_titles=headings, text=text, line=line, position=0,
            due=deadline.due, recurrence=deadline.recurrence, deadline_basis=deadline.basis,
            reporting_dates=tuple(reporting_dates(self.context.start, deadline.due, self.context.cadence)),
            indicators=tuple(indicators),
            assignments=tuple(self._assignments(kind, headings, what, leads[:1], cooperating)),
            source="appendix" if self.place.appendix else "body", appendix=self.place.appendix, lead_named=leads[0] if leads else None,
            cooperating_named=tuple(cooperating),
        )  # fmt: skip

    def _text(self, cells: list[str], what: str) -> str:
        """The row's words: what to do, then each column that is neither body nor date, as "(Header: value)"."""
        quoted = {"product", "note", "other", "target", "baseline", "unit", "start"}
        extra = [
            f"{c.header}: {cells[i]}" for i, c in enumerate(self.columns)
            if c.role in quoted and i < len(cells) and cells[i]
        ]  # fmt: skip
        return f"{what} ({'; '.join(extra)})" if extra else what

    def _deadline_and_indicators(self, cells: list[str], what: str, text: str, headings: tuple[str, ...]) -> tuple[Deadline, list[Indicator]]:
        term, start = self.context.term, self.context.start
        when = self.cell(cells, "deadline")
        deadline = _bare_year(when, term, start) or _bare_date(when, term, start) or deadline_for(
            when or what, term, start, urgent_days=self.context.urgent_days, headings=headings
        )
        if when:  # the cell's words as written (the deadline rules give them folded)
            deadline = Deadline(deadline.due, deadline.recurrence, when)
        indicators = self._indicators(cells, what, deadline.due.year) if self.kind == "targets" else []
        if indicators and not when:
            year = max(i.year for i in indicators)
            if start.year <= year <= term.last_year:
                header = next((c.header for c in self.columns if c.role == "target" and (c.year or term.last_year) == year), None)
                if header is not None:  # else the year came from the row's own words, which gave the deadline
                    deadline = Deadline(date(year, 12, 31), deadline.recurrence, header)
        return deadline, indicators

    def _indicators(self, cells: list[str], name: str, default_year: int) -> list[Indicator]:
        unit = self.cell(cells, "unit")
        baseline = next(
            (f"{c.header}: {cells[i]}" for i, c in enumerate(self.columns) if c.role == "baseline" and i < len(cells) and cells[i]),
            None,
        )
        found = []
        for i, column in enumerate(self.columns):
            value = value_of(cells[i]) if column.role == "target" and i < len(cells) else None
            if value is not None:
                year = column.year or default_year
                found.append(Indicator(name, value.comparator, value.value, value.unit or unit, year, value.value_max, baseline))
        return found

    def _assignments(self, kind: str, headings: tuple[str, ...], text: str, lead: list[str], cooperating: list[str]) -> list[RuleAssignment]:
        """The bodies the columns name, where the registry knows them; else the keyword rules
        (``assign`` records which, in each assignment's rule)."""
        named = Named(lead[0], tuple(cooperating), "table column") if lead else None
        return assign(
            kind=kind, part=self.kind, section=self._section(), titles=list(headings), text=text,
            rules=list(self.context.rules), named=named, registry=self.context.registry,
        )  # fmt: skip


def _bare_year(cell: str, term: Term, start: date) -> Deadline | None:
    """A deadline cell that is a year and nothing else ("2027"): the end of that year."""
    if cell.isdigit() and len(cell) == 4 and start.year <= int(cell) <= term.last_year:
        return Deadline(date(int(cell), 12, 31), "once", cell)
    return None


def _bare_date(cell: str, term: Term, start: date) -> Deadline | None:
    """A deadline cell that is a date and nothing else: that day, as the column is the deadline
    (in a sentence a date needs a cue, "trước ngày ...", to be one). A date outside the term is
    left to the deadline rules, as a cued one is."""
    match = _BARE_DATE.fullmatch(cell.strip())
    if match is None:
        return None
    try:
        due = date(int(match.group(5)), int(match.group(3) or match.group(4)), int(match.group(1)))
    except ValueError:
        return None
    return Deadline(due, "once", cell) if start <= due <= term.end else None
