"""A Word document (``.docx``) as the plain text the outline parser reads.

python-docx gives paragraphs and tables but not the numbers Word draws in front of a numbered
paragraph ("1.", "a)", a bullet): those live in ``w:numPr`` on the paragraph or its style and in
the numbering definitions. Offices number headings both ways, typed by hand and automatic, so the
automatic ones are rendered here, cheaply: each list counts its levels in document order, a level
resets the levels under it, and ``lvlText`` ("%1.", "%1.%2.", "%1)") is filled in with the level's
format (decimal, roman, letters); a bullet of any glyph becomes "- ". Restart overrides
(``lvlOverride``) and legal-style numbering are not followed: they are rare in this genre.

Tables are kept as tables: one line per row with its cells joined by " | " (a merged cell once).
"""

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from config.errors import DocumentError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
_INFLATE_FACTOR = 40
"""How much larger than the file its unpacked text may be; more is a zip bomb, not a programme."""

Level = tuple[str, str, int]
"""One list level's number format, text pattern and first value."""


def is_docx(data: bytes) -> bool:
    """A zip archive holding ``word/document.xml``: a Word document, whatever its name says."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_text(data: bytes, name: str) -> str:
    """The document's paragraphs and table rows in order, numbered as Word shows them."""
    import docx  # heavy (lxml): imported only when a Word document is read
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _refuse_bomb(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on a broken file
        raise DocumentError(f"{name}: tệp Word hỏng, không đọc được ({type(exc).__name__}) (a broken .docx)") from None
    numbering = _Numbering(_definitions(document))
    chunks: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if text:
                chunks.append(numbering.marker(_num_pr(element, document)) + text)
        elif element.tag == f"{_W}tbl":
            chunks.append("\n".join(_rows(Table(element, document))))
    return "\n\n".join(chunk for chunk in chunks if chunk)


def _refuse_bomb(data: bytes, name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > _INFLATE_FACTOR * max(len(data), 1_000_000):
        raise DocumentError(f"{name}: tệp Word giải nén ra {unpacked / 1e6:.0f} MB, quá lớn (unpacks too large)")


def _rows(table: Any) -> Iterator[str]:
    """Each row as one line, a cell merged across columns written once."""
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield " | ".join(cells)


def _definitions(document: Any) -> dict[str, dict[int, Level]]:
    """numId -> level -> (format, pattern, start), from the numbering part (none: no lists)."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract: dict[str, dict[int, Level]] = {}
    for node in root.iterchildren(f"{_W}abstractNum"):
        levels: dict[int, Level] = {}
        for lvl in node.iterchildren(f"{_W}lvl"):
            levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                _val(lvl, "numFmt") or "decimal",
                _val(lvl, "lvlText") or "",
                int(_val(lvl, "start") or "1"),
            )
        abstract[node.get(f"{_W}abstractNumId", "")] = levels
    lists: dict[str, dict[int, Level]] = {}
    for node in root.iterchildren(f"{_W}num"):
        lists[node.get(f"{_W}numId", "")] = abstract.get(_val(node, "abstractNumId") or "", {})
    return lists


def _val(node: Any, child: str) -> str | None:
    found = node.find(f"{_W}{child}")
    return None if found is None else str(found.get(f"{_W}val"))


def _num_pr(paragraph: Any, document: Any) -> tuple[str, int] | None:
    """The (numId, level) of a paragraph: its own ``w:numPr``, else its style's (and the style's bases)."""
    num_pr = paragraph.find(f"{_W}pPr/{_W}numPr")
    if num_pr is None:
        style_id = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style = document.styles.element.get_by_id(style_id.get(f"{_W}val")) if style_id is not None else None
        for _ in range(10):  # a style's chain of bases, bounded against a loop
            if style is None:
                return None
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                break
            based = style.find(f"{_W}basedOn")
            style = document.styles.element.get_by_id(based.get(f"{_W}val")) if based is not None else None
        if num_pr is None:
            return None
    num_id = _val(num_pr, "numId")
    if num_id is None or num_id == "0":
        return None
    return num_id, int(_val(num_pr, "ilvl") or "0")


class _Numbering:
    """The running counters of every list, turning a paragraph's (numId, level) into its marker."""

    def __init__(self, definitions: dict[str, dict[int, Level]]) -> None:
        self.definitions = definitions
        self.counters: dict[str, dict[int, int]] = {}

    def marker(self, where: tuple[str, int] | None) -> str:
        if where is None or where[0] not in self.definitions:
            return ""
        num_id, level = where
        levels = self.definitions[num_id]
        fmt, pattern, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        if fmt == "bullet":
            return "- "
        if fmt == "none" or not pattern:
            return ""
        counts = self.counters.setdefault(num_id, {})
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        text = pattern
        for k in range(level, -1, -1):  # from the deepest, so that %1 does not eat the 1 of %10
            k_fmt, _, k_start = levels.get(k, ("decimal", "", 1))
            text = text.replace(f"%{k + 1}", _format(counts.get(k, k_start), k_fmt))
        return text + " "


def _format(value: int, fmt: str) -> str:
    """A counter in Word's number format; unknown formats fall back to decimal."""
    if fmt in ("upperRoman", "lowerRoman"):
        roman = ""
        for amount, letters in _ROMAN:
            count, value = divmod(value, amount)
            roman += letters * count
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(value)
