"""Each trap of PDF-extracted text, on a small document written for the test."""

import unicodedata

import pytest

from config.errors import DocumentError
from workflows.reading.extract import extract
from workflows.reading.outline import build
from workflows.reading.text import normalise

HEAD = "CHƯƠNG TRÌNH HÀNH ĐỘNG\nthực hiện Nghị quyết, nhiệm kỳ 2020 - 2025\n-----\n\n"


def parse(body: str):  # type: ignore[no-untyped-def]
    sections, items = extract(build(normalise(HEAD + body)))
    return {s.key: s for s in sections}, items


def texts(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.text for i in items]


def test_headings_at_every_level_give_positional_keys() -> None:
    sections, items = parse(
        "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\nI. Về kinh tế\n\n1. Cơ cấu lại\n\n1.1. Công nghiệp\n\n"
        "- Việc một.\n\n- Việc hai.\n\n2. Chương trình\n\n2.1. Bốn chương trình\n\n"
        "a) Nguồn nhân lực\n\n- Việc ba.\n"
    )
    assert [i.key for i in items] == ["C.I.1.1.1", "C.I.1.1.2", "C.I.2.1.a.1"]
    assert sections["C.I.1.1"].title == "Công nghiệp"
    assert items[1].section_titles == ("NHIỆM VỤ VÀ GIẢI PHÁP", "Về kinh tế", "Cơ cấu lại", "Công nghiệp")


def test_a_heading_title_wraps_over_lines_and_over_a_blank_line() -> None:
    sections, _ = parse(
        "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Xây dựng Đảng trong sạch, vững mạnh, nâng cao năng lực lãnh đạo\n"
        "sức chiến đấu của tổ chức đảng\n\n1.5. Về công tác phòng, chống tham nhũng; công tác tư pháp; tiếp\n\n"
        "công dân và giải quyết khiếu nại, tố cáo\n\n- Tăng cường tiếp dân.\n"
    )
    assert sections["C.1"].title.endswith("lãnh đạo sức chiến đấu của tổ chức đảng")
    assert sections["C.1.5"].title == (
        "Về công tác phòng, chống tham nhũng; công tác tư pháp; tiếp công dân và giải quyết khiếu nại, tố cáo"
    )


def test_a_paragraph_joins_across_blank_lines_and_page_numbers() -> None:
    _, items = parse(
        "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Kinh tế\n\n"
        "- Tập trung phát triển kinh tế nhanh, bền vững, trên cơ sở đẩy mạnh chuyển dịch cơ cấu kinh tế\n\n"
        "\n\n7\n\n theo hướng tăng tỷ trọng các ngành dịch vụ, du lịch.\n\n- Việc hai.\n"
    )
    assert texts(items)[0] == (
        "Tập trung phát triển kinh tế nhanh, bền vững, trên cơ sở đẩy mạnh chuyển dịch cơ cấu kinh tế "
        "theo hướng tăng tỷ trọng các ngành dịch vụ, du lịch."
    )
    assert len(items) == 2


@pytest.mark.parametrize(
    ("wrapped", "joined"),
    [
        ("năng suất lao động (giá so sánh) bình quân giai đoạn 2021\n- 2025 đạt 6,8%.", "giai đoạn 2021 - 2025 đạt 6,8%."),
        ("Dự án thành phần đầu tư xây dựng đoạn cao tốc qua địa phận Nha Trang\n- Cam Lâm và Vĩnh Hảo.", "Nha Trang - Cam Lâm và"),
        ("Xây dựng danh mục dự án trọng điểm kêu gọi đầu tư phát triển kinh tế\n- xã hội giai đoạn mới.", "kinh tế - xã hội"),
    ],
)
def test_a_range_wrapped_at_its_hyphen_is_not_a_bullet(wrapped: str, joined: str) -> None:
    _, items = parse(f"C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Kinh tế\n\n- {wrapped}\n\n- Việc sau.\n")
    assert len(items) == 2
    assert joined in items[0].text


def test_a_new_bullet_after_a_finished_sentence_is_a_bullet_even_without_a_blank_line() -> None:
    _, items = parse("C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Kinh tế\n\n- Tỷ lệ đạt 95%.\n - Tỷ lệ đô thị hóa đạt 65%.\n")
    assert texts(items) == ["Tỷ lệ đạt 95%.", "Tỷ lệ đô thị hóa đạt 65%."]


