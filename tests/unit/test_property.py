"""Property: however a programme is wrapped and paged, no word of its parts is lost or taken twice."""

import re
import textwrap
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.reading.extract import extract
from workflows.reading.outline import build
from workflows.reading.text import normalise

WORD = re.compile(r"\w+")
LOWER = ["phát", "triển", "kinh", "tế", "xã", "hội", "đầu", "tư", "hạ", "tầng", "nâng", "cao", "chất", "lượng",
         "nguồn", "nhân", "lực", "tỉnh", "huyện", "quy", "hoạch", "thực", "hiện", "bảo", "vệ", "môi", "trường"]
UPPER = ["Khánh", "Hòa", "Nha", "Trang", "Cam", "Lâm", "Vân", "Phong"]
TOKENS = st.one_of(
    st.sampled_from(LOWER),
    st.sampled_from(UPPER),
    st.sampled_from(["2021 - 2025", "2020 - 2025", "kinh tế - xã hội", "Nha Trang - Cam Lâm", "7,5%", "5.685 USD"]),
)
ROMAN = ["I", "II", "III", "IV"]


@st.composite
def sentence(draw: st.DrawFn, low: int = 6, high: int = 40) -> str:
    words = draw(st.lists(TOKENS, min_size=low, max_size=high))
    first = draw(st.sampled_from(["Tăng", "Xây", "Đẩy", "Hoàn"]))
    return " ".join([first, *words]) + draw(st.sampled_from([".", ";", "."]))


@st.composite
def programme(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Return the logical blocks (markers and texts) and the words they hold."""
    blocks: list[str] = []
    words: list[str] = []
    for letter, title in (("B", "MỤC TIÊU VÀ CHỈ TIÊU"), ("C", "NHIỆM VỤ VÀ GIẢI PHÁP"), ("D", "TỔ CHỨC THỰC HIỆN")):
        blocks.append(f"{letter}. {title}")
        words += WORD.findall(title)
        for r in range(draw(st.integers(1, 3))):
            if letter == "D":
                point = draw(sentence())
                blocks.append(f"{ROMAN[r]}. {point}")
                words += WORD.findall(point)
                continue
            heading = " ".join(draw(st.lists(st.sampled_from(LOWER), min_size=1, max_size=4)))
            blocks.append(f"{ROMAN[r]}. Về {heading}")
            words += ["Về", *WORD.findall(heading)]
            for n in range(1, draw(st.integers(1, 3)) + 1):
                blocks.append(f"{n}. Lĩnh vực {n}")
                words += ["Lĩnh", "vực", str(n)]
                if draw(st.booleans()):
                    intro = draw(sentence()).rstrip(".;") + ", gồm:"
                    blocks.append(intro)
                    words += WORD.findall(intro)
                for _ in range(draw(st.integers(1, 4))):
                    bullet = " ".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
                    blocks.append(f"- {bullet}")
                    words += WORD.findall(bullet)
    return blocks, words


def render(blocks: list[str], width: int, gaps: list[bool], pages: list[bool]) -> str:
    """Hard-wrap each block, put blank lines inside paragraphs and page numbers between them."""
    lines = ["CHƯƠNG TRÌNH HÀNH ĐỘNG", "thực hiện Nghị quyết, nhiệm kỳ 2020 - 2025", "-----", ""]
    page = 2
    k = 0
    for block in blocks:
        wrapped = textwrap.wrap(block, width=width, break_on_hyphens=False)
        for i, line in enumerate(wrapped):
            lines.append(line)
            k += 1
            last = i == len(wrapped) - 1
            if not last and line[-1] not in ".;:" and gaps[k % len(gaps)]:
                lines.append("")
                if pages[k % len(pages)]:
                    lines += [str(page), ""]
                    page += 1
        lines.append("")
    return "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(
    programme(),
    st.integers(min_value=60, max_value=100),
    st.lists(st.booleans(), min_size=1, max_size=7),
    st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_no_word_is_lost_or_taken_twice(doc: tuple[list[str], list[str]], width: int, gaps: list[bool], pages: list[bool]) -> None:
    blocks, words = doc
    sections, items = extract(build(normalise(render(blocks, width, gaps, pages))))
    parsed: Counter[str] = Counter()
    for section in sections:
        parsed.update(WORD.findall(section.title))
        for paragraph in section.context:
            parsed.update(WORD.findall(paragraph))
    for item in items:
        parsed.update(WORD.findall(item.text))
    assert parsed == Counter(words)
    bullets = sum(1 for b in blocks if b.startswith("- "))
    assert sum(1 for i in items if i.kind != "directive") == bullets
