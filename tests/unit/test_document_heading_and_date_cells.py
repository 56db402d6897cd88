"""Faults a new user's trial found with realistic documents (a People's Committee plan laid out
as Word offices lay it out): a bare date in a table's deadline column, the issuer read through the
heading block's table and the national motto beside it, and a plan's title cut to its genre word.

``tests/integration/test_one_plan_as_word_and_pdf.py`` reads the same plan as Word and as PDF.
"""

from datetime import date

import pytest

from config.loading import Configuration
from models.programme import Programme
from workflows.reading.formats import markdown_text
from workflows.reading.heading import heading_of, identity, title_of
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise

SUBTITLE = (
    "Triển khai thực hiện Chương trình hành động số 07-CTr/TU ngày 02/3/2026 về chuyển đổi số giai đoạn 2026 - 2027"
)
HEAD_AS_TABLE = [
    "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH QUẢNG NGÃI | Độc lập - Tự do - Hạnh phúc",
    "Số: 85/KH-UBND | Quảng Ngãi, ngày 14 tháng 4 năm 2026",
    "KẾ HOẠCH",
    SUBTITLE,
]
HEAD_AS_PDF = [  # as pypdfium2 reads LibreOffice's print: the columns side by side, the motto broken
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
    "VIỆT NAM",
    "TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc",
    "Số: 85/KH-UBND Quảng Ngãi, ngày 14 tháng 4 năm",
    "2026",
    "KẾ HOẠCH",
    "Triển khai thực hiện Chương trình hành động số 07-CTr/TU ngày 02/3/2026",
    "về chuyển đổi số giai đoạn 2026 - 2027",
    "Thực hiện Chương trình hành động số 07-CTr/TU, Ủy ban nhân dân tỉnh ban hành Kế hoạch",
    "như sau:",
]
HEAD_PARTY = [
    "ĐẢNG BỘ TỈNH BÌNH ĐỊNH | ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH |",
    "* | Quy Nhơn, ngày 10 tháng 7 năm 2026",
    "Số 24-KH/ĐU |",
    "KẾ HOẠCH",
    "thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số",
]
BODY = [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Cụ thể hóa các nhiệm vụ được giao.",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    "(Chi tiết tại Phụ lục kèm theo)",
]
SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn A"]
TASKS = [
    ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
    ["1", "Cung cấp dịch vụ công trực tuyến toàn trình", "Văn phòng Tỉnh ủy", "31/12/2026"],
    ["2", "Kết nối cơ sở dữ liệu đất đai", "Văn phòng Tỉnh ủy", "ngày 30/9/2026"],
    ["3", "Công bố danh mục dữ liệu mở", "Văn phòng Tỉnh ủy", "15-11-2026"],
    ["4", "Đánh giá mức độ chuyển đổi số", "Văn phòng Tỉnh ủy", "Quý III/2026"],
    ["5", "Xây dựng cơ chế hỗ trợ doanh nghiệp", "Văn phòng Tỉnh ủy", "Tháng 11/2026"],
    ["6", "Vận hành trung tâm dữ liệu", "Văn phòng Tỉnh ủy", "31/12/2029"],
    ["7", "Tổng kết việc thực hiện Kế hoạch", "Văn phòng Tỉnh ủy", "ngày 20 tháng 10 năm 2027"],
]
DUE = [  # key, due, the cell as written; a date past the term's end is no deadline of the term
    ("PL1.1", date(2026, 12, 31), "31/12/2026"),
    ("PL1.2", date(2026, 9, 30), "ngày 30/9/2026"),
    ("PL1.3", date(2026, 11, 15), "15-11-2026"),
    ("PL1.4", date(2026, 9, 30), "Quý III/2026"),
    ("PL1.5", date(2026, 11, 30), "Tháng 11/2026"),
    ("PL1.6", date(2027, 12, 31), "31/12/2029"),
    ("PL1.7", date(2027, 10, 20), "ngày 20 tháng 10 năm 2027"),
]


def plan(head: list[str] = HEAD_AS_TABLE) -> str:
    table = [" | ".join(row) for row in TASKS]
    lines = [*head, "", *BODY, *SIGNATURE, "", "PHỤ LỤC: DANH MỤC NHIỆM VỤ", "", *table]
    return normalise("\n".join(lines) + "\n")


def parse(text: str, configuration: Configuration) -> Programme:
    return parse_programme(
        text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry
    )


def test_a_bare_date_in_a_deadline_column_is_the_deadline(configuration: Configuration) -> None:
    programme = parse(plan(), configuration)
    assert (programme.term.first_year, programme.term.last_year) == (2026, 2027)
    assert [(i.key, i.due, i.deadline_basis) for i in programme.items] == DUE
    assert {i.recurrence for i in programme.items} == {"once"}


