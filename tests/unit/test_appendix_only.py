"""Tables the reader used to miss (issue 12, "Appendix tables"): a programme whose tasks are only
in its appendix, and a header split over two rows (a table in the body: test_body_tables.py).

The documents are made for the test. ``tests/integration/test_appendix_only_formats.py`` builds
the same documents as Word, Markdown and (the appendix-only one) a PDF printed by LibreOffice.
"""

from datetime import date

import pytest

from config.errors import DocumentError
from config.loading import Configuration
from models.programme import Indicator, Programme
from workflows.reading.formats import markdown_text
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise

HEAD = [
    "TỈNH ỦY KHÁNH HÒA",
    "Số 15-KH/TU",
    "Khánh Hòa, ngày 10 tháng 4 năm 2026",
    "KẾ HOẠCH",
    "thực hiện Nghị quyết về chuyển đổi số, giai đoạn 2026 - 2030",
]
PROSE_BODY = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Quán triệt đầy đủ nội dung Nghị quyết đến cán bộ, đảng viên.",
    "II. NHIỆM VỤ VÀ GIẢI PHÁP",
    "Các cấp ủy, tổ chức đảng thực hiện các nhiệm vụ cụ thể tại Phụ lục.",
    "(Có phụ lục kèm theo)",
]
SIGNATURE = ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Văn B"]
APPENDIX_NAME = "PHỤ LỤC: DANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH"
APPENDIX_TITLE = ["PHỤ LỤC", "DANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH",
                  "(Kèm theo Kế hoạch số 15-KH/TU ngày 10/4/2026 của Ban Thường vụ Tỉnh ủy)"]  # fmt: skip
TASKS = [
    ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
    ["I", "Hạ tầng số"],
    ["1", "Xây dựng trung tâm dữ liệu của tỉnh", "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Quý IV/2027"],
    ["2", "Số hóa hồ sơ đảng viên", "Ban Tổ chức Tỉnh ủy", "", "Thường xuyên"],
    ["II", "Nguồn nhân lực"],
    ["1", "Đào tạo cán bộ chuyên trách chuyển đổi số", "Ban Tổ chức Tỉnh ủy",
     "Văn phòng Tỉnh ủy; Ban Tuyên giáo Tỉnh ủy", "2028"],
]  # fmt: skip
APPENDIX_ONLY = [
    # key, section, text, lead, cooperating, lead as named, cooperating as named, due, recurrence
    ("PL1.I.1", "PL1.I", "Xây dựng trung tâm dữ liệu của tỉnh", "VPTU", ("BTC",), "Văn phòng Tỉnh ủy",
     ("Ban Tổ chức Tỉnh ủy",), date(2027, 12, 31), "once"),
    ("PL1.I.2", "PL1.I", "Số hóa hồ sơ đảng viên", "BTC", (), "Ban Tổ chức Tỉnh ủy", (), date(2030, 12, 31), "continuous"),
    ("PL1.II.1", "PL1.II", "Đào tạo cán bộ chuyên trách chuyển đổi số", "BTC", ("VPTU", "BTG"), "Ban Tổ chức Tỉnh ủy",
     ("Văn phòng Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"), date(2028, 12, 31), "once"),
]  # fmt: skip


def rows(table: list[list[str]]) -> list[str]:
    return [" | ".join(row) for row in table]


def document(body: list[str], appendix: list[list[str]] | None = TASKS, title: list[str] = APPENDIX_TITLE) -> str:
    lines = [*HEAD, *body, *SIGNATURE]
    if appendix is not None:
        lines += ["", *title, "", *rows(appendix)]
    return normalise("\n".join(lines) + "\n")


def parse(text: str, configuration: Configuration) -> Programme:
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry)


def items_of(programme: Programme) -> list[tuple[object, ...]]:
    """What a coordinator checks of each item."""
    return [
        (i.key, i.section, i.text, i.lead, tuple(i.cooperating), i.lead_named, i.cooperating_named, i.due, i.recurrence)
        for i in programme.items
    ]


# 1. A programme whose tasks are only in its appendix


def test_a_programme_whose_tasks_are_all_in_its_appendix_is_read_from_the_appendix(configuration: Configuration) -> None:
    programme = parse(document(PROSE_BODY), configuration)
    assert items_of(programme) == APPENDIX_ONLY
    assert {(i.source, i.appendix) for i in programme.items} == {("appendix", APPENDIX_NAME)}
    assert (programme.term.first_year, programme.term.last_year) == (2026, 2030)


