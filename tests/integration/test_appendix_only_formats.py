"""The documents of ``tests/unit/test_appendix_only.py`` as an office keeps them: a Word file with
real tables (group rows merged across the columns, a header's cells merged across and down), a
Markdown transcription with pipe tables, and the PDF LibreOffice prints from the Word file of the
programme whose tasks are only in its appendix. Each must give exactly the items of the plain text.
"""

from pathlib import Path

import pytest

from config.loading import Configuration
from tests.integration.test_formats import soffice_pdf
from tests.unit.test_appendix_only import (
    APPENDIX_NAME,
    APPENDIX_ONLY,
    APPENDIX_TITLE,
    HEAD,
    ONE_TASK,
    PROSE_BODY,
    SIGNATURE,
    SPLIT,
    SPLIT_ITEMS,
    TASKS,
    items_of,
    parse,
)
from tests.unit.test_body_tables import BODY_ITEMS, BODY_TARGETS, BODY_TASKS, IN_BODY, body_rows
from workflows.reading.text import read_document


def _table(document: object, rows: list[list[str]], header_rows: int = 1) -> None:
    """A ruled table; a short row (a group) has its last cell merged across the rest; a header over
    two rows has its repeated cells merged: across in the first row, down where the second is empty."""
    width = len(rows[0])
    table = document.add_table(rows=len(rows), cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    for index, values in enumerate(rows):
        if len(values) < width:
            table.cell(index, len(values) - 1).merge(table.cell(index, width - 1))
    if header_rows == 2:
        top, below = rows[0], rows[1]
        for column in range(width):
            if column + 1 < width and top[column] == top[column + 1]:
                table.cell(0, column).merge(table.cell(0, column + 1)).text = top[column]
            elif not below[column] and (column == 0 or top[column] != top[column - 1]):
                table.cell(0, column).merge(table.cell(1, column)).text = top[column]


def build_docx(path: Path, body: list[str], tables: list[tuple[list[str], list[list[str]], int]]) -> None:
    """The heading and ``body`` as paragraphs, a table where ``body`` has its first row's line
    (its rows follow it in ``body``); then the signature and each appendix's title and table."""
    import docx

    document = docx.Document()
    in_body = {" | ".join(rows[0]): rows for title, rows, _ in tables if not title}
    skip = {" | ".join(row) for rows in in_body.values() for row in rows}
    for line in [*HEAD, *body]:
        if line in in_body:
            _table(document, in_body[line])
        elif line not in skip:
            document.add_paragraph(line)
    for line in SIGNATURE:
        document.add_paragraph(line)
    for title, rows, header_rows in tables:
        if title:
            for line in title:
                document.add_paragraph(line)
            _table(document, rows, header_rows)
    document.save(str(path))


def markdown(body: list[str], appendix: list[list[str]] | None) -> str:
    """``##`` headings, pipe tables with a separator row under their first row."""
    lines = [*HEAD[:4], HEAD[4], ""]
    for line in [*body, *SIGNATURE]:
        lines.append(f"## {line}" if line[:3] in ("A. ", "B. ", "C. ", "I. ", "II.") and line.isupper() else line)
    if appendix:
        lines += ["", *[f"**{line}**" for line in APPENDIX_TITLE[:2]], APPENDIX_TITLE[2], ""]
    out: list[str] = []
    previous_row = False
    for line in lines + [" | ".join(row) for row in appendix or []]:
        row = " | " in line
        out.append(f"| {line} |" if row else line)
        if row and not previous_row:
            out.append("|" + "---|" * (line.count(" | ") + 1))
        previous_row = row
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("appendix-only")
    made = {name: folder / f"{name}.docx" for name in ("only", "split", "body")}
    build_docx(made["only"], PROSE_BODY, [(APPENDIX_TITLE, TASKS, 1)])
    build_docx(made["split"], ONE_TASK, [(APPENDIX_TITLE, SPLIT, 2)])
    build_docx(made["body"], IN_BODY, [([], BODY_TARGETS, 1), ([], BODY_TASKS, 1)])  # real tables in the body
    made["only.md"] = folder / "only.md"
    made["only.md"].write_text(markdown(PROSE_BODY, TASKS), encoding="utf-8")
    made["body.md"] = folder / "body.md"
    made["body.md"].write_text(markdown(IN_BODY, None), encoding="utf-8")
    return made


def read(path: Path, configuration: Configuration) -> object:
    return parse(read_document(path, max_bytes=10**8), configuration)


@pytest.mark.parametrize("kind", ["only", "only.md"])
def test_an_appendix_only_programme_in_word_and_markdown(kind: str, files: dict[str, Path], configuration: Configuration) -> None:
    programme = read(files[kind], configuration)
    assert items_of(programme) == APPENDIX_ONLY  # type: ignore[arg-type]
    assert {i.appendix for i in programme.items} == {APPENDIX_NAME}  # type: ignore[attr-defined]


def test_a_word_header_merged_across_and_down_names_lead_and_cooperating(files: dict[str, Path], configuration: Configuration) -> None:
    text = read_document(files["split"], max_bytes=10**8)
    assert "TT | Nội dung nhiệm vụ | Cơ quan thực hiện | Thời gian" in text.splitlines()  # merged across: written once
    assert items_of(parse(text, configuration))[1:] == SPLIT_ITEMS


@pytest.mark.parametrize("kind", ["body", "body.md"])
def test_tables_in_the_body_in_word_and_markdown(kind: str, files: dict[str, Path], configuration: Configuration) -> None:
    if kind == "body":  # the Word file holds both tables as real tables, every row in them
        import docx

        tables = docx.Document(str(files[kind])).tables
        assert [[[cell.text for cell in row.cells] for row in t.rows] for t in tables] == [BODY_TARGETS, BODY_TASKS]
    rows = body_rows(read(files[kind], configuration))  # type: ignore[arg-type]
    assert [row[:-1] for row in rows] == [row[:-1] for row in BODY_ITEMS]  # lines differ by format


@pytest.mark.libreoffice
def test_the_pdf_of_an_appendix_only_programme_gives_the_appendix_items(
    files: dict[str, Path], configuration: Configuration, tmp_path: Path
) -> None:
    pdf = soffice_pdf(files["only"], tmp_path)
    programme = read(pdf, configuration)
    assert items_of(programme) == APPENDIX_ONLY  # type: ignore[arg-type]
