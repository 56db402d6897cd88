"""The verdict rule of a review report's targets, on cases computed by hand.

Each case states its path: baseline b, target t, elapsed share e, so expected = b + (t - b) * e,
and share = (value - b) / (expected - b). Thresholds are the policy's: on track 0.9, at risk 0.7.
"""

from datetime import date

import pytest

from workflows.rules.verdicts import baseline_number, elapsed_share, judge


def verdict(comparator: str, target: float, value: float | None, *, baseline: float | None = None,
            elapsed: float = 0.5, target_max: float | None = None, on_track: float = 0.9, at_risk: float = 0.7) -> str:
    return judge(comparator=comparator, target=target, target_max=target_max, baseline=baseline, value=value,
                 elapsed=elapsed, on_track=on_track, at_risk=at_risk).verdict


@pytest.mark.parametrize(("value", "expected"), [
    (10.0, "met"),        # at least 10: 10 satisfies it
    (12.0, "met"),
    (4.5, "on_track"),    # expected 0 + 10 * 0.5 = 5; share 4.5 / 5 = 0.9, exactly the threshold
    (3.5, "at_risk"),     # 3.5 / 5 = 0.7, exactly the lower threshold
    (3.4, "off_track"),   # 3.4 / 5 = 0.68
    (-1.0, "off_track"),  # worse than the baseline
    (None, "no_data"),
])
def test_at_least_rises_from_the_baseline(value: float | None, expected: str) -> None:
    assert verdict("at_least", 10.0, value, baseline=0.0) == expected


def test_more_than_is_not_met_at_the_target_itself() -> None:
    # more than 10: 10 is not; at the end of the path (e = 1) expected 10, share 10 / 10 = 1
    assert verdict("more_than", 10.0, 10.0, baseline=0.0, elapsed=1.0) == "on_track"
    assert verdict("more_than", 10.0, 10.5, baseline=0.0, elapsed=1.0) == "met"


@pytest.mark.parametrize(("value", "expected"), [
    (2.0, "met"),         # at most 2
    (6.4, "on_track"),    # falls from 10 towards 2: expected 10 + (2 - 10) * 0.5 = 6; (6.4-10)/(6-10) = 0.9
    (7.2, "at_risk"),     # 2.8 / 4 = 0.7
    (8.0, "off_track"),   # 2 / 4 = 0.5
    (11.0, "off_track"),  # rose instead of falling
])
def test_at_most_falls_from_the_baseline(value: float, expected: str) -> None:
    assert verdict("at_most", 2.0, value, baseline=10.0) == expected


def test_below_is_not_met_at_the_target_itself() -> None:
    assert verdict("below", 2.0, 2.0, baseline=10.0, elapsed=1.0) == "on_track"
    assert verdict("below", 2.0, 1.9, baseline=10.0, elapsed=1.0) == "met"


@pytest.mark.parametrize(("baseline", "value", "expected"), [
    (40.0, 57.0, "met"),        # inside [55, 60]
    (40.0, 55.0, "met"),        # the bounds are inside
    (40.0, 60.0, "met"),
    (40.0, 46.0, "at_risk"),    # rises towards 55: expected 47.5; 6 / 7.5 = 0.8
    (40.0, 47.0, "on_track"),   # 7 / 7.5 = 0.933
    (40.0, 61.0, "off_track"),  # went through the band and out of its far side
    (70.0, 66.0, "at_risk"),    # falls towards 60: expected 65; -4 / -5 = 0.8
    (57.0, 50.0, "off_track"),  # started inside the band and left it
])
def test_between_heads_for_the_nearer_bound(baseline: float, value: float, expected: str) -> None:
    assert verdict("between", 55.0, value, baseline=baseline, target_max=60.0) == expected


@pytest.mark.parametrize(("factor", "value", "expected"), [
    (3.0, 3.0, "met"),         # three times the baseline: values are in times, the path runs 1 -> 3
    (3.0, 2.0, "on_track"),    # expected 1 + 2 * 0.5 = 2; share 1
    (3.0, 1.75, "at_risk"),    # 0.75 / 1 = 0.75
    (3.0, 1.5, "off_track"),   # 0.5
    (0.5, 0.5, "met"),         # halve it (the poor households): the path falls 1 -> 0.5
    (0.5, 0.75, "on_track"),   # expected 0.75
    (0.5, 0.8125, "at_risk"),  # -0.1875 / -0.25 = 0.75
    (0.5, 0.875, "off_track"), # 0.5
])
def test_times_baseline_counts_in_times_the_baseline(factor: float, value: float, expected: str) -> None:
    # the document's baseline is words ("năm 2020"); the judgement ignores any number given for it
    assert verdict("times_baseline", factor, value, baseline=None) == expected
    assert verdict("times_baseline", factor, value, baseline=2020.0) == expected


