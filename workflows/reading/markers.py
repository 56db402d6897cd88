"""How a line of a programme is marked: a bullet, a numbered or lettered heading, or prose.

Levels are not fixed by marker type (``outline`` nests them as the document does); this module
only names the marker a line starts with. A lettered point counts in the Vietnamese alphabet
(``lettering.LETTERS``): "f) ", "j) ", "w) " and "z) " start no point.
"""

import re

from workflows.reading.lettering import is_letter

_HEADING_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dotted", re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\.\s+(\S.*)$")),
    ("roman", re.compile(r"^([IVX]{1,5})\.\s+(\S.*)$")),
    ("capital", re.compile(r"^([A-ZĐ])\.\s+(\S.*)$")),
    ("letter", re.compile(r"^([a-zđ])\)\s+(\S.*)$")),
    ("numparen", re.compile(r"^(\d{1,2})\)\s+(\S.*)$")),
]
_MAY_BE_MARKED = re.compile(r"[-–—•+*\dIVX]|[A-ZĐa-zđ][.)]")
"""How every marked line starts; most lines are prose and are told apart by this one test (a
tenth of the sample's parse time went to trying each pattern on every line)."""
_BULLET = re.compile(r"^([-–—•+*])\s+(\S.*)$")
PART_TYPES = ("capital", "roman", "arabic")
"""The marker types a part heading (a marked line in capitals) may have."""


def is_caps(title: str) -> bool:
    """Is a heading's title in capitals, as a part's is ("NHIỆM VỤ VÀ GIẢI PHÁP")?"""
    letters = [ch for ch in title if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def classify(line: str) -> tuple[str, str, str, str]:
    """Return (kind, marker_type, marker, rest) for one stripped line."""
    if not _MAY_BE_MARKED.match(line):
        return "prose", "", "", line
    bullet = _BULLET.match(line)
    if bullet:
        return "bullet", "bullet", bullet.group(1), bullet.group(2)
    for marker_type, pattern in _HEADING_PATTERNS:
        match = pattern.match(line)
        if match:
            label, rest = match.group(1), match.group(2)
            if marker_type == "dotted":
                marker_type = f"dotted{label.count('.') + 1}"
            elif marker_type == "letter" and not is_letter(label):
                break
            return "heading", marker_type, label, rest
    return "prose", "", "", line
