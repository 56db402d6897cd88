"""Storing a parsed programme: its document, sections, items, indicators and rule-made assignments.

Functions take a session and keyword arguments; the caller owns the transaction, so an error
anywhere leaves the database as it was.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from config.bodies import Registry
from models.audit import audit
from models.programme import ParsedItem, Programme
from models.tables import Assignment, Body, Document, Indicator, Item, Section

ITEM_FIELDS = ("key", "kind", "section_key", "text", "due", "recurrence", "deadline_basis", "position", "line")


@dataclass
class Changes:
    """What an ingest did; all zero (and ``document`` False) means nothing was written."""

    document: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)
    reassigned: list[str] = field(default_factory=list)
    sections: int = 0
    bodies: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.document or self.added or self.updated or self.retired or self.renumbered
            or self.reassigned or self.sections or self.bodies
        )


def sync_bodies(session: Session, *, registry: Registry) -> int:
    """Mirror the registry into the body table; bodies no longer listed become inactive."""
    changed = 0
    stored = {b.code: b for b in session.exec(select(Body)).all()}
    for body in registry.bodies.values():
        values: dict[str, Any] = {
            "name_vi": body.name_vi, "name_en": body.name_en, "kind": body.kind,
            "emails": list(body.emails), "escalates_to": body.escalates_to, "active": True,
        }
        row = stored.get(body.code)
        if row is None:
            session.add(Body(code=body.code, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
    for code, row in stored.items():
        if code not in registry.bodies and row.active:
            row.active = False
            changed += 1
    return changed


def _match(old: list[Item], new: list[ParsedItem]) -> tuple[dict[int, Item], list[int], list[Item]]:
    """Pair stored items with parsed ones: same text first, then same key and similar text,
    then the most similar text of the same kind. Returns (new index -> old item, unmatched new
    indexes, unmatched old items)."""
    pairs: dict[int, Item] = {}
    by_text: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in old:
        by_text[(item.kind, item.text)].append(item)
    for i, parsed in enumerate(new):
        candidates = by_text.get((parsed.kind, parsed.text))
        if candidates:
            pairs[i] = candidates.pop(0)
    used = {id(item) for item in pairs.values()}
    left = [item for item in old if id(item) not in used]
    by_key = {item.key: item for item in left}
    for i, parsed in enumerate(new):
        if i in pairs:
            continue
        candidate = by_key.get(parsed.key)
        if candidate is not None and candidate.kind == parsed.kind and _similar(candidate.text, parsed.text) >= 0.5:
            pairs[i] = candidate
            used.add(id(candidate))
    left = [item for item in old if id(item) not in used]
    for i, parsed in enumerate(new):
        if i in pairs or not left:
            continue
        scored = [(_similar(item.text, parsed.text), n) for n, item in enumerate(left) if item.kind == parsed.kind]
        if scored:
            score, n = max(scored)
            if score >= 0.6:
                pairs[i] = left.pop(n)
    matched = {id(item) for item in pairs.values()}
    return pairs, [i for i in range(len(new)) if i not in pairs], [item for item in old if id(item) not in matched]


def _similar(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= 0.5 else 0.0


def _indicator_rows(parsed: ParsedItem) -> list[dict[str, Any]]:
    return [
        {"position": n, "name": i.name, "comparator": i.comparator, "value": i.value,
         "value_max": i.value_max, "unit": i.unit, "year": i.year, "baseline": i.baseline}
        for n, i in enumerate(parsed.indicators)
    ]


def _sync_indicators(session: Session, item: Item, parsed: ParsedItem, existing: list[Indicator]) -> bool:
    wanted = _indicator_rows(parsed)
    have = [{k: getattr(row, k) for k in wanted[0]} for row in existing] if wanted else [{} for _ in existing]
    if have == wanted:
        return False
    for row in existing:
        session.delete(row)
    session.flush()
    for values in wanted:
        session.add(Indicator(item_id=_id(item), **values))
    return True


def _sync_assignments(session: Session, item: Item, parsed: ParsedItem, existing: list[Assignment], now: datetime) -> bool:
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
            session.add(Assignment(item_id=_id(item), body_code=code, role=role, rule=rule, assigned_at=now))
            changed = True
    return changed


def _sync_sections(session: Session, document: Document, programme: Programme) -> int:
    stored = {s.key: s for s in session.exec(select(Section).where(Section.document_id == document.id)).all()}
    changed = 0
    for info in programme.sections:
        values: dict[str, Any] = {"parent_key": info.parent, "title": info.title, "role": info.role,
                  "context": list(info.context), "position": info.position}
        row = stored.pop(info.key, None)
        if row is None:
            session.add(Section(document_id=_id(document), key=info.key, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
    for row in stored.values():
        session.delete(row)
        changed += 1
    return changed


def store_programme(session: Session, *, programme: Programme, source: str, registry: Registry, actor: str, now: datetime) -> Changes:
    """Store a parsed programme: add new items, update changed ones, retire removed ones.

    Ingesting the same document again writes nothing. Item rows keep their id (and so their
    reports and manual assignments) when a revision renumbers or rewords them.
    """
    changes = Changes()
    changes.bodies = sync_bodies(session, registry=registry)
    document = session.exec(select(Document).where(Document.key == programme.key)).first()
    if document is None:
        document = Document(
            key=programme.key, title=programme.title, first_year=programme.term.first_year,
            last_year=programme.term.last_year, start=programme.start, sha256=programme.sha256,
            source=source, version=1, ingested_at=now,
        )
        session.add(document)
        session.flush()
        changes.document = True
    elif (document.sha256, document.start, document.title) != (programme.sha256, programme.start, programme.title):
        document.version += 1 if document.sha256 != programme.sha256 else 0
        document.sha256, document.start, document.title = programme.sha256, programme.start, programme.title
        document.first_year, document.last_year = programme.term.first_year, programme.term.last_year
        document.source, document.ingested_at = source, now
        changes.document = True
    changes.sections = _sync_sections(session, document, programme)

    old = list(session.exec(select(Item).where(Item.document_id == document.id, col(Item.retired_at).is_(None))).all())
    pairs, added, retired = _match(old, list(programme.items))
    old_keys = {item.id: item.key for item in old}
    ids = [item.id for item in old]
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    assignments: dict[int, list[Assignment]] = defaultdict(list)
    if ids:
        for ind in session.exec(select(Indicator).where(col(Indicator.item_id).in_(ids)).order_by(col(Indicator.position))).all():
            indicators[ind.item_id].append(ind)
        for asg in session.exec(select(Assignment).where(col(Assignment.item_id).in_(ids))).all():
            assignments[asg.item_id].append(asg)

    for item in retired:
        item.retired_at = now
        changes.retired.append(item.key)
        audit(session, actor=actor, action="item.retired", entity="item", key=item.key, at=now, id=item.id)
    renamed = [(i, item) for i, item in pairs.items() if item.key != programme.items[i].key]
    if retired or renamed:
        for _, item in renamed:
            item.key = f"~{item.id}"
        session.flush()

    for i, item in sorted(pairs.items()):
        parsed = programme.items[i]
        assert item.id is not None
        before = {k: getattr(item, k) for k in ITEM_FIELDS}
        values = _item_values(parsed)
        before["key"] = old_keys[item.id]
        content = [k for k in ITEM_FIELDS if k not in ("key", "position", "line")]
        diff = {k: [str(before[k]), str(values[k])] for k in content if before[k] != values[k]}
        for k in ITEM_FIELDS:
            setattr(item, k, values[k])
        changed_indicators = _sync_indicators(session, item, parsed, indicators[item.id])
        changed_assignments = _sync_assignments(session, item, parsed, assignments[item.id], now)
        if before["key"] != values["key"]:
            changes.renumbered.append(parsed.key)
            audit(session, actor=actor, action="item.renumbered", entity="item", key=parsed.key, at=now,
                  id=item.id, previous_key=before["key"])
        if diff or changed_indicators:
            changes.updated.append(parsed.key)
            audit(session, actor=actor, action="item.updated", entity="item", key=parsed.key, at=now,
                  id=item.id, changed=diff, indicators=changed_indicators)
        if diff or changed_indicators or before != {k: getattr(item, k) for k in ITEM_FIELDS}:
            item.updated_at = now
        if changed_assignments:
            changes.reassigned.append(parsed.key)
            audit(session, actor=actor, action="assignment.rules", entity="item", key=parsed.key, at=now,
                  id=item.id, assignments=[[a.body, a.role, a.rule] for a in parsed.assignments])

    for i in added:
        parsed = programme.items[i]
        item = Item(document_id=_id(document), created_at=now, updated_at=now, **_item_values(parsed))
        session.add(item)
        session.flush()
        for values in _indicator_rows(parsed):
            session.add(Indicator(item_id=_id(item), **values))
        for a in parsed.assignments:
            session.add(Assignment(item_id=_id(item), body_code=a.body, role=a.role, rule=a.rule, assigned_at=now))
        changes.added.append(parsed.key)
    if changes.added:
        audit(session, actor=actor, action="item.added", entity="document", key=programme.key, at=now, keys=changes.added)
    if changes.any:
        audit(session, actor=actor, action="document.ingested", entity="document", key=programme.key, at=now,
              source=source, sha256=programme.sha256, version=document.version,
              added=len(changes.added), updated=len(changes.updated), retired=len(changes.retired),
              renumbered=len(changes.renumbered), reassigned=len(changes.reassigned))
    return changes


def _id(row: Item | Document) -> int:
    """The id of a row that has been flushed (and so has one)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


def _item_values(parsed: ParsedItem) -> dict[str, Any]:
    return {
        "key": parsed.key, "kind": parsed.kind, "section_key": parsed.section, "text": parsed.text,
        "due": parsed.due, "recurrence": parsed.recurrence, "deadline_basis": parsed.deadline_basis,
        "position": parsed.position, "line": parsed.line,
    }
