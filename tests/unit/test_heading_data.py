"""What a programme's headings say (issue 12): the heading block's issuer, number and date as
written, and a target stated in a heading line ("2.3. Về ...: Phấn đấu đạt ít nhất ...%")."""

from datetime import date

import pytest

from config.loading import Configuration
from models.programme import Programme
from workflows.reading.heading import heading_of, identity
from workflows.reading.programme import parse_programme, programme_json
from workflows.reading.text import normalise

BODY = (
    "B. MỤC TIÊU VÀ CHỈ TIÊU\n\n"
    "2. Chỉ tiêu chủ yếu\n\n"
    "2.1. Về kinh tế\n\n- Tốc độ tăng trưởng kinh tế bình quân đạt 8%/năm.\n\n"
    "2.3. Về giáo dục: Phấn đấu đạt ít nhất 80% số trường đạt chuẩn quốc gia.\n\n"
    "2.4. Về y tế: Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.\n\n"
    "- Số bác sĩ trên 10.000 dân đạt 12 bác sĩ.\n\n"
    "2.5. Về an toàn giao thông: Số vụ tai nạn giảm 10% so với năm 2025.\n\n"
    "2.6. Về môi trường:\n\n- Tỷ lệ che phủ rừng đạt 47%.\n\n"
    "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\nI. Về kinh tế\n\n- Ban hành đề án phát triển kinh tế số.\n"
)


def _parse(front: str, configuration: Configuration) -> Programme:
    return parse_programme(normalise(front + BODY), rules=configuration.rules, policy=configuration.policy)


@pytest.mark.parametrize(
    ("front", "issuer", "number", "issued_on"),
    [
        (
            "TỈNH ỦY KHÁNH HÒA ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 12-CTr/TU Nha Trang, ngày 5 tháng 3 năm 2027\n\n",
            "TỈNH ỦY KHÁNH HÒA", "12-CTr/TU", date(2027, 3, 5),
        ),
        (
            "ĐẢNG BỘ TỈNH PHÚ YÊN\nBAN CHẤP HÀNH\nĐẢNG CỘNG SẢN VIỆT NAM\nSố: 07 - KH/TU\n"
            "Tuy Hòa, ngày 20 tháng 11 năm 2026\n\n",
            "ĐẢNG BỘ TỈNH PHÚ YÊN BAN CHẤP HÀNH", "07-KH/TU", date(2026, 11, 20),
        ),
        ("ĐẢNG CỘNG SẢN VIỆT NAM\nSố -CTr/TU\nDự thảo\n\n", None, None, None),
    ],
)
def test_the_heading_block_gives_issuer_number_and_date_as_written(
    front: str, issuer: str | None, number: str | None, issued_on: date | None, configuration: Configuration
) -> None:
    programme = _parse(front + "CHƯƠNG TRÌNH HÀNH ĐỘNG\nnhiệm kỳ 2025 - 2030\n\n", configuration)
    assert (programme.issuer, programme.number, programme.issued_on) == (issuer, number, issued_on)
    document = programme_json(programme)["document"]
    assert (document["issuer"], document["number"], document["issued_on"]) == (
        issuer, number, issued_on.isoformat() if issued_on else None)


def test_the_identity_keeps_reading_the_number_as_before() -> None:
    """The document's key must not change for a document already stored: the identity reads the
    number as it always has, the heading data as written."""
    front = ["ĐẢNG BỘ TỈNH PHÚ YÊN", "Số: 07 - KH/TU", "Tuy Hòa, ngày 20 tháng 11 năm 2026", "KẾ HOẠCH"]
    assert identity(front, "KẾ HOẠCH") == "number|đảng bộ tỉnh phú yên|07-|2026-11-20"
    assert heading_of(front).number == "07-KH/TU"


def test_the_bundled_sample_a_draft_has_no_number(sample_text: str, configuration: Configuration) -> None:
    programme = parse_programme(sample_text, rules=configuration.rules, policy=configuration.policy)
    assert (programme.issuer, programme.number, programme.issued_on) == (None, None, None)


def test_a_target_in_a_heading_line_is_the_first_item_of_its_heading(configuration: Configuration) -> None:
    programme = _parse("CHƯƠNG TRÌNH HÀNH ĐỘNG\nnhiệm kỳ 2025 - 2030\n\n", configuration)
    targets = [(i.key, i.section, i.text) for i in programme.items if i.kind == "target"]
    assert targets == [
        ("B.2.1.1", "B.2.1", "Tốc độ tăng trưởng kinh tế bình quân đạt 8%/năm."),
        ("B.2.3.1", "B.2.3", "Phấn đấu đạt ít nhất 80% số trường đạt chuẩn quốc gia."),
        ("B.2.4.1", "B.2.4", "Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%."),
        ("B.2.4.2", "B.2.4", "Số bác sĩ trên 10.000 dân đạt 12 bác sĩ."),
        ("B.2.5.1", "B.2.5", "Số vụ tai nạn giảm 10% so với năm 2025."),
        ("B.2.6.1", "B.2.6", "Tỷ lệ che phủ rừng đạt 47%."),
    ]
    titles = {s.key: s.title for s in programme.sections}
    assert (titles["B.2.3"], titles["B.2.4"], titles["B.2.6"]) == ("Về giáo dục", "Về y tế", "Về môi trường:")
    indicators = {i.key: i.indicators for i in programme.items}
    (schools,) = indicators["B.2.3.1"]
    assert (schools.name, schools.comparator, schools.value, schools.unit) == (
        "số trường đạt chuẩn quốc gia", "at_least", 80.0, "%")
    (accidents,) = indicators["B.2.5.1"]
    assert (accidents.name, accidents.comparator, accidents.value, accidents.unit, accidents.baseline, accidents.year) == (
        "Số vụ tai nạn", "times_baseline", 0.9, "lần", "năm 2025", 2030)


@pytest.mark.parametrize(
    ("text", "value", "baseline"),
    [
        ("Tổng mức bán lẻ năm 2028 tăng 12% so với năm 2025.", 1.12, "năm 2025"),
        ("Chi phí logistics giảm ít nhất 15% so với năm 2024.", 0.85, "năm 2024"),
        ("Thu ngân sách năm 2030 gấp 2,2 lần so với năm 2025.", 2.2, "năm 2025"),
        ("Số hộ nghèo năm 2030 giảm 1/2 so với năm đầu nhiệm kỳ.", 0.5, "năm đầu nhiệm kỳ"),
    ],
)
def test_an_indicator_of_change_keeps_its_direction_and_baseline(text: str, value: float, baseline: str) -> None:
    from workflows.reading.indicators import indicators_of

    (indicator,) = indicators_of(text, 2030)
    assert (indicator.comparator, indicator.value, indicator.unit, indicator.baseline) == (
        "times_baseline", value, "lần", baseline)
    assert indicator.year != 2024 and indicator.year != 2025  # the baseline's year is not the target's
