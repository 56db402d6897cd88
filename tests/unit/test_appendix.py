"""Appendix tables after the signature: a task table with group rows and a target table become
items (issue 12, "Appendix tables"); a table of anything else stays text.

The document is made for the test: a short programme, its signature, then PHỤ LỤC I (tasks, in
two roman groups, with a row of column numbers under the header), PHỤ LỤC II (targets) and
PHỤ LỤC III (a list of people, no task). ``tests/integration/test_appendix_formats.py`` builds the
same document as Word, Markdown, text with form feeds and PDF.
"""

import logging
from datetime import date

import pytest

from config.loading import Configuration
from models.programme import Indicator, Programme
from workflows.reading.appendix_columns import body_names, column_of, value_of
from workflows.reading.appendix_tables import tables_after_signature
from workflows.reading.programme import parse_programme

BODY = [
    "TỈNH ỦY KHÁNH HÒA",
    "Số 12-CTr/TU",
    "Khánh Hòa, ngày 5 tháng 3 năm 2026",
    "CHƯƠNG TRÌNH HÀNH ĐỘNG",
    "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XIX, nhiệm kỳ 2025 - 2030",
    "A. NHIỆM VỤ VÀ GIẢI PHÁP",
    "I. Về phát triển kinh tế",
    "- Xây dựng cơ sở dữ liệu dùng chung của tỉnh, hoàn thành trong năm 2027.",
    "B. TỔ CHỨC THỰC HIỆN",
    "I. Văn phòng Tỉnh ủy theo dõi, đôn đốc và báo cáo Ban Thường vụ Tỉnh ủy.",
    "T/M TỈNH ỦY",
    "BÍ THƯ",
    "Nguyễn Văn A",
]
TASKS_NAME = "PHỤ LỤC I: DANH MỤC NHIỆM VỤ TRỌNG TÂM"
TARGETS_NAME = "PHỤ LỤC II: BIỂU CHỈ TIÊU CHỦ YẾU"
NOTE = "(Kèm theo Chương trình hành động số 12-CTr/TU ngày 5/3/2026 của Tỉnh ủy)"
TASKS = [
    ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ["I", "Lĩnh vực kinh tế"],
    ["1", "Xây dựng đề án phát triển kinh tế biển", "Sở Nông nghiệp và Môi trường",
     "Sở Công Thương; Ban Tuyên giáo Tỉnh ủy", "Nghị quyết của Tỉnh ủy", "Quý III/2027"],
    ["2", "Rà soát quy hoạch đô thị", "Sở Xây dựng", "các sở, ngành liên quan", "Báo cáo", "Thường xuyên"],
    ["II", "Lĩnh vực xây dựng Đảng"],
    ["1", "Tổng kết công tác cán bộ", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy",
     "Báo cáo", "Hằng năm"],
    ["2", "Sơ kết giữa nhiệm kỳ", "Văn phòng Tỉnh ủy", "", "", "2027 - 2028"],
    ["3", "Ban hành quy chế làm việc", "Ban Tổ chức Tỉnh ủy", "", "Quy chế", "tháng 8/2027"],
    ["4", "Kiện toàn tổ chức bộ máy", "Ban Tổ chức Tỉnh ủy", "", "", "2029"],
]  # fmt: skip
TARGETS = [
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện 2025", "Mục tiêu đến năm 2030"],
    ["1", "Tốc độ tăng trưởng GRDP bình quân", "%/năm", "6,5", "8 - 8,5"],
    ["2", "Tỷ lệ hộ nghèo", "%", "2,1", "Dưới 1"],
    ["3", "Thu nhập bình quân đầu người", "triệu đồng", "75", "≥ 120"],
]
PEOPLE = [["TT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn B", "Phó Bí thư"]]
APPENDICES = [
    (["PHỤ LỤC I", "DANH MỤC NHIỆM VỤ TRỌNG TÂM", NOTE], TASKS),
    (["PHỤ LỤC II", "BIỂU CHỈ TIÊU CHỦ YẾU"], TARGETS),
    (["PHỤ LỤC III", "DANH SÁCH ĐỒNG CHÍ PHỤ TRÁCH"], PEOPLE),
]

