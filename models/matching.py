"""Pairing the items stored for a document with the items of its new revision.

A revision may reword, renumber, insert and remove bullets; an item keeps its row (and so its
reports and manual assignments) when it is recognisably the same bullet.
"""

import difflib
import re
import unicodedata
from collections import defaultdict

from models.programme import ParsedItem
from models.tables import Item


def match_items(old: list[Item], new: list[ParsedItem]) -> tuple[dict[int, Item], list[int], list[Item]]:
    """Pair stored items with parsed ones: same text first, then same key and similar text,
    then the most similar text of the same kind. Returns (new index -> old item, unmatched new
    indexes, unmatched old items)."""
    pairs = _same_text(old, new)
    _same_key_similar_text(old, new, pairs)
    _most_similar_text(old, new, pairs)
    matched = {id(item) for item in pairs.values()}
    return pairs, [i for i in range(len(new)) if i not in pairs], [item for item in old if id(item) not in matched]


def match_retired(gone: list[Item], new: list[ParsedItem], unmatched: list[int]) -> dict[int, Item]:
    """Pair new bullets that no active item took with the document's retired items (most
    recently retired first): same kind and text first, then the most similar text of the same
    kind. Returns new index -> retired item, so a restored bullet gets its old row back."""
    pairs: dict[int, Item] = {}
    left = list(gone)
    by_text: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in left:
        by_text[(item.kind, item.text)].append(item)
    for i in unmatched:
        candidates = by_text.get((new[i].kind, new[i].text))
        if candidates:
            pairs[i] = candidates.pop(0)
            left.remove(pairs[i])
    for i in unmatched:
        scored = [(similar(item.text, new[i].text), -n) for n, item in enumerate(left) if item.kind == new[i].kind]
        if i not in pairs and scored and max(scored)[0] >= 0.6:
            pairs[i] = left.pop(-max(scored)[1])
    return pairs


def legacy_key(title: str) -> str:
    """The key dondoc gave a document before documents were known by their identity: its
    title's slug cut to 120 characters. Kept only to recognise the rows stored that way."""
    text = title.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120]


def _same_text(old: list[Item], new: list[ParsedItem]) -> dict[int, Item]:
    pairs: dict[int, Item] = {}
    by_text: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in old:
        by_text[(item.kind, item.text)].append(item)
    for i, parsed in enumerate(new):
        candidates = by_text.get((parsed.kind, parsed.text))
        if candidates:
            pairs[i] = candidates.pop(0)
    return pairs


def _unmatched(old: list[Item], pairs: dict[int, Item]) -> list[Item]:
    used = {id(item) for item in pairs.values()}
    return [item for item in old if id(item) not in used]


def _same_key_similar_text(old: list[Item], new: list[ParsedItem], pairs: dict[int, Item]) -> None:
    by_key = {item.key: item for item in _unmatched(old, pairs)}
    for i, parsed in enumerate(new):
        if i in pairs:
            continue
        candidate = by_key.get(parsed.key)
        if candidate is not None and candidate.kind == parsed.kind and similar(candidate.text, parsed.text) >= 0.5:
            pairs[i] = candidate


def _most_similar_text(old: list[Item], new: list[ParsedItem], pairs: dict[int, Item]) -> None:
    left = _unmatched(old, pairs)
    for i, parsed in enumerate(new):
        if i in pairs or not left:
            continue
        scored = [(similar(item.text, parsed.text), n) for n, item in enumerate(left) if item.kind == parsed.kind]
        if scored:
            score, n = max(scored)
            if score >= 0.6:
                pairs[i] = left.pop(n)


def similar(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1 (0 when they are plainly different, cheaply)."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= 0.5 else 0.0
