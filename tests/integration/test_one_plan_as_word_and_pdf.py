"""One People's Committee plan as an office keeps it: a Word file whose heading block is a
two-column table (issuer and number on the left, the national motto and the place and date on the
right) and whose appendix table gives bare dates as deadlines, and the PDF LibreOffice prints from
it. Both are one document: the same issuer, title and key, stored once (a new user's trial found
them stored twice, both titled "KẾ HOẠCH", and the dates in the table ignored).
"""

import json
from datetime import date
from pathlib import Path

import pytest

from config.loading import Configuration
from tests.acceptance.test_cli import ok
from tests.integration.test_formats import soffice_pdf
from tests.unit.test_document_heading_and_date_cells import BODY, DUE, SIGNATURE, SUBTITLE, TASKS, parse
from workflows.reading.text import read_document

ISSUER = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 85/KH-UBND"]
RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Quảng Ngãi, ngày 14 tháng 4 năm 2026"]


def build_docx(path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    heading = document.add_table(rows=3, cols=2)
    for row, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        heading.cell(row, 0).text, heading.cell(row, 1).text = left, right
    for line in ["KẾ HOẠCH", SUBTITLE]:
        paragraph = document.add_paragraph()
        paragraph.add_run(line).bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in [*BODY, *SIGNATURE]:
        document.add_paragraph(line)
    document.add_page_break()  # type: ignore[no-untyped-call]
    document.add_paragraph("PHỤ LỤC: DANH MỤC NHIỆM VỤ")
    table = document.add_table(rows=len(TASKS), cols=len(TASKS[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, TASKS, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(path))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("trial")
    build_docx(folder / "ke-hoach.docx")
    return {"docx": folder / "ke-hoach.docx", "pdf": soffice_pdf(folder / "ke-hoach.docx", folder)}


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_plan_reads_the_same_issuer_title_and_dates_from_word_and_pdf(
    files: dict[str, Path], kind: str, configuration: Configuration
) -> None:
    programme = parse(read_document(files[kind], max_bytes=10**8), configuration)
    assert (programme.issuer, programme.number, programme.issued_on) == (ISSUER, "85/KH-UBND", date(2026, 4, 14))
    assert programme.title == f"KẾ HOẠCH {SUBTITLE}"
    assert [(i.key, i.due, i.deadline_basis) for i in programme.items] == DUE


def test_the_word_file_and_its_pdf_are_stored_as_one_document(files: dict[str, Path], tmp_path: Path) -> None:
    ok(tmp_path, "ingest", str(files["docx"]))
    ok(tmp_path, "ingest", str(files["pdf"]))
    documents = json.loads(ok(tmp_path, "documents", "--json"))["documents"]
    assert [(d["title"], d["version"]) for d in documents] == [(f"KẾ HOẠCH {SUBTITLE}", 2)]
    items = json.loads(ok(tmp_path, "items", "--format", "json"))["items"]
    assert sorted((i["key"], i["due"]) for i in items) == [(key, due.isoformat()) for key, due, _ in DUE]
