"""The bodies a document names for its items: block headings, responsibility lines, lists of names.

A programme often says who does what in its own words: a block headed by a body ("3. Sở Tài
chính:", "Ban cán sự đảng UBND tỉnh:"), a responsibility line after a group of bullets
("Trách nhiệm chỉ đạo thực hiện: Ban cán sự đảng UBND tỉnh", "Giao Sở Nội vụ chủ trì, phối hợp
với Sở Tài chính ...") or an appendix table's columns (Cơ quan chủ trì, Cơ quan phối hợp). What
the document says beats the keyword rules, which only guess; so the reader finds these names
here and keeps them as written; :mod:`workflows.reading.registry_lookup` looks each up in the
registry.

Pure: text in, names out; no database, no Typer.
"""

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from config.folding import fold
from workflows.reading.body_names import BODY_WORDS, VERBS, is_body, split_names
from workflows.reading.registry_lookup import EDGE, PARENTHESIS


@dataclass(frozen=True)
class Named:
    """Bodies a document names for an item, as written, and where it named them."""

    lead: str
    cooperating: tuple[str, ...]
    where: str
    """``block heading`` | ``responsibility line`` | ``table column``."""


_ACTION = re.compile(
    r"\b(?:chỉ đạo|lãnh đạo|thực hiện|triển khai|xây dựng|tăng cường|tổ chức thực hiện|đẩy mạnh|tiếp tục|căn cứ|"
    r"yêu cầu|đề nghị|ban hành|quyết định|giao|đề ra|như sau|gồm|cụ thể)\b"
)
"""Verbs that make a heading a sentence ("Ban cán sự đảng ... chỉ đạo ...") rather than a name."""
_MAX_NAME_WORDS = 14

_DUTY = re.compile(
    r"(?:^|(?<=[.;:!?…])\s+)(?=(?:Trách nhiệm\b[^:.]{0,60}:|(?:Cơ quan |Đơn vị )?chủ trì\s*:|Giao\s[^.;]{2,160}?\bchủ trì\b))"
)
"""Where a responsibility line starts in a bullet's text (it joins the last bullet of its group
when the document wraps it in, or puts it after a blank line): at a sentence's start."""
_CLAUSE = re.compile(
    r"(?P<label>Trách nhiệm[^:.]{0,60}|(?:Cơ quan |Đơn vị )?chủ trì|(?:Cơ quan |Đơn vị )?phối hợp)\s*:\s*"
    r"(?P<names>[^:]*?)\s*(?=[.;]\s*(?:Trách nhiệm|Cơ quan|Đơn vị|chủ trì|phối hợp)\b|[.;]?\s*$)",
    re.IGNORECASE,
)
_THEN = rf"(?:{VERBS}|trình|để|nhằm)\b"
"""A verb after the bodies of a "chủ trì, phối hợp với ..." list: the list ends there."""
_LED_BY = (
    r"(?P<lead>[^.;:]+?)\s+chủ trì(?:\s*,?\s*phối hợp với\s+(?P<cooperating>[^.;]+?)(?=\s*,?\s+" + _THEN
    + r"|\s*[.;]|\s*$)|(?=\s*[.;,]|\s*$|\s+" + _THEN + "))"
)
""""X chủ trì[, phối hợp với Y, Z và W]": X leads, every body of the list after "với" cooperates
(the list runs to a verb or the sentence's end, not to its first comma)."""
_GIAO = re.compile(r"[Gg]iao\s+" + _LED_BY)
_LED = re.compile(_LED_BY)
@lru_cache(maxsize=4096)
def heading_named(title: str) -> Named | None:
    """The bodies a heading names when it heads a block: "Sở Tài chính:", "Tổ đảng ở ...:",
    "Sở Nội vụ: chủ trì ..." (the name before the colon), or a bare short name ("3. Sở Tài
    chính"). A heading that is a sentence ("Ban cán sự đảng ... chỉ đạo ...") names nobody here:
    the keyword rules read it."""
    head, colon, _ = title.partition(":")
    head = PARENTHESIS.sub("", head).strip(EDGE)
    words = head.split()
    if not words or len(words) > _MAX_NAME_WORDS or not is_body(head):
        return None
    if not colon and ("," in head or _ACTION.search(fold(head))):
        return None
    if _ACTION.search(fold(head)):
        return None
    names = split_names(head)
    return Named(names[0], tuple(names[1:]), "block heading") if names else None


