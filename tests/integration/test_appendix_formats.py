"""The appendix document of ``tests/unit/test_appendix.py`` as an office keeps it: a Word file
with real tables (group rows merged across the columns, as offices draw them), a Markdown
transcription with pipe tables, text with form feeds, and the PDF LibreOffice prints from the Word
file (its ruled tables recovered as rows). Each must give exactly the appendix items of the plain text.
"""

from pathlib import Path

import pytest

from config.loading import Configuration
from tests.integration.test_formats import soffice_pdf
from tests.unit.test_appendix import APPENDICES, BODY, EXPECTED, appendix_rows, parse, text_document
from workflows.reading.text import read_document


def build_docx(path: Path) -> None:
    """Paragraphs, then each appendix's title lines and its table; a group row ("I", "II") has
    its title cell merged across the remaining columns."""
    import docx

    document = docx.Document()
    for line in BODY:
        document.add_paragraph(line)
    for title, rows in APPENDICES:
        for line in title:
            document.add_paragraph(line)
        width = len(rows[0])
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=False):
                cell.text = value
            if len(values) < width:
                row.cells[len(values) - 1].merge(row.cells[width - 1])
    document.save(str(path))


def markdown() -> str:
    """``##`` headings for the parts, pipe tables with a separator row, a group row's empty cells kept."""
    lines = [f"## {line}" if line[:2] in ("A.", "B.") else line for line in BODY]
    for title, rows in APPENDICES:
        lines.extend(["", f"**{title[0]}**", "", *title[1:], ""])
        width = len(rows[0])
        for index, row in enumerate(rows):
            cells = [cell.replace("|", "\\|") for cell in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("|" + "---|" * width)
    return "\n\n".join(lines[:5]) + "\n\n" + "\n".join(lines[5:]) + "\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("appendix")
    made = {"text": folder / "plain.txt", "pages": folder / "pages.txt", "markdown": folder / "programme.md"}
    made["text"].write_text(text_document(), encoding="utf-8")
    made["pages"].write_text(text_document(pages=True), encoding="utf-8")
    made["markdown"].write_text(markdown(), encoding="utf-8")
    made["docx"] = folder / "programme.docx"
    build_docx(made["docx"])
    return made


def read(path: Path, configuration: Configuration) -> list[tuple[object, ...]]:
    return appendix_rows(parse(read_document(path, max_bytes=10**8), configuration))


@pytest.mark.parametrize("kind", ["text", "pages", "markdown", "docx"])
def test_each_format_gives_the_appendix_items_exactly(kind: str, files: dict[str, Path], configuration: Configuration) -> None:
    assert read(files[kind], configuration) == EXPECTED


def test_word_tables_reach_the_reader_as_rows_of_cells(files: dict[str, Path]) -> None:
    lines = read_document(files["docx"], max_bytes=10**8).splitlines()
    assert "I | Lĩnh vực kinh tế" in lines  # the merged group row, its title written once
    assert "STT | Chỉ tiêu | Đơn vị tính | Thực hiện 2025 | Mục tiêu đến năm 2030" in lines


@pytest.mark.libreoffice
def test_the_pdf_printed_from_the_word_file_gives_the_same_appendix_items(
    files: dict[str, Path], configuration: Configuration, tmp_path: Path
) -> None:
    """pypdfium2's text layer gives a table cell by cell with nothing between cells; the rules
    LibreOffice draws around them give the rows back (formats/pdf_tables.py)."""
    pdf = soffice_pdf(files["docx"], tmp_path)
    text = read_document(pdf, max_bytes=10**8)
    assert "I | Lĩnh vực kinh tế" in text.splitlines()  # the merged group row: no rule inside it
    programme = parse(text, configuration)
    assert [i.key for i in programme.items if i.source == "body"] == ["A.I.1", "B.I"]
    assert appendix_rows(programme) == EXPECTED
