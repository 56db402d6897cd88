"""Lettered points ("a)", "b)", "đ)"): the Vietnamese alphabet they count in, and when a point is
an item by itself.

Vietnamese letters points in its own alphabet: a, b, c, d, đ, e, g, h, i, k, l, m, n, o, p, q, r,
s, t, u, v, x, y. There is no f, j, w or z, and đ follows d; a line that starts "f) " is not a
point. A lettered point is a heading when points or bullets stand under it (the bundled sample's
"a) Chương trình phát triển nguồn nhân lực" and its bullets, which are its items); when it is the
last level of the outline it is a task or target by itself ("a) Ban hành đề án ... trong quý
III/2027."), keyed by its own place (``C.II.1.a``), with its prose as the rest of its text.
Under the implementation part every point that is the last level is a directive, lettered or not.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflows.reading.outline import Section

LETTERS = "abcdđeghiklmnopqrstuvxy"
"""The letters of a point list, in order."""

_KIND = {"tasks": "task", "targets": "target"}


def is_letter(label: str) -> bool:
    """Is ``label`` a letter a point list counts with? ("đ" is, "f" is not.)"""
    return len(label) == 1 and label in LETTERS


def after(label: str) -> str | None:
    """The letter of the point that follows ``label`` ("d" -> "đ", "e" -> "g"), or None after "y"."""
    place = LETTERS.find(label)
    return LETTERS[place + 1] if 0 <= place < len(LETTERS) - 1 else None


def point_kind(point: "Section") -> str | None:
    """The kind of item a point is by itself, or None when it is a heading over its items: a
    directive for the last level under the implementation part, a task or target for a lettered
    point that is the last level of the tasks or targets part."""
    if point.marker_type == "part" or point.children or point.bullets:
        return None
    if point.role == "implementation":
        return "directive"
    if point.marker_type == "letter":
        return _KIND.get(point.role or "")
    return None
