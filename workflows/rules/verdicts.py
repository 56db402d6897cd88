"""A target's verdict in a review report: met, on track, at risk, off track or no data.

Pure functions of numbers and dates, so that every case can be checked by hand.

The path. A target runs in a straight line from its baseline at the programme's start to its
target value at the end of its target year (31 December). At the end of the round's period it
should have come the *elapsed share* of the way: ``elapsed = days since the start / days from the
start to the end of the target year``, clamped to 0..1, and ``expected = baseline + (target -
baseline) * elapsed``.

The verdict, in this order:

- **no data**: the body reported no value.
- **met**: the value already satisfies the comparator against the target: ``at_least`` v >= t,
  ``more_than`` v > t, ``at_most`` v <= t, ``below`` v < t, ``between`` t <= v <= t_max;
  ``times_baseline``: the value is in times the baseline (the indicator's unit is "lần"), so the
  path runs from 1 to the factor and the target is met once the value has reached the factor
  (at least it when the factor is above 1, at most it when below). ``equal`` is read as a level
  to reach ("đạt 5.685 USD"): met when the value equals the target or has gone past it in the
  path's direction (without a baseline the direction is unknown, so only an equal value meets it).
  A ``between`` value that has gone through the band and out of its far side is off track.
- otherwise ``share = (value - baseline) / (expected - baseline)``, how much of the expected way
  the value has come (the sign follows the path: for ``at_most`` and ``below`` the path falls, so
  a value that fell more has a larger share). **on track** when ``share >= on_track`` (policy
  ``review.verdicts.on_track``, 0.9), **at risk** when ``share >= at_risk`` (0.7), **off track**
  below. A value exactly at a threshold (to within 1e-9, binary rounding) takes the better verdict.
- Nothing expected yet (elapsed 0): on track when the value is no worse than the baseline, else
  off track. A path of no length (the baseline is the target, or already beyond it while the
  value is not): off track, since the value has fallen back from where it started.
- **No baseline** (the document gives none, as for most of the sample's indicators: annual rates
  like "tăng trưởng bình quân 7,5%/năm" and levels like "tỷ lệ che phủ rừng 46,5%"): there is no
  path to place the value on, and a path "from nothing" would call a forest cover of 45% against
  46,5% a success at mid-term whatever happened. The value is judged against the target itself,
  as at the end of the path: ``share = value / target`` on a rising path, ``target / value`` on a
  falling one, against the same thresholds; no expected value is shown. This is strict for a
  quantity that accumulates (it reads as at risk early in the term); give the baseline in the
  document to have it judged along its path.

The direction of the path: rising for ``at_least`` and ``more_than``, falling for ``at_most``
and ``below``; for ``equal`` from the baseline towards the target (without a baseline: towards
the target from where the value is); for ``between`` towards the nearer bound, from the
baseline or, without one, from the value.
"""

from dataclasses import dataclass
from datetime import date

VERDICTS = ("met", "on_track", "at_risk", "off_track", "no_data")
RISING = ("at_least", "more_than")
FALLING = ("at_most", "below")
ROUNDING = 1e-9
"""(6.4 - 10) / (6 - 10) is 0.8999999999999999 in binary: a share this close to a threshold is at it."""


@dataclass(frozen=True)
class Judgement:
    """A verdict with the figures behind it (``expected`` and ``share`` None when not computed)."""

    verdict: str
    expected: float | None
    share: float | None


def elapsed_share(start: date, target_year: int, at: date) -> float:
    """How much of the time from ``start`` to the end of ``target_year`` has passed at ``at`` (0..1)."""
    end = date(target_year, 12, 31)
    if end <= start:
        return 1.0
    return min(1.0, max(0.0, (at - start).days / (end - start).days))


