"""Property: after the signature, no word is lost or taken twice. Appendices of random task tables
(group rows, a page break inside), notes under them, paragraphs between them and appendices of
prose alone: every word is in exactly one of an item's text, a section's title or its notes (the
appendix's name is its section's title).

Left out on purpose, as structure rather than words to keep: the signature block (the signer and
"Nơi nhận", before the first appendix: the reader leaves it out by design), each table's header
row, the TT cell, and the lead and deadline cells (kept as ``lead_named`` and ``deadline_basis``,
checked by the unit tests, fixed here).
"""

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.errors import DocumentError
from config.loading import load_configuration
from config.settings import Settings
from models.programme import Programme
from tests.unit.test_property import LOWER, ROMAN, sentence
from workflows.reading.programme import parse_programme
from workflows.reading.text import normalise

WORD = re.compile(r"\w+")
BODY = (
    "CHƯƠNG TRÌNH HÀNH ĐỘNG\nnhiệm kỳ 2025 - 2030\n\nC. NHIỆM VỤ VÀ GIẢI PHÁP\n\nI. Về kinh tế\n\n"
    "- Xây dựng đề án phát triển kinh tế biển.\n\nD. TỔ CHỨC THỰC HIỆN\n\nI. Văn phòng theo dõi.\n\n"
)
SIGNATURE = "T/M TỈNH ỦY\nBÍ THƯ\n\nNguyễn Văn A\n\nNơi nhận:\n- Ban Bí thư,\n- Lưu VPTU.\n"
HEADER = "TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành"


def title(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(st.sampled_from(LOWER), min_size=1, max_size=4))).upper()


@st.composite
def appendices(draw: st.DrawFn) -> tuple[str, Counter[str]]:
    """The lines after the signature, and the words they hold that the reader must keep."""
    lines: list[str] = []
    words: Counter[str] = Counter()

    def prose(low: int = 0, high: int = 2) -> None:
        for _ in range(draw(st.integers(low, high))):
            line = draw(sentence(3, 12))
            if draw(st.booleans()):
                line = "Ghi chú: " + line
            lines.extend([line, ""])
            words.update(WORD.findall(line))

    for number in range(1, draw(st.integers(1, 3)) + 1):
        heading = [f"PHỤ LỤC {ROMAN[number - 1]}", title(draw)]
        if draw(st.booleans()):
            heading.append("(Kèm theo Chương trình số 12-CTr/TU)")
        lines.extend(["", *heading, ""])
        words.update(WORD.findall(" ".join(heading)))
        if draw(st.integers(0, 3)) == 0:  # an appendix of prose alone
            prose(1, 3)
            continue
        lines.append(HEADER)
        for group in range(draw(st.integers(0, 2)) or 1):
            if group or draw(st.booleans()):
                name = "Về " + title(draw).lower()
                lines.append(f"{ROMAN[group]} | {name} | |")
                words.update(WORD.findall(name))
            for n in range(1, draw(st.integers(1, 3)) + 1):
                task = draw(sentence(3, 10)).rstrip(".;")
                lines.append(f"{n} | {task} | Sở Xây dựng | Quý III/2027")
                words.update(WORD.findall(task))
                if draw(st.integers(0, 5)) == 0:
                    lines.extend(["", "- 2 -", ""])  # a page break inside the table
        lines.append("")
        prose()  # notes under the table, paragraphs before the next appendix
    return "\n".join(lines) + "\n", words


@settings(max_examples=60, deadline=None)
@given(appendices())
def test_no_word_after_the_signature_is_lost_or_taken_twice(document: tuple[str, Counter[str]]) -> None:
    after, expected = document
    configuration = load_configuration(Settings(_env_file=None))
    programme = parse_programme(
        normalise(BODY + SIGNATURE + after), rules=configuration.rules, policy=configuration.policy
    )
    kept: Counter[str] = Counter()
    for item in programme.items:
        if item.source == "appendix":
            kept.update(WORD.findall(item.text))
            assert item.lead_named == "Sở Xây dựng"
    for section in programme.sections:
        if section.key.startswith("PL"):
            kept.update(WORD.findall(section.title))
            for note in section.context:
                kept.update(WORD.findall(note))
    assert kept == expected


NOTE = "Ghi chú: Các cơ quan báo cáo kết quả về Văn phòng Tỉnh ủy trước ngày 15/12 hằng năm."


def parse(text: str) -> Programme:
    configuration = load_configuration(Settings(_env_file=None))
    return parse_programme(normalise(text), rules=configuration.rules, policy=configuration.policy)


def test_a_note_under_a_table_is_its_appendix_notes_and_prose_between_tables_the_one_before() -> None:
    table = f"{HEADER}\n1 | Xây dựng đề án | Sở Xây dựng | Quý III/2027\n"
    text = f"{BODY}{SIGNATURE}\nPHỤ LỤC I\nDANH MỤC\n\n{table}\n{NOTE}\n\nTăng cường kiểm tra.\n\nPHỤ LỤC II\nBIỂU\n\n{table}\n{NOTE}\n"
    sections = {s.key: s.context for s in parse(text).sections if s.key.startswith("PL")}
    assert sections == {"PL1": (NOTE, "Tăng cường kiểm tra."), "PL2": (NOTE,)}


def test_an_appendix_of_prose_alone_is_kept_as_text_and_named_when_the_document_is_refused() -> None:
    appendix = "PHỤ LỤC II\nDANH SÁCH CÔNG TRÌNH\n\nTăng cường đầu tư hạ tầng.\n"
    programme = parse(BODY + SIGNATURE + appendix)
    sections = [(s.key, s.title, s.context) for s in programme.sections if s.key.startswith("PL")]
    assert sections == [("PL2", "PHỤ LỤC II: DANH SÁCH CÔNG TRÌNH", ("Tăng cường đầu tư hạ tầng.",))]
    heads = "CHƯƠNG TRÌNH HÀNH ĐỘNG\nnhiệm kỳ 2025 - 2030\n\nC. NHIỆM VỤ VÀ GIẢI PHÁP\n\nI. Về kinh tế\n\n"
    with pytest.raises(DocumentError, match=re.escape("«PHỤ LỤC II: DANH SÁCH CÔNG TRÌNH» (dòng 16) không có bảng nào")):
        parse(heads + SIGNATURE + appendix)


def test_a_signature_block_laid_out_as_a_table_is_no_appendix() -> None:
    # Word offices set "Nơi nhận" and the signature side by side in a borderless table
    signed = ("Nơi nhận: | T/M TỈNH ỦY\n- Ban Bí thư, | BÍ THƯ\n- Lưu VPTU. | Nguyễn Văn A\n")
    table = f"{HEADER}\n1 | Xây dựng đề án | Sở Xây dựng | Quý III/2027\n"
    programme = parse(f"{BODY}{signed}\nPHỤ LỤC I\nDANH MỤC\n\n{table}")
    assert [(s.key, s.title) for s in programme.sections if s.key.startswith("PL")] == [("PL1", "PHỤ LỤC I: DANH MỤC")]
    assert [i.key for i in programme.items if i.source == "appendix"] == ["PL1.1"]
    assert parse(f"{BODY}{signed}").sections == parse(f"{BODY}{SIGNATURE}").sections
