"""A Markdown transcription of a programme as the plain text the outline parser reads.

People transcribe these documents by hand or with a converter (pandoc, an OCR service), which
writes headings as ``## II. ...`` or ``**II. ...**``, bullets as ``*`` or ``-``, escapes the dot of
a numbered line (``1\\.``) and lays tables out with pipes. The parser knows none of that syntax; it
knows numbered lines, "- " bullets and (for tables) one line per row with " | " between cells.
"""

import re

_ATX = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^(\*\*|__)(.+?)\1\s*([.:]?)\s*$")
_BULLET = re.compile(r"^\s*[*+-]\s+(.*)$")
_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_HEADING_SYNTAX = re.compile(r"^(?:#{1,6}\s+\S|\*\*[^*\n]+\*\*\s*$)", re.MULTILINE)


def looks_like_markdown(text: str) -> bool:
    """``#`` headings or whole-line ``**bold**`` headings: what a transcription has and a clean text has not."""
    return len(_HEADING_SYNTAX.findall(text[:200_000])) >= 2


def markdown_text(text: str) -> str:
    """The same document without Markdown syntax: headings bare, bullets "- ", tables " | " rows."""
    return "\n".join(_line(line) for line in text.splitlines() if not _SEPARATOR_ROW.match(line))


def _line(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        cells = [_inline(cell) for cell in _split_row(stripped[1:-1])]
        return " | ".join(cells)
    atx = _ATX.match(stripped)
    if atx:
        return _inline(atx.group(1))
    bold = _BOLD_LINE.match(stripped)
    if bold:
        return _inline(bold.group(2)) + bold.group(3)
    bullet = _BULLET.match(line)
    if bullet and not re.match(r"^(\*\*|__)", line.strip()):
        return "- " + _inline(bullet.group(1))
    return _inline(line)


def _split_row(row: str) -> list[str]:
    """A row's cells, a pipe escaped as ``\\|`` staying inside its cell."""
    cells = re.split(r"(?<!\\)\|", row)
    return [" ".join(cell.split()) for cell in cells]


def _inline(text: str) -> str:
    """Bold markers and backslash escapes removed; single ``*`` kept (it may be the text's own)."""
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub(r"\2", text)).strip()
