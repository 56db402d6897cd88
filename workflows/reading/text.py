"""Reading a document's bytes into clean text (folding for comparison lives in ``config.folding``).

PDF extraction leaves form feeds, indentation from page breaks and a mix of composed and
decomposed characters; the parser wants one NFC string with plain newlines. Matching names and
keywords also has to survive the two placements of the tone mark ("Hòa"/"Hoà", "Ủy"/"Uỷ").
"""

import unicodedata
from pathlib import Path

from config.errors import DocumentError


def normalise(text: str) -> str:
    """Return NFC text with Unix newlines, form feeds as blank lines and no indentation.

    Indentation carries no meaning in these documents (page breaks leave a stray leading space),
    so every line is stripped; a form feed is a page break and so a blank line.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\ufeff", "")
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def decode(data: bytes, name: str) -> str:
    """Decode a document's bytes, refusing what is not UTF-8 text with a message naming why."""
    if not data.strip():
        raise DocumentError(f"{name} is empty")
    if b"\x00" in data[:65536]:
        raise DocumentError(f"{name} is a binary file, not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8, for example: iconv -f WINDOWS-1258 -t UTF-8"
        ) from None
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > 8:
        raise DocumentError(f"{name} is a binary file, not a text document")
    return normalise(text)


def read_document(path: Path, *, max_bytes: int) -> str:
    """Read and decode a document file, refusing one larger than ``max_bytes`` before reading it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read it ({exc.strerror})") from None
    if path.is_dir():
        raise DocumentError(f"{path} is a folder, not a document")
    if size > max_bytes:
        raise DocumentError(
            f"{path} is {size / 1_000_000:.0f} MB; a programme document is at most "
            f"{max_bytes / 1_000_000:.0f} MB (setting DONDOC_MAX_DOCUMENT_MB)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read it ({exc.strerror})") from None
    return decode(data, str(path))