def _led_by(match: "re.Match[str] | None") -> tuple[list[str], list[str]] | None:
    """The lead and the cooperating bodies of a "X chủ trì, phối hợp với Y ..." match."""
    if match is None:
        return None
    leads = split_names(match.group("lead"))
    return (leads, split_names(match.group("cooperating") or "")) if leads else None


def duty_named(line: str) -> Named | None:
    """The bodies a responsibility line names: the first one leads, those after it and every one
    a "phối hợp" clause names cooperate ("Trách nhiệm ...: X chủ trì, phối hợp với Y" too)."""
    giao = _led_by(_GIAO.search(line))
    if giao:
        leads, partners = giao
        return Named(leads[0], tuple(dict.fromkeys([*leads[1:], *partners])), "responsibility line")
    lead: str | None = None
    cooperating = []
    for clause in _CLAUSE.finditer(line):
        names = split_names(clause.group("names"))
        led = _led_by(_LED.match(clause.group("names")))
        if "phối hợp" in fold(clause.group("label")) or lead is not None:
            cooperating.extend(names)
        elif led:
            (lead, *rest), partners = led
            cooperating.extend([*rest, *partners])
        elif names:
            lead, *rest = names
            cooperating.extend(rest)
    if lead is None:
        return None
    return Named(lead, tuple(dict.fromkeys(name for name in cooperating if name != lead)), "responsibility line")


_OPENING = re.compile(
    r"(?P<name>\S+(?:\s+\S+){0,13}?)\s+(?P<verb>chủ trì|phối hợp|thực hiện|theo dõi|tham mưu|giúp|đôn đốc|tổng hợp|"
    r"hướng dẫn|xây dựng|triển khai|tổ chức|rà soát|nghiên cứu|kiểm tra|bố trí|cập nhật|phụ trách|làm đầu mối|"
    r"có trách nhiệm|chịu trách nhiệm|lãnh đạo|chỉ đạo|đưa|phổ biến|quán triệt|ban hành|giám sát)\b"
)
"""A sentence that opens with a body and what it does ("Văn phòng Tỉnh ủy theo dõi, đôn đốc ...")."""
_FIRST_WORDS = frozenset({word.split()[0] for word in BODY_WORDS} | {"uỷ", "đoàn"})
"""The first word of a body's name in lower case, as folded and as written where folding moves
its tone mark ("Uỷ", "Đoàn"): compared without folding, which would cost more than the check saves."""
_DIRECTING = ("lãnh đạo", "chỉ đạo")
"""A body that directs ("Ban cán sự đảng UBND tỉnh chỉ đạo UBND tỉnh ...", "Đảng đoàn HĐND tỉnh
lãnh đạo ...") works through the bodies it directs: the keyword rules, which name those, decide."""
_WHOLE_NAMES = tuple(
    fold(word) + " " for word in ("Ủy ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND", "Ban cán sự đảng",
                                  "Ban Thường vụ", "Đảng ủy", "Tỉnh ủy", "Huyện ủy", "Thành ủy", "Thị ủy", "Công an")
)
"""Names whose words after the first are not capitalised; any other body's name has a capital
after its first word ("Văn phòng Tỉnh ủy", "Sở Nội vụ"), which tells it from "Đoàn kết ...",
"Hội nhập ...", "Báo cáo ...", "Bộ máy ...", sentences that only start with a body's word."""


def opening_named(text: str) -> Named | None:
    """The body a point or a bullet names by opening with it and a verb: "Văn phòng Tỉnh ủy theo
    dõi, đôn đốc ... báo cáo Ban Thường vụ Tỉnh ủy" is led by Văn phòng Tỉnh ủy, not by the body it
    reports to; "Giao Sở ... chủ trì, phối hợp với ..." likewise with its partners. A group ("Các
    huyện ủy ...") or a directing body ("... chỉ đạo ...") is left to the keyword rules."""
    body = text.removeprefix("Giao ")
    first = body[: body.find(" ")].lower()  # cheap first: most items open with a verb, not a body
    opening = _OPENING.match(body) if body[:1].isupper() and first in _FIRST_WORDS else None
    if opening is None or opening.group("verb") in _DIRECTING or re.search(r"[.;:!?]", opening.group("name")):
        return None
    names = split_names(opening.group("name"))
    if not names or not _leads(names[0]) or not opening.group("name").startswith(names[0]):
        return None
    led = _led_by(_LED.match(body)) if opening.group("verb") == "chủ trì" else None
    return Named(names[0], tuple(dict.fromkeys([*names[1:], *(led[1] if led else [])])), "opening words")


