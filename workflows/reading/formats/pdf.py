"""A PDF with a text layer as the plain text the outline parser reads.

PDFium (through pypdfium2) gives each page's text layer in reading order. What a printed page adds to
the document is taken away: a page number on a line of its own, and a running head or foot (the
same line at the top or bottom of most pages); pages are joined with form feeds, which the
normaliser turns into the blank line the parser expects at a page break. A scan has no text layer
at all: it is refused with a message that says so, rather than read as an empty programme.
"""

import re
from collections import Counter

from config.errors import DocumentError
from workflows.reading.formats.pdf_borderless import BorderlessTables
from workflows.reading.formats.pdf_tables import ruled_tables, with_rows

_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?(?:(?:trang|page)\s+\d{1,4}|\d{1,3})(?:\s*(?:/|of|trên)\s*\d{1,4})?(?:\s*-)?$", re.IGNORECASE
)
"""A page number on a line of its own ("5", "- 5 -", "Trang 5", "5/12"); a bare number of four
digits is a year ("2029" ending a table's cell at a page's foot), not a page of this genre."""
_GLYPH_BULLET = re.compile(r"^\s*[\ue000-\uf8ff•●▪■◦○□➢►▶✓❖–]\s+")
"""A bullet as a PDF draws it: Word's Symbol-font dot arrives as a private-use character (U+F0B7)."""
_EDGE = 2
"""Lines at the top and at the bottom of a page where a page number or a running head may stand."""


def is_pdf(data: bytes) -> bool:
    """A PDF by its magic bytes (some writers put a few bytes of junk before them)."""
    return b"%PDF-" in data[:1024]


def pdf_text(data: bytes, name: str) -> str:
    """Every page's text, without page numbers and running heads, pages joined by form feeds."""
    pages = [page.splitlines() for page in _page_texts(data, name)]
    if not any(line.strip() for page in pages for line in page):
        raise DocumentError(
            f"{name} là bản quét, không có lớp chữ: hãy chạy OCR hoặc dùng bản .docx "
            "(a scanned PDF with no text layer: run OCR on it or use the .docx)"
        )
    running = _running_lines(pages)
    return "\f".join("\n".join(_clean(page, running)) for page in pages)


def _page_texts(data: bytes, name: str) -> list[str]:
    """Each page's text layer, by PDFium (pypdfium2): about 2 ms a page where pdfminer (under
    pdfplumber) takes 200 ms, so a 200-page programme reads in under a second, not in a minute."""
    import pypdfium2  # a compiled library: imported only when a PDF is read

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:  # broken, truncated, or locked with a password
        raise DocumentError(f"{name}: không mở được tệp PDF ({exc}) (cannot open this PDF)") from None
    read = BorderlessTables()
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            tables = ruled_tables(page)
            if tables:
                read.add_text(with_rows(textpage, tables))  # a ruled table's cells as " | " rows
            else:
                read.add_page(textpage)  # an appendix's table drawn without rules, where it can
            textpage.close()
            page.close()
    except pypdfium2.PdfiumError as exc:
        raise DocumentError(
            f"{name}: không đọc được trang {len(read.pages) + 1} của tệp PDF ({exc}) (a broken page)"
        ) from None
    finally:
        document.close()
    return read.texts()


def _edges(page: list[str]) -> list[str]:
    lines = [line.strip() for line in page if line.strip()]
    return lines[:_EDGE] + lines[-_EDGE:] if len(lines) > 2 * _EDGE else lines


def _key(line: str) -> str:
    """A running head compared without its digits: "Chương trình ... - trang 3" is the same line on every page."""
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits aside) at the top or bottom of more than half of the pages, when there are at least three."""
    if len(pages) < 3:
        return set()
    counts = Counter(key for page in pages for key in {_key(line) for line in _edges(page)})
    return {
        key for key, count in counts.items() if count > len(pages) / 2 and not _PAGE_NUMBER.match(key.replace("#", "1"))
    }


def _clean(page: list[str], running: set[str]) -> list[str]:
    """A page's lines without its page number and running lines (looked for only at its edges),
    a drawn bullet glyph written as the "- " the parser knows."""
    lines = [line.rstrip() for line in page]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edge = set(filled[:_EDGE] + filled[-_EDGE:])
    return [
        _GLYPH_BULLET.sub("- ", line)
        for i, line in enumerate(lines)
        if not (i in edge and (_PAGE_NUMBER.match(line.strip()) or _key(line.strip()) in running))
    ]
