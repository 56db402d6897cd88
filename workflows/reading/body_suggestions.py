"""The bodies a document names that the registry lacks, and a ``bodies.yaml`` stanza for each.

A document from another province or level names departments and committees that ``bodies.yaml``
does not list; their items fall back to the keyword rules. ``dondoc parse`` lists these names and
``dondoc bodies suggest FILE`` prints a stanza per name to paste at the end of ``bodies.yaml``:
the code from the name's initials, the name as written, the kind guessed from how the name
starts, the body it most likely answers to, and what a person must fill in marked TODO.

Pure: a programme and a registry in, names and text out.
"""

import json
import re
import unicodedata
from collections.abc import Iterable

from config.bodies import Registry
from config.folding import fold
from models.programme import ParsedItem
from workflows.reading.body_names import is_collective
from workflows.reading.registry_lookup import canonical, resolve

_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("local_committee", ("huyện ủy", "thị ủy", "thành ủy", "quận ủy", "các huyện ủy")),
    ("party_group", ("ban cán sự đảng", "bcsđ")),
    ("council", ("đảng đoàn hội đồng", "đảng đoàn hđnd", "hội đồng nhân dân", "hđnd")),
    ("front", ("đảng đoàn ủy ban mặt trận", "đảng đoàn mặt trận", "đảng đoàn mttq", "mặt trận", "ủy ban mặt trận")),
    ("party_group", ("đảng đoàn",)),
    ("affiliated_committee", ("đảng ủy quân sự", "đảng ủy công an", "đảng ủy khối", "các đảng ủy")),
    ("party_committee", ("đảng ủy", "tổ đảng", "chi bộ", "tỉnh ủy")),
    ("government", ("hội đồng",)),
    (
        "mass_organisation",
        (
            "hội ",
            "liên đoàn",
            "tổng liên đoàn",
            "tỉnh đoàn",
            "huyện đoàn",
            "thành đoàn",
            "thị đoàn",
            "quận đoàn",
            "đoàn ",
            "liên minh",
            "các tổ chức chính trị",
        ),
    ),
)
"""How a name starts (folded), and the kind of body it makes, tried in order; see :func:`guess_kind`."""
_PARTY_BOARD = re.compile(r"^(?:ban|ủy ban kiểm tra|văn phòng)\b.*\b(?:tỉnh ủy|thành ủy|huyện ủy)$")


def unknown_bodies(items: Iterable[ParsedItem], registry: Registry) -> list[str]:
    """The names the items' document gives that the registry does not know, as first written, in
    document order and each once (spellings that fold alike are one). A collective name ("các bộ,
    ngành, địa phương", "Ủy ban nhân dân các tỉnh, thành phố ...") is many bodies, none to register:
    :func:`groups` lists those."""
    found: dict[str, str] = {}
    for item in items:
        for name in ([item.lead_named] if item.lead_named else []) + list(item.cooperating_named):
            if not is_collective(name) and resolve(name, registry) is None:
                found.setdefault(canonical(name), name)
    return list(found.values())


def groups(items: Iterable[ParsedItem], registry: Registry) -> list[str]:
    """The collective names the items' document gives that the registry does not know ("các bộ,
    ngành, địa phương"): kept on the items as written, not bodies to register."""
    found: dict[str, str] = {}
    for item in items:
        for name in ([item.lead_named] if item.lead_named else []) + list(item.cooperating_named):
            if is_collective(name) and resolve(name, registry) is None:
                found.setdefault(canonical(name), name)
    return list(found.values())


def ascii_of(text: str) -> str:
    """Vietnamese without its marks: "Sở Khoa học" -> "So Khoa hoc" (a transliteration, not a translation)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_SMALL_WORDS = frozenset(("và", "của", "ở", "với", "các", "trên", "thuộc", "tại"))
"""Words left out of a code's initials: "Sở Khoa học và Công nghệ" -> SKHCN. Compared with their
marks: without them "tại" would be "Tài" and "Bộ Tài chính" would lose its T."""


def _initials(name: str, whole_first: bool) -> str:
    """The name's initials (an abbreviation such as UBND kept whole); ``whole_first`` spells its
    first word out ("Bộ Tài chính" -> BOTC), to tell it from another body's initials (BTC)."""
    letters: list[str] = []
    for word in name.replace("-", " ").split():
        plain = ascii_of(word)
        if fold(word) in _SMALL_WORDS or not plain[:1].isalnum():
            continue
        whole = (len(plain) > 1 and plain.isupper()) or (whole_first and not letters)
        letters.append(plain.upper() if whole else plain[0].upper())
    base = re.sub(r"[^A-Z0-9]", "", "".join(letters))[:28] or "BODY"
    return base if base[0].isalpha() else "B" + base


def code_for(name: str, taken: set[str]) -> str:
    """A code from the name's initials ("Sở Khoa học và Công nghệ" -> SKHCN; an abbreviation such
    as UBND kept whole), unique against ``taken``: when the initials are another body's code
    ("Bộ Tài chính" and BTC, Ban Tổ chức), the first word is spelt out (BOTC), then _2, _3 ..."""
    base = _initials(name, whole_first=False)
    if base in taken:
        base = _initials(name, whole_first=True)
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}_{number}"
    return code


def guess_kind(name: str) -> str:
    """The kind of body a name most likely is: a "Ban ... Tỉnh ủy" is an advisory board, a "Huyện
    ủy" a local committee, an "Đảng ủy" a party committee, a "Sở" or an "Ủy ban nhân dân" (and
    anything else) a government body."""
    folded = canonical(name)
    if _PARTY_BOARD.match(folded):
        return "advisory_board"
    for kind, starts in _KINDS:
        if folded.startswith(tuple(fold(start) for start in starts)):
            return kind
    return "government"


def _escalates_to(kind: str, registry: Registry) -> str | None:
    """Where overdue work of a new body climbs: a government body to the registry's people's
    committee (its first government body that answers to nobody of its own kind), the others to
    the top of the ladder."""
    top = next((b.code for b in registry.bodies.values() if b.escalates_to is None), None)
    if kind == "government":
        governments = [b for b in registry.bodies.values() if b.kind == "government"]
        heads = [b.code for b in governments if registry.bodies.get(b.escalates_to or "", b).kind != "government"]
        return heads[0] if heads else top
    return top


def suggest(names: Iterable[str], registry: Registry) -> str:
    """YAML stanzas, one per name, to append to ``bodies.yaml`` (under its ``bodies:`` list)."""
    taken = set(registry.bodies)
    out: list[str] = []
    for name in names:
        code = code_for(name, taken)
        initials = _initials(name, whole_first=False)
        clash = (
            f"  # {initials} is {registry.bodies[initials].name_vi}: this code is made unique"
            if (code != initials and initials in registry.bodies)
            else ""
        )
        taken.add(code)
        kind = guess_kind(name)
        escalates = _escalates_to(kind, registry)
        out += [
            f"  - code: {code}{clash}",
            f"    name_vi: {json.dumps(name, ensure_ascii=False)}",
            f"    name_en: {json.dumps(ascii_of(name))}  # TODO: the English name (this is the name without its marks)",
            f"    kind: {kind}  # guessed from the name; one of the kinds listed at the top of this file",
            "    emails: []  # TODO: one or more addresses; dondoc writes to none until they are here",
            f"    escalates_to: {escalates or 'null'}  # TODO: the body that supervises it",
            "",
        ]
    return "\n".join(out)
