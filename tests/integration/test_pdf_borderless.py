"""An appendix table drawn without borders, printed to PDF: its rows recovered from where the words stand.

The document is the one of ``tests/unit/test_appendix.py`` (a task table with group rows, whose
second group begins on a new page, a target table, a table of people), built with python-docx
with every border of every table set to none, a running head and page numbers, a note after
the target table, and printed by
LibreOffice headless. PDFium gives no rules to find cells by (formats/pdf_tables.py); the x of
each header cell's words gives the columns (formats/pdf_borderless.py). A borderless appendix
whose columns cannot be told apart is reported by name, not read wrongly in silence.
"""

import logging
from pathlib import Path

import pytest

from config.loading import Configuration
from tests.integration.test_formats import soffice_pdf
from tests.unit.test_appendix import APPENDICES, BODY, EXPECTED, appendix_rows, parse
from workflows.reading.text import read_document

HEAD = "Chương trình hành động số 12-CTr/TU của Tỉnh ủy Khánh Hòa"
NOTE_END = "ủy)\n"  # the last line of the task table's note, as the PDF wraps it
NOTE_AFTER = "Ghi chú: các cơ quan báo cáo kết quả thực hiện về Văn phòng Tỉnh ủy trước ngày 15/12 hằng năm."


def without_borders(table: object) -> None:
    """Every border of the table, the inside ones too, set to none (w:tblBorders ... w:val="nil")."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    sides = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    for old in properties.findall(parse_xml(f"<w:tblBorders {nsdecls('w')}/>").tag):
        properties.remove(old)
    properties.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>"))


def build_docx(path: Path, appendices: list[tuple[list[str], list[list[str]]]], centred: bool = False) -> None:
    import docx
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEAD  # on the page where a row runs on, between its lines
    section.footer.paragraphs[0]._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
    for line in BODY:
        document.add_paragraph(line)
    for title, rows in appendices:
        for line in title:
            document.add_paragraph(line)
        width = len(rows[0])
        table = document.add_table(rows=len(rows), cols=width)
        without_borders(table)
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=False):
                cell.text = value
                if centred:  # as many offices lay them out: each cell in the middle of its row
                    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            if len(values) < width:
                row.cells[len(values) - 1].merge(row.cells[width - 1])
        if rows[0][0] == "STT":
            document.add_paragraph(NOTE_AFTER)
    document.save(str(path))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("borderless")
    build_docx(folder / "borderless.docx", APPENDICES)
    return soffice_pdf(folder / "borderless.docx", folder)


def has_rules(pdf: Path) -> bool:
    import pypdfium2

    from workflows.reading.formats.pdf_tables import ruled_tables

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return any(ruled_tables(document[index]) for index in range(len(document)))
    finally:
        document.close()


@pytest.mark.libreoffice
def test_a_borderless_appendix_table_in_a_pdf_gives_its_items_exactly(printed: Path, configuration: Configuration) -> None:
    assert not has_rules(printed)  # nothing for the ruled reader to find
    text = read_document(printed, max_bytes=10**8)
    lines = text.splitlines()
    assert "TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời gian hoàn thành" in lines
    assert "I | Lĩnh vực kinh tế" in lines  # the group row: its title crosses the columns, one cell
    assert "2 | Rà soát quy hoạch đô thị | Sở Xây dựng | các sở, ngành liên quan | Báo cáo | Thường xuyên" in lines
    assert any(line.startswith("Ghi chú: các cơ quan") for line in lines)  # the note after a table is not a row's words
    assert not any("|" in line and "Ghi chú" in line for line in lines)
    programme = parse(text, configuration)
    assert [(i.key, i.text) for i in programme.items if i.source == "body"] == [
        ("A.I.1", "Xây dựng cơ sở dữ liệu dùng chung của tỉnh, hoàn thành trong năm 2027."),
        ("B.I", "Văn phòng Tỉnh ủy theo dõi, đôn đốc và báo cáo Ban Thường vụ Tỉnh ủy."),
    ]
    assert appendix_rows(programme) == EXPECTED


@pytest.mark.libreoffice
def test_a_borderless_appendix_whose_columns_cannot_be_told_is_reported_by_name(
    tmp_path: Path, configuration: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    """No "TT" column: rows cannot be told from wrapped lines without rules. Not read as rows of
    nonsense in silence: a warning names the appendix."""
    rows = [["Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"], ["Xây dựng đề án phát triển kinh tế biển", "Sở Xây dựng", "Quý III/2027"]]
    build_docx(tmp_path / "untold.docx", [(["PHỤ LỤC I", "DANH MỤC NHIỆM VỤ TRỌNG TÂM"], rows)])
    pdf = soffice_pdf(tmp_path / "untold.docx", tmp_path)
    with caplog.at_level(logging.WARNING):
        text = read_document(pdf, max_bytes=10**8)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and warned[0].startswith("PHỤ LỤC I: bảng không kẻ khung")
    assert not any(i.source == "appendix" for i in parse(text, configuration).items)


@pytest.mark.libreoffice
def test_a_borderless_table_centred_in_its_rows_stays_text_with_every_word_and_a_warning(
    tmp_path: Path, configuration: Configuration, caplog: pytest.LogCaptureFixture
) -> None:
    """Centred cells start above their row's number: read by rows, a row's first lines would
    join the row before. The table is kept as the text layer gives it and the appendix is named."""
    build_docx(tmp_path / "centred.docx", APPENDICES[:1], centred=True)
    pdf = soffice_pdf(tmp_path / "centred.docx", tmp_path)
    with caplog.at_level(logging.WARNING):
        text = read_document(pdf, max_bytes=10**8)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and warned[0].startswith("PHỤ LỤC I: bảng không kẻ khung")
    assert "|" not in text
    table_words = " ".join(" ".join(row) for row in APPENDICES[0][1]).split()
    after_title = text[text.index(NOTE_END) + len(NOTE_END) :].replace(HEAD, "").split()  # two pages: the head stays
    assert sorted(after_title) == sorted(table_words)  # no word lost or doubled
    assert not any(i.source == "appendix" for i in parse(text, configuration).items)


def test_prose_with_a_title_word_is_not_split_into_cells(tmp_path: Path, configuration: Configuration) -> None:
    """The body's own paragraphs are read as the text layer gives them, even after an appendix title."""
    rows = [["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"], ["1", "Sơ kết giữa nhiệm kỳ", "Văn phòng Tỉnh ủy", "2028"]]
    build_docx(tmp_path / "prose.docx", [(["PHỤ LỤC I", "DANH MỤC NHIỆM VỤ", "Các cơ quan, đơn vị căn cứ nhiệm vụ được giao tại phụ lục này xây dựng kế hoạch cụ thể và báo cáo kết quả."], rows)])
    pdf = soffice_pdf(tmp_path / "prose.docx", tmp_path)
    lines = read_document(pdf, max_bytes=10**8).splitlines()
    assert "1 | Sơ kết giữa nhiệm kỳ | Văn phòng Tỉnh ủy | 2028" in lines
    assert not any("|" in line for line in lines[: lines.index("TT | Tên nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành")])
