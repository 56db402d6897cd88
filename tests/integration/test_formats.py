"""One programme in every format an office keeps it in, read to the same items (issue 12, "Input formats").

The document is written here once, as paragraphs with a style each, and built as plain text, as
text with form feeds and page numbers, as Markdown, as a Word document (python-docx: automatic
numbering, bullets from the list styles, a running head, page-number footers, a real table) and as
the PDF LibreOffice prints from it. Each must give exactly the items of the plain text: keys,
kinds, sections, texts, leads, cooperating bodies, deadlines and cadences.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from config.errors import DocumentError
from config.loading import Configuration
from models.programme import Programme
from tests.faults.test_inputs import quick, refused
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

HEAD = "Chương trình hành động số 12-CTr/TU của Tỉnh ủy Khánh Hòa"
DOCUMENT: list[tuple[str, str]] = [
    ("plain", "TỈNH ỦY KHÁNH HÒA"),
    ("plain", "Số 12-CTr/TU"),
    ("bold", "CHƯƠNG TRÌNH HÀNH ĐỘNG"),
    ("plain", "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XIX, nhiệm kỳ 2025 - 2030"),
    ("bold", "B. MỤC TIÊU VÀ CHỈ TIÊU CHỦ YẾU"),
    ("bold", "I. Các chỉ tiêu chủ yếu"),
    ("bullet", "Tốc độ tăng trưởng kinh tế (GRDP) bình quân đạt 8%/năm."),
    ("bullet", "Tỷ lệ hộ nghèo giảm bình quân 1%/năm."),
    ("break", ""),
    ("bold", "C. NHIỆM VỤ VÀ GIẢI PHÁP"),
    ("bold", "I. Về phát triển kinh tế"),
    ("auto", "Đẩy mạnh chuyển đổi số"),  # Word's automatic "1." (no number in the paragraph's text)
    ("bullet", "Xây dựng cơ sở dữ liệu dùng chung của tỉnh, hoàn thành trong năm 2027."),
    ("bullet", "Triển khai dịch vụ công trực tuyến toàn trình, báo cáo kết quả hằng năm."),
    ("auto", "Phát triển hạ tầng giao thông"),  # automatic "2."
    ("bullet", "Hoàn thành tuyến đường ven biển trước năm 2028."),
    ("bold", "II. Về xây dựng Đảng"),
    ("plain", "1. Nâng cao chất lượng sinh hoạt chi bộ"),  # numbered by hand
    ("bullet", "Ban Tổ chức Tỉnh ủy hướng dẫn sinh hoạt chuyên đề hằng quý."),
    ("break", ""),
    ("bold", "D. TỔ CHỨC THỰC HIỆN"),
    ("plain", "I. Các cấp ủy, tổ chức đảng quán triệt và cụ thể hóa Chương trình hành động này."),
    ("plain", "II. Văn phòng Tỉnh ủy theo dõi, đôn đốc và báo cáo Ban Thường vụ Tỉnh ủy."),
    ("plain", "T/M TỈNH ỦY"),
    ("bold", "PHỤ LỤC"),
]
TABLE = [
    ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
    ["1", "Cơ sở dữ liệu dùng chung", "Sở Khoa học và Công nghệ", "2027"],
]
ROWS = [" | ".join(row) for row in TABLE]


def plain(pages: bool = False) -> str:
    """The text a clean transcription has; with ``pages``, form feeds and page numbers as a PDF's text has them."""
    out: list[str] = []
    number, counter = 0, 0
    for style, text in DOCUMENT:
        if style == "break":
            number += 1
            out.extend([f"- {number} -", "\f"] if pages else [])
            continue
        if style == "auto":
            counter += 1
            text = f"{counter}. {text}"
        out.append(f"- {text}" if style == "bullet" else text)
    return "\n\n".join([*out, *ROWS])


def markdown() -> str:
    """A transcription as pandoc or a person writes it: ``##``/``**`` headings, ``*`` bullets, a pipe table."""
    out: list[str] = []
    counter = 0
    for style, text in DOCUMENT:
        if style == "bold":
            out.append(f"## {text}" if text[:2] in ("B.", "C.", "D.") else f"**{text}**")
        elif style == "bullet":
            out.append(f"* {text}")
        elif style == "auto":
            counter += 1
            out.append(f"{counter}\\. {text}")
        elif style == "plain":
            out.append(text)
    table = [f"| {' | '.join(TABLE[0])} |", "|" + "---|" * len(TABLE[0]), *(f"| {' | '.join(r)} |" for r in TABLE[1:])]
    return "\n\n".join(out) + "\n\n" + "\n".join(table) + "\n"


