"""The whole parse, as one pure function: text in, a :class:`Programme` of dated, assigned items out.

No database, no clock: the same text, rules and policy always give the same programme. This is
what ``dondoc parse`` prints and what ``dondoc ingest`` stores.
"""

import hashlib
import re
import unicodedata
from datetime import date
from typing import Any

from config.bodies import Registry
from config.errors import DocumentError
from config.folding import fold
from config.policy import Policy
from config.rules import Rule
from models.programme import Indicator, ParsedItem, Programme, Term
from workflows.reading.appendix import with_appendices
from workflows.reading.assign import assign
from workflows.reading.deadlines import deadline_for, find_term, issue_date, programme_start
from workflows.reading.extract import RawItem, extract
from workflows.reading.indicators import indicators_of
from workflows.reading.named_bodies import prose_headings
from workflows.reading.outline import build
from workflows.rules.reporting import reporting_dates

ROLE_TO_PART = {"targets": "targets", "goals": "targets", "tasks": "tasks", "implementation": "implementation"}
_TITLE_START = re.compile(r"^(CHƯƠNG TRÌNH|KẾ HOẠCH|NGHỊ QUYẾT|ĐỀ ÁN)\b")
_SEPARATOR = re.compile(r"^[-_*=~.]{3,}$")
_NUMBER = re.compile(r"(?:^|\s)số\s*:?\s*(\d+\s*[-/][\w./-]*)")
"""A document's number on its folded ``Số: 12-CTr/TU`` line; a draft's ``Số -CTr/TU`` has none."""
_NOT_ISSUER = re.compile(
    r"đảng cộng sản việt nam|cộng hòa xã hội chủ nghĩa việt nam|độc lập\s*-\s*tự do\s*-\s*hạnh phúc|dự thảo|[*\-_=~.]+"
)
"""The national headings, the draft mark and rules that share the header lines with the issuer."""
KEY_LENGTH = 120
"""The width of ``document.key``; a key is a readable prefix and a hash of the whole identity."""
_HASH_LENGTH = 12


def slug(text: str) -> str:
    """An ASCII key for a title: "Chương trình hành động ... 2020 - 2025" -> "chuong-trinh-hanh-dong-...-2020-2025"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:KEY_LENGTH]


def identity(front: list[str], title: str) -> str:
    """What tells this document from every other: its issuer, number and date when it has a
    number (``TỈNH ỦY KHÁNH HÒA | 12-ctr/tu | 2020-11-24``), else its full title (a draft has no
    number yet). Folded, so that a respelt tone mark or a changed case is the same document.
    Issuer and date come from the header lines above the title; where one is missing the title
    joins the number, so that a bare ``12-CTr/TU`` of another year is not taken for this one."""
    header = _header(front)
    number = next((m.group(1) for m in map(_NUMBER.search, map(fold, header)) if m), None)
    if number is None:
        return "title|" + fold(title)
    numbered = header[: next(i for i, line in enumerate(header) if _NUMBER.search(fold(line)))]
    issuer = " ".join(" ".join(_NOT_ISSUER.sub(" ", fold(line)).split()) for line in numbered).strip()
    issued = issue_date("\n".join(header))
    parts = [issuer, "".join(number.split()), issued.isoformat() if issued else ""]
    if not (issuer and issued):
        parts.append(fold(title))
    return "number|" + "|".join(parts)


def _header(front: list[str]) -> list[str]:
    """The lines above the title: issuer, number, place and date."""
    for i, line in enumerate(front):
        if _TITLE_START.match(line):
            return front[:i]
    return []


def document_key(identity_text: str, title: str) -> str:
    """``document.key`` for an identity: the title's slug, cut to fit, then a hash of the whole
    identity, so two documents whose titles share their first 120 characters never share a key."""
    digest = hashlib.sha256(identity_text.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    prefix = slug(title)[: KEY_LENGTH - _HASH_LENGTH - 1].strip("-") or "programme"
    return f"{prefix}-{digest}"


def title_of(front: list[str]) -> str:
    """The document's title: the capitals line that opens it and the lines that complete it."""
    for i, line in enumerate(front):
        if _TITLE_START.match(line):
            parts = [line]
            for following in front[i + 1 :]:
                if _SEPARATOR.match(following) or (following[:1].isupper() and following != following.upper()):
                    break
                if following:
                    parts.append(following)
            return " ".join(parts)
    return next((line for line in front if line and not _SEPARATOR.match(line)), "")


def _part_of(raw: RawItem, roles: dict[str, str | None]) -> str:
    return ROLE_TO_PART.get(roles.get(raw.section) or "", "tasks")


_OPEN_YEAR = 9999
"""The last year of the provisional term of a plan with no term: every date its items name fits."""


