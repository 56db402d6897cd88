"""Ruled tables of two shapes in a PDF printed by LibreOffice from a Word file: each must give
exactly the items the same Word file gives (issue 12, "Input formats", "Appendix tables").

1. A header over two rows: "Cơ quan thực hiện" merged across "Chủ trì | Phối hợp", "TT",
   "Nội dung nhiệm vụ" and "Thời gian hoàn thành" merged down both rows, group rows merged across,
   and tasks whose cells wrap over several lines. Read by the rules crossing each row alone, the
   first row had four cells over five columns and the merged-down cells' wrapped words ("nhiệm
   vụ") fell into the second row, which was then read as an item.
2. A task table and a target table in the body, before the signature, each followed by a heading
   with a capital's accent ("GIẢI", "TỔ"): read by each cell's rectangle, the accent, which
   reaches above the table's last rule, ended the last row's cell too ("công nghệ số Ả", "2 Ổ").

The documents are built with python-docx (``build_docx`` of test_appendix_only_formats, whose
tables are ruled with "Table Grid") and printed with LibreOffice headless.
"""

from datetime import date
from pathlib import Path

import pytest

from config.loading import Configuration
from models.programme import Programme
from tests.integration.test_appendix_only_formats import build_docx
from tests.integration.test_formats import soffice_pdf
from tests.unit.test_appendix_only import (
    APPENDIX_NAME,
    APPENDIX_TITLE,
    HEAD,
    ONE_TASK,
    SIGNATURE,
    items_of,
    parse,
)
from tests.unit.test_body_tables import BODY_ITEMS, BODY_TARGETS, BODY_TASKS, IN_BODY, body_rows
from workflows.reading.text import read_document

