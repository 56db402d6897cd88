"""The parsed programme: what reading a document gives and what storing it takes.

Plain frozen values, no behaviour beyond a few properties. They live on this floor because both
the reader (``workflows.reading``) and the store (``models.documents``) use them.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Term:
    """The years a programme covers, as its title says (``nhiệm kỳ 2020 - 2025``)."""

    first_year: int
    last_year: int

    @property
    def end(self) -> date:
        return date(self.last_year, 12, 31)


@dataclass(frozen=True)
class SectionInfo:
    """A section as shown to users: where it is, what it is called, the prose under it."""

    key: str
    parent: str | None
    label: str
    title: str
    role: str | None
    context: tuple[str, ...]
    line: int
    position: int


@dataclass(frozen=True)
class Indicator:
    """One measurable part of a target."""

    name: str
    comparator: str  # equal | at_least | more_than | below | at_most | between | times_baseline
    value: float
    unit: str
    year: int
    value_max: float | None = None
    baseline: str | None = None


@dataclass(frozen=True)
class RuleAssignment:
    """A body's part in an item and the rule (or ``manual``) that gave it."""

    body: str
    role: str  # "lead" | "cooperating"
    rule: str


@dataclass(frozen=True)
class ParsedItem:
    """A work item: what to do, by when, by whom."""

    key: str
    kind: str
    section: str
    section_titles: tuple[str, ...]
    text: str
    line: int
    position: int
    due: date
    recurrence: str
    deadline_basis: str
    reporting_dates: tuple[date, ...]
    indicators: tuple[Indicator, ...]
    assignments: tuple[RuleAssignment, ...]
    source: str = "body"
    """Where the item stands: ``body`` (the programme's text) or ``appendix``."""
    appendix: str | None = None
    """The appendix's name as the document writes it (PHỤ LỤC I, Danh mục nhiệm vụ ...), for an appendix row."""
    lead_named: str | None = None
    """The lead body as the document names it (a block heading, a responsibility line, a table
    column), or None when the keyword rules chose the lead."""
    cooperating_named: tuple[str, ...] = ()
    """The cooperating bodies as the document names them."""

    @property
    def lead(self) -> str:
        return self.assignments[0].body

    @property
    def cooperating(self) -> list[str]:
        return [a.body for a in self.assignments[1:]]


@dataclass(frozen=True)
class Programme:
    """A parsed document."""

    key: str
    title: str
    term: Term
    start: date
    sha256: str
    sections: tuple[SectionInfo, ...]
    items: tuple[ParsedItem, ...] = field(repr=False)
    issuer: str | None = None
    """Who issued it, as the heading block says (TỈNH ỦY KHÁNH HÒA)."""
    number: str | None = None
    """Its number, as the heading says (12-CTr/TU)."""
    issued_on: date | None = None
    """The issue date in the heading (ngày 5 tháng 3 năm 2027)."""
