"""The heading block of a programme: its title, issuer, number and date, and its identity.

The lines above the title say who issued the document, its number and its date (``TỈNH ỦY KHÁNH
HÒA``, ``Số 12-CTr/TU``, ``Nha Trang, ngày 5 tháng 3 năm 2027``); a draft has no number yet. They
give the document's identity (what tells it from every other, for ``document.key``) and, as
written, the ``issuer``, ``number`` and ``issued_on`` that ``parse --json`` shows.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from config.folding import fold, fold_keeping_places
from workflows.reading.deadlines import issue_date

_TITLE_START = re.compile(r"^(?:CHƯƠNG TRÌNH|KẾ HOẠCH|NGHỊ QUYẾT|ĐỀ ÁN|CHỈ THỊ|KẾT LUẬN|HƯỚNG DẪN)\b")
"""The genre words a title opens with; a document opening otherwise keeps its first line as title."""
_PART = re.compile(r"^(?:[IVXL]+|[A-ZĐ]|\d+)[.)]\s")
"""A numbered part ("I. MỤC ĐÍCH", "1. Mục đích"): the title never runs into one."""
_OPENING = re.compile(r"^(?:thực hiện|căn cứ|để|nhằm|theo|trên cơ sở|triển khai)\b")
"""How the sentence after a title opens (folded): a wrapped title line never starts so."""
_FULL_LINE = 0.8
"""How wide a PDF line must be, of the widest line above the outline, to have been wrapped."""
_PREAMBLE = re.compile(r"như sau|:$|^(?:căn cứ|để|nhằm)\b")
"""The folded words of the sentence after the title ("Thực hiện ..., Tỉnh ủy ban hành như sau:")."""
_SEPARATOR = re.compile(r"^[-_*=~.]{3,}$")
_NUMBER = re.compile(r"(?:^|\s)số\s*:?\s*(\d+\s*[-/][\w./-]*)")
"""A document's number on its folded ``Số: 12-CTr/TU`` line; a draft's ``Số -CTr/TU`` has none."""
_WRITTEN_NUMBER = re.compile(r"\d+\s*[-/]\s*[\w./-]*")
"""The number as a reader sees it; the identity keeps ``_NUMBER``'s reading, so that no stored
document changes its key."""
_NOT_ISSUER = re.compile(
    r"đảng cộng sản việt nam|cộng hòa xã hội chủ nghĩa việt nam|độc lập\s*-\s*tự do\s*-\s*hạnh phúc|dự thảo|[*\-_=~.]+"
)
"""The national headings, the draft mark and rules that share the header lines with the issuer
(folded, on the header's lines joined: a PDF breaks the motto beside the issuer over two lines)."""
_PLACE_DATE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}")
"""The place-and-date line's date, folded: its cell ("Quảng Ngãi, ngày 14 tháng 4 năm 2026") is
no part of the issuer."""
KEY_LENGTH = 120
"""The width of ``document.key``; a key is a readable prefix and a hash of the whole identity."""
_HASH_LENGTH = 12


def slug(text: str) -> str:
    """An ASCII key for a title: "Chương trình hành động ... 2020 - 2025" -> "chuong-trinh-hanh-dong-...-2020-2025"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:KEY_LENGTH]


def identity(front: list[str], title: str) -> str:
    """What tells this document from every other: its issuer, number and date when it has a
    number (``TỈNH ỦY KHÁNH HÒA | 12-ctr/tu | 2020-11-24``), else its full title (a draft has no
    number yet). Folded, so that a respelt tone mark or a changed case is the same document.
    Issuer and date come from the header lines above the title; where one is missing the title
    joins the number, so that a bare ``12-CTr/TU`` of another year is not taken for this one."""
    header = _header(front)
    number = next((m.group(1) for m in map(_NUMBER.search, map(fold, header)) if m), None)
    if number is None:
        return "title|" + fold(title)
    issuer = fold(_issuer(header[: _number_line(header)]))
    issued = issue_date("\n".join(header))
    parts = [issuer, "".join(number.split()), issued.isoformat() if issued else ""]
    if not (issuer and issued):
        parts.append(fold(title))
    return "number|" + "|".join(parts)


@dataclass(frozen=True)
class Heading:
    """What the heading block says of the document, as written: who issued it, its number and
    its date (``TỈNH ỦY KHÁNH HÒA``, ``12-CTr/TU``, 5/3/2027); None where it says nothing."""

    issuer: str | None
    number: str | None
    issued_on: date | None


def heading_of(front: list[str]) -> Heading:
    """The issuer, number and date in the lines above the title, found as :func:`identity` finds
    them, but in the document's own spelling (case, tone marks) for ``parse --json``."""
    header = _header(front)
    at = _number_line(header)
    if at is None:
        return Heading(None, None, issue_date("\n".join(header)))
    line = header[at]
    folded = fold(line)
    match = _NUMBER.search(folded)
    if match is None:  # not so: _number_line found it there
        return Heading(None, None, issue_date("\n".join(header)))
    whole = _WRITTEN_NUMBER.match(folded, match.start(1))  # "07 - KH/TU": spaces round the hyphen too
    end = whole.end() if whole else match.end(1)
    written = (line if len(folded) == len(line) else folded)[match.start(1) : end]
    number = "".join(written.split())
    issuer = _issuer(header[:at])
    return Heading(issuer or None, number, issue_date("\n".join(header)))


