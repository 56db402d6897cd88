"""Which body of the registry a document's name for it means: the lookup by name, abbreviation or old name.

A document names a body its own way ("Đảng ủy UBND tỉnh:", "Sở Tài chính (cơ quan thường
trực)", "BCSĐ UBND"); the registry (``bodies.yaml``) keeps one code per body with its names and
aliases. :func:`canonical` gives both one comparison key and :func:`resolve` finds the code, so
that block headings, responsibility lines, table columns and ``dondoc bodies suggest`` agree on
which names are known. Finding the names in the text is :mod:`workflows.reading.named_bodies`.

Pure: a name and a registry in, a code out; no database, no Typer.
"""

import re

from config.bodies import Registry
from config.folding import fold

_ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "mttq": "mặt trận tổ quốc",
    "mttqvn": "mặt trận tổ quốc việt nam",
    "bcsđ": "ban cán sự đảng",
    "btv": "ban thường vụ",
    "ubkt": "ủy ban kiểm tra",
    "tp": "thành phố",
    "tp.": "thành phố",
}
"""Abbreviations a document uses inside a body's name, folded, and what they stand for."""
PARENTHESIS = re.compile(r"\s*\([^()]*\)")
EDGE = " \t:;,.-–—*"
"""Punctuation and marks at a name's edges that are not part of it (a heading's ":", a bullet's "-")."""
_PLACE_WORDS = ("tỉnh",)
"""A trailing word a document may drop or add without meaning another body ("Ban cán sự đảng
UBND" for "Ban cán sự đảng UBND tỉnh" in a provincial document)."""


def canonical(name: str) -> str:
    """The key a body's name is compared by: folded (case, Unicode form, tone placement), its
    abbreviations spelt out, parentheses and edge punctuation dropped, "Việt Nam" after "Mặt trận
    Tổ quốc" optional. "Đảng ủy UBND tỉnh:" and "đảng uỷ Ủy ban nhân dân tỉnh" give one key."""
    text = PARENTHESIS.sub(" ", fold(name)).strip(EDGE)
    words = [_ABBREVIATIONS.get(word, word) for word in text.split()]
    key = " ".join(words).replace("mặt trận tổ quốc việt nam", "mặt trận tổ quốc")
    return " ".join(key.replace(" - ", "-").split())


def _variants(key: str) -> list[str]:
    """The key, and the key without (or with) its trailing place word."""
    found = [key]
    for word in _PLACE_WORDS:
        if key.endswith(" " + word):
            found.append(key[: -len(word) - 1])
        else:
            found.append(f"{key} {word}")
    return found


_INDEXES: dict[int, tuple[Registry, dict[str, str]]] = {}


def _index(registry: Registry) -> dict[str, str]:
    """Canonical name -> code for every name, English name and alias of the registry; built once
    per registry object (a parse looks up a name per item)."""
    cached = _INDEXES.get(id(registry))
    if cached is not None and cached[0] is registry:
        return cached[1]
    index: dict[str, str] = {}
    for body in registry.bodies.values():
        for name in (body.name_vi, body.name_en, *body.aliases):
            index.setdefault(canonical(name), body.code)
    for body in registry.bodies.values():  # a bare place word ("Ủy ban nhân dân") after the exact names
        for name in (body.name_vi, *body.aliases):
            key = canonical(name)
            for variant in [*_variants(key)[1:], key.removeprefix("các ")]:
                index.setdefault(variant, body.code)
    _INDEXES.clear()  # one registry at a time: a long-lived process reloads it rarely
    _INDEXES[id(registry)] = (registry, index)
    return index


def resolve(name: str, registry: Registry) -> str | None:
    """The code of the body a document calls ``name``, or None when the registry does not know it.

    Matches the registry's code ("VPTU", any case), Vietnamese name, English name and aliases
    (old names such as "Đảng ủy UBND tỉnh" go in ``aliases``), compared by :func:`canonical`:
    case, composed/decomposed letters and tone placement ("Ủy"/"Uỷ") do not matter, nor do
    abbreviations (UBND, HĐND, MTTQ, BCSĐ), a parenthesis ("Sở Tài chính (cơ quan thường
    trực)"), edge punctuation (a heading's ":"), or a trailing "tỉnh". Used for block headings,
    responsibility lines and the columns of appendix tables, so that each names its lead the same
    way. A name that is only a place or a group ("các sở, ngành liên quan") is not a body: None.
    """
    stripped = name.strip(EDGE)
    if not stripped:
        return None
    if stripped.upper() in registry.bodies:
        return registry.bodies[stripped.upper()].code
    index = _index(registry)
    key = canonical(stripped)
    return index.get(key) or index.get(key.removeprefix("các ")) or None
