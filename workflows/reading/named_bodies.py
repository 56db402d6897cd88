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
from workflows.reading.registry_lookup import EDGE, PARENTHESIS


@dataclass(frozen=True)
class Named:
    """Bodies a document names for an item, as written, and where it named them."""

    lead: str
    cooperating: tuple[str, ...]
    where: str
    """``block heading`` | ``responsibility line`` | ``table column``."""


_BODY_WORDS = tuple(
    fold(word) + " "
    for word in (
        "Sở", "Ban", "Ủy ban", "UBND", "HĐND", "Hội đồng", "Đảng ủy", "Đảng đoàn", "Tổ đảng", "Chi bộ",
        "Huyện ủy", "Thị ủy", "Thành ủy", "Tỉnh ủy", "Quận ủy", "Văn phòng", "Mặt trận", "MTTQ", "Công an",
        "Bộ", "Cục", "Chi cục", "Trung tâm", "Hội", "Liên đoàn", "Tỉnh đoàn", "Đoàn", "Thanh tra", "Kho bạc",
        "Ngân hàng", "Viện", "Trường", "Bảo hiểm", "Đài", "Báo", "Tòa án", "Cơ quan", "Liên minh", "Thường trực",
        "BCSĐ", "Bộ Chỉ huy", "Bộ đội", "Các sở", "Các ban", "Các huyện ủy", "Các đảng ủy", "Các cơ quan",
        "Các tổ chức", "Các đoàn thể", "Đồng chí",
    )
) + tuple(fold(word) for word in ("Tỉnh ủy", "Huyện ủy", "Thị ủy", "Thành ủy", "UBND tỉnh", "Đảng ủy"))
"""How a body's name starts ("Sở ...", "Ban cán sự đảng ...", "Tổ đảng ..."); a heading or a
listed name that starts otherwise is not taken for a body."""
_GENERIC = ("liên quan", "có liên quan")
"""Words of a group rather than a body ("các sở, ngành liên quan"): dropped, never suggested."""
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
_GIAO = re.compile(
    r"Giao\s+(?P<lead>[^.;]+?)\s+chủ trì(?:\s*,?\s*phối hợp với\s+(?P<cooperating>[^.;]+?))?"
    r"(?=\s+(?:tham mưu|triển khai|thực hiện|tổ chức|xây dựng|theo dõi|hướng dẫn|đôn đốc|báo cáo|kiểm tra|"
    r"trình|nghiên cứu|rà soát|để|nhằm)\b|\s*[.;,]|\s*$)",
    re.IGNORECASE,
)


def _is_body(name: str) -> bool:
    folded = fold(name) + " "
    return folded.startswith(_BODY_WORDS) and not any(word in folded for word in _GENERIC)


def split_names(text: str) -> list[str]:
    """The bodies in a list as a document writes it: "Sở Nội vụ, Sở Tài chính và các cơ quan liên
    quan" -> ["Sở Nội vụ", "Sở Tài chính"]. "và" separates two names only when both sides start
    like a body ("Sở Khoa học và Công nghệ" is one), and a comma only when a body's name follows
    ("Sở Văn hóa, Thể thao và Du lịch" is one); groups ("các ... liên quan") are dropped."""
    parts: list[str] = []
    for part in re.split(r"\s*[,;]\s*", text.strip(EDGE)):
        if parts and part and not _is_body(part):
            parts[-1] += ", " + part  # "Sở Văn hóa, Thể thao và Du lịch" is one name
        else:
            parts.append(part)
    return [
        name for part in parts for name in _split_and(part) if _is_body(name) and not _is_plural_group(name)
    ]


def _split_and(part: str) -> list[str]:
    """Split at each "và"/"với" that a body's name follows."""
    pieces = re.split(r"\s+(?:và|với)\s+", part)
    names = [pieces[0]]
    separators = re.findall(r"\s+(?:và|với)\s+", part)
    for separator, piece in zip(separators, pieces[1:], strict=True):
        if _is_body(piece):
            names.append(piece)
        else:
            names[-1] += separator + piece
    return [name.strip(EDGE) for name in names]


def _is_plural_group(name: str) -> bool:
    """"các sở", "các ban, ngành": a kind of body, not one the registry could hold."""
    words = fold(name).split()
    return words[0] == "các" and len(words) <= 2


@lru_cache(maxsize=4096)
def heading_named(title: str) -> Named | None:
    """The bodies a heading names when it heads a block: "Sở Tài chính:", "Tổ đảng ở ...:",
    "Sở Nội vụ: chủ trì ..." (the name before the colon), or a bare short name ("3. Sở Tài
    chính"). A heading that is a sentence ("Ban cán sự đảng ... chỉ đạo ...") names nobody here:
    the keyword rules read it."""
    head, colon, _ = title.partition(":")
    head = PARENTHESIS.sub("", head).strip(EDGE)
    words = head.split()
    if not words or len(words) > _MAX_NAME_WORDS or not _is_body(head):
        return None
    if not colon and ("," in head or _ACTION.search(fold(head))):
        return None
    if _ACTION.search(fold(head)):
        return None
    names = split_names(head)
    return Named(names[0], tuple(names[1:]), "block heading") if names else None


def duty_named(line: str) -> Named | None:
    """The bodies a responsibility line names: the first one leads, those after it and every one
    a "phối hợp" clause names cooperate."""
    giao = _GIAO.search(line)
    if giao:
        leads = split_names(giao.group("lead"))
        cooperating = split_names(giao.group("cooperating") or "")
        if leads:
            return Named(leads[0], tuple(dict.fromkeys([*leads[1:], *cooperating])), "responsibility line")
    lead: str | None = None
    cooperating = []
    for clause in _CLAUSE.finditer(line):
        names = split_names(clause.group("names"))
        if "phối hợp" in fold(clause.group("label")) or lead is not None:
            cooperating.extend(names)
        elif names:
            lead, *rest = names
            cooperating.extend(rest)
    if lead is None:
        return None
    return Named(lead, tuple(dict.fromkeys(name for name in cooperating if name != lead)), "responsibility line")


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
    innermost numbered heading that is a body's name)."""
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
        result.append(NamedBullet(text, head or heading, (tail,) if tail else ()))
        duty = duty_named(tail) if tail and is_duty else None
        if duty is not None:
            for index in range(group_start, len(result)):
                result[index] = NamedBullet(result[index].text, duty, result[index].apart)
            group_start = len(result)
    return result
