"""Working days in Vietnam: Monday to Friday, less public holidays (Tết included).

The holidays come from the ``holidays`` package, which computes the lunar new year for each
year; nothing is downloaded. Pure functions of dates.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from config.policy import Policy


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


@lru_cache(maxsize=8192)
def on_or_after(day: date) -> date:
    """The day itself if it is a working day, else the next working day (a due date on a day off moves on)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=8192)
def minus_working_days(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day`` (``day`` itself for 0, moved back to a working day)."""
    day = on_or_before(day)
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@lru_cache(maxsize=8192)
def plus_working_days(day: date, count: int) -> date:
    """The working day ``count`` working days after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@lru_cache(maxsize=8192)
def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def effective(day: date, policy: Policy) -> date:
    """A date that falls on a day off moves to the next working day (when the policy counts them)."""
    return on_or_after(day) if policy.working_days else day


def late_by(since: date, as_of: date, policy: Policy) -> int:
    """How late ``as_of`` is after ``since``, in working days (or days, if the policy says so)."""
    if policy.working_days:
        return working_days_between(since, as_of)
    return max(0, (as_of - since).days)


def is_sending_day(as_of: date, policy: Policy) -> bool:
    """Letters go out on working days only (every day, if the policy does not count working days)."""
    return is_working_day(as_of) if policy.working_days else True
