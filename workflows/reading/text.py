"""Reading a document's bytes into clean text (folding for comparison lives in ``config.folding``).

Word, PDF and Markdown are turned into text by ``workflows.reading.formats``; this module reads
the file, chooses the reader by content and leaves one normalised string.

PDF extraction leaves form feeds, indentation from page breaks and a mix of composed and
decomposed characters; the parser wants one NFC string with plain newlines. Matching names and
keywords also has to survive the two placements of the tone mark ("Hòa"/"Hoà", "Ủy"/"Uỷ").

A document is also an input from outside: what it says reaches a terminal (``items``), a
spreadsheet, emails and calendars. So control characters are dropped here, once, and the file is
read the way ``config.yamlfile`` reads configuration: only a regular file, and never more than the
limit (``/dev/zero`` never ends, a FIFO with no writer never answers).
"""

import os
import stat
import unicodedata
from pathlib import Path

from config.errors import DocumentError
from workflows.reading import formats

_CONTROLS = dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0)])
"""C0 controls, DEL and C1 controls, mapped to nothing (``str.translate``); newline is kept."""
del _CONTROLS[ord("\n")]
_OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How a Word 97-2003 file (``.doc``, an OLE2 compound file) begins."""


def normalise(text: str) -> str:
    """Return NFC text with Unix newlines, form feeds as blank lines and no indentation.

    Indentation carries no meaning in these documents (page breaks leave a stray leading space),
    so every line is stripped; a form feed is a page break and so a blank line. Every other
    control character is dropped: an ESC sequence in a document would otherwise reach the
    terminal that shows an item, and the emails and calendar files that quote it.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\ufeff", "").translate(_CONTROLS)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def refusal(name: object, vi: str, en: str) -> DocumentError:
    """A refused document in both languages, as the scanned PDF's refusal reads: the file's name,
    what is wrong in Vietnamese and then in English in brackets; the English alone with
    ``DONDOC_LANGUAGE=en``. ``vi`` and ``en`` follow the name (" là tệp rỗng", " is empty")."""
    return DocumentError(f"{name}{en}", said=(f"{name}{vi} ({en.lstrip(': ')})", f"{name}{en}"))


def decode(data: bytes, name: str) -> str:
    """Decode a document's bytes, refusing what is not UTF-8 text with a message naming why."""
    if not data.strip():
        raise refusal(name, " là tệp rỗng", " is empty")
    if b"\x00" in data:  # anywhere: a NUL far into a file was once stored (and refused by PostgreSQL)
        raise _binary(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"0x{data[exc.start]:02x}"
        raise refusal(
            name,
            f" không phải văn bản UTF-8 (byte {where} ở vị trí {exc.start}); hãy lưu lại dạng UTF-8, "
            "ví dụ: iconv -f WINDOWS-1258 -t UTF-8",
            f" is not UTF-8 text (byte {where} at offset {exc.start}); "
            "save it as UTF-8, for example: iconv -f WINDOWS-1258 -t UTF-8",
        ) from None
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > 8:
        raise _binary(name)
    return normalise(text)


def _binary(name: str) -> DocumentError:
    """A file of bytes that are no text; one named ``.docx`` is told it is no Word file either."""
    if name.lower().endswith((".docx", ".doc")):
        return refusal(
            name,
            " không phải tệp Word (.docx), cũng không phải văn bản",
            " is not a Word file (.docx), nor a text document",
        )
    return refusal(name, " là tệp nhị phân, không phải văn bản", " is a binary file, not a text document")


def _not_a_document(data: bytes, name: str) -> DocumentError | None:
    """What a file that is neither Word, PDF nor text is, said plainly: an old Word file, or a zip
    archive of something else (a ``.docx`` is a zip, so a renamed one often is)."""
    if data.startswith(_OLD_WORD):
        return refusal(name, " là tệp Word cũ (.doc): hãy mở bằng Word và lưu lại thành .docx",
                       " is an old Word file (.doc): open it in Word and save it as .docx")  # fmt: skip
    if data.startswith(b"PK\x03\x04"):
        return refusal(name, " không phải tệp Word (.docx): là tệp nén zip không có word/document.xml",
                       " is not a Word file (.docx): a zip archive without word/document.xml")  # fmt: skip
    return None


def read_document(path: Path, *, max_bytes: int) -> str:
    """Read and decode a document file, refusing one larger than ``max_bytes`` before reading it.

    Opened without blocking and checked on the open descriptor, so that a FIFO, a device or a
    file swapped in after a check is refused; at most ``max_bytes + 1`` bytes are read, so a
    file that grows while it is read is refused too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise refusal(path, ": không có tệp này", ": no such file") from None
    except OSError as exc:
        raise refusal(path, f": không đọc được ({exc.strerror})", f": cannot read it ({exc.strerror})") from None
    try:
        data = _read_regular(fd, path, max_bytes)
    except OSError as exc:
        raise refusal(path, f": không đọc được ({exc.strerror})", f": cannot read it ({exc.strerror})") from None
    finally:
        os.close(fd)
    return text_of(data, path)


def text_of(data: bytes, path: Path) -> str:
    """A document's text by what its bytes are, not by its name: a Word document, a PDF with a
    text layer, Markdown (by its name or its headings) or plain UTF-8 text, each in the one
    shape the parser reads."""
    name = str(path)
    if not data.strip():
        raise refusal(name, " là tệp rỗng", " is empty")
    kind = formats.detect(data)
    if kind == "docx":
        text = normalise(formats.docx_text(data, name))
    elif kind == "pdf":
        text = normalise(formats.pdf_text(data, name))
    else:
        odd = _not_a_document(data, name)
        if odd is not None:
            raise odd
        text = decode(data, name)
        if path.suffix.lower() in formats.MARKDOWN_SUFFIXES or formats.looks_like_markdown(text):
            text = normalise(formats.markdown_text(text))
    if not text.strip():
        raise refusal(name, " không có chữ nào: văn bản trống", " has no text")
    return text


def _read_regular(fd: int, path: Path, max_bytes: int) -> bytes:
    """The bytes behind an open descriptor, if it is a regular file no larger than the limit."""
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise refusal(path, " là thư mục, không phải văn bản", " is a folder, not a document")
    if not stat.S_ISREG(info.st_mode):
        raise refusal(path, " không phải tệp thường (là thiết bị, ống hay socket), không phải văn bản",
                      " is not a regular file (a device, a pipe or a socket), not a document")  # fmt: skip
    mb = f"{max_bytes / 1_000_000:g} MB"
    limit = (f"văn bản chương trình tối đa {mb} (thiết lập DONDOC_MAX_DOCUMENT_MB)",
             f"a programme document is at most {mb} (setting DONDOC_MAX_DOCUMENT_MB)")  # fmt: skip
    if info.st_size > max_bytes:
        size = f"{info.st_size / 1_000_000:.0f} MB"
        raise refusal(path, f" nặng {size}; {limit[0]}", f" is {size}; {limit[1]}")
    with os.fdopen(fd, "rb", closefd=False) as file:
        # read(n) allocates n bytes up front: ask for the file's size, and only if it has grown
        # since fstat read on up to the limit (a 1 GB limit otherwise costs 1 GB per document)
        data = file.read(info.st_size + 1)
        if len(data) > info.st_size:
            data += file.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise refusal(
            path, f" lớn quá giới hạn trong khi đọc; {limit[0]}", f" grew past the limit while it was read; {limit[1]}"
        )
    return data