def test_the_body_prose_of_an_appendix_only_programme_stays_as_its_sections_context(configuration: Configuration) -> None:
    programme = parse(document(PROSE_BODY), configuration)
    got = [(s.key, s.role, s.context) for s in programme.sections]
    assert got == [
        ("I", "purpose", ("Quán triệt đầy đủ nội dung Nghị quyết đến cán bộ, đảng viên.",)),
        ("II", "tasks", ("Các cấp ủy, tổ chức đảng thực hiện các nhiệm vụ cụ thể tại Phụ lục.", "(Có phụ lục kèm theo)")),
        ("PL1", "tasks", (APPENDIX_TITLE[2],)),
        ("PL1.I", "tasks", ()),
        ("PL1.II", "tasks", ()),
    ]
    assert [s.position for s in programme.sections] == list(range(5))


def test_a_body_with_no_part_at_all_and_an_appendix_is_read_from_the_appendix(configuration: Configuration) -> None:
    body = ["Ban Thường vụ Tỉnh ủy ban hành danh mục nhiệm vụ kèm theo để các cơ quan thực hiện."]
    assert items_of(parse(document(body), configuration)) == APPENDIX_ONLY


def test_an_appendix_only_plan_with_no_term_runs_from_its_issue_date_to_its_last_row(configuration: Configuration) -> None:
    head = [line.replace(", giai đoạn 2026 - 2030", "") for line in HEAD]
    table = [row if row[-1] != "Thường xuyên" else [*row[:-1], "Quý II/2027"] for row in TASKS]
    text = normalise("\n".join([*head, *PROSE_BODY, *SIGNATURE, "", *APPENDIX_TITLE, "", *rows(table)]) + "\n")
    programme = parse(text, configuration)
    assert (programme.start, programme.term.last_year) == (date(2026, 4, 10), 2028)
    assert [i.due for i in programme.items] == [date(2027, 12, 31), date(2027, 6, 30), date(2028, 12, 31)]


def test_a_refusal_names_the_appendix_table_and_that_it_has_no_task_column(configuration: Configuration) -> None:
    people = [["TT", "Họ và tên", "Chức vụ"], ["1", "Nguyễn Văn C", "Phó Bí thư"]]
    title = ["PHỤ LỤC", "DANH SÁCH ĐỒNG CHÍ PHỤ TRÁCH"]
    with pytest.raises(DocumentError) as refused:
        parse(document(PROSE_BODY, people, title), configuration)
    message = str(refused.value)
    assert "có 2 phần «I. MỤC ĐÍCH, YÊU CẦU», «II. NHIỆM VỤ VÀ GIẢI PHÁP»" in message
    assert "bảng «PHỤ LỤC: DANH SÁCH ĐỒNG CHÍ PHỤ TRÁCH» (dòng 18) không có cột nhiệm vụ hay chỉ tiêu" in message
    assert "(các cột: TT, Họ và tên, Chức vụ)" in message
    assert "has no column of tasks or targets (its columns: TT, Họ và tên, Chức vụ)" in message
    with pytest.raises(DocumentError) as without_table:  # no table: the body's refusal alone, as before
        parse(document(PROSE_BODY, None), configuration)
    assert "không có gì để theo dõi" in str(without_table.value) and "phụ lục:" not in str(without_table.value)




def test_a_refusal_says_when_a_task_table_has_no_row_with_a_task(configuration: Configuration) -> None:
    groups_only = [TASKS[0], TASKS[1], TASKS[4]]
    with pytest.raises(DocumentError) as refused:
        parse(document(PROSE_BODY, groups_only), configuration)
    assert f"bảng «{APPENDIX_NAME}» (dòng 19) có cột nhiệm vụ nhưng không hàng nào ghi việc cần làm" in str(refused.value)


# 2. A header split over two rows

