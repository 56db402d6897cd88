"""What stands at a PDF page's edges is kept when it is a table's (issue 12, "Input formats": page
numbers and running heads dropped, every word kept). Word files built with python-docx and
printed with LibreOffice headless; each PDF must give exactly the Word file's items.

1. A ruled appendix table whose last row falls alone on a new page: that page's rules make a
   table of one row (its top rule drawn at the page break), which was refused as "not a table";
   its cells then came as loose lines the appendix reader dropped, with no warning.
2. A long ruled table whose rows differ only by their numbers ("Kiểm tra chi bộ số 7"): rows at
   the top and bottom of most pages are the same line digits aside, and were dropped as a
   running head. The document's real running head is still dropped.
3. The check that every letter of the text layer is in the text read, or dropped on purpose: a
   page that loses words is named in a warning; words a table's row carries to the page before
   are not lost.
"""

import logging
from pathlib import Path

import pytest

from config.loading import Configuration
from models.programme import Programme
from tests.integration.test_formats import soffice_pdf
from tests.unit.test_appendix_only import APPENDIX_TITLE, HEAD, ONE_TASK, SIGNATURE, items_of, parse
from workflows.reading.formats.pdf import check_words
from workflows.reading.text import read_document

HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]
LAST_ALONE = [
    HEADER,
    ["1", "Xây dựng trung tâm dữ liệu của tỉnh", "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Quý IV/2027"],
    ["2", "Số hóa hồ sơ đảng viên", "Ban Tổ chức Tỉnh ủy", "", "Thường xuyên"],
    ["3", "Đào tạo cán bộ chuyên trách chuyển đổi số", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", "Hằng năm"],
    ["4", "Nâng cấp mạng nội bộ của các cơ quan đảng", "Văn phòng Tỉnh ủy", "", "Quý II/2028"],
    ["5", "Đánh giá, xếp hạng mức độ chuyển đổi số của các cơ quan đảng", "Ban Tuyên giáo Tỉnh ủy",
     "Văn phòng Tỉnh ủy", "Quý I/2029"],
]  # fmt: skip
"""Rows 1.5 inches high, exactly: four fit under the header on the appendix's page, the fifth does not."""
REPEATED = [HEADER] + [
    [str(n), f"Kiểm tra việc thực hiện nghị quyết tại chi bộ số {n}", "Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", f"Quý I/{2027 + n % 3}"]
    for n in range(1, 71)
]  # fmt: skip
"""Seventy rows alike but for their numbers, over three pages and more."""
RUNNING_HEAD = "Kế hoạch số 15-KH/TU của Ban Thường vụ Tỉnh ủy"


def build(path: Path, rows: list[list[str]], *, row_height: float | None = None, running_head: bool = False) -> Path:
    """The heading, a body task, the signature, then the appendix on a page of its own: its title
    and its ruled table (each row but the header ``row_height`` points high, exactly)."""
    import docx
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Pt

    document = docx.Document()
    if running_head:
        document.sections[0].header.paragraphs[0].text = RUNNING_HEAD
    for line in [*HEAD, *ONE_TASK, *SIGNATURE]:
        document.add_paragraph(line)
    for index, line in enumerate(APPENDIX_TITLE):
        document.add_paragraph(line).paragraph_format.page_break_before = index == 0
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for index, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        if row_height is not None and index:
            row.height, row.height_rule = Pt(row_height), WD_ROW_HEIGHT_RULE.EXACTLY
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def read(path: Path, configuration: Configuration) -> Programme:
    return parse(read_document(path, max_bytes=10**8), configuration)


def page_texts(pdf: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [str(document[index].get_textpage().get_text_range()) for index in range(len(document))]
    finally:
        document.close()


@pytest.mark.libreoffice
def test_a_ruled_tables_last_row_alone_on_the_last_page_is_an_item(
    tmp_path: Path, configuration: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    word = build(tmp_path / "last-alone.docx", LAST_ALONE, row_height=108)
    pdf = soffice_pdf(word, tmp_path)
    last = " ".join(page_texts(pdf)[-1].split())
    assert last.startswith("5 Đánh giá, xếp hạng") and "Nâng cấp" not in last  # the test's premise: the row alone
    with caplog.at_level(logging.WARNING):
        from_pdf = read(pdf, configuration)
    assert items_of(from_pdf) == items_of(read(word, configuration))
    assert [i.key for i in from_pdf.items] == ["I.1", "PL1.1", "PL1.2", "PL1.3", "PL1.4", "PL1.5"]
    assert "mức độ chuyển đổi số của các cơ quan đảng" in from_pdf.items[-1].text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.libreoffice
def test_a_long_tables_rows_alike_but_for_numbers_are_no_running_head(
    tmp_path: Path, configuration: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    word = build(tmp_path / "repeated.docx", REPEATED, running_head=True)
    pdf = soffice_pdf(word, tmp_path)
    assert len(page_texts(pdf)) >= 4 and all(RUNNING_HEAD in page for page in page_texts(pdf))  # the premise
    with caplog.at_level(logging.WARNING):
        text = read_document(pdf, max_bytes=10**8)
    assert RUNNING_HEAD not in text  # the running head is still dropped
    from_pdf = read(pdf, configuration)
    assert items_of(from_pdf) == items_of(read(word, configuration))
    assert [i.key for i in from_pdf.items] == ["I.1", *(f"PL1.{n}" for n in range(1, 71))]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_page_that_loses_words_is_named_in_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    pages = [
        ("KẾ HOẠCH\r\nchuyển đổi số", ["KẾ HOẠCH", "chuyển đổi số"]),  # read as it is
        ("3 Đánh giá, xếp hạng\r\nSở Nội vụ\r\nQuý I", ["3 | Đánh giá, | Sở Nội vụ | Quý I"]),  # a row, a word lost
        ("5 Rà soát\r\nVăn phòng", ["5 | Rà soát", "7"]),  # the row's last cell read on the page before
        ("Tỉnh ủy\r\n7", ["Văn phòng Tỉnh ủy"]),  # a page number dropped on purpose, as read
    ]
    with caplog.at_level(logging.WARNING, logger="workflows.reading.formats.pdf"):
        assert check_words("ke-hoach.pdf", pages) == [2]
    [warning] = [r.getMessage() for r in caplog.records]
    assert "ke-hoach.pdf, trang 2:" in warning and "xếp hạng" in warning and "(page 2:" in warning
    assert "Đánh" not in warning  # only the words lost are named
    caplog.clear()
    assert check_words("ke-hoach.pdf", pages[2:]) == [] and not caplog.records  # words moved a page, not lost
