"""Numerals, indicators and deadlines, as a coordinator would read them off the page."""

from datetime import date

import pytest

from models.programme import Term
from workflows.reading.deadlines import deadline_for, find_term
from workflows.reading.indicators import indicators_of
from workflows.reading.numbers import parse_number
from workflows.rules.reporting import reporting_dates

TERM = Term(2020, 2025)
START = date(2021, 1, 1)


@pytest.mark.parametrize(("text", "value"), [("5.685", 5685), ("7,5", 7.5), ("1.700", 1700), ("10.000", 10000),
                                             ("65,57", 65.57), ("1.234,5", 1234.5), ("1/2", 0.5), ("2", 2)])
def test_vietnamese_numerals(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_a_target_with_two_indicators() -> None:
    found = indicators_of("Tỷ lệ dân số được sử dụng nước sạch đến năm 2025 đạt 70%, nước hợp vệ sinh đạt 100%.", 2025)
    assert [(i.name, i.comparator, i.value, i.unit, i.year) for i in found] == [
        ("Tỷ lệ dân số được sử dụng nước sạch", "equal", 70, "%", 2025),
        ("nước hợp vệ sinh", "equal", 100, "%", 2025),
    ]


@pytest.mark.parametrize(
    ("text", "comparator", "value", "value_max", "unit"),
    [
        ("Tốc độ tăng trưởng kinh tế (GRDP) bình quân hàng năm đạt 7,5% trở lên.", "at_least", 7.5, None, "%"),
        ("GRDP bình quân đầu người năm 2025 đạt 5.685 USD.", "equal", 5685, None, "USD"),
        ("Tỷ lệ che phủ rừng năm 2025 đạt trên 46,5%.", "more_than", 46.5, None, "%"),
        ("Tỷ lệ suy dinh dưỡng của trẻ em dưới 5 tuổi đến năm 2025 dưới 8,5%.", "below", 8.5, None, "%"),
        ("Tỷ lệ huy động vốn đầu tư/GRDP hàng năm đạt 55 - 60%.", "between", 55, 60, "%"),
        ("Thu ngân sách nội địa năm 2025 gấp 2,2 lần so với năm 2020.", "times_baseline", 2.2, None, "lần"),
        ("Phát triển đảng viên bình quân hàng năm đạt từ 1.700 đồng chí trở lên.", "at_least", 1700, None, "đồng chí"),
        ("Kim ngạch xuất khẩu hàng hóa năm 2025 đạt 2 tỷ USD.", "equal", 2, None, "tỷ USD"),
    ],
)
def test_comparators_values_and_units(text: str, comparator: str, value: float, value_max: float | None, unit: str) -> None:
    (indicator,) = indicators_of(text, 2025)
    assert (indicator.comparator, indicator.value, indicator.value_max, indicator.unit) == (comparator, value, value_max, unit)


def test_an_age_a_count_in_passing_and_a_year_range_are_not_indicators() -> None:
    found = indicators_of("Số trường đạt chuẩn ở 4 cấp học của trẻ dưới 5 tuổi giai đoạn 2021 - 2025 đạt 65,57%.", 2025)
    assert [(i.value, i.unit) for i in found] == [(65.57, "%")]


def test_per_capita_units() -> None:
    found = indicators_of("Đến năm 2025, đạt 12,5 bác sĩ (10 bác sĩ công lập) trên 10.000 dân.", 2025)
    assert found[0].unit == "bác sĩ/10.000 dân" and found[0].value == 12.5


@pytest.mark.parametrize(
    ("text", "due", "recurrence"),
    [
        ("Hoàn thành quy hoạch đến năm 2023.", date(2023, 12, 31), "once"),
        ("Kim ngạch xuất khẩu năm 2024 đạt 2 tỷ USD.", date(2024, 12, 31), "once"),
        ("Thực hiện kế hoạch giai đoạn 2021 - 2024.", date(2024, 12, 31), "once"),
        ("Quy hoạch đến năm 2025, tầm nhìn đến năm 2035.", date(2025, 12, 31), "once"),
        ("Rà soát việc thực hiện Kết luận đến năm 2020.", date(2025, 12, 31), "once"),
        ("Tổ chức kiểm tra hàng năm.", date(2025, 12, 31), "yearly"),
        ("Thường xuyên kiểm tra các hồ chứa.", date(2025, 12, 31), "continuous"),
        ("Khẩn trương rà soát quy hoạch chung.", date(2021, 4, 1), "once"),
        ("Ban hành kế hoạch trước ngày 30/6/2021.", date(2021, 6, 30), "once"),
        ("Hoàn thành trong quý III/2022.", date(2022, 9, 30), "once"),
        ("Hoàn thành trong quý II năm 2023.", date(2023, 6, 30), "once"),
        ("Thực hiện Kết luận số 65-KL/TW, ngày 30/10/2019 của Bộ Chính trị.", date(2025, 12, 31), "once"),
        ("Đề án giai đoạn 2021 - 2030.", date(2025, 12, 31), "once"),
    ],
)
def test_deadlines(text: str, due: date, recurrence: str) -> None:
    deadline = deadline_for(text, TERM, START, urgent_days=90)
    assert (deadline.due, deadline.recurrence) == (due, recurrence)


def test_the_term_is_read_from_the_title_or_else_from_the_headings() -> None:
    assert find_term("CHƯƠNG TRÌNH ... nhiệm kỳ 2020 - 2025", []) == Term(2020, 2025)
    assert find_term("KẾ HOẠCH", ["MỤC TIÊU ĐẾN NĂM 2030"]) == Term(2025, 2030)


def test_half_yearly_reporting_dates_end_at_the_due_date() -> None:
    assert reporting_dates(START, date(2022, 3, 31), "half_yearly") == [
        date(2021, 6, 30), date(2021, 12, 31), date(2022, 3, 31),
    ]
    assert reporting_dates(START, date(2021, 12, 31), "quarterly")[-2:] == [date(2021, 9, 30), date(2021, 12, 31)]


def test_a_value_that_is_no_finite_number_is_no_indicator_and_no_crash() -> None:
    found = indicators_of("Tỷ lệ hộ nghèo giảm còn 1/0%, tỷ lệ che phủ rừng đạt 47%.", 2025)
    assert [(i.name, i.value) for i in found] == [("tỷ lệ che phủ rừng", 47.0)]
    assert indicators_of("Đạt " + "9" * 400 + "% dân số.", 2025) == []
