"""The whole bundled programme, as a coordinator would check it after the first ingest."""

import re
from collections import Counter

import pytest

from config.loading import Configuration
from models.programme import Programme
from workflows.reading.programme import parse_programme

WORD = re.compile(r"\w+")
MARKER = re.compile(r"^\s*(?:[A-ZĐ]\.|[IVX]+\.|\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+|[a-zđ]\))\s+")


@pytest.fixture(scope="module")
def programme(sample_text: str, configuration: Configuration) -> Programme:
    return parse_programme(sample_text, rules=configuration.rules, policy=configuration.policy)


def test_title_term_and_counts_per_part(programme: Programme) -> None:
    assert programme.title.startswith("CHƯƠNG TRÌNH HÀNH ĐỘNG thực hiện Nghị quyết Đại hội")
    assert (programme.term.first_year, programme.term.last_year) == (2020, 2025)
    kinds = Counter(i.kind for i in programme.items)
    assert kinds == {"target": 26, "task": 104, "directive": 6}


def test_items_per_section(programme: Programme) -> None:
    per_section = Counter(i.section for i in programme.items)
    assert [per_section[k] for k in ("B.II.1", "B.II.2", "B.II.3", "B.II.4")] == [9, 9, 5, 3]
    assert per_section["C.I.2.2.b"] == 5  # "Nha Trang\n- Cam Lâm" is one bullet, not two
    assert per_section["C.I.4"] == 5  # "giai đoạn 2020\n- 2025" likewise
    assert [i.key for i in programme.items if i.kind == "directive"] == ["D.I", "D.II", "D.III", "D.IV", "D.V", "D.VI"]


def test_every_key_is_unique_and_every_item_has_exactly_one_lead(programme: Programme) -> None:
    keys = [i.key for i in programme.items]
    assert len(keys) == len(set(keys))
    for item in programme.items:
        roles = [a.role for a in item.assignments]
        assert roles.count("lead") == 1 and roles[0] == "lead"
        assert len({a.body for a in item.assignments}) == len(item.assignments)


def test_no_page_number_or_broken_wrap_is_left_in_any_text(programme: Programme) -> None:
    for item in programme.items:
        assert "\n" not in item.text and "  " not in item.text
        assert not item.text.startswith(("-", " ")), item.key
        assert not re.search(r"\s(?:3|9)\s+-\s", item.text), item.key
        assert item.text[-1] in ".;…", (item.key, item.text[-30:])
    joined = {i.key: i.text for i in programme.items}
    assert "giai đoạn 2021 - 2025 đạt 6,8%" in joined["B.II.1.9"]
    assert joined["B.II.1.1"][-len("đạt 7,5% trở lên."):] == "đạt 7,5% trở lên."


def test_a_bullets_second_paragraph_stays_with_it(programme: Programme) -> None:
    items = {i.key: i for i in programme.items}
    assert items["C.I.6.2.1"].text == (
        "Củng cố và nâng cao hiệu quả hoạt động của mạng lưới y tế cơ sở. Tiếp tục triển khai có hiệu quả "
        "Kế hoạch phát triển mạng lưới Y học gia đình giai đoạn 2020 - 2025; Đề án đào tạo phát triển nguồn "
        "nhân lực y tế Khánh Hòa giai đoạn 2020 - 2025 và thực hiện chính sách thu hút, đãi ngộ bác sĩ về làm "
        "việc tại các đơn vị trực thuộc Sở Y tế giai đoạn 2020 - 2025."
    )
    assert next(s for s in programme.sections if s.key == "C.I.6.2").context == ()


def test_targets_carry_their_indicators(programme: Programme) -> None:
    items = {i.key: i for i in programme.items}
    water = items["B.II.3.2"].indicators
    assert [(i.value, i.unit) for i in water] == [(70, "%"), (100, "%")]
    assert all(items[k].indicators for k in items if items[k].kind == "target")


def test_directives_go_to_the_bodies_section_d_names(programme: Programme) -> None:
    leads = {i.key: i.lead for i in programme.items if i.kind == "directive"}
    assert leads == {"D.I": "HTU", "D.II": "DD_HDND", "D.III": "BCSD_UBND", "D.IV": "VPTU", "D.V": "BCH", "D.VI": "BTV"}


def _source_words(text: str) -> Counter[str]:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("B. "))
    end = next(i for i, line in enumerate(lines) if line.startswith("T/M"))
    words: Counter[str] = Counter()
    for i in range(start, end):
        line = lines[i]
        isolated = (i == 0 or not lines[i - 1]) or (i + 1 < len(lines) and not lines[i + 1])
        if re.fullmatch(r"\d{1,3}", line) and isolated:
            continue  # a page number
        words.update(WORD.findall(MARKER.sub("", line)))
    return words


def test_no_word_of_sections_b_to_d_is_lost_or_taken_twice(sample_text: str, programme: Programme) -> None:
    parsed: Counter[str] = Counter()
    for section in programme.sections:
        if section.key[0] in "BCD":
            parsed.update(WORD.findall(section.title))
            for paragraph in section.context:
                parsed.update(WORD.findall(paragraph))
    for item in programme.items:
        parsed.update(WORD.findall(item.text))
    assert parsed == _source_words(sample_text)
