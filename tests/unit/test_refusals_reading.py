"""Refusals that tell the truth (issue 12): a refused document is told what was found in it (its
parts, its numbering) and what was missing, in one line, Vietnamese first."""

import pytest

from config.errors import DocumentError
from config.loading import Configuration
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise


def _refusal(text: str, configuration: Configuration) -> str:
    with pytest.raises(DocumentError) as refused:
        parse_programme(normalise(text), rules=configuration.rules, policy=configuration.policy)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_prose_with_no_heading_says_it_found_no_numbered_heading(configuration: Configuration) -> None:
    message = _refusal("Một bức thư.\n\nKhông có đề mục nào.\n\n- Một ý.\n", configuration)
    assert message.startswith("không thấy dàn ý chương trình: không có đề mục đánh số nào (I., A., 1., a)), 1 gạch đầu dòng")
    assert "no recognisable programme outline: found no numbered heading (I., A., 1., a)) and 1 bullets" in message


def test_parts_in_sentence_case_are_named_not_called_no_outline(configuration: Configuration) -> None:
    text = (
        "KẾ HOẠCH\n\nthực hiện Nghị quyết, giai đoạn 2026 - 2030\n\nI. Mục tiêu\n\nĐạt 5%.\n\n"
        "II. Nhiệm vụ và giải pháp\n\n1. Kinh tế\n\n- Làm việc A.\n\n2. Xã hội\n\n- Làm việc B.\n\n"
        "III. Tổ chức thực hiện\n\nCác sở thực hiện.\n"
    )
    message = _refusal(text, configuration)
    assert "có 5 đề mục đánh số I.–III., 1.–2.: «I. Mục tiêu», «II. Nhiệm vụ và giải pháp», «1. Kinh tế» (+2)" in message
    assert "«I. Mục tiêu», «II. Nhiệm vụ và giải pháp», «III. Tổ chức thực hiện» name a part but are not written in capitals" in message


def test_headings_that_name_no_part_are_listed_with_their_numbering(configuration: Configuration) -> None:
    text = "BÁO CÁO\n\n1. Tình hình chung\n\nVăn bản.\n\n2. Kiến nghị\n\nVăn bản.\n"
    message = _refusal(text, configuration)
    assert "found 2 numbered headings 1.–2.: «1. Tình hình chung», «2. Kiến nghị», but no part in capitals on targets" in message


def test_parts_on_purpose_only_are_named_with_what_they_are_about(configuration: Configuration) -> None:
    text = "CHƯƠNG TRÌNH\n\nA. MỤC ĐÍCH, YÊU CẦU\n\nI. Mục đích\n\nVăn bản.\n\nII. Yêu cầu\n\nVăn bản.\n"
    message = _refusal(text, configuration)
    assert message.startswith(
        "không có gì để theo dõi: có 1 phần «A. MỤC ĐÍCH, YÊU CẦU» (A. mục đích, yêu cầu), 2 đề mục đánh số I.–II., "
        "nhưng không phần nào nói về chỉ tiêu"
    )
    assert "(nothing to track: found 1 part «A. MỤC ĐÍCH, YÊU CẦU» with 2 headings numbered I.–II., but none on targets" in message


def test_a_tasks_part_with_no_bullet_or_point_says_so(configuration: Configuration) -> None:
    text = (
        "CHƯƠNG TRÌNH\n\nnhiệm kỳ 2025 - 2030\n\nI. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Kinh tế\n\nPhát triển kinh tế.\n\n"
        "2. Xã hội\n\nPhát triển xã hội.\n"
    )
    message = _refusal(text, configuration)
    assert message == (
        "không có gì để theo dõi: có 1 phần «I. NHIỆM VỤ VÀ GIẢI PHÁP» (I. nhiệm vụ), 2 đề mục đánh số 1.–2., "
        "nhưng không có gạch đầu dòng (-) hay điểm a), b) nào dưới các đề mục "
        "(nothing to track: found 1 part «I. NHIỆM VỤ VÀ GIẢI PHÁP» with 2 headings numbered 1.–2., "
        "but no bullet (-) or lettered point a), b) under them to track)"
    )


def test_a_lettered_point_is_counted_in_the_numbering_it_found(configuration: Configuration) -> None:
    text = "THÔNG BÁO\n\n1. Nội dung\n\na) Thứ nhất.\n\nb) Thứ hai.\n\nđ) Thứ năm.\n"
    message = _refusal(text, configuration)
    assert "found 4 numbered headings 1., a)–đ)" in message