def _term_and_start(front: str, headings: list[str], raw_items: list[RawItem], policy: Policy) -> tuple[Term, date]:
    """The programme's term and start. A plan whose title names no term ("nhiệm kỳ", "giai đoạn")
    runs from its issue date to its latest deadline, if its items carry dates of their own."""
    issued = issue_date(front)
    try:
        term = find_term(front, headings)
    except DocumentError as refusal:
        start = policy.start or issued
        if start is None:
            raise DocumentError(f"{refusal}, and it has no issue date ('ngày D tháng M năm YYYY') to start from") from None
        open_term = Term(start.year, _OPEN_YEAR)
        dues = [
            deadline_for(raw.text, open_term, start, urgent_days=policy.urgent_days, headings=raw.section_titles).due
            for raw in raw_items
        ]
        dated = [due for due in dues if due < open_term.end]
        if not dated:
            raise DocumentError(
                f"{refusal}, and no item carries a date of its own (a year, quarter, month or day) to end it"
            ) from None
        return Term(start.year, max(dated).year), start
    return term, programme_start(term, issued, policy.start)


def parse_programme(text: str, *, rules: list[Rule], policy: Policy, registry: Registry | None = None) -> Programme:
    """Parse normalised document text into a programme (raises ``DocumentError`` on a bad outline).
    With ``registry``, the bodies the document names lead and cooperate before the keyword rules."""
    outline = build(text)
    sections, raw_items = extract(outline, prose_headings(text.split("\n")))
    front = "\n".join(outline.front)
    headings = [s.title for s in outline.root.children] + [s.title for s in sections[:20]]
    term, start = _term_and_start(front, headings, raw_items, policy)
    roles = {s.key: s.role for s in sections}
    items = []
    for raw in raw_items:
        deadline = deadline_for(
            raw.text, term, start, urgent_days=policy.urgent_days, headings=raw.section_titles
        )
        indicators = indicators_of(raw.text, deadline.due.year) if raw.kind == "target" else []
        assignments = assign(
            kind=raw.kind,
            part=_part_of(raw, roles),
            section=raw.section,
            titles=list(raw.section_titles),
            text=raw.text,
            rules=rules,
            named=raw.named,
            registry=registry,
        )
        items.append(
            ParsedItem(
                key=raw.key,
                kind=raw.kind,
                section=raw.section,
                section_titles=raw.section_titles,
                text=raw.text,
                line=raw.line,
                position=raw.position,
                due=deadline.due,
                recurrence=deadline.recurrence,
                deadline_basis=deadline.basis,
                reporting_dates=tuple(reporting_dates(start, deadline.due, policy.reporting_cadence)),
                indicators=tuple(indicators),
                assignments=tuple(assignments),
                lead_named=raw.named.lead if raw.named else None,
                cooperating_named=raw.named.cooperating if raw.named else (),
            )
        )
    title = title_of(outline.front) or (outline.root.children[0].title if outline.root.children else "")
    sections, items = with_appendices(
        text, term=term, start=start, policy=policy, rules=rules, sections=sections, items=items, registry=registry
    )
    return Programme(
        key=document_key(identity(outline.front, title), title),
        title=title,
        term=term,
        start=start,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        sections=tuple(sections),
        items=tuple(items),
    )


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    return {
        "name": indicator.name,
        "comparator": indicator.comparator,
        "value": indicator.value,
        "value_max": indicator.value_max,
        "unit": indicator.unit,
        "year": indicator.year,
        "baseline": indicator.baseline,
    }


def item_json(item: ParsedItem) -> dict[str, Any]:
    """An item as ``parse --json`` and ``items --format json`` show it."""
    return {
        "key": item.key,
        "kind": item.kind,
        "section": item.section,
        "section_titles": list(item.section_titles),
        "text": item.text,
        "lead": item.lead,
        "cooperating": item.cooperating,
        "rule": item.assignments[0].rule,
        "assignments": [{"body": a.body, "role": a.role, "rule": a.rule} for a in item.assignments],
        "due": item.due.isoformat(),
        "recurrence": item.recurrence,
        "deadline_basis": item.deadline_basis,
        "reporting_dates": [d.isoformat() for d in item.reporting_dates],
        "indicators": [indicator_json(i) for i in item.indicators],
        "source": item.source,
        "appendix": item.appendix,
        "lead_named": item.lead_named,
        "cooperating_named": list(item.cooperating_named),
    }


def programme_json(programme: Programme) -> dict[str, Any]:
    return {
        "document": {
            "key": programme.key,
            "title": programme.title,
            "term": {"first_year": programme.term.first_year, "last_year": programme.term.last_year},
            "start": programme.start.isoformat(),
            "sha256": programme.sha256,
            "issuer": programme.issuer,
            "number": programme.number,
            "issued_on": programme.issued_on.isoformat() if programme.issued_on else None,
        },
        "sections": [
            {"key": s.key, "parent": s.parent, "title": s.title, "role": s.role, "context": list(s.context)}
            for s in programme.sections
        ],
        "items": [item_json(i) for i in programme.items],
    }