def test_a_bare_date_in_a_markdown_pipe_table_is_the_deadline(configuration: Configuration) -> None:
    table = ["| " + " | ".join(TASKS[0]) + " |", "|---|---|---|---|", *("| " + " | ".join(r) + " |" for r in TASKS[1:])]
    lines = ["**ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI**", "Số: 85/KH-UBND", "Quảng Ngãi, ngày 14 tháng 4 năm 2026",
             "", "# KẾ HOẠCH", SUBTITLE, "", "## I. MỤC ĐÍCH, YÊU CẦU", "Cụ thể hóa các nhiệm vụ được giao.",
             "## II. NHIỆM VỤ, GIẢI PHÁP", "(Chi tiết tại Phụ lục kèm theo)", "", *SIGNATURE, "",
             "**PHỤ LỤC: DANH MỤC NHIỆM VỤ**", "", *table]  # fmt: skip
    programme = parse(normalise(markdown_text(normalise("\n".join(lines) + "\n"))), configuration)
    assert [(i.key, i.due, i.deadline_basis) for i in programme.items] == DUE


@pytest.mark.parametrize("head", [HEAD_AS_TABLE, HEAD_AS_PDF], ids=["docx-table", "pdf-columns"])
def test_the_issuer_is_the_same_whether_the_heading_is_a_table_or_two_printed_columns(head: list[str]) -> None:
    heading = heading_of(head)
    assert (heading.issuer, heading.number, heading.issued_on) == (
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        "85/KH-UBND",
        date(2026, 4, 14),
    )


def test_the_heading_as_a_table_and_as_printed_columns_is_one_document(configuration: Configuration) -> None:
    as_docx, as_pdf = parse(plan(HEAD_AS_TABLE), configuration), parse(plan(HEAD_AS_PDF), configuration)
    assert identity(HEAD_AS_TABLE, title_of(HEAD_AS_TABLE)) == identity(HEAD_AS_PDF, title_of(HEAD_AS_PDF))
    assert as_docx.title == as_pdf.title == f"KẾ HOẠCH {SUBTITLE}"
    assert as_docx.key == as_pdf.key
    assert (as_docx.issuer, as_pdf.issuer) == ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",) * 2


def test_a_party_issuer_over_two_cells_loses_the_party_motto_and_the_pipes() -> None:
    heading = heading_of(HEAD_PARTY)
    assert (heading.issuer, heading.number) == ("ĐẢNG BỘ TỈNH BÌNH ĐỊNH ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH", "24-KH/ĐU")


def test_a_plan_s_title_is_its_genre_word_and_its_subtitle(configuration: Configuration) -> None:
    assert parse(plan(), configuration).title == f"KẾ HOẠCH {SUBTITLE}"
    assert title_of(HEAD_PARTY) == "KẾ HOẠCH thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số"


@pytest.mark.parametrize("genre", ["KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "CHỈ THỊ", "ĐỀ ÁN", "HƯỚNG DẪN"])
def test_the_subtitle_runs_to_the_blank_line_or_the_first_numbered_part(genre: str) -> None:
    front = ["TỈNH ỦY KHÁNH HÒA", "Số 15-KH/TU", genre, "Về tăng cường chuyển đổi số", "trong cơ quan đảng", "",
             "Thực hiện Nghị quyết số 57-NQ/TW, Ban Thường vụ ban hành như sau:"]  # fmt: skip
    assert title_of(front) == f"{genre} Về tăng cường chuyển đổi số trong cơ quan đảng"
    numbered = ["TỈNH ỦY KHÁNH HÒA", "Số 15-KH/TU", genre, "Về tăng cường chuyển đổi số", "I. MỤC ĐÍCH"]
    assert title_of(numbered) == f"{genre} Về tăng cường chuyển đổi số"


def test_a_pdf_title_wrapped_before_a_capitalised_word_stays_whole() -> None:
    """pypdfium2 gives a PDF's lines with no blank line between paragraphs: a full line of the
    subtitle wrapped onto "Thường vụ Tỉnh ủy ..." continues it; the sentence after it does not."""
    front = [
        "Số: 85/KH-UBND Quảng Ngãi, ngày 14 tháng 4 năm 2026",
        "KẾ HOẠCH",
        "Triển khai thực hiện Chương trình hành động số 07-CTr/TU ngày 02/3/2026 của Ban",
        "Thường vụ Tỉnh ủy về chuyển đổi số giai đoạn 2026 - 2027",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai Chương trình hành động số 07-CTr/TU",
        "như sau:",
    ]
    assert title_of(front) == (
        "KẾ HOẠCH Triển khai thực hiện Chương trình hành động số 07-CTr/TU ngày 02/3/2026 của Ban "
        "Thường vụ Tỉnh ủy về chuyển đổi số giai đoạn 2026 - 2027"
    )
    as_word = [front[0], "", front[1], "", front[2] + " " + front[3], "", front[4] + " " + front[5]]
    assert title_of(as_word) == title_of(front)
