"""Counting working days from each year's running count gives what counting them one day at a
time gives: on every day of a term, across years, and on random spans (property test)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.rules.workdays import is_working_day, working_days_between


def day_by_day(start: date, end: date) -> int:
    """The count as it was done before: a step per day."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def test_every_day_of_a_term_counted_from_its_start_and_to_its_end() -> None:
    start, end = date(2020, 12, 25), date(2026, 1, 5)  # a term and the holidays at both its ends
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    running = 0
    for day in days:  # from the term's start to each day: the running count, one day at a time
        running += day > start and is_working_day(day)
        assert working_days_between(start, day) == running, day
    for day in days:  # and from each day to the term's end
        assert working_days_between(day, end) == day_by_day(day, end), day


def test_a_span_ending_on_a_make_up_saturday_counts_it_and_tet_not() -> None:
    assert working_days_between(date(2025, 4, 25), date(2025, 4, 26)) == 1  # Saturday worked for 2 May
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1  # Tết 2025: 25/01 to 02/02 off


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1989, 1, 1), max_value=date(2102, 12, 31)),
       st.dates(min_value=date(1989, 1, 1), max_value=date(2102, 12, 31)))
def test_any_span_counts_as_day_by_day(start: date, end: date) -> None:
    assert working_days_between(start, end) == day_by_day(start, end)