SPLIT = [
    ["TT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian"],
    ["", "", "Chủ trì", "Phối hợp", ""],
    ["1", "Xây dựng trung tâm dữ liệu của tỉnh", "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Quý IV/2027"],
    ["2", "Số hóa hồ sơ đảng viên", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", "Thường xuyên"],
]
SPLIT_ITEMS = [
    ("PL1.1", "PL1", "Xây dựng trung tâm dữ liệu của tỉnh", "VPTU", ("BTC",), "Văn phòng Tỉnh ủy", ("Ban Tổ chức Tỉnh ủy",),
     date(2027, 12, 31), "once"),
    ("PL1.2", "PL1", "Số hóa hồ sơ đảng viên", "BTC", ("VPTU",), "Ban Tổ chức Tỉnh ủy", ("Văn phòng Tỉnh ủy",),
     date(2030, 12, 31), "continuous"),
]  # fmt: skip
ONE_TASK = ["I. NHIỆM VỤ VÀ GIẢI PHÁP", "- Rà soát quy chế làm việc, hoàn thành năm 2026."]
"""A body with a task of its own: the two-row header is read whether or not the body has items."""
TARGETS_SPLIT = [
    ["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện", "Mục tiêu"],
    ["", "", "", "2025", "2030"],
    ["1", "Tỷ lệ hồ sơ giải quyết trực tuyến", "%", "45", "≥ 80"],
]


def split_markdown(table: list[list[str]]) -> str:
    """The appendix-only document in Markdown: the first header row, its separator, the second row."""
    lines = [*HEAD, f"## {ONE_TASK[0]}", ONE_TASK[1], *SIGNATURE, "",
             *[f"**{line}**" for line in APPENDIX_TITLE[:2]], APPENDIX_TITLE[2], ""]  # fmt: skip
    for index, row in enumerate(table):
        lines.append("| " + " | ".join(row) + " |")
        if index == 0:
            lines.append("|" + "---|" * len(row))
    return normalise(markdown_text("\n\n".join(lines[:5]) + "\n\n" + "\n".join(lines[5:]) + "\n"))


@pytest.mark.parametrize(
    "header",
    [
        SPLIT[:2],  # merged cells repeated, the second row's cells under them empty
        [[*SPLIT[0][:3], "", "Thời gian"], SPLIT[1]],  # the merged cell's second column empty
        [[*SPLIT[0][:3], "Thời gian"], ["TT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian"]],  # as python-docx gives it
    ],
    ids=["repeated", "empty", "written-once"],
)
def test_a_header_over_two_rows_names_the_lead_and_the_cooperating_column(
    header: list[list[str]], configuration: Configuration
) -> None:
    programme = parse(document(ONE_TASK, [*header, *SPLIT[2:]], APPENDIX_TITLE[:2]), configuration)
    assert items_of(programme)[1:] == SPLIT_ITEMS


def test_a_header_over_two_rows_in_a_markdown_pipe_table(configuration: Configuration) -> None:
    programme = parse(split_markdown(SPLIT), configuration)
    assert [i.key for i in programme.items] == ["I.1", "PL1.1", "PL1.2"]
    assert items_of(programme)[1:] == SPLIT_ITEMS


def test_a_target_header_over_two_rows_gives_the_baseline_and_the_target_year(configuration: Configuration) -> None:
    programme = parse(document(ONE_TASK, TARGETS_SPLIT, APPENDIX_TITLE[:2]), configuration)
    [item] = [i for i in programme.items if i.source == "appendix"]
    assert (item.key, item.kind, item.text, item.due, item.lead_named) == (
        "PL1.1", "target", "Tỷ lệ hồ sơ giải quyết trực tuyến (Đơn vị tính: %; Thực hiện 2025: 45; Mục tiêu 2030: ≥ 80)",
        date(2030, 12, 31), None,
    )  # fmt: skip
    assert item.indicators == (
        Indicator("Tỷ lệ hồ sơ giải quyết trực tuyến", "at_least", 80.0, "%", 2030, None, "Thực hiện 2025: 45"),
    )


def test_a_time_column_over_start_and_end_is_due_at_the_end_and_quotes_the_start(configuration: Configuration) -> None:
    table = [
        ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện", "Thời gian thực hiện"],
        ["", "", "", "Bắt đầu", "Kết thúc"],
        ["1", "Xây dựng trung tâm dữ liệu của tỉnh", "Văn phòng Tỉnh ủy", "2026", "2028"],
    ]
    programme = parse(document(ONE_TASK, table, APPENDIX_TITLE[:2]), configuration)
    [item] = [i for i in programme.items if i.source == "appendix"]
    assert (item.key, item.text, item.due, item.deadline_basis, item.lead) == (
        "PL1.1", "Xây dựng trung tâm dữ liệu của tỉnh (Thời gian thực hiện Bắt đầu: 2026)", date(2028, 12, 31), "2028", "VPTU",
    )  # fmt: skip
