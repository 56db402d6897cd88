"""Property: a task table in the body, however it is paged and whatever stands around it, loses
no word and takes none twice: each row's words are in its item, the prose and bullets around the
table stay where they were (the heading's context, the bullets' items), and no row is read as a
paragraph of its heading.
"""

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from config.loading import load_configuration
from config.settings import Settings
from tests.unit.test_property import LOWER, sentence
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise

WORD = re.compile(r"\w+")
HEAD = "CHƯƠNG TRÌNH HÀNH ĐỘNG\nnhiệm kỳ 2025 - 2030\n\nC. NHIỆM VỤ VÀ GIẢI PHÁP\n\n"
END = "\nD. TỔ CHỨC THỰC HIỆN\n\nI. Văn phòng theo dõi.\n\nT/M TỈNH ỦY\n"


@st.composite
def body_with_table(draw: st.DrawFn) -> tuple[str, Counter[str], Counter[str]]:
    """A heading with prose, bullets and a task table (a page break inside it, maybe), in any
    order; the words the table's items must hold, and the words of everything else in the part."""
    lines: list[str] = []
    in_table: Counter[str] = Counter()
    rest: Counter[str] = Counter()
    for roman in ("I", "II")[: draw(st.integers(1, 2))]:
        title = "Về " + " ".join(draw(st.lists(st.sampled_from(LOWER), min_size=1, max_size=3)))
        lines += [f"{roman}. {title}", ""]
        rest.update(WORD.findall(title))
        if draw(st.booleans()):
            intro = draw(sentence()).rstrip(".;") + ":"
            lines += [intro, ""]
            rest.update(WORD.findall(intro))
        if draw(st.booleans()):
            bullet = draw(sentence())
            lines += [f"- {bullet}", ""]
            rest.update(WORD.findall(bullet))
        lines.append("TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành")
        for n in range(1, draw(st.integers(1, 5)) + 1):
            task = draw(sentence(3, 12)).rstrip(".;")
            lines.append(f"{n} | {task} | Sở Xây dựng | Quý III/2027")
            in_table.update(WORD.findall(task))
            if draw(st.integers(0, 4)) == 0:
                lines += ["", "- 2 -", ""]  # a page break inside the table
        lines.append("")
        if draw(st.booleans()):
            after = draw(sentence())
            lines += [after, ""]
            rest.update(WORD.findall(after))
    return HEAD + "\n".join(lines) + END, in_table, rest


@settings(max_examples=30, deadline=None)
@given(body_with_table())
def test_no_word_of_a_body_table_is_lost_or_taken_twice(document: tuple[str, Counter[str], Counter[str]]) -> None:
    text, in_table, rest = document
    configuration = load_configuration(Settings(_env_file=None))
    programme = parse_programme(normalise(text), rules=configuration.rules, policy=configuration.policy)
    rows: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for item in programme.items:
        if item.section.startswith("C") and ".T" in item.key:
            rows.update(WORD.findall(item.text))
            assert item.lead_named == "Sở Xây dựng" and item.source == "body"
        elif item.section.startswith("C"):
            others.update(WORD.findall(item.text))
    for section in programme.sections:
        if section.key.startswith("C."):
            others.update(WORD.findall(section.title))
            for paragraph in section.context:
                others.update(WORD.findall(paragraph))
    assert rows == in_table
    assert others == rest
