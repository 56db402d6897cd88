"""Folding Vietnamese text for comparison: one key for the spellings of one word.

Names and keywords have to match across case, composed and decomposed characters and the two
placements of the tone mark ("Hòa"/"Hoà", "Ủy"/"Uỷ"). The bodies registry, the assignment rules
and the document reader all compare this way, so it lives on the lowest floor.
"""

import re
import unicodedata

_OLD_TONE_PLACEMENT = {
    # old placement (on the second vowel) -> new placement (on the first), as NFC strings
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE_RE = re.compile("|".join(_OLD_TONE_PLACEMENT))


def fold(text: str) -> str:
    """Return a key for comparing Vietnamese words: NFC, case-folded, one tone-mark placement.

    Only for comparison: the folded form of "hoàn" is not a word, but both spellings of every
    word fold to the same key.
    """
    lowered = unicodedata.normalize("NFC", text).casefold()
    lowered = _OLD_TONE_RE.sub(lambda m: _OLD_TONE_PLACEMENT[m.group(0)], lowered)
    return " ".join(lowered.split())


def fold_keeping_places(text: str) -> tuple[str, list[int], list[int]]:
    """``fold(text)`` with, for each of its characters, where it starts and ends in ``text``.

    A match made on the folded text then gives back the document's own words: folding puts
    "quý" as "qúy" and joins line breaks, which a person must never be shown.
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index, length = 0, len(text)
    while index < length:  # a letter with its combining marks, composed and case-folded
        after = index + 1
        while after < length and unicodedata.combining(text[after]):
            after += 1
        for char in unicodedata.normalize("NFC", text[index:after]).casefold():
            chars.append(char)
            starts.append(index)
            ends.append(after)
        index = after
    joined = _OLD_TONE_RE.sub(lambda m: _OLD_TONE_PLACEMENT[m.group(0)], "".join(chars))  # same length
    kept = [i for i, char in enumerate(joined) if not char.isspace() or (i + 1 < len(joined) and not joined[i + 1].isspace())]
    while kept and joined[kept[0]].isspace():
        kept.pop(0)
    folded = "".join(" " if joined[i].isspace() else joined[i] for i in kept)
    return folded, [starts[i] for i in kept], [ends[i] for i in kept]


def original_words(text: str, start: int, end: int) -> str:
    """The words of ``text`` that ``fold(text)[start:end]`` was folded from, as written (its spaces
    and line breaks as single spaces)."""
    folded, starts, ends = fold_keeping_places(text)
    if folded != fold(text) or not 0 <= start < end <= len(folded):  # a script folding does not keep places for
        return folded[start:end]
    return " ".join(text[starts[start] : ends[end - 1]].split())
