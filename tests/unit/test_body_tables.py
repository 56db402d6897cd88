"""A task or target table in the body (issue 12, "Appendix tables"): its rows become items of the
heading above it, keyed ``<heading>.T<n>.<TT>``, instead of a jumbled paragraph of that heading.

The documents are made for the test; ``tests/integration/test_appendix_only_formats.py`` builds
them as a Word file with real tables and as Markdown.
"""

from datetime import date

import pytest

from config.loading import Configuration
from models.programme import Indicator, Programme
from tests.unit.test_appendix_only import HEAD, SIGNATURE, document, parse, rows
from workflows.reading.text import normalise

BODY_TARGETS = [
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2030"],
    ["1", "Tỷ lệ dịch vụ công trực tuyến toàn trình", "%", "≥ 80"],
    ["2", "Số doanh nghiệp công nghệ số", "doanh nghiệp", "500"],
]
BODY_TASKS = [
    ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["1", "Ban hành đề án chuyển đổi số của Đảng bộ tỉnh", "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Quý II/2027"],
    ["2", "Tập huấn kỹ năng số cho cán bộ", "Ban Tuyên giáo Tỉnh ủy", "", "Hằng năm"],
]
IN_BODY = [
    "A. MỤC TIÊU VÀ CHỈ TIÊU",
    "I. Chỉ tiêu chủ yếu",
    "Biểu chỉ tiêu:",
    *rows(BODY_TARGETS),
    "B. NHIỆM VỤ VÀ GIẢI PHÁP",
    "I. Về hạ tầng số",
    "- Phủ sóng mạng 5G toàn tỉnh, hoàn thành năm 2028.",
    "II. Nhiệm vụ trọng tâm",
    *rows(BODY_TASKS),
    "C. TỔ CHỨC THỰC HIỆN",
    "I. Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ Tỉnh ủy.",
]
TITLES_A = ("MỤC TIÊU VÀ CHỈ TIÊU", "Chỉ tiêu chủ yếu")
TITLES_B = ("NHIỆM VỤ VÀ GIẢI PHÁP", "Nhiệm vụ trọng tâm")
BODY_ITEMS = [
    # key, kind, section, section titles, text, lead as named, cooperating as named, due, recurrence, line
    ("A.I.T1.1", "target", "A.I", TITLES_A, "Tỷ lệ dịch vụ công trực tuyến toàn trình (Đơn vị tính: %; Năm 2030: ≥ 80)",
     None, (), date(2030, 12, 31), "once", 10),
    ("A.I.T1.2", "target", "A.I", TITLES_A, "Số doanh nghiệp công nghệ số (Đơn vị tính: doanh nghiệp; Năm 2030: 500)",
     None, (), date(2030, 12, 31), "once", 11),
    ("B.I.1", "task", "B.I", ("NHIỆM VỤ VÀ GIẢI PHÁP", "Về hạ tầng số"), "Phủ sóng mạng 5G toàn tỉnh, hoàn thành năm 2028.",
     None, (), date(2028, 12, 31), "once", 14),
    ("B.II.T1.1", "task", "B.II", TITLES_B, "Ban hành đề án chuyển đổi số của Đảng bộ tỉnh", "Văn phòng Tỉnh ủy",
     ("Ban Tổ chức Tỉnh ủy",), date(2027, 6, 30), "once", 17),
    ("B.II.T1.2", "task", "B.II", TITLES_B, "Tập huấn kỹ năng số cho cán bộ", "Ban Tuyên giáo Tỉnh ủy", (),
     date(2030, 12, 31), "yearly", 18),
    ("C.I", "directive", "C", ("TỔ CHỨC THỰC HIỆN",), "Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ Tỉnh ủy.",
     "Văn phòng Tỉnh ủy", (),  # the point opens with its lead (issue 12, wave 5)
     date(2030, 12, 31), "once", 20),
]  # fmt: skip


def body_rows(programme: Programme) -> list[tuple[object, ...]]:
    return [
        (i.key, i.kind, i.section, i.section_titles, i.text, i.lead_named, i.cooperating_named, i.due, i.recurrence, i.line)
        for i in programme.items
    ]


@pytest.fixture(scope="module")
def in_body(configuration: Configuration) -> Programme:
    return parse(document(IN_BODY, None), configuration)


def test_a_table_in_the_body_gives_items_of_the_heading_above_it(in_body: Programme) -> None:
    assert body_rows(in_body) == BODY_ITEMS
    assert {i.source for i in in_body.items} == {"body"} and {i.appendix for i in in_body.items} == {None}
    assert [i.position for i in in_body.items] == list(range(len(BODY_ITEMS)))


def test_a_body_table_s_bodies_come_from_its_columns(in_body: Programme) -> None:
    got = {i.key: (i.lead, tuple(i.cooperating)) for i in in_body.items if ".T1." in i.key and i.kind == "task"}
    assert got == {"B.II.T1.1": ("VPTU", ("BTC",)), "B.II.T1.2": ("BTG", ())}


def test_a_target_table_in_the_body_gives_targets_with_their_indicators(in_body: Programme) -> None:
    got = {i.key: i.indicators for i in in_body.items if i.kind == "target"}
    assert got == {
        "A.I.T1.1": (Indicator("Tỷ lệ dịch vụ công trực tuyến toàn trình", "at_least", 80.0, "%", 2030, None, None),),
        "A.I.T1.2": (Indicator("Số doanh nghiệp công nghệ số", "equal", 500.0, "doanh nghiệp", 2030, None, None),),
    }


def test_a_body_table_is_not_read_as_a_paragraph_of_its_heading(in_body: Programme) -> None:
    context = {s.key: s.context for s in in_body.sections}
    assert context["A.I"] == ("Biểu chỉ tiêu:",)
    assert context["B.II"] == ()
    assert [s.key for s in in_body.sections] == ["A", "A.I", "B", "B.I", "B.II", "C"]


def test_a_heading_block_laid_out_as_a_table_stays_the_heading(configuration: Configuration) -> None:
    """Word files often lay the heading block out as a borderless table; its second row reads like a
    task ("nhiệm vụ") beside a year: it is no table of tasks, and the issue date and number stay."""
    head = [
        "TỈNH ỦY KHÁNH HÒA | ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 15-KH/TU V/v thực hiện nhiệm vụ chuyển đổi số | Khánh Hòa, ngày 10 tháng 4 năm 2026",
        *HEAD[3:],
    ]
    programme = parse(normalise("\n".join([*head, *IN_BODY, *SIGNATURE]) + "\n"), configuration)
    assert (programme.number, programme.issued_on) == ("15-KH/TU", date(2026, 4, 10))
    assert [i.key for i in programme.items] == [row[0] for row in BODY_ITEMS]
    assert not [s for s in programme.sections if s.key.startswith("T")]