EXPECTED = [
    # key, kind, section, text, lead, cooperating, lead as named, cooperating as named, due, recurrence
    ("PL1.I.1", "task", "PL1.I", "Xây dựng đề án phát triển kinh tế biển (Sản phẩm: Nghị quyết của Tỉnh ủy)",
     "UBND", ("BTG",), "Sở Nông nghiệp và Môi trường", ("Sở Công Thương", "Ban Tuyên giáo Tỉnh ủy"), date(2027, 9, 30),
     "once"),
    ("PL1.I.2", "task", "PL1.I", "Rà soát quy hoạch đô thị (Sản phẩm: Báo cáo)",
     "UBND", (), "Sở Xây dựng", ("các sở, ngành liên quan",), date(2030, 12, 31), "continuous"),
    ("PL1.II.1", "task", "PL1.II", "Tổng kết công tác cán bộ (Sản phẩm: Báo cáo)",
     "BTC", ("VPTU", "UBKT"), "Ban Tổ chức Tỉnh ủy", ("Văn phòng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"),
     date(2030, 12, 31), "yearly"),
    ("PL1.II.2", "task", "PL1.II", "Sơ kết giữa nhiệm kỳ", "VPTU", (), "Văn phòng Tỉnh ủy", (), date(2028, 12, 31), "once"),
    ("PL1.II.3", "task", "PL1.II", "Ban hành quy chế làm việc (Sản phẩm: Quy chế)",
     "BTC", (), "Ban Tổ chức Tỉnh ủy", (), date(2027, 8, 31), "once"),
    ("PL1.II.4", "task", "PL1.II", "Kiện toàn tổ chức bộ máy", "BTC", (), "Ban Tổ chức Tỉnh ủy", (), date(2029, 12, 31), "once"),
    ("PL2.1", "target", "PL2",
     "Tốc độ tăng trưởng GRDP bình quân (Đơn vị tính: %/năm; Thực hiện 2025: 6,5; Mục tiêu đến năm 2030: 8 - 8,5)",
     "UBND", (), None, (), date(2030, 12, 31), "once"),
    ("PL2.2", "target", "PL2", "Tỷ lệ hộ nghèo (Đơn vị tính: %; Thực hiện 2025: 2,1; Mục tiêu đến năm 2030: Dưới 1)",
     "UBND", (), None, (), date(2030, 12, 31), "once"),
    ("PL2.3", "target", "PL2",
     "Thu nhập bình quân đầu người (Đơn vị tính: triệu đồng; Thực hiện 2025: 75; Mục tiêu đến năm 2030: ≥ 120)",
     "UBND", (), None, (), date(2030, 12, 31), "once"),
]  # fmt: skip
INDICATORS = {
    "PL2.1": Indicator("Tốc độ tăng trưởng GRDP bình quân", "between", 8.0, "%/năm", 2030, 8.5, "Thực hiện 2025: 6,5"),
    "PL2.2": Indicator("Tỷ lệ hộ nghèo", "below", 1.0, "%", 2030, None, "Thực hiện 2025: 2,1"),
    "PL2.3": Indicator("Thu nhập bình quân đầu người", "at_least", 120.0, "triệu đồng", 2030, None, "Thực hiện 2025: 75"),
}
SECTIONS = [
    ("PL1", None, TASKS_NAME, "tasks", (NOTE,)),
    ("PL1.I", "PL1", "Lĩnh vực kinh tế", "tasks", ()),
    ("PL1.II", "PL1", "Lĩnh vực xây dựng Đảng", "tasks", ()),
    ("PL2", None, TARGETS_NAME, "targets", ()),
    # a table with no task or target column is kept as text, a section with no item
    ("PL3", None, "PHỤ LỤC III: DANH SÁCH ĐỒNG CHÍ PHỤ TRÁCH", None, ("TT | Họ và tên | Chức vụ", "1 | Nguyễn Văn B | Phó Bí thư")),
]


def text_document(pages: bool = False) -> str:
    """The document as plain text, each table a row per line with " | " between cells; with
    ``pages``, a page break (form feed and a page number) inside the task table as a PDF's text has it."""
    out = list(BODY)
    for title, rows in APPENDICES:
        out.extend(["", *title, ""])
        for index, row in enumerate(rows):
            out.append(" | ".join(row))
            if pages and rows is TASKS and index == 4:
                out.extend(["", "- 2 -", "\f"])
    return "\n".join(out) + "\n"


def appendix_rows(programme: Programme) -> list[tuple[object, ...]]:
    """What a coordinator checks of each appendix item."""
    return [
        (i.key, i.kind, i.section, i.text, i.lead, tuple(i.cooperating), i.lead_named, i.cooperating_named, i.due, i.recurrence)
        for i in programme.items
        if i.source == "appendix"
    ]


def parse(text: str, configuration: Configuration) -> Programme:
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry)


@pytest.fixture(scope="module")
def programme(configuration: Configuration) -> Programme:
    from workflows.reading.text import normalise

    return parse(normalise(text_document()), configuration)


def test_each_row_of_a_task_or_target_table_is_an_item_with_its_bodies_and_deadline(programme: Programme) -> None:
    assert appendix_rows(programme) == EXPECTED


def test_appendix_items_name_their_appendix_and_keep_keys_apart_from_the_body(programme: Programme) -> None:
    body = [i for i in programme.items if i.source == "body"]
    assert [i.key for i in body] == ["A.I.1", "B.I"]
    appendix = [i for i in programme.items if i.source == "appendix"]
    assert {i.appendix for i in appendix} == {TASKS_NAME, TARGETS_NAME}
    assert [i.appendix for i in appendix].count(TASKS_NAME) == 6
    assert len({i.key for i in programme.items}) == len(programme.items)
    assert [i.position for i in programme.items] == list(range(len(programme.items)))


def test_the_appendix_and_its_group_rows_are_sections(programme: Programme) -> None:
    got = [(s.key, s.parent, s.title, s.role, s.context) for s in programme.sections if s.key.startswith("PL")]
    assert got == SECTIONS
    assert [s.position for s in programme.sections] == list(range(len(programme.sections)))
    titles = {i.key: i.section_titles for i in programme.items}
    assert titles["PL1.II.3"] == (TASKS_NAME, "Lĩnh vực xây dựng Đảng")


