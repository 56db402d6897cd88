"""Refusals a new user's trial met in English only, and an unknown body's exit code.

A Word file with no text, an empty file and a ``.docx`` that is a zip of something else were
refused in English whatever ``DONDOC_LANGUAGE`` said ("bad_zip.docx is a binary file, not a text
document", not saying it is no Word file). Each is now said as the scanned PDF's refusal is:
Vietnamese first with the English in brackets, the English alone with ``DONDOC_LANGUAGE=en``;
exit 2, one line. ``items --body`` with a body the registry lacks exits 3, as ``assign`` and
``status`` do and as the README's exit codes say of an unknown body (the registry is configuration).
"""

import io
import zipfile
from pathlib import Path

import pytest

from tests.acceptance.test_cli import ok
from tests.faults.test_inputs import quick, refused


def _empty_docx() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _zip_of_photos() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/readme.txt", "anh hoi nghi\n")
        archive.writestr("data.csv", "a,b\n1,2\n")
    return out.getvalue()


BAD = [
    # file name, its bytes, what the Vietnamese line says, what the English line says
    ("trong.docx", _empty_docx, "trong.docx không có chữ nào", "trong.docx has no text"),
    ("rong.docx", lambda: b"", "rong.docx là tệp rỗng", "rong.docx is empty"),
    ("anh.docx", _zip_of_photos, "anh.docx không phải tệp Word (.docx): là tệp nén zip",
     "anh.docx is not a Word file (.docx): a zip archive"),
    ("cu.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cu.doc là tệp Word cũ (.doc)",
     "cu.doc is an old Word file (.doc)"),
    ("nhi-phan.docx", lambda: b"\x01\x02\x00" * 100, "nhi-phan.docx không phải tệp Word (.docx)",
     "nhi-phan.docx is not a Word file (.docx)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "vi", "en"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_is_refused_in_vietnamese_first_and_in_english_when_asked(
    tmp_path: Path, name: str, content: object, vi: str, en: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content())  # type: ignore[operator]
    for command in ("parse", "ingest"):
        vietnamese = quick(tmp_path, command, str(path))
        refused(vietnamese, 2, vi, f"({en.removeprefix(name + ' ')}")
        assert vietnamese.stderr.startswith("dondoc: lỗi: ")
        english = quick(tmp_path, command, str(path), env={"DONDOC_LANGUAGE": "en"})
        refused(english, 2, en)
        assert english.stderr.startswith("dondoc: error: ")
        assert vi.removeprefix(name) not in english.stderr


def test_items_of_a_body_the_registry_lacks_exit_3_as_assign_and_status_do(tmp_path: Path) -> None:
    ok(tmp_path, "ingest", "--sample")
    for command in (
        ["items", "--body", "Sở Nội vụ"],
        ["status", "--body", "Sở Nội vụ"],
        ["assign", "C.I.7.1", "Sở Nội vụ"],
    ):
        refused(quick(tmp_path, *command), 3, "không có cơ quan 'Sở Nội vụ'", "các cơ quan là: BCH")
        refused(quick(tmp_path, *command, env={"DONDOC_LANGUAGE": "en"}), 3, "unknown body 'Sở Nội vụ'")
