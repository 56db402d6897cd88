"""Lettered points (issue 12): a), b), đ) are tasks or targets when they are the last level of the
outline, headings over their own bullets when they have them; the letters count in Vietnamese.

One short programme, made for the test, read as plain text, as text with form feeds and page
numbers, as Markdown, as a Word document (python-docx) and as the PDF LibreOffice prints from it:
each gives exactly the same items, with their kinds, sections, leads, cooperating bodies and
deadlines.
"""

from datetime import date
from pathlib import Path

import pytest

from config.loading import Configuration
from models.programme import Programme
from tests.integration.test_formats import soffice_pdf
from workflows.reading.lettering import LETTERS, after
from workflows.reading.markers import classify
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document

FRONT = ["TỈNH ỦY KHÁNH HÒA", "Số 15-CTr/TU", "CHƯƠNG TRÌNH HÀNH ĐỘNG",
         "thực hiện Nghị quyết Đại hội Đảng bộ tỉnh, nhiệm kỳ 2025 - 2030"]
BODY = [
    "B. CHỈ TIÊU CHỦ YẾU",
    "I. Các chỉ tiêu đến năm 2030",
    "a) Tỷ lệ che phủ rừng đạt 47% vào năm 2028.",
    "b) Số vụ tai nạn giao thông giảm 10% so với năm 2025.",
    "C. NHIỆM VỤ VÀ GIẢI PHÁP",
    "I. Về phát triển kinh tế",
    "1. Chuyển đổi số",
    "a) Xây dựng cơ sở dữ liệu dùng chung của tỉnh, xong trong quý III/2027.",
    "b) Triển khai dịch vụ công trực tuyến toàn trình trước ngày 20/9/2027.",
    "c) Ban hành quy chế chia sẻ dữ liệu trong tháng 8/2027.",
    "d) Đào tạo kỹ năng số cho cán bộ, công chức hằng năm.",
    "đ) Tổng kết mô hình chính quyền số năm 2029.",
    "e) Rà soát hạ tầng mạng viễn thông.",
    "g) Thí điểm nền tảng hỗ trợ doanh nghiệp nhỏ và vừa.",
    "2. Hạ tầng giao thông",
    "a) Hoàn thành tuyến đường ven biển, gồm:",
    "- Đoạn Cam Ranh - Cam Lâm trong năm 2027.",
    "- Đoạn Nha Trang - Ninh Hòa trong năm 2028.",
    "b) Nâng cấp Quốc lộ 26B.",
    "3. Công tác dân vận",
    "a) Đổi mới phương thức dân vận của chính quyền trong năm 2026.",
    "D. TỔ CHỨC THỰC HIỆN",
    "I. Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ Tỉnh ủy.",
]
END = date(2030, 12, 31)
EXPECTED = [
    # key, kind, section, lead, cooperating, due
    ("B.I.a", "target", "B.I", "UBND", [], date(2028, 12, 31)),
    ("B.I.b", "target", "B.I", "UBND", [], END),
    ("C.I.1.a", "task", "C.I.1", "UBND", [], date(2027, 9, 30)),
    ("C.I.1.b", "task", "C.I.1", "UBND", [], date(2027, 9, 20)),
    ("C.I.1.c", "task", "C.I.1", "UBND", [], date(2027, 8, 31)),
    ("C.I.1.d", "task", "C.I.1", "UBND", [], END),
    ("C.I.1.đ", "task", "C.I.1", "UBND", [], date(2029, 12, 31)),
    ("C.I.1.e", "task", "C.I.1", "UBND", [], END),
    ("C.I.1.g", "task", "C.I.1", "UBND", [], END),
    ("C.I.2.a.1", "task", "C.I.2.a", "UBND", [], date(2027, 12, 31)),
    ("C.I.2.a.2", "task", "C.I.2.a", "UBND", [], date(2028, 12, 31)),
    ("C.I.2.b", "task", "C.I.2", "UBND", [], END),
    ("C.I.3.a", "task", "C.I.3", "BDV", ["DD_MTTQ"], date(2026, 12, 31)),
    ("D.I", "directive", "D", "BTV", ["VPTU"], END),
]


def _paragraphs() -> list[str]:
    return [*FRONT, *BODY]


def _plain(pages: bool) -> str:
    paragraphs = _paragraphs()
    if pages:  # a page break in the middle of the tasks, as a PDF's text has it
        at = paragraphs.index("d) Đào tạo kỹ năng số cho cán bộ, công chức hằng năm.")
        paragraphs = [*paragraphs[:at], "- 2 -", "\f", *paragraphs[at:]]
    return "\n\n".join(paragraphs) + "\n"


