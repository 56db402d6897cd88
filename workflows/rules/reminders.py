"""The reminder rule: which reminders the items owe on a given day.

Pure functions of items' states, a date and the policy. Nothing here is stored: every sweep
recomputes from the current due date (after any approved extension), so an extension moves the
reminders without any job to reschedule, and the outbox's unique keys make a repeated sweep
harmless.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from config.policy import Policy
from models.states import ItemState, Reminder
from workflows.rules import workdays
from workflows.rules.status import open_dates

REACH_BACK = timedelta(days=15)
"""How far back a date can be and still fall due today: one on a day off moves to the next
working day, and the longest run of days off (Tết with its weekends) is nine days."""


def reminders(items: Iterable[ItemState], as_of: date, policy: Policy) -> list[Reminder]:
    """Reminders the items owe on ``as_of``: for each open date not yet passed, the latest offset
    reached. A sweep that missed days catches up with one reminder, not one per missed offset.

    Takes the items together because a sweep asks for thousands: the day's checks are made once.
    """
    if not workdays.is_sending_day(as_of, policy):
        return []
    since, offsets, working_days = as_of - REACH_BACK, policy.reminder_offsets, policy.working_days
    owed = []
    for item in items:
        if item.done_on is not None:
            continue
        for subject, day in open_dates(item, policy, since):
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
