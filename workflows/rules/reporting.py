"""Reporting dates: when a body owes a progress report on an item, and which date a report answers.

Pure functions of dates and the policy's cadence. Reading a document uses them to show an item's
reporting dates; the sweeps use them (through :func:`rule`) to build each item's state.
"""

import calendar
from collections.abc import Callable
from datetime import date
from functools import lru_cache, partial

from models.states import ItemState

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def reporting_dates(start: date, due: date, cadence: str) -> list[date]:
    """Ends of the reporting periods after ``start`` up to ``due``, and ``due`` itself.

    Periods are calendar-aligned (half-yearly: 30 June and 31 December).
    """
    if cadence not in CADENCE_MONTHS:
        raise ValueError(f"unknown reporting cadence {cadence!r}")
    step = CADENCE_MONTHS[cadence]
    dates: list[date] = []
    year, month = start.year, step
    while year <= date.max.year:  # a due date stored as 31/12/9999 ends the walk, not the command
        end = end_of_month(year, month)
        if end > due:
            break
        if end > start:
            dates.append(end)
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    if not dates or dates[-1] != due:
        dates.append(due)
    return dates


@lru_cache(maxsize=4096)
def _cached(start: date, due: date, cadence: str) -> tuple[date, ...]:
    return tuple(reporting_dates(start, due, cadence))


def rule(cadence: str) -> Callable[[date, date], tuple[date, ...]]:
    """The reporting dates of an item from its programme's start and its due date, cached: a sweep
    asks for thousands of items, most of them sharing a start and a due date."""
    return partial(_cached, cadence=cadence)


def period_ends(as_of: date, cadence: str) -> list[date]:
    """The calendar-aligned reporting dates around ``as_of`` (last year to next)."""
    return reporting_dates(date(as_of.year - 1, 1, 1), date(as_of.year + 1, 12, 31), cadence)


def period_answered(item: ItemState, submitted_on: date) -> date:
    """The reporting date a report answers: the earliest one still unanswered, overdue ones
    first, but never later than the next reporting date (a second report in one period updates
    that period); once all are answered, the due date."""
    upcoming = next((p for p in item.reporting_dates if p >= submitted_on), item.due)
    unanswered = next((p for p in item.reporting_dates if p not in item.reported_periods), None)
    if unanswered is None:
        return item.due
    return min(unanswered, upcoming)
