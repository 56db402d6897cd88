"""A target table whose target column names no year and which has no deadline column: each row's
own words say when ("đến năm 2027"), and the reader takes it from them (it used to stop with a
traceback when no column was headed by that year)."""

from datetime import date

from config.loading import Configuration
from tests.unit.test_appendix_only import HEAD, PROSE_BODY, SIGNATURE, parse

TARGETS = [
    ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu"],
    ["1", "Tỷ lệ hồ sơ được xử lý trực tuyến đến năm 2027", "%", "80"],
    ["2", "Số xã có điểm truy cập Internet công cộng", "xã", "40"],
]


def test_a_target_row_without_a_year_column_is_due_in_the_year_its_words_name(configuration: Configuration) -> None:
    text = "\n".join([*HEAD, *PROSE_BODY, *SIGNATURE, "PHỤ LỤC", "BIỂU CHỈ TIÊU",
                      *(" | ".join(row) for row in TARGETS)])
    programme = parse(text, configuration)
    targets = {item.key: item for item in programme.items if item.kind == "target"}
    assert [(key, item.due) for key, item in targets.items()] == [
        ("PL1.1", date(2027, 12, 31)), ("PL1.2", date(2030, 12, 31))]
    [rate] = targets["PL1.1"].indicators
    assert (rate.value, rate.unit, rate.year) == (80, "%", 2027)