def test_introducing_prose_is_context_not_an_item() -> None:
    sections, items = parse(
        "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n2.1. Bốn chương trình\n\nXây dựng, ban hành các nghị quyết và lãnh đạo thực hiện\n\n"
        "các chương trình, gồm:\n\n- Việc một.\n"
    )
    assert texts(items) == ["Việc một."]
    assert sections["C.2.1"].context == ("Xây dựng, ban hành các nghị quyết và lãnh đạo thực hiện các chương trình, gồm:",)


def test_a_word_hyphenated_at_the_end_of_a_line_is_joined_without_a_space() -> None:
    _, items = parse("C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Kinh tế\n\n- Nâng cao chất lượng sinh hoạt chi bộ theo Kết luận số 18-\nKL/TW của Ban Bí thư.\n")
    assert "Kết luận số 18-KL/TW" in items[0].text


def test_text_is_kept_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Kinh tế\n\n- Phát triển kinh tế biển.\n")
    _, items = parse(decomposed)
    assert items[0].text == "Phát triển kinh tế biển."
    assert unicodedata.is_normalized("NFC", items[0].text)


def test_another_genre_roman_parts_indented_lines_form_feeds_and_a_2030_term() -> None:
    body = (
        "KẾ HOẠCH\nthực hiện Nghị quyết, giai đoạn 2026 - 2030\n\n"
        "   I. MỤC TIÊU, CHỈ TIÊU\n\n   1. Chỉ tiêu kinh tế\n\n   - Tăng trưởng GRDP bình quân đạt 10% trở lên.\n\f"
        "   II. NHIỆM VỤ, GIẢI PHÁP\n\n   1. Hạ tầng\n\n   - Hoàn thành cao tốc Khánh Hòa - Buôn Ma Thuột.\n\f"
        "   III. TỔ CHỨC THỰC HIỆN\n\n   1. Ủy ban nhân dân tỉnh xây dựng kế hoạch triển khai.\n\n"
        "   2. Văn phòng Tỉnh ủy theo dõi, đôn đốc.\n"
    )
    _, items = extract(build(normalise(body)))
    assert [(i.key, i.kind) for i in items] == [
        ("I.1.1", "target"), ("II.1.1", "task"), ("III.1", "directive"), ("III.2", "directive"),
    ]


def test_a_document_with_no_outline_is_refused_with_a_reason() -> None:
    with pytest.raises(DocumentError, match="no recognisable programme outline"):
        extract(build(normalise("Một đoạn văn bất kỳ.\n\nKhông có mục nào cả.\n")))


def test_a_bullets_second_paragraph_after_a_blank_line_stays_with_the_bullet() -> None:
    sections, items = parse(
        "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n2. Y tế\n\nNâng cao chất lượng y tế cơ sở, gồm:\n\n"
        "- Củng cố mạng lưới y tế cơ sở.\n\nTriển khai Kế hoạch phát triển Y học gia đình.\n\n"
        "- Hoàn thành Bệnh viện Đa khoa.\n\nNgoài ra, tập trung:\n\n- Phát triển y tế tư nhân.\n\n"
        "3. Văn hóa\n\nPhát triển văn hóa.\n"
    )
    assert texts(items) == [
        "Củng cố mạng lưới y tế cơ sở. Triển khai Kế hoạch phát triển Y học gia đình.",
        "Hoàn thành Bệnh viện Đa khoa.",
        "Phát triển y tế tư nhân.",
    ]
    assert sections["C.2"].context == ("Nâng cao chất lượng y tế cơ sở, gồm:", "Ngoài ra, tập trung:")
    assert sections["C.3"].context == ("Phát triển văn hóa.",)


@pytest.mark.parametrize(
    "note", ["(Có phụ lục chi tiết kèm theo)", "(Có Phụ lục 2 kèm theo).", "(Có phụ lục danh mục các dự án kèm theo)"]
)
def test_a_cross_reference_note_is_kept_apart_from_the_item(note: str) -> None:
    sections, items = parse(
        "C. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Hạ tầng\n\n- Đầu tư các công trình trọng điểm.\n\n"
        f"{note}\n\n- Hoàn thành cao tốc. {note}\n\n- Nâng cấp cảng biển.\n"
    )
    assert texts(items) == ["Đầu tư các công trình trọng điểm.", "Hoàn thành cao tốc.", "Nâng cấp cảng biển."]
    assert sections["C.1"].context == (note, note)
