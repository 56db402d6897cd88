"""An item's parts that a revision of the document may change: its indicators and its
rule-made assignments. Each is brought in line with the parsed bullet, keeping what it can:
indicator rows keep their ids, manual assignments stay.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from models.programme import ParsedItem
from models.tables import Assignment, Document, Indicator, Item


def indicator_rows(parsed: ParsedItem) -> list[dict[str, Any]]:
    """The indicator rows a bullet asks for, numbered by position."""
    return [
        {"position": n, "name": i.name, "comparator": i.comparator, "value": i.value,
         "value_max": i.value_max, "unit": i.unit, "year": i.year, "baseline": i.baseline}
        for n, i in enumerate(parsed.indicators)
    ]


def sync_indicators(session: Session, item: Item, parsed: ParsedItem, existing: list[Indicator]) -> bool:
    """Make the item's indicators those of ``parsed``, position by position: a row whose
    indicator is unchanged keeps its id (later work refers to an indicator by id), a changed one
    is updated in place, and only the difference in number is inserted or deleted."""
    by_position = {row.position: row for row in existing}
    changed = False
    for values in indicator_rows(parsed):
        row = by_position.pop(values["position"], None)
        if row is None:
            session.add(Indicator(item_id=row_id(item), **values))
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed = True
    for row in by_position.values():
        session.delete(row)
        changed = True
    return changed


def sync_assignments(session: Session, item: Item, parsed: ParsedItem, existing: list[Assignment], now: datetime) -> bool:
    """Make the rule-made assignments match the rules, keeping manual ones: a manual lead wins."""
    manual = [a for a in existing if a.manual]
    manual_lead = next((a.body_code for a in manual if a.role == "lead"), None)
    wanted: dict[str, tuple[str, str]] = {}
    for wanted_assignment in parsed.assignments:
        if wanted_assignment.role == "lead" and manual_lead is not None:
            continue
        wanted.setdefault(wanted_assignment.body, (wanted_assignment.role, wanted_assignment.rule))
    for row in manual:
        wanted.pop(row.body_code, None)
    if manual_lead is not None:
        wanted.pop(manual_lead, None)
    changed = False
    rule_made = {a.body_code: a for a in existing if not a.manual}
    for code, row in rule_made.items():
        if code not in wanted:
            session.delete(row)
            changed = True
        elif (row.role, row.rule) != wanted[code]:
            row.role, row.rule = wanted[code]
            changed = True
    if changed:
        session.flush()
    for code, (role, rule) in wanted.items():
        if code not in rule_made:
            session.add(Assignment(item_id=row_id(item), body_code=code, role=role, rule=rule, assigned_at=now))
            changed = True
    return changed


def row_id(row: Item | Document) -> int:
    """The id of a row that has been flushed (and so has one)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id
