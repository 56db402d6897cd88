"""A PDF with a text layer as the plain text the outline parser reads.

PDFium (through pypdfium2) gives each page's text layer in reading order. What a printed page adds to
the document is taken away: a page number on a line of its own, and a running head or foot (the
same line at the top or bottom of most pages, never a row of a recovered table: a long table's
rows differ only by their numbers); pages are joined with form feeds, which the
normaliser turns into the blank line the parser expects at a page break. A scan has no text layer
at all: it is refused with a message that says so, rather than read as an empty programme.

Every word kept: at the end, each page's letters and digits in the text read plus those dropped on
purpose (page numbers, running heads) must be the text layer's, or a warning names the page and
the words missing (a table's cells read wrong would otherwise lose them in silence).
"""

import logging
import re
from collections import Counter

from config.errors import DocumentError
from workflows.reading.formats.pdf_borderless import BorderlessTables
from workflows.reading.formats.pdf_runs import nfc
from workflows.reading.formats.pdf_tables import ruled_tables, with_rows

log = logging.getLogger(__name__)

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
    texts, raws, rows = _page_texts(data, name)
    pages = [page.splitlines() for page in texts]
    if not any(line.strip() for page in pages for line in page):
        raise DocumentError(
            f"{name} là bản quét, không có lớp chữ: hãy chạy OCR hoặc dùng bản .docx "
            "(a scanned PDF with no text layer: run OCR on it or use the .docx)"
        )
    running = _running_lines(pages, rows)
    cleaned = [_clean(page, running, table) for page, table in zip(pages, rows, strict=True)]
    check_words(name, [
        (raw, [*kept, *dropped]) if raw != text else (raw, [raw])  # a page read as its layer is: nothing to count
        for raw, text, (kept, dropped) in zip(raws, texts, cleaned, strict=True)
    ])  # fmt: skip
    return "\f".join("\n".join(kept) for kept, _ in cleaned)


def _page_texts(data: bytes, name: str) -> tuple[list[str], list[str], list[set[str]]]:
    """Each page's text as read, its text layer as PDFium gives it and its tables' rows, by PDFium
    (pypdfium2): about 2 ms a page where pdfminer (under pdfplumber) takes 200 ms, so a 200-page
    programme reads in under a second, not in a minute."""
    import pypdfium2  # a compiled library: imported only when a PDF is read

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:  # broken, truncated, or locked with a password
        raise DocumentError(f"{name}: không mở được tệp PDF ({exc}) (cannot open this PDF)") from None
    read = BorderlessTables()
    raws: list[str] = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            raws.append(str(textpage.get_text_range()))
            tables = ruled_tables(page)
            if tables:
                read.add_text(*with_rows(textpage, tables))  # a ruled table's cells as " | " rows
            else:
                read.add_page(textpage, raws[-1])  # an appendix's table drawn without rules, where it can
            textpage.close()
            page.close()
    except pypdfium2.PdfiumError as exc:
        raise DocumentError(
            f"{name}: không đọc được trang {len(read.pages) + 1} của tệp PDF ({exc}) (a broken page)"
        ) from None
    finally:
        document.close()
    return read.texts(), raws, [{row.strip() for row in rows} for rows in read.table_rows()]


def _edges(page: list[str]) -> list[str]:
    lines = [line.strip() for line in page if line.strip()]
    return lines[:_EDGE] + lines[-_EDGE:] if len(lines) > 2 * _EDGE else lines


def _key(line: str) -> str:
    """A running head compared without its digits: "Chương trình ... - trang 3" is the same line on every page."""
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _running_lines(pages: list[list[str]], rows: list[set[str]]) -> set[str]:
    """Lines (digits aside) at the top or bottom of more than half of the pages, when there are at
    least three; a table's row is none (``rows``, each page's): "3 | Kiểm tra chi bộ 3 | ..." at
    every page's top is a long table, not a running head."""
    if len(pages) < 3:
        return set()
    counts = Counter(
        key for page, table in zip(pages, rows, strict=True) for key in {_key(line) for line in _edges(page) if line not in table}
    )
    return {
        key for key, count in counts.items() if count > len(pages) / 2 and not _PAGE_NUMBER.match(key.replace("#", "1"))
    }


def _clean(page: list[str], running: set[str], table: set[str]) -> tuple[list[str], list[str]]:
    """A page's lines without its page number and running lines (looked for only at its edges,
    never a row of its tables), a drawn bullet glyph written as the "- " the parser knows; and
    the lines dropped."""
    lines = [line.rstrip() for line in page]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edge = {
        i for i in filled[:_EDGE] + filled[-_EDGE:]
        if (_PAGE_NUMBER.match(lines[i].strip()) or _key(lines[i].strip()) in running) and lines[i].strip() not in table
    }  # fmt: skip
    return [_GLYPH_BULLET.sub("- ", line) for i, line in enumerate(lines) if i not in edge], [lines[i] for i in edge]


def _lost(layer: str, read: str) -> Counter[str]:
    """The letters and digits of ``layer`` that ``read`` lacks, each counted, composed (PDFium gives
    some letters decomposed; spaces, bars and bullets aside)."""
    return Counter({char: count for char, count in (Counter(nfc(layer)) - Counter(nfc(read))).items() if char.isalnum()})


def check_words(name: str, pages: list[tuple[str, list[str]]]) -> list[int]:
    """The pages (numbered from 1) whose text layer has words that are in none of the lines read
    from the document (``pages``: each page's layer, and its lines kept and dropped on purpose, or
    the layer alone for a page read as it is), each named in a warning with the words missing.

    Whether any is lost is counted in characters over the pages read otherwise (their tables),
    one count of each side: a table's cells may join or split the layer's words. Only then are
    the words traced to their pages, each looked for in its page's lines and its neighbours': a
    table's row that runs on to the next page is written on its first, its words moved, not lost."""
    changed = [(layer, lines) for layer, lines in pages if lines != [layer]]
    missing = _lost("".join(layer for layer, _ in changed), "\n".join(line for _, lines in changed for line in lines))
    if not missing:
        return []
    near = ["\n".join(line for _, lines in pages[max(0, at - 1) : at + 2] for line in lines) for at in range(len(pages))]
    lost = {number: _lost_words(layer, near[number - 1]) for number, (layer, _) in enumerate(pages, start=1)}
    if not any(lost.values()):  # letters lost, though every word stands near: the pages that lack them
        lost = {
            number: [" ".join(layer.split())[:80]]
            for number, (layer, lines) in enumerate(pages, start=1)
            if _lost(layer, "\n".join(lines)) & missing
        }
    for number, words in lost.items():
        if words:
            log.warning(
                "%s, trang %d: chữ của tệp PDF không có trong văn bản đọc được, hãy kiểm tra các mục của trang này: %s "
                "(page %d: words of the PDF's text layer missing from the text read: check this page's items)",
                name, number, " ".join(words[:12]), number,
            )  # fmt: skip
    return [number for number, words in lost.items() if words]


def _lost_words(layer: str, read: str) -> list[str]:
    """The layer's words not in ``read``, both compared by their letters and digits alone: a
    cell joins a wrapped word's lines, and a bar splits two cells the layer runs together ("năm2")."""
    alnum = "".join(char for char in nfc(read) if char.isalnum())
    words = ("".join(char for char in word if char.isalnum()) for word in dict.fromkeys(nfc(layer).split()))
    return [word for word in words if word and word not in alnum]
