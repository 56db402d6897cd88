"""What a review report says (sơ kết, tổng kết), as plain frozen data.

``workflows.orchestration.review_report.compile_report`` fills it from the database; the renderers
(HTML, XLSX, DOCX, charts) only read it, so each of them can be tested with a hand-made report and
none of them touches the database. Everything is already counted and judged here: a renderer
chooses words and layout, never a number.

Statuses are the answer's (``done``, ``on_track``, ``behind``, ``not_started``, ``blocked``) plus
``unanswered`` for an item its body has not answered. Verdicts are ``met``, ``on_track``,
``at_risk``, ``off_track`` and ``no_data`` (see ``workflows.rules.verdicts``).
"""

from dataclasses import dataclass, field
from datetime import date

from config.letterhead import Letterhead

STATUSES = ("done", "on_track", "behind", "not_started", "blocked", "unanswered")
"""The columns of every count by status, in the order a report shows them."""
VERDICTS = ("met", "on_track", "at_risk", "off_track", "no_data")
FALLING = ("at_most", "below")
"""Comparators of a target to fall to (the path goes down); ``workflows.rules.verdicts`` reads them alike."""
ATTENTION_REASONS = ("overdue", "blocked", "behind")
"""Why an item is on the attention list: past its due date and not done, blocked, or behind."""


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """The round the report is about, and the day it was compiled for."""

    id: int
    kind: str
    """midterm | yearly | final"""
    period_from: date
    period_to: date
    due: date
    opened_by: str
    opened_on: date
    closed_by: str | None
    closed_on: date | None
    as_of: date
    """The day the report speaks of (``--as-of``); answers after it are not counted."""

    @property
    def draft(self) -> bool:
        """A report of an open round is a draft (DỰ THẢO) and says so."""
        return self.closed_on is None


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """Items by the status their body gave (``unanswered`` when it gave none)."""

    done: int = 0
    on_track: int = 0
    behind: int = 0
    not_started: int = 0
    blocked: int = 0
    unanswered: int = 0

    @property
    def total(self) -> int:
        return self.done + self.on_track + self.behind + self.not_started + self.blocked + self.unanswered

    def of(self, status: str) -> int:
        """The count of one of :data:`STATUSES`."""
        return int(getattr(self, status))


@dataclass(frozen=True, slots=True)
class GroupCounts:
    """Items by status in one group: a part (``A``), a section (``C.I.1``) or a body (``UBND``)."""

    key: str
    title: str
    counts: StatusCounts


@dataclass(frozen=True, slots=True)
class Summary:
    """Section I's first lines: what was asked and who answered, on time or late."""

    bodies_asked: int
    items_asked: int
    items_answered: int
    answered_on_time: int
    answered_late: int
    items_missing: int
    bodies_complete: int
    """Bodies that answered about every item they were asked about."""
    bodies_partial: int
    bodies_silent: tuple[str, ...]
    """Codes of the bodies that answered about none of their items."""


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One indicator of a target (chỉ tiêu): where it started, where it is, where it should be."""

    item_key: str
    position: int
    name: str
    unit: str
    comparator: str
    """equal | at_least | more_than | below | at_most | between | times_baseline"""
    baseline: float | None
    """The starting value on the path (a number the document gives; 1.0 for times_baseline, whose
    values are in times the baseline); None when the document gives none."""
    baseline_text: str | None
    """What the document says of the baseline (``năm 2020``), as written."""
    target: float
    target_max: float | None
    """The upper bound of ``between``; None otherwise."""
    year: int
    body: str
    value: float | None
    """The value the body reported; None when it reported none."""
    expected: float | None
    """Where the straight path says the value should be at the end of the round's period."""
    share: float | None
    """How much of the expected way the value has come (1.0 = exactly on the path); None when met,
    without data, or not computable."""
    verdict: str
    """One of :data:`VERDICTS`."""


@dataclass(frozen=True, slots=True)
class AttentionRow:
    """An item the Standing Committee should look at, with the body's own words."""

    item_key: str
    text: str
    body: str
    reason: str
    """One of :data:`ATTENTION_REASONS`."""
    status: str
    """One of :data:`STATUSES`."""
    due: date
    note: str | None
    answered_on: date | None


@dataclass(frozen=True, slots=True)
class BodyRow:
    """One body asked: how many items, how many answered (late among them), missing, by status."""

    code: str
    name_vi: str
    name_en: str
    asked: int
    answered: int
    late: int
    counts: StatusCounts

    @property
    def missing(self) -> int:
        return self.asked - self.answered

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_vi


@dataclass(frozen=True, slots=True)
class TaskRow:
    """Every item asked, with its answer: the XLSX's tasks sheet (the DOCX and HTML only count)."""

    item_key: str
    kind: str
    section_key: str
    text: str
    body: str
    due: date
    status: str
    """One of :data:`STATUSES`."""
    note: str | None
    answered_on: date | None
    channel: str | None
    late: bool


@dataclass(frozen=True)
class ReviewReport:
    """The whole report, as every format shows it."""

    round: RoundInfo
    document_key: str
    programme_title: str
    programme_start: date
    letterhead: Letterhead
    summary: Summary
    by_status: StatusCounts
    by_part: tuple[GroupCounts, ...]
    by_section: tuple[GroupCounts, ...]
    by_body: tuple[GroupCounts, ...]
    targets: tuple[TargetRow, ...]
    attention: tuple[AttentionRow, ...]
    bodies: tuple[BodyRow, ...]
    tasks: tuple[TaskRow, ...] = field(default=())
    verdict_on_track: float = 0.9
    verdict_at_risk: float = 0.7

    def verdict_counts(self) -> dict[str, int]:
        """How many indicators have each verdict, every verdict present (zero when none)."""
        counts = dict.fromkeys(VERDICTS, 0)
        for row in self.targets:
            counts[row.verdict] += 1
        return counts