def _number_line(header: list[str]) -> int | None:
    """Where the ``Số: 12-CTr/TU`` line stands in the header, if the document has a number."""
    return next((i for i, line in enumerate(header) if _NUMBER.search(fold(line))), None)


def _issuer(lines: list[str]) -> str:
    """The issuer as written, the same from every format: a Word heading laid out as a table
    ("ỦY BAN NHÂN DÂN | CỘNG HÒA ...") and its PDF, where the right column's motto is printed
    between the issuer's lines, give one issuer. Table cells are split at their pipes, the cell
    of the place and date dropped, the lines joined with a space; then the national and party
    mottos, the draft mark and rules go."""
    cells = [cell for line in lines for cell in line.split("|") if not _PLACE_DATE.search(fold(cell))]
    text = " ".join(cells)
    folded, starts, ends = fold_keeping_places(text)
    kept, last = [], 0
    for match in [*_NOT_ISSUER.finditer(folded), None]:
        stop = match.start() if match else len(folded)
        if stop > last:
            kept.append(text[starts[last] : ends[stop - 1]])
        last = match.end() if match else last
    return " ".join(" ".join(kept).split())


def _header(front: list[str]) -> list[str]:
    """The lines above the title: issuer, number, place and date."""
    for i, line in enumerate(front):
        if _TITLE_START.match(line):
            return front[:i]
    return []


def document_key(identity_text: str, title: str) -> str:
    """``document.key`` for an identity: the title's slug, cut to fit, then a hash of the whole
    identity, so two documents whose titles share their first 120 characters never share a key."""
    digest = hashlib.sha256(identity_text.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    prefix = slug(title)[: KEY_LENGTH - _HASH_LENGTH - 1].strip("-") or "programme"
    return f"{prefix}-{digest}"


def title_of(front: list[str]) -> str:
    """The document's title: the genre line that opens it ("KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG")
    and its subtitle, so that two plans are not both "KẾ HOẠCH". The subtitle's first line is
    taken whatever its case ("Triển khai thực hiện ..."), unless it is the sentence that follows a
    title ("Căn cứ ..., như sau:")."""
    widest = max(map(len, front), default=0)
    for i, line in enumerate(front):
        if _TITLE_START.match(line):
            subtitle = _subtitle(front[i + 1 :], widest)
            if subtitle and subtitle[0] != subtitle[0].upper() and _PREAMBLE.search(fold(" ".join(subtitle))):
                subtitle = []
            return " ".join([line, *subtitle])
    return next((line for line in front if line and not _SEPARATOR.match(line)), "")


def _subtitle(lines: list[str], widest: int) -> list[str]:
    """The lines under the genre line that complete the title, up to a rule, a numbered part or
    a new sentence: lowercase lines (a wrapped line, across a blank line as the sample's term
    line), capitals, and a line opening with a capitalised word ("Thường vụ Tỉnh ủy ...") only
    where a PDF wrapped a full line of the title onto it: no blank line between, the line before
    as wide as the page and ending no sentence, and no opening of the sentence after a title. A
    Word paragraph stands alone (a blank line follows it), so there a new capital is a new one."""
    taken: list[str] = []
    gap = False
    for line in lines:
        if _SEPARATOR.match(line) or _PART.match(line):
            break
        if not line:
            gap = True
            continue
        if taken and line[:1].isupper() and line != line.upper():
            wrapped = not gap and len(taken[-1]) >= _FULL_LINE * widest and taken[-1][-1:] not in ".;:!?"
            if not wrapped or _OPENING.match(fold(line)):
                break
        taken.append(line)
        gap = False
    return taken
