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
