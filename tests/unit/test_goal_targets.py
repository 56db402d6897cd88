"""How targets are read where the second new-user trial lost them or read them wrong (issue 12,
"Targets in a heading line"; indicators of change keep their direction and baseline):

1. a bullet with a figure under a "MỤC TIÊU" part is a target; one with no figure stays context;
2. a yearly rate of fall ("giảm 1,5%/năm so với năm 2025") keeps its direction and baseline, and
   "duy trì ổn định ở mức" is not part of what is measured;
3. a year column of a target table before the plan's first year is its baseline.

The document is made for the test: a province's plan for 2026 - 2030, its signature, then a
target table with a column for 2025 (the plan's starting point), 2027 and 2030.
"""

from datetime import date

import pytest

from config.loading import Configuration
from models.programme import Indicator, Programme
from workflows.reading.appendix_columns import Column, column_of, dated
from workflows.reading.indicators import indicators_of
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise

GOAL_AIM = "Xây dựng môi trường văn hóa lành mạnh, văn minh, giàu bản sắc."
LINES = [
    "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
    "Số: 45/KH-UBND",
    "Hà Tĩnh, ngày 10 tháng 3 năm 2026",
    "KẾ HOẠCH",
    "Thực hiện Chương trình phát triển kinh tế - xã hội giai đoạn 2026 - 2030",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Cụ thể hóa các mục tiêu, nhiệm vụ của Chương trình phù hợp với điều kiện của tỉnh.",
    "II. MỤC TIÊU ĐẾN NĂM 2030",
    "- Phấn đấu 100% đơn vị hành chính cấp xã có đủ thiết chế văn hóa, thể thao cơ bản vào năm 2030.",
    f"- {GOAL_AIM}",
    "- Tỷ trọng các ngành công nghiệp văn hóa đóng góp 7% GRDP vào năm 2030.",
    "- Chi ngân sách cho văn hóa đạt ít nhất 2% tổng chi ngân sách hằng năm.",
    "III. CHỈ TIÊU CHỦ YẾU",
    "- Tỷ lệ hộ nghèo theo chuẩn đa chiều giảm 1,5%/năm so với năm 2025.",
    "- Tỷ lệ che phủ rừng duy trì ổn định ở mức 52%.",
    "- Lượng phát thải khí nhà kính giảm 10% so với năm 2025.",
    "IV. NHIỆM VỤ, GIẢI PHÁP",
    "- Rà soát quy hoạch các thiết chế văn hóa cấp xã, hoàn thành trong năm 2027.",
    "V. TỔ CHỨC THỰC HIỆN",
    "1. Sở Văn hóa, Thể thao và Du lịch theo dõi, đôn đốc, báo cáo Ủy ban nhân dân tỉnh.",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Nguyễn Văn A",
    "",
    "PHỤ LỤC",
    "BIỂU CHỈ TIÊU CHỦ YẾU",
    "",
    "TT | Chỉ tiêu | Đơn vị tính | Năm 2025 | Năm 2027 | Năm 2030",
    "1 | GRDP bình quân đầu người | triệu đồng | 95 | 115 | 150",
    "2 | Tỷ lệ xã đạt chuẩn nông thôn mới nâng cao | % | 45 | 60 | 80",
]


@pytest.fixture(scope="module")
def programme(configuration: Configuration) -> Programme:
    text = normalise("\n".join(LINES) + "\n")
    return parse_programme(
        text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry
    )


def _indicators(programme: Programme, section: str) -> dict[str, tuple[Indicator, ...]]:
    return {i.key: i.indicators for i in programme.items if i.section == section}


