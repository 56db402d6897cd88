"""Working days in Vietnam as the government sets them: Monday to Friday, less public holidays
(Tết included) and the weekdays given off in exchange for a make-up working Saturday, plus those
Saturdays (2024-05-04, 2025-04-26, 2026-08-22 ...).

The ``holidays`` package computes the lunar new year and carries the government's swaps; nothing
is downloaded. We ask it whether a day is a working day (``HolidayBase.is_working_day``, which
knows the make-up Saturdays) and keep our own walks over that answer, cached per day, because a
sweep asks thousands of times and its walks cross years. Pure functions of dates.
"""

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

import holidays

from config.policy import Policy

FIRST_YEAR, LAST_YEAR = 1990, 2100
"""The years :func:`calendar_of` shows: the package's data covers them, and no programme runs outside."""

_LANGUAGES = {"vi": "vi", "en": "en_US"}
"""Our languages in the package's codes (it has no British English: see :func:`_day_first`)."""


class Calendar(NamedTuple):
    """The calendar in force in one year: what a coordinator checks when no letter went out."""

    year: int
    days_off: tuple[tuple[date, str], ...]
    """Public holidays (Tết included, on whatever day they fall) and weekdays given off, by date."""
    working_weekend_days: tuple[date, ...]
    """Saturdays or Sundays worked in exchange for a weekday off."""


@lru_cache(maxsize=64)
def _holidays(year: int, language: str = "vi") -> holidays.HolidayBase:
    """The holidays of ``year`` and its neighbours: a swap can cross the new year (a Saturday of
    December 2014 was worked for 2 January 2015), and each year's swaps are filled in with it.
    Only asked about days of ``year``, so the object never grows (or changes) after it is built."""
    return holidays.country_holidays("VN", years=(year - 1, year, year + 1), language=language)


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    """A weekday that is not a day off, or a make-up working Saturday (the package knows which).

    Outside :data:`FIRST_YEAR`..:data:`LAST_YEAR` (only a date stored before dates were bounded,
    such as an extension to 31/12/9999, gets there) Monday to Friday: building the holidays of
    thousands of years made one such item cost a sweep half a minute."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return day.weekday() < 5
    return bool(_holidays(day.year).is_working_day(day))


@lru_cache(maxsize=8192)
def on_or_after(day: date) -> date:
    """The day itself if it is a working day, else the next working day (a due date on a day off
    moves on); never past ``date.max`` (a date stored out of range answers, it does not overflow)."""
    while not is_working_day(day) and day < date.max:
        day += timedelta(days=1)
    return day


def on_or_before(day: date) -> date:
    """The day itself if it is a working day, else the working day before; never before ``date.min``."""
    while not is_working_day(day) and day > date.min:
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=8192)
def minus_working_days(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day`` (``day`` itself for 0, moved back to a working day)."""
    day = on_or_before(day)
    while count > 0 and day > date.min:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@lru_cache(maxsize=8192)
def plus_working_days(day: date, count: int) -> date:
    """The working day ``count`` working days after ``day`` (``date.max`` at the most)."""
    while count > 0 and day < date.max:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``).

    From each year's running count of working days (:func:`_running_count`), so a span of years
    costs a look-up per year, not a step per day."""
    if end <= start:
        return 0
    total = _working_days_to(end) - _working_days_to(start)
    for year in range(start.year, end.year):
        total += _running_count(year)[-1]
    return total


def _working_days_to(day: date) -> int:
    """Working days of ``day``'s year from 1 January up to and including ``day``."""
    return _running_count(day.year)[day.timetuple().tm_yday - 1]


@lru_cache(maxsize=256)
def _running_count(year: int) -> tuple[int, ...]:
    """For each day of ``year``, the working days from 1 January up to and including it."""
    first = date(year, 1, 1)
    counts, total = [], 0
    for n in range((date(year + 1, 1, 1) - first).days if year < date.max.year else 365):
        total += is_working_day(first + timedelta(days=n))
        counts.append(total)
    return tuple(counts)


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


def calendar_of(year: int, language: str = "vi") -> Calendar:
    """The days off of ``year`` with their names (in ``language``: "vi" or "en"), and the weekend
    days worked in their place; ordinary weekends are left out. ``ValueError`` outside
    :data:`FIRST_YEAR`..:data:`LAST_YEAR`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{year} is not within {FIRST_YEAR}..{LAST_YEAR}")
    named = _holidays(year, _LANGUAGES.get(language, "vi"))
    days_off = tuple((day, _day_first(name, language)) for day, name in sorted(named.items()) if day.year == year)
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    working_weekend = tuple(day for day in days if day.weekday() >= 5 and is_working_day(day))
    return Calendar(year, days_off, working_weekend)


_US_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def _day_first(name: str, language: str) -> str:
    """The package's English writes a swapped day's origin month first ("substituted from
    04/26/2025"); here every date reads dd/mm/yyyy."""
    return _US_DATE.sub(r"\2/\1/\3", name) if language == "en" else name