TWO_ROWS = [
    ["TT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian hoàn thành"],
    ["", "", "Chủ trì", "Phối hợp", ""],
    ["I", "Hạ tầng số"],
    ["1", "Xây dựng trung tâm dữ liệu dùng chung của tỉnh, kết nối cơ sở dữ liệu quốc gia về dân cư",
     "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy; Ban Tuyên giáo Tỉnh ủy", "Quý IV/2027"],
    ["2", "Số hóa hồ sơ đảng viên", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", "Thường xuyên"],
    ["II", "Nguồn nhân lực"],
    ["1", "Đào tạo, bồi dưỡng cán bộ chuyên trách chuyển đổi số của các cơ quan đảng", "Ban Tổ chức Tỉnh ủy", "",
     "Hằng năm"],
]  # fmt: skip
TWO_ROWS_ITEMS = [
    # key, section, text, lead, cooperating, lead as named, cooperating as named, due, recurrence
    ("I.1", "I", "Rà soát quy chế làm việc, hoàn thành năm 2026.", "UBND", (), None, (), date(2026, 12, 31), "once"),
    ("PL1.I.1", "PL1.I", "Xây dựng trung tâm dữ liệu dùng chung của tỉnh, kết nối cơ sở dữ liệu quốc gia về dân cư",
     "VPTU", ("BTC", "BTG"), "Văn phòng Tỉnh ủy", ("Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"),
     date(2027, 12, 31), "once"),
    ("PL1.I.2", "PL1.I", "Số hóa hồ sơ đảng viên", "BTC", ("VPTU",), "Ban Tổ chức Tỉnh ủy", ("Văn phòng Tỉnh ủy",),
     date(2030, 12, 31), "continuous"),
    ("PL1.II.1", "PL1.II", "Đào tạo, bồi dưỡng cán bộ chuyên trách chuyển đổi số của các cơ quan đảng", "BTC", (),
     "Ban Tổ chức Tỉnh ủy", (), date(2030, 12, 31), "yearly"),
]  # fmt: skip
HEADER_LINES = [
    "TT | Nội dung nhiệm vụ | Cơ quan thực hiện | Thời gian hoàn thành",  # merged across: once
    "TT | Nội dung nhiệm vụ | Chủ trì | Phối hợp | Thời gian hoàn thành",  # merged down: in both rows
]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("table-shapes")
    made = {"two-rows": folder / "two-rows.docx", "body": folder / "body.docx"}
    build_docx(made["two-rows"], ONE_TASK, [(APPENDIX_TITLE, TWO_ROWS, 2)])
    build_docx(made["body"], IN_BODY, [([], BODY_TARGETS, 1), ([], BODY_TASKS, 1)])
    for name in ("two-rows", "body"):
        made[f"{name}.pdf"] = soffice_pdf(made[name], folder)
    return made


def read(path: Path, configuration: Configuration) -> Programme:
    return parse(read_document(path, max_bytes=10**8), configuration)


@pytest.mark.libreoffice
def test_a_ruled_header_over_two_rows_in_a_pdf_gives_the_items_of_the_word_file(
    printed: dict[str, Path], configuration: Configuration
) -> None:
    lines = read_document(printed["two-rows.pdf"], max_bytes=10**8).splitlines()
    assert [line for line in lines if line.startswith("TT |")] == HEADER_LINES
    assert "I | Hạ tầng số" in lines  # a group row merged across: one cell
    from_word, from_pdf = read(printed["two-rows"], configuration), read(printed["two-rows.pdf"], configuration)
    assert items_of(from_pdf) == items_of(from_word) == TWO_ROWS_ITEMS
    assert [(s.key, s.title) for s in from_pdf.sections] == [
        (s.key, s.title) for s in from_word.sections
    ]  # a wrapped note's lines differ
    assert {i.appendix for i in from_pdf.items if i.source == "appendix"} == {APPENDIX_NAME}


@pytest.mark.libreoffice
def test_ruled_tables_in_the_body_of_a_pdf_give_the_items_of_the_word_file(
    printed: dict[str, Path], configuration: Configuration
) -> None:
    text = read_document(printed["body.pdf"], max_bytes=10**8)
    lines = text.splitlines()
    assert "STT | Chỉ tiêu | Đơn vị tính | Năm 2030" in lines
    assert "2 | Tập huấn kỹ năng số cho cán bộ | Ban Tuyên giáo Tỉnh ủy | | Hằng năm" in lines
    assert "B. NHIỆM VỤ VÀ GIẢI PHÁP" in lines and text.count("Ả") == 1  # the heading's accent, once
    from_word, from_pdf = read(printed["body"], configuration), read(printed["body.pdf"], configuration)
    assert [row[:-1] for row in body_rows(from_pdf)] == [row[:-1] for row in body_rows(from_word)]
    assert [row[:-1] for row in body_rows(from_pdf)] == [row[:-1] for row in BODY_ITEMS]  # lines differ by format
    assert {i.key: (i.lead, tuple(i.cooperating), i.indicators) for i in from_pdf.items} == {
        i.key: (i.lead, tuple(i.cooperating), i.indicators) for i in from_word.items
    }
    assert [(s.key, s.title, s.context) for s in from_pdf.sections] == [
        (s.key, s.title, s.context) for s in from_word.sections
    ]


LEAD_DOWN = [
    ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
    ["1", "Xây dựng trung tâm dữ liệu của tỉnh", "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Quý IV/2027"],
    ["2", "Số hóa hồ sơ đảng viên", "Văn phòng Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Thường xuyên"],
    ["3", "Đào tạo cán bộ chuyên trách", "Ban Tổ chức Tỉnh ủy", "", "2028"],
]
"""A lead's cell merged down over the two tasks it leads, as offices often lay them out."""


@pytest.mark.libreoffice
def test_a_lead_merged_down_over_two_tasks_in_a_pdf_leads_both(tmp_path: Path, configuration: Configuration) -> None:
    import docx

    document = docx.Document()
    for line in [*HEAD, *ONE_TASK, *SIGNATURE, *APPENDIX_TITLE]:
        document.add_paragraph(line)
    table = document.add_table(rows=len(LEAD_DOWN), cols=len(LEAD_DOWN[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, LEAD_DOWN, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.cell(1, 2).merge(table.cell(2, 2)).text = LEAD_DOWN[1][2]
    document.save(str(tmp_path / "lead-down.docx"))
    pdf = soffice_pdf(tmp_path / "lead-down.docx", tmp_path)
    lines = read_document(pdf, max_bytes=10**8).splitlines()
    assert [" ".join(" | ".join(row).split()) for row in LEAD_DOWN] == [line for line in lines if " | " in line]
    from_word, from_pdf = read(tmp_path / "lead-down.docx", configuration), read(pdf, configuration)
    assert items_of(from_pdf) == items_of(from_word)
    assert [(i.key, i.lead, i.lead_named, tuple(i.cooperating)) for i in from_pdf.items if i.source == "appendix"] == [
        ("PL1.1", "VPTU", "Văn phòng Tỉnh ủy", ("BTC",)),
        ("PL1.2", "VPTU", "Văn phòng Tỉnh ủy", ("BTG",)),
        ("PL1.3", "BTC", "Ban Tổ chức Tỉnh ủy", ()),
    ]
