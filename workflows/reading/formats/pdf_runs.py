"""A PDF page's text rectangles (PDFium's runs of words on one line) as lines, top first.

What :mod:`pdf_borderless` reads a table without rules from: where each run of words starts
and ends on the page, and where its first character stands in the page's text layer.
"""

import unicodedata
from typing import Any

Run = tuple[float, float, float, float, str]
"""left, bottom, right, top, text of one text rectangle."""


def letters(text: str) -> int:
    """How many characters other than spaces: the words a table's rows hold against the text layer's."""
    return len("".join(text.split()))


def nfc(text: str) -> str:
    """The text in NFC, without the cost when it is already (PDFium gives most text composed)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def text_lines(textpage: Any) -> list[list[Run]]:
    """The page's text rectangles as lines, top first, each line's runs left to right."""
    runs: list[Run] = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        words = " ".join(str(textpage.get_text_bounded(left, bottom, right, top)).split())
        if words:
            runs.append((left, bottom, right, top, unicodedata.normalize("NFC", words)))
    runs.sort(key=lambda run: -(run[1] + run[3]))
    lines: list[list[Run]] = []
    for run in runs:
        first = lines[-1][0] if lines else None  # one line: half the lower run's height or more in common
        if first is not None and min(run[3], first[3]) - max(run[1], first[1]) >= 0.5 * min(run[3] - run[1], first[3] - first[1]):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line) for line in lines]


def char_index(textpage: Any, run: Run) -> int:
    """Where a run's first character stands in the page's text layer."""
    left, bottom, _, top, _ = run
    found = textpage.get_index(left + 1, (bottom + top) / 2, 2, 2)
    return int(found) if found >= 0 else 0
