"""The layout primitives of the DOCX review report: the page, runs and paragraphs in the report's
type, bordered tables whose header row repeats on every page, borderless layout tables, figures.

Apart from ``docx.py`` so that the report's sections read as the document does.
"""

from collections.abc import Sequence
from io import BytesIO

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
TEXT_CAP = 160
"""Characters of an item's text or a body's words shown in a table cell."""


def clip(text: str, limit: int = TEXT_CAP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def page(document: DocumentObject, draft_line: str | None) -> None:
    """A4, the decree's margins, 13 pt Times New Roman, the page number at the top from page 2."""
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after, normal.paragraph_format.space_before = Pt(0), Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    section.different_first_page_header_footer = True
    top = section.header.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple>'))
    if draft_line:
        for header in (section.header, section.first_page_header):
            run(header.add_paragraph(), draft_line, size=10, italic=True, colour=RGBColor(0xB0, 0x00, 0x20))
            header.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
         size: float | None = None, colour: RGBColor | None = None) -> Paragraph:
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.name = FONT
    if size is not None:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def para(document: DocumentObject, text: str = "", *, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False,
          before: float = 0, after: float = 6, **style: object) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(before), Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return run(paragraph, text, **style) if text else paragraph  # type: ignore[arg-type]


def cell_lines(cell: _Cell, lines: Sequence[tuple[str, dict[str, object]]]) -> None:
    """Write ``lines`` (text, run style) into a table cell, one centred paragraph each."""
    paragraphs = cell.paragraphs
    for i, (text, style) in enumerate(lines):
        paragraph = paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run(paragraph, text, **style)  # type: ignore[arg-type]


def borderless(table: Table) -> None:
    borders = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{borders}</w:tblBorders>'))


def repeat_header(table: Table) -> None:
    row = table.rows[0]._tr
    row.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))


def table(document: DocumentObject, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int],
          *, total: Sequence[str] | None = None) -> Table:
    """A bordered table: the header row bold and repeated on each page, numbers right-aligned,
    text in 11 pt; an optional bold total row at the foot."""
    body = [*rows, *([total] if total else [])]
    grid: Table = document.add_table(rows=1 + len(body), cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    repeat_header(grid)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice reads; the cells' widths, which Word reads
    for r, values in enumerate([header, *body]):
        grid.rows[r]._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))  # a row on one page
        bold = r == 0 or (total is not None and r == len(body))
        for c, (cell, value) in enumerate(zip(grid.rows[r].cells, values, strict=True)):
            cell.width = Mm(widths[c])
            paragraph = cell.paragraphs[0]
            numeric = r > 0 and value[:1].isdigit() and c > 0 and len(value) < 12
            paragraph.alignment = (WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c == 0
                                   else WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT)
            run(paragraph, value, bold=bold, size=11)
    para(document, after=4)
    return grid


def heading(document: DocumentObject, text: str, *, level: int = 1) -> None:
    """A section heading (``I.`` bold, ``1.`` bold italic), kept on the page of what follows it."""
    paragraph = para(document, text, align=WD_ALIGN_PARAGRAPH.LEFT, before=10 if level == 1 else 6, after=4,
                      bold=True, italic=level == 2, size=13)
    paragraph.paragraph_format.keep_with_next = True


def figure(document: DocumentObject, png: bytes, caption: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(BytesIO(png), width=Mm(160))
    para(document, caption, align=WD_ALIGN_PARAGRAPH.CENTER, after=8, italic=True, size=11)
