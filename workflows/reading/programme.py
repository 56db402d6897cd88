"""The whole parse, as one pure function: text in, a :class:`Programme` of dated, assigned items out.

No database, no clock: the same text, rules and policy always give the same programme. This is
what ``dondoc parse`` prints and what ``dondoc ingest`` stores.
"""

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from config.bodies import Registry
from config.errors import DocumentError
from config.policy import Policy
from config.rules import Rule
from models.programme import Indicator, ParsedItem, Programme, SectionInfo, Term
from workflows.reading.appendix import BodyTable, body_tables, with_appendices
from workflows.reading.assign import assign
from workflows.reading.deadlines import deadline_for, find_term, issue_date, programme_start
from workflows.reading.extract import RawItem, outline_items
from workflows.reading.heading import document_key, heading_of, identity, title_of
from workflows.reading.indicators import indicators_of
from workflows.reading.named_bodies import prose_headings
from workflows.reading.outline import Outline, build
from workflows.reading.refusals import nothing_to_track
from workflows.rules.reporting import reporting_dates

ROLE_TO_PART = {"targets": "targets", "goals": "targets", "tasks": "tasks", "implementation": "implementation"}


def _part_of(raw: RawItem, roles: dict[str, str | None]) -> str:
    return ROLE_TO_PART.get(roles.get(raw.section) or "", "tasks")


_OPEN_YEAR = 9999
"""The last year of the provisional term of a plan with no term: every date its items name fits."""


def _term_and_start(
    front: str, headings: list[str], raw_items: list[RawItem], policy: Policy, tables: Callable[[Term, date], list[date]]
) -> tuple[Term, date]:
    """The programme's term and start. A plan whose title names no term ("nhiệm kỳ", "giai đoạn")
    runs from its issue date to its latest deadline, if its items (or its tables' rows, ``tables``
    gives their due dates) carry dates of their own."""
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
        ] + tables(open_term, start)
        dated = [due for due in dues if due < open_term.end]
        if not dated:
            raise DocumentError(
                f"{refusal}, and no item carries a date of its own (a year, quarter, month or day) to end it"
            ) from None
        return Term(start.year, max(dated).year), start
    return term, programme_start(term, issued, policy.start)


def _reporting(start: date, cadence: str) -> Callable[[date], tuple[date, ...]]:
    """Reporting dates by due date, worked out once per due date: a programme's items share a
    few dozen due dates, and the walk over the months is a tenth of the sample's parse time."""
    known: dict[date, tuple[date, ...]] = {}

    def reports(due: date) -> tuple[date, ...]:
        if due not in known:
            known[due] = tuple(reporting_dates(start, due, cadence))
        return known[due]

    return reports


def parse_programme(text: str, *, rules: list[Rule], policy: Policy, registry: Registry | None = None) -> Programme:
    """Parse normalised document text into a programme (raises ``DocumentError`` on a bad outline).
    With ``registry``, the bodies the document names lead and cooperate before the keyword rules."""
    read, body = body_tables(text)  # a table in the body is rows, not a paragraph: the outline reads the rest
    outline = build(read)
    sections, raw_items = outline_items(outline, prose_headings(read.split("\n")))
    if not raw_items:  # its tasks may all be in tables: refused only if no table has one either
        _refuse_without_tables(text, body, outline, sections, rules, policy)

    def table_dues(term: Term, start: date) -> list[date]:
        found = with_appendices(text, body, term=term, start=start, policy=policy, rules=rules, sections=sections, items=[])
        return [item.due for item in found[1]]

    front = "\n".join(outline.front)
    headings = [s.title for s in outline.root.children] + [s.title for s in sections[:20]]
    term, start = _term_and_start(front, headings, raw_items, policy, table_dues)
    roles = {s.key: s.role for s in sections}
    items = []
    reports = _reporting(start, policy.reporting_cadence)
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
                reporting_dates=reports(deadline.due),
                indicators=tuple(indicators),
                assignments=tuple(assignments),
                lead_named=raw.named.lead if raw.named else None,
                cooperating_named=raw.named.cooperating if raw.named else (),
            )
        )
    title = title_of(outline.front) or (outline.root.children[0].title if outline.root.children else "")
    sections, items, _ = with_appendices(
        text, body, term=term, start=start, policy=policy, rules=rules, sections=sections, items=items, registry=registry
    )
    heading = heading_of(outline.front)
    return Programme(
        key=document_key(identity(outline.front, title), title),
        title=title,
        term=term,
        start=start,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        sections=tuple(sections),
        items=tuple(items),
        issuer=heading.issuer,
        number=heading.number,
        issued_on=heading.issued_on,
    )


def _refuse_without_tables(
    text: str, body: list[BodyTable], outline: Outline, sections: list[SectionInfo], rules: list[Rule], policy: Policy
) -> None:
    """Refuse a document whose outline gave no item unless a table in it gives one, saying what
    was found in the body and in each table (its name, and why its rows gave nothing). Whether a
    row is an item does not depend on the term: any will do."""
    term = Term(2000, _OPEN_YEAR)
    _, items, unread = with_appendices(
        text, body, term=term, start=date(2000, 1, 1), policy=policy, rules=rules, sections=sections, items=[]
    )
    if not items:
        raise DocumentError(nothing_to_track(outline, sections, unread))


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