def test_target_rows_carry_their_indicator_with_its_baseline(programme: Programme) -> None:
    targets = {i.key: i.indicators for i in programme.items if i.kind == "target" and i.source == "appendix"}
    assert targets == {key: (indicator,) for key, indicator in INDICATORS.items()}


def test_a_table_with_no_task_or_target_column_stays_text_with_a_debug_note(
    configuration: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    from workflows.reading.text import normalise

    with caplog.at_level(logging.DEBUG, logger="workflows.reading.appendix"):
        programme = parse(normalise(text_document()), configuration)
    assert not [i for i in programme.items if "Nguyễn Văn B" in i.text or i.key.startswith("PL3")]
    assert "PHỤ LỤC III" in caplog.text and "left as text" in caplog.text


def test_a_page_break_inside_a_table_does_not_break_it(configuration: Configuration) -> None:
    from workflows.reading.text import normalise

    assert appendix_rows(parse(normalise(text_document(pages=True)), configuration)) == EXPECTED


def test_rows_before_the_signature_are_not_an_appendix() -> None:
    text = "\n".join([*BODY[:8], " | ".join(TASKS[0]), " | ".join(TASKS[3]), *BODY[8:]])
    assert tables_after_signature(text) == []


@pytest.mark.parametrize(
    ("header", "role", "year"),
    [
        ("TT", "tt", None), ("Số TT", "tt", None), ("Tên nhiệm vụ", "content", None), ("Nội dung công việc", "content", None),
        ("Cơ quan chủ trì", "lead", None), ("Đơn vị chủ trì thực hiện", "lead", None), ("Cơ quan thực hiện", "lead", None),
        ("Cơ quan phối hợp", "cooperating", None), ("Đơn vị phối hợp", "cooperating", None),
        ("Sản phẩm", "product", None), ("Hình thức văn bản", "product", None), ("Thời gian hoàn thành", "deadline", None),
        ("Thời hạn", "deadline", None), ("Thời gian thực hiện", "deadline", None), ("Tiến độ", "deadline", None),
        ("Chỉ tiêu", "name", None), ("Đơn vị tính", "unit", None), ("ĐVT", "unit", None),
        ("Thực hiện 2025", "baseline", 2025), ("Ước thực hiện năm 2025", "baseline", 2025),
        ("Năm 2030", "target", 2030), ("Mục tiêu đến năm 2030", "target", 2030), ("Kế hoạch 2028", "target", 2028),
        ("Ghi chú", "note", None), ("Họ và tên", "other", None),
    ],
)  # fmt: skip
def test_a_column_is_known_by_what_its_header_means(header: str, role: str, year: int | None) -> None:
    column = column_of(header)
    assert (column.role, column.year) == (role, year)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Sở Tài chính; Sở Kế hoạch và Đầu tư", ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]),
        ("Sở Tài chính, Sở Xây dựng và các sở, ngành liên quan", ["Sở Tài chính", "Sở Xây dựng và các sở, ngành liên quan"]),
        ("các sở, ngành liên quan", ["các sở, ngành liên quan"]),
        ("UBND các huyện, thị xã, thành phố", ["UBND các huyện, thị xã, thành phố"]),
        ("- Sở Nội vụ - Sở Tư pháp", ["Sở Nội vụ", "Sở Tư pháp"]),
        ("", []),
    ],
)
def test_a_cell_naming_several_bodies_splits_into_their_names(cell: str, names: list[str]) -> None:
    assert body_names(cell) == names


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("8", ("equal", 8.0, None, "")), ("≥ 70", ("at_least", 70.0, None, "")), ("Trên 90%", ("more_than", 90.0, None, "%")),
        ("8 - 8,5", ("between", 8.0, 8.5, "")), ("1.500 trở lên", ("at_least", 1500.0, None, "")),
        ("Dưới 1", ("below", 1.0, None, "")),
    ],
)  # fmt: skip
def test_a_target_cell_reads_as_a_value(cell: str, read: tuple[object, ...]) -> None:
    value = value_of(cell)
    assert value is not None and (value.comparator, value.value, value.value_max, value.unit) == read


def test_a_target_cell_in_words_has_no_value() -> None:
    assert value_of("Đạt chuẩn") is None


def test_a_row_broken_across_a_page_is_joined_and_a_repeated_header_skipped(configuration: Configuration) -> None:
    from workflows.reading.text import normalise

    rows = [" | ".join(row) for row in TASKS]
    broken = rows[6].replace("Văn phòng Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy", "Văn phòng Tỉnh ủy, Ủy ban")
    tail = " |  |  | Kiểm tra Tỉnh ủy |  | "  # the rest of row II.1's cells, on the next page
    text = text_document().replace(rows[6], f"{broken}\n\n- 2 -\n\f{rows[0]}\n{tail}")
    assert appendix_rows(parse(normalise(text), configuration)) == EXPECTED
