"""What a body says it reached, read into the numbers a review answer stores (pure)."""

import pytest

from workflows.reading.review_values import Named, ValueProblem, resolve_values, split_pair

GRDP = [Named(0, "Tốc độ tăng trưởng kinh tế (GRDP) bình quân hàng năm"), Named(1, "GRDP bình quân đầu người")]


def test_an_indicator_is_named_as_printed_in_any_case_or_tone_placement_or_by_its_place() -> None:
    assert resolve_values([("tốc độ tăng trưởng kinh tế (grdp) bình quân hàng năm", "7,5")], GRDP) == {"0": 7.5}
    assert resolve_values([("2", "5.685")], GRDP) == {"1": 5685.0}  # thousands dot, as written here
    assert resolve_values([("GRDP bình quân đầu người", "12.5"), ("1", "6,9")], GRDP) == {"1": 12.5, "0": 6.9}


@pytest.mark.parametrize(("given", "reason"), [
    ([("Tỷ lệ hộ nghèo", "3")], "indicator"),
    ([("3", "3")], "indicator"),  # no third indicator
    ([("0", "3")], "indicator"),  # places count from 1
    ([("1", "nhiều")], "number"),
    ([("1", "1/0")], "number"),
    ([("1", "nan")], "number"),
    ([("1", "7"), ("Tốc độ tăng trưởng kinh tế (GRDP) bình quân hàng năm", "8")], "twice"),
])
def test_what_cannot_be_stored_is_refused_with_its_reason(given: list[tuple[str, str]], reason: str) -> None:
    with pytest.raises(ValueProblem) as refused:
        resolve_values(given, GRDP)
    assert refused.value.reason == reason


def test_a_pair_splits_at_its_last_equals_sign() -> None:
    assert split_pair("Tỷ lệ A=B = 12,5") == ("Tỷ lệ A=B", "12,5")
    for bad in ("12,5", "=3", "tên="):
        with pytest.raises(ValueProblem):
            split_pair(bad)