@pytest.mark.parametrize(("baseline", "target", "value", "expected"), [
    (4.0, 8.0, 8.0, "met"),
    (4.0, 8.0, 9.0, "met"),        # a level to reach: going past it is no failure
    (4.0, 8.0, 5.5, "at_risk"),    # expected 6; 1.5 / 2 = 0.75
    (8.0, 4.0, 3.0, "met"),        # falling equal: below the level is past it
    (8.0, 4.0, 6.0, "on_track"),   # expected 6
    (8.0, 4.0, 6.25, "at_risk"),   # -1.75 / -2 = 0.875
])
def test_equal_is_a_level_to_reach_in_either_direction(baseline: float, target: float, value: float, expected: str) -> None:
    assert verdict("equal", target, value, baseline=baseline) == expected


def test_thresholds_come_from_the_policy() -> None:
    # expected 4 (0 -> 8, e = 0.5); thresholds 0.75 / 0.5
    assert verdict("at_least", 8.0, 3.0, baseline=0.0, on_track=0.75, at_risk=0.5) == "on_track"
    assert verdict("at_least", 8.0, 2.0, baseline=0.0, on_track=0.75, at_risk=0.5) == "at_risk"
    assert verdict("at_least", 8.0, 1.96, baseline=0.0, on_track=0.75, at_risk=0.5) == "off_track"


def test_a_path_of_no_length_is_off_track_when_not_met() -> None:
    assert verdict("at_least", 5.0, 4.0, baseline=5.0) == "off_track"
    assert verdict("at_least", 5.0, 5.0, baseline=5.0) == "met"
    # the baseline already met the target, the value fell back below it
    assert verdict("at_least", 5.0, 4.0, baseline=6.0) == "off_track"


def test_with_no_time_elapsed_nothing_is_expected_yet() -> None:
    result = judge(comparator="at_least", target=10.0, target_max=None, baseline=2.0, value=2.0, elapsed=0.0,
                   on_track=0.9, at_risk=0.7)
    assert (result.verdict, result.expected) == ("on_track", 2.0)
    assert verdict("at_least", 10.0, 1.0, baseline=2.0, elapsed=0.0) == "off_track"


def test_no_value_is_no_data_with_the_path_still_drawn() -> None:
    result = judge(comparator="at_least", target=10.0, target_max=None, baseline=2.0, value=None, elapsed=0.5,
                   on_track=0.9, at_risk=0.7)
    assert (result.verdict, result.expected, result.share) == ("no_data", 6.0, None)


@pytest.mark.parametrize(("comparator", "target", "value", "expected"), [
    ("at_least", 7.5, 6.8, "on_track"),    # no path: 6.8 / 7.5 = 0.907, whatever the time elapsed
    ("at_least", 8.0, 6.0, "at_risk"),     # 0.75
    ("at_least", 8.0, 5.0, "off_track"),   # 0.625
    ("at_least", 8.0, 7.2, "on_track"),    # 0.9 exactly
    ("below", 4.0, 5.0, "at_risk"),        # falling: 4 / 5 = 0.8
    ("below", 4.0, 4.4, "on_track"),       # 0.909
    ("below", 4.0, 16.0, "off_track"),     # 0.25
    ("equal", 10.0, 10.0, "met"),          # without a direction only the level itself meets it
    ("equal", 10.0, 11.0, "on_track"),     # above it: falling towards it, 10 / 11 = 0.909
    ("between", 55.0, 40.0, "at_risk"),    # below the band: 40 / 55 = 0.727
])
def test_without_a_baseline_the_value_is_judged_against_the_target_itself(
    comparator: str, target: float, value: float, expected: str,
) -> None:
    assert verdict(comparator, target, value, target_max=60.0 if comparator == "between" else None) == expected
    assert verdict(comparator, target, value, target_max=60.0 if comparator == "between" else None,
                   elapsed=0.2) == expected


def test_without_a_baseline_no_path_is_drawn() -> None:
    result = judge(comparator="at_least", target=80.0, target_max=None, baseline=None, value=36.0, elapsed=0.5,
                   on_track=0.9, at_risk=0.7)
    assert (result.verdict, result.expected, result.share) == ("off_track", None, 0.45)


def test_elapsed_share_runs_from_the_start_to_the_end_of_the_target_year() -> None:
    start = date(2021, 1, 1)
    assert elapsed_share(start, 2025, date(2023, 6, 30)) == pytest.approx(910 / 1825)
    assert elapsed_share(start, 2025, date(2020, 6, 30)) == 0.0
    assert elapsed_share(start, 2025, date(2027, 1, 1)) == 1.0
    assert elapsed_share(start, 2020, date(2021, 6, 1)) == 1.0  # a target year before the start


@pytest.mark.parametrize(("text", "comparator", "expected"), [
    ("năm 2020", "at_least", None),   # names a year, not a value
    ("15,2 %", "at_least", 15.2),
    ("7.5", "below", 7.5),
    (None, "equal", None),
    ("1.700.000", "at_least", None),  # ambiguous thousands: not guessed
    ("năm 2020", "times_baseline", 1.0),
])
def test_a_baseline_is_a_number_only_when_the_document_writes_one(text: str | None, comparator: str, expected: float | None) -> None:
    assert baseline_number(text, comparator) == expected