def test_a_goal_bullet_with_a_figure_is_a_target_and_one_without_stays_context(programme: Programme) -> None:
    targets = [(i.key, i.kind, i.due) for i in programme.items if i.section == "II"]
    assert targets == [("II.1", "target", date(2030, 12, 31)), ("II.3", "target", date(2030, 12, 31)),
                       ("II.4", "target", date(2030, 12, 31))]  # fmt: skip
    assert _indicators(programme, "II") == {
        "II.1": (Indicator("đơn vị hành chính cấp xã có đủ thiết chế văn hóa", "equal", 100.0, "%", 2030),),
        "II.3": (Indicator("Tỷ trọng các ngành công nghiệp văn hóa đóng góp", "equal", 7.0, "%", 2030),),
        "II.4": (Indicator("Chi ngân sách cho văn hóa", "at_least", 2.0, "%", 2030),),
    }
    goals = next(s for s in programme.sections if s.key == "II")
    assert goals.context == (GOAL_AIM,)


def test_a_yearly_rate_of_fall_keeps_its_direction_and_baseline(programme: Programme) -> None:
    assert _indicators(programme, "III") == {
        # signed, and a falling target: met by a fall of 1,5 a year or more
        "III.1": (
            Indicator("Tỷ lệ hộ nghèo theo chuẩn đa chiều", "at_most", -1.5, "%/năm", 2030, baseline="năm 2025"),
        ),
        "III.2": (Indicator("Tỷ lệ che phủ rừng", "equal", 52.0, "%", 2030),),
        "III.3": (Indicator("Lượng phát thải khí nhà kính", "times_baseline", 0.9, "lần", 2030, baseline="năm 2025"),),
    }


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("Tỷ lệ hộ nghèo giảm bình quân 1,5%/năm.", Indicator("Tỷ lệ hộ nghèo", "at_most", -1.5, "%/năm", 2030)),
        ("Tỷ lệ hộ nghèo giảm bình quân trên 2%/năm.", Indicator("Tỷ lệ hộ nghèo", "below", -2.0, "%/năm", 2030)),
        ("Thu ngân sách tăng bình quân 8%/năm so với giai đoạn trước.",
         Indicator("Thu ngân sách", "at_least", 8.0, "%/năm", 2030, baseline="giai đoạn trước")),
        ("Tốc độ tăng trưởng GRDP đạt 7,5%/năm.", Indicator("Tốc độ tăng trưởng GRDP", "equal", 7.5, "%/năm", 2030)),
        ("Tỷ lệ bao phủ bảo hiểm y tế duy trì ở mức trên 95%.",
         Indicator("Tỷ lệ bao phủ bảo hiểm y tế", "more_than", 95.0, "%", 2030)),
    ],
)  # fmt: skip
def test_a_rate_of_change_and_a_level_kept_read_as_written(text: str, indicator: Indicator) -> None:
    assert indicators_of(text, 2030) == [indicator]


def test_a_year_column_before_the_plan_is_a_baseline() -> None:
    columns = [column_of(h) for h in ("TT", "Chỉ tiêu", "Năm 2025", "Năm 2027", "Năm 2030", "Ước thực hiện 2025")]
    assert dated(columns, 2026)[2:] == [
        Column("baseline", "Năm 2025", 2025), Column("target", "Năm 2027", 2027), Column("target", "Năm 2030", 2030),
        Column("baseline", "Ước thực hiện 2025", 2025),
    ]  # fmt: skip
    assert dated(columns, 2025)[2] == Column("target", "Năm 2025", 2025)  # the plan's own first year is a target


def test_a_target_table_starts_from_its_column_before_the_plan(programme: Programme) -> None:
    assert _indicators(programme, "PL1") == {
        "PL1.1": (
            Indicator("GRDP bình quân đầu người", "equal", 115.0, "triệu đồng", 2027, baseline="Năm 2025: 95"),
            Indicator("GRDP bình quân đầu người", "equal", 150.0, "triệu đồng", 2030, baseline="Năm 2025: 95"),
        ),
        "PL1.2": (
            Indicator("Tỷ lệ xã đạt chuẩn nông thôn mới nâng cao", "equal", 60.0, "%", 2027, baseline="Năm 2025: 45"),
            Indicator("Tỷ lệ xã đạt chuẩn nông thôn mới nâng cao", "equal", 80.0, "%", 2030, baseline="Năm 2025: 45"),
        ),
    }