def _met(comparator: str, value: float, target: float, target_max: float | None, rising: bool | None) -> bool:
    """Whether ``value`` satisfies the comparator; ``rising`` is the path's direction (None: unknown)."""
    if comparator == "at_least":
        return value >= target
    if comparator == "more_than":
        return value > target
    if comparator == "at_most":
        return value <= target
    if comparator == "below":
        return value < target
    if comparator == "between":
        return target <= value <= (target if target_max is None else target_max)
    if comparator in ("equal", "times_baseline"):
        if rising is None:
            return value == target
        return value >= target if rising else value <= target
    raise ValueError(f"unknown comparator {comparator!r}")


def _aim(comparator: str, target: float, target_max: float | None, start: float) -> tuple[float, bool | None]:
    """The end of the path and its direction (True rising, False falling, None unknown), from
    ``start`` (the baseline, or the value when there is no baseline)."""
    if comparator in RISING:
        return target, True
    if comparator in FALLING:
        return target, False
    if comparator == "between":
        upper = target if target_max is None else target_max
        return (target, True) if start < target else (upper, False)
    if start == target:
        return target, None
    return target, start < target


def _past_the_band(comparator: str, value: float, lower: float, upper: float | None, rising: bool) -> bool:
    """A ``between`` value that went through the band and out of its far side: off track."""
    if comparator != "between":
        return False
    return value > (lower if upper is None else upper) if rising else value < lower


def _grade(share: float, on_track: float, at_risk: float) -> str:
    """The verdict of a share; one that is at a threshold but for binary rounding reaches it."""
    if share >= on_track - ROUNDING:
        return "on_track"
    return "at_risk" if share >= at_risk - ROUNDING else "off_track"


def judge(
    *, comparator: str, target: float, target_max: float | None, baseline: float | None, value: float | None,
    elapsed: float, on_track: float, at_risk: float,
) -> Judgement:
    """The verdict of one indicator (see the module's docstring for the rule)."""
    if comparator == "times_baseline":
        baseline = 1.0
    if baseline is None:
        return _judge_without_baseline(comparator, target, target_max, value, on_track, at_risk)
    aim, direction = _aim(comparator, target, target_max, baseline)
    rising = True if direction is None else direction  # None: the baseline is the target, no length
    expected = baseline + (aim - baseline) * elapsed
    if value is None:
        return Judgement("no_data", expected, None)
    if _met(comparator, value, target, target_max, rising):
        return Judgement("met", expected, None)
    sign = 1.0 if rising else -1.0
    length = (aim - baseline) * sign
    if length <= 0 or _past_the_band(comparator, value, target, target_max, rising):
        return Judgement("off_track", expected, None)
    if elapsed == 0:
        return Judgement("on_track" if (value - baseline) * sign >= 0 else "off_track", expected, None)
    share = (value - baseline) / (expected - baseline)
    return Judgement(_grade(share, on_track, at_risk), expected, share)


def _judge_without_baseline(
    comparator: str, target: float, target_max: float | None, value: float | None, on_track: float, at_risk: float,
) -> Judgement:
    """No baseline: no path to place the value on; the value's ratio to the target (module docstring)."""
    if value is None:
        return Judgement("no_data", None, None)
    aim, rising = _aim(comparator, target, target_max, value)
    if _met(comparator, value, target, target_max, None):
        return Judgement("met", None, None)
    going = (value, aim) if rising else (aim, value)  # reached / wanted, as a share of the way
    ratio = going[0] / going[1] if going[1] > 0 and going[0] >= 0 else 0.0
    return Judgement(_grade(ratio, on_track, at_risk), None, ratio)


def baseline_number(text: str | None, comparator: str) -> float | None:
    """The baseline as a number when the document's words are one ("15,2" or "15.2 %"), else None.

    A baseline like "năm 2020" names the year the target is measured against, not a value: it
    gives no number. ``times_baseline`` targets are in times the baseline, whose value is 1."""
    if comparator == "times_baseline":
        return 1.0
    if not text:
        return None
    words = text.strip().split()
    if not words:
        return None
    head = words[0].replace(",", ".")
    if head.count(".") > 1:
        return None
    try:
        return float(head)
    except ValueError:
        return None