def build_docx(path: Path) -> None:
    """The Word document: list styles for bullets and the automatic numbers, a head and a page-number foot."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEAD
    section.footer.paragraphs[0]._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
    styles = {"plain": None, "bold": None, "bullet": "List Bullet", "auto": "List Number"}
    for style, text in DOCUMENT:
        if style == "break":
            document.add_page_break()  # type: ignore[no-untyped-call]
            continue
        paragraph = document.add_paragraph(style=styles[style])
        paragraph.add_run(text).bold = style == "bold"
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for row, values in zip(table.rows, TABLE, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.save(str(path))


def soffice_pdf(source: Path, out: Path) -> Path:
    """``source`` printed to PDF by LibreOffice headless, in a profile of its own (runs may overlap)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("DONDOC_REQUIRE_LIBREOFFICE"):
            pytest.fail("soffice is not installed and DONDOC_REQUIRE_LIBREOFFICE is set")
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = out / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out / (source.stem + ".pdf")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every format of the document, each saved under a name that does not tell its format."""
    folder = tmp_path_factory.mktemp("formats")
    made = {"plain": folder / "plain.txt", "pages": folder / "pages.txt", "markdown": folder / "programme.md"}
    made["plain"].write_text(plain(), encoding="utf-8")
    made["pages"].write_text(plain(pages=True), encoding="utf-8")
    made["markdown"].write_text(markdown(), encoding="utf-8")
    made["markdown-as-txt"] = folder / "transcribed.txt"
    made["markdown-as-txt"].write_text(markdown(), encoding="utf-8")
    build_docx(folder / "programme.docx")
    made["docx"] = folder / "van-ban-1"  # no extension: told by its content
    made["docx"].write_bytes((folder / "programme.docx").read_bytes())
    return made


@pytest.fixture(scope="module")
def pdf(files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    printed = soffice_pdf(files["docx"].parent / "programme.docx", tmp_path_factory.mktemp("pdf"))
    renamed = printed.parent / "van-ban-2.dat"
    renamed.write_bytes(printed.read_bytes())
    return renamed


def items(path: Path, configuration: Configuration) -> list[tuple[object, ...]]:
    programme: Programme = parse_programme(
        read_document(path, max_bytes=10**8), rules=configuration.rules, policy=configuration.policy
    )
    return [
        (i.key, i.kind, i.section, i.text, i.lead, tuple(i.cooperating), i.due, i.recurrence) for i in programme.items
    ]


def test_the_plain_text_reads_as_written(files: dict[str, Path], configuration: Configuration) -> None:
    got = items(files["plain"], configuration)
    assert [(key, lead, due.year, cadence) for key, _, _, _, lead, _, due, cadence in got] == [  # type: ignore[attr-defined]
        ("B.I.1", "UBND", 2030, "once"), ("B.I.2", "UBND", 2030, "once"),
        ("C.I.1.1", "UBND", 2027, "once"), ("C.I.1.2", "UBND", 2030, "yearly"), ("C.I.2.1", "UBND", 2028, "once"),
        ("C.II.1.1", "UBND", 2030, "once"), ("D.I", "UBND", 2030, "once"), ("D.II", "BTV", 2030, "once"),
        ("PL1.1", "UBND", 2027, "once"),  # the appendix table's row (tests/unit/test_appendix.py)
    ]  # fmt: skip


@pytest.mark.parametrize("kind", ["pages", "markdown", "markdown-as-txt", "docx"])
def test_each_format_reads_to_the_same_items_as_the_plain_text(
    kind: str, files: dict[str, Path], configuration: Configuration
) -> None:
    assert items(files[kind], configuration) == items(files["plain"], configuration)


@pytest.mark.libreoffice
def test_the_pdf_printed_from_the_word_file_reads_to_the_same_items(
    pdf: Path, files: dict[str, Path], configuration: Configuration
) -> None:
    text = read_document(pdf, max_bytes=10**8)
    assert HEAD not in text  # the running head on every page is gone
    assert not any(line.strip().isdigit() for line in text.splitlines())  # and so are the page numbers
    assert items(pdf, configuration) == items(files["plain"], configuration)  # its table has no rules (pdf_borderless.py)


@pytest.mark.parametrize("kind", ["docx", "markdown"])
def test_a_table_is_kept_as_rows_with_cells_between_bars(kind: str, files: dict[str, Path]) -> None:
    lines = read_document(files[kind], max_bytes=10**8).splitlines()
    assert [line for line in lines if "|" in line] == ROWS  # markdown's "|---|" row is dropped


def test_words_docx_numbering_is_written_into_the_text(files: dict[str, Path]) -> None:
    lines = read_document(files["docx"], max_bytes=10**8).splitlines()
    assert "1. Đẩy mạnh chuyển đổi số" in lines and "2. Phát triển hạ tầng giao thông" in lines
    assert "- Hoàn thành tuyến đường ven biển trước năm 2028." in lines


def scanned_pdf() -> bytes:
    """A one-page PDF that only draws a picture (a 2x2 grey image): what a scanner writes, no text layer."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream",
        b"<< /Length 33 >>\nstream\nq 500 0 0 700 40 70 cm /Im1 Do Q\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_scanned_pdf_is_refused_as_a_scan(tmp_path: Path) -> None:
    scan = tmp_path / "ban-quet.pdf"
    scan.write_bytes(scanned_pdf())
    with pytest.raises(DocumentError, match="bản quét, không có lớp chữ"):
        read_document(scan, max_bytes=10**8)
    refused(quick(tmp_path, "parse", str(scan)), 2, str(scan), "bản quét", "OCR")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("hong.docx", b"word/document.xml", ("tệp Word hỏng",)),
        ("hong.pdf", b"%PDF-1.4 not really", ("không mở được tệp PDF",)),
    ],
)
def test_a_broken_word_file_or_pdf_is_refused_in_one_line(
    tmp_path: Path, name: str, content: bytes, words: tuple[str, ...]
) -> None:
    path = tmp_path / name
    if name.endswith(".docx"):
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(content.decode(), "<w:document")  # a zip with the part, but not XML
    else:
        path.write_bytes(content)
    refused(quick(tmp_path, "parse", str(path)), 2, str(path), *words)
