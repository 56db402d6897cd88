"""What the chase owes each item on a given day: reminders, escalations, its status.

Pure functions of an item's state, a date and the policy. Nothing here is stored: every sweep
recomputes from the current due date (after any approved extension), so an extension moves the
reminders and the ladder without any job to reschedule, and the outbox's unique keys make a
repeated sweep harmless.

The value types are named tuples, not dataclasses: a sweep builds one per item in reach, tens
of thousands at a time, and a tuple is built in under half the time.
"""

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from config.policy import Policy
from workflows import workdays

STATUSES = ("not_started", "in_progress", "done", "blocked")


REACH_BACK = timedelta(days=15)
"""How far back a date can be and still fall due today: one on a day off moves to the next
working day, and the longest run of days off (Tết with its weekends) is nine days."""


class ItemState(NamedTuple):
    """An item as the chase sees it."""

    id: int
    key: str
    kind: str
    text: str
    section: str
    lead: str
    cooperating: tuple[str, ...]
    document_due: date
    due: date
    reporting_dates: tuple[date, ...]
    done_on: date | None = None
    blocked: bool = False
    reported_periods: frozenset[date] = frozenset()
    reports_on: tuple[date, ...] = ()

    @property
    def extended(self) -> bool:
        return self.due != self.document_due


class Reminder(NamedTuple):
    item: ItemState
    subject: str  # "deadline" | "report"
    day: date  # the (working) day it falls due
    offset: int

    @property
    def key(self) -> str:
        return f"reminder:item:{self.item.id}:{self.subject}:{self.day.isoformat()}:{self.offset}"


class Rung(NamedTuple):
    """An escalation that is due: ``level`` 1 or 2 for something overdue since ``since``."""

    item: ItemState
    subject: str
    since: date
    level: int
    working_days_late: int

    @property
    def key(self) -> str:
        return f"escalation:item:{self.item.id}:{self.subject}:{self.since.isoformat()}:{self.level}"

    @property
    def reason(self) -> str:
        what = "deadline" if self.subject == "deadline" else "progress report"
        return f"{what} of {self.since.isoformat()} overdue by {self.working_days_late} working days"


def effective(day: date, policy: Policy) -> date:
    """A date that falls on a day off moves to the next working day (when the policy counts them)."""
    return workdays.on_or_after(day) if policy.working_days else day


def late_by(since: date, as_of: date, policy: Policy) -> int:
    if policy.working_days:
        return workdays.working_days_between(since, as_of)
    return max(0, (as_of - since).days)


def is_sending_day(as_of: date, policy: Policy) -> bool:
    return workdays.is_working_day(as_of) if policy.working_days else True


def status(item: ItemState, as_of: date, policy: Policy) -> str:
    """Government task-tracking categories: done on time or late, not done within deadline or
    overdue; or blocked."""
    due = effective(item.due, policy)
    if item.done_on is not None and item.done_on <= as_of:
        return "done_on_time" if item.done_on <= due else "done_late"
    if item.blocked:
        return "blocked"
    return "not_done_overdue" if as_of > due else "not_done_within_deadline"


def _open_dates(item: ItemState, policy: Policy, since: date | None = None) -> list[tuple[str, date]]:
    """The deadline and every reporting date not yet answered (from ``since`` on, when given),
    each moved to a working day."""
    due = effective(item.due, policy)
    dates = [("deadline", due)]
    first = 0 if since is None else bisect_left(item.reporting_dates, since)
    for period in item.reporting_dates[first:]:
        day = effective(period, policy)
        if period not in item.reported_periods and day < due:
            dates.append(("report", day))
    return dates


def reminders(items: Iterable[ItemState], as_of: date, policy: Policy) -> list[Reminder]:
    """Reminders the items owe on ``as_of``: for each open date not yet passed, the latest offset
    reached. A sweep that missed days catches up with one reminder, not one per missed offset.

    Takes the items together because a sweep asks for thousands: the day's checks are made once.
    """
    if not is_sending_day(as_of, policy):
        return []
    since, offsets, working_days = as_of - REACH_BACK, policy.reminder_offsets, policy.working_days
    owed = []
    for item in items:
        if item.done_on is not None:
            continue
        for subject, day in _open_dates(item, policy, since):
            offset = _offset_reached(day, as_of, offsets, working_days)
            if offset is not None:
                owed.append(Reminder(item, subject, day, offset))
    return owed


@lru_cache(maxsize=4096)
def _offset_reached(day: date, as_of: date, offsets: tuple[int, ...], working_days: bool) -> int | None:
    """The smallest offset before ``day`` whose sending day has come by ``as_of`` (None once
    ``day`` has passed or before the first). Cached: a sweep asks it for every item, and the
    items due on one day all get the same answer."""
    if as_of > day:
        return None
    for offset in sorted(offsets):
        sent = workdays.minus_working_days(day, offset) if working_days else day - timedelta(days=offset)
        if sent <= as_of:
            return offset
    return None


def rungs(item: ItemState, as_of: date, policy: Policy) -> list[Rung]:
    """Escalations owed on ``as_of``: the highest level reached for each overdue date.

    A missed deadline leaves the ladder when a report arrives after it (the body has answered)
    or the item is done; a missed reporting date when a report for that period arrives.
    """
    if item.done_on is not None or not is_sending_day(as_of, policy):
        return []
    owed = []
    for subject, since in _open_dates(item, policy):
        if as_of <= since:
            continue
        if subject == "deadline" and any(day >= since for day in item.reports_on):
            continue
        late = late_by(since, as_of, policy)
        level = 2 if late >= policy.escalation_level_1 + policy.escalation_level_2 else 1 if late >= policy.escalation_level_1 else 0
        if level:
            owed.append(Rung(item, subject, since, level, late))
    return owed


def period_answered(item: ItemState, submitted_on: date) -> date:
    """The reporting date a report answers: the earliest one still unanswered, overdue ones
    first, but never later than the next reporting date (a second report in one period updates
    that period); once all are answered, the due date."""
    upcoming = next((p for p in item.reporting_dates if p >= submitted_on), item.due)
    unanswered = next((p for p in item.reporting_dates if p not in item.reported_periods), None)
    if unanswered is None:
        return item.due
    return min(unanswered, upcoming)


def reminder_window(as_of: date, policy: Policy, cadence_ends: list[date]) -> tuple[date, date | None]:
    """The due dates that can owe a reminder on ``as_of``: from ``REACH_BACK`` ago to the widest
    offset ahead; with no end when a reporting date is in reach, since every item due after it
    may owe a report reminder. Used to let the database select the candidates."""
    widest = max(policy.reminder_offsets)
    last = workdays.plus_working_days(as_of, widest) if policy.working_days else as_of + timedelta(days=widest)
    first = as_of - REACH_BACK
    if any(first <= end <= last for end in cadence_ends):
        return first, None
    return first, last