OWN = ("opening words", "closing words")
"""Where an item names its own lead: it wins over a block heading or a group's responsibility line."""


def closing_named(text: str) -> Named | None:
    """The body an item names by ending with it and "chủ trì" ("Tăng cường kỷ luật ...; Sở Nội vụ
    chủ trì."), with the partners of its own "phối hợp với ..." if it has one."""
    if "chủ trì" not in text[-160:]:  # cheap first: most items do not end so
        return None
    clause = re.split(r"[.;:!?]\s+", text.rstrip(" .;"))[-1]
    led = _led_by(_LED.fullmatch(clause))
    if led is None or not _leads(led[0][0]) or not clause.startswith(led[0][0]) or len(led[0]) > 1:
        return None
    return Named(led[0][0], tuple(led[1]), "closing words")


def own_named(text: str) -> Named | None:
    """The lead an item names in its own words, at its start or at its end."""
    return opening_named(text) or closing_named(text)


def _leads(name: str) -> bool:
    """Whether an opening name is one body that can lead: not a group, and a name by its shape."""
    words = name.split()
    if words[0] in ("Các", "các") or any(f" {verb} " in f" {name} " for verb in _DIRECTING):
        return False
    return any(word[:1].isupper() for word in words[1:]) or (fold(name) + " ").startswith(_WHOLE_NAMES)


_SENTENCE_BREAK = re.compile(r"[.;!?…]\s+")


def split_tail(text: str) -> tuple[str, str | None, bool]:
    """A bullet's text without what the document wrote after it as a line of its own, that
    line, and whether it is a responsibility line (for the bullets before it) rather than a body
    heading ("Ban cán sự đảng UBND tỉnh:", for the bullets after it)."""
    match = _DUTY.search(text) if "rách nhiệm" in text or "hủ trì" in text else None  # (T/t)rách, (C/c)hủ: cheap first
    if match is not None and match.end() > 0:
        return text[: match.start()].rstrip(), text[match.end():].strip(), True
    if text.endswith(":"):
        breaks = list(_SENTENCE_BREAK.finditer(text))
        if breaks and heading_named(text[breaks[-1].end():]):
            return text[: breaks[-1].start() + 1], text[breaks[-1].end():], False
    return text, None, False


def prose_headings(lines: Sequence[str]) -> list[tuple[int, Named]]:
    """The unnumbered lines that head a block with a body's name ("Ban cán sự đảng UBND tỉnh:"),
    as (line number from 1, the bodies), in document order. Only whole lines: a heading is short."""
    candidates = [(number, line) for number, line in enumerate(lines, start=1) if line[-1:] == ":"]
    return [
        (number, named)
        for number, line in candidates
        if not line.startswith(("-", "+", "*", "•")) and (named := heading_named(line))
    ]


@dataclass(frozen=True)
class NamedBullet:
    """A bullet's own text, the bodies the document names for it, and the lines kept apart."""

    text: str
    named: Named | None
    apart: tuple[str, ...]


def name_bullets(
    section_line: int, heading: Named | None, bullets: Sequence[tuple[int, str]], heads: Sequence[tuple[int, Named]]
) -> list[NamedBullet]:
    """Name the bodies of a section's bullets, (line, text) in order. A responsibility line names
    the group of bullets before it (back to the previous one or the last body heading); otherwise
    the nearest body heading above a bullet names it: an unnumbered one between the section's
    heading and the bullet (``heads``, from :func:`prose_headings`), else ``heading`` (the
    innermost numbered heading that is a body's name). A bullet that opens with a body and a verb
    names its own lead first (:func:`opening_named`)."""
    starts = [line for line, _ in heads]
    result: list[NamedBullet] = []
    group_start = 0
    group_head: Named | None = None
    for line, raw in bullets:
        text, tail, is_duty = split_tail(raw)
        at = bisect_left(starts, line) - 1
        head = heads[at][1] if at >= 0 and heads[at][0] > section_line else None
        if head is not group_head:
            group_start, group_head = len(result), head
        result.append(NamedBullet(text, own_named(text) or head or heading, (tail,) if tail else ()))
        duty = duty_named(tail) if tail and is_duty else None
        for index in range(group_start, len(result)) if duty is not None else ():
            own = result[index]  # a bullet that names its own lead keeps it
            if own.named is None or own.named.where not in OWN:
                result[index] = NamedBullet(own.text, duty, own.apart)
        if duty is not None:
            group_start = len(result)
    return result
