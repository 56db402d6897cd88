"""An item's status on a day, in the categories of government task tracking."""

from bisect import bisect_left
from datetime import date

from config.policy import Policy
from models.states import ItemState
from workflows.rules.workdays import effective

STATUSES = ("not_started", "in_progress", "done", "blocked")
"""What a body may report."""

CATEGORIES = ("done_on_time", "done_late", "not_done_within_deadline", "not_done_overdue", "blocked")
"""What an item is, on a day: done on time or late, not done within deadline or overdue; or blocked."""


def status(item: ItemState, as_of: date, policy: Policy) -> str:
    """The item's category on ``as_of`` (one of :data:`CATEGORIES`)."""
    due = effective(item.due, policy)
    if item.done_on is not None and item.done_on <= as_of:
        return "done_on_time" if item.done_on <= due else "done_late"
    if item.blocked:
        return "blocked"
    return "not_done_overdue" if as_of > due else "not_done_within_deadline"


def open_dates(item: ItemState, policy: Policy, since: date | None = None) -> list[tuple[str, date]]:
    """The deadline and every reporting date not yet answered (from ``since`` on, when given),
    each moved to a working day. Reminders and escalation both chase these."""
    due = effective(item.due, policy)
    dates = [("deadline", due)]
    first = 0 if since is None else bisect_left(item.reporting_dates, since)
    for period in item.reporting_dates[first:]:
        day = effective(period, policy)
        if period not in item.reported_periods and day < due:
            dates.append(("report", day))
    return dates