def _markdown() -> str:
    out = []
    for paragraph in _paragraphs():
        if paragraph[:2] in ("B.", "C.", "D.") or paragraph.startswith(("I. ", "1. ", "2. ", "3. ")):
            out.append(f"**{paragraph}**")
        else:
            out.append(paragraph.replace("- ", "* ", 1) if paragraph.startswith("- ") else paragraph)
    return "\n\n".join(out) + "\n"


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for paragraph in _paragraphs():
        bullet = paragraph.startswith("- ")
        made = document.add_paragraph(style="List Bullet" if bullet else None)
        made.add_run(paragraph[2:] if bullet else paragraph).bold = paragraph[:2] in ("B.", "C.", "D.")
    document.save(str(path))


def _read(path: Path, configuration: Configuration) -> Programme:
    text = read_document(path, max_bytes=10**7)
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy)


def _items(programme: Programme) -> list[tuple[object, ...]]:
    return [(i.key, i.kind, i.section, i.lead, i.cooperating, i.due) for i in programme.items]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lettered")
    made = {"text": folder / "programme.txt", "pages": folder / "pages.txt", "markdown": folder / "programme.md",
            "docx": folder / "programme.docx"}
    made["text"].write_text(_plain(pages=False), encoding="utf-8")
    made["pages"].write_text(_plain(pages=True), encoding="utf-8")
    made["markdown"].write_text(_markdown(), encoding="utf-8")
    _docx(made["docx"])
    return made


@pytest.mark.parametrize("shape", ["text", "pages", "markdown", "docx"])
def test_the_last_level_of_lettered_points_are_items_in_every_shape(
    shape: str, files: dict[str, Path], configuration: Configuration
) -> None:
    assert _items(_read(files[shape], configuration)) == EXPECTED


@pytest.mark.libreoffice
def test_the_pdf_printed_from_the_word_file_reads_the_same_lettered_items(
    files: dict[str, Path], configuration: Configuration, tmp_path: Path
) -> None:
    printed = soffice_pdf(files["docx"], tmp_path)
    assert _items(_read(printed, configuration)) == EXPECTED


def test_a_lettered_task_keeps_its_words_and_a_lettered_heading_is_a_section(
    files: dict[str, Path], configuration: Configuration
) -> None:
    programme = _read(files["text"], configuration)
    texts = {i.key: i.text for i in programme.items}
    assert texts["C.I.1.đ"] == "Tổng kết mô hình chính quyền số năm 2029."
    assert texts["C.I.2.a.1"] == "Đoạn Cam Ranh - Cam Lâm trong năm 2027."
    sections = {s.key: s.title for s in programme.sections}
    assert sections["C.I.2.a"] == "Hoàn thành tuyến đường ven biển, gồm:"
    assert "C.I.1.a" not in sections and "B.I.a" not in sections
    recurrence = {i.key: i.recurrence for i in programme.items}
    assert recurrence["C.I.1.d"] == "yearly"


def test_a_lettered_target_keeps_the_direction_and_baseline_of_its_change(
    files: dict[str, Path], configuration: Configuration
) -> None:
    items = {i.key: i for i in _read(files["text"], configuration).items}
    (forest,) = items["B.I.a"].indicators
    assert (forest.name, forest.comparator, forest.value, forest.unit, forest.year) == (
        "Tỷ lệ che phủ rừng", "equal", 47.0, "%", 2028)
    (accidents,) = items["B.I.b"].indicators
    assert (accidents.name, accidents.comparator, accidents.value, accidents.baseline, accidents.year) == (
        "Số vụ tai nạn giao thông", "times_baseline", 0.9, "năm 2025", 2030)


def test_vietnamese_letters_skip_f_j_w_z_and_put_đ_after_d() -> None:
    assert LETTERS == "abcdđeghiklmnopqrstuvxy"
    assert (after("d"), after("đ"), after("e"), after("i"), after("v"), after("y")) == ("đ", "e", "g", "k", "x", None)
    assert classify("đ) Tổng kết mô hình.")[:3] == ("heading", "letter", "đ")
    for letter in "fjwz":
        assert classify(f"{letter}) không phải một điểm.")[0] == "prose"


def test_the_samples_lettered_programmes_stay_headings_over_their_bullets(
    sample_text: str, configuration: Configuration
) -> None:
    programme = parse_programme(sample_text, rules=configuration.rules, policy=configuration.policy)
    keys = [i.key for i in programme.items]
    assert [k for k in keys if k.startswith("C.I.2.1.")][:3] == ["C.I.2.1.a.1", "C.I.2.1.a.2", "C.I.2.1.a.3"]
    assert not any(k.endswith((".a", ".b", ".c", ".d")) for k in keys)
