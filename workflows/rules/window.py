"""The days a programme can be acted on: a window around its term that bounds every date a user gives.

A programme of the term 2020 - 2025 takes effect in its first year and is followed up after its
last: the final review, the last reports and a few extensions come in the months after the term
ends, and a province's next congress (five years on) adopts a new programme that takes over. So
the window runs from 1 January of the first year to 31 December five years after the last year,
and a date outside it (31/12/9999, 1900, 2099) is a typing slip, not a day of the programme.

The window never leaves the years the holiday calendar covers
(:data:`workflows.rules.workdays.FIRST_YEAR` .. :data:`~workflows.rules.workdays.LAST_YEAR`), so
the date arithmetic of the chase (working days, reporting periods) can never run past
``date.max`` from a date that was let in. Pure functions of years and dates.
"""

from collections.abc import Iterable
from datetime import date

FOLLOW_UP_YEARS = 5
"""Years after the term's last in which reports, reviews and extensions still come in: one term."""

Window = tuple[date, date]
"""The first and the last day (both included) on which a programme can be acted on."""


def date_window(first_year: int, last_year: int) -> Window:
    """From 1 January of ``first_year`` to 31 December of ``last_year`` + :data:`FOLLOW_UP_YEARS`,
    cut to the calendar's years."""
    # imported here: every command loads this module, and few need the holidays package
    from workflows.rules.workdays import FIRST_YEAR, LAST_YEAR

    first = max(first_year, FIRST_YEAR)
    last = min(max(last_year, first_year) + FOLLOW_UP_YEARS, LAST_YEAR)
    return date(min(first, last), 1, 1), date(last, 12, 31)


def union(windows: Iterable[Window]) -> Window | None:
    """The days any of ``windows`` covers, from the earliest first day to the latest last day
    (None when there is none): a sweep acts on the items of every stored programme at once."""
    spans = list(windows)
    if not spans:
        return None
    return min(first for first, _ in spans), max(last for _, last in spans)


def within(day: date, window: Window) -> bool:
    first, last = window
    return first <= day <= last
