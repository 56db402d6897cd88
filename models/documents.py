"""Storing a parsed programme: its document, sections, items, indicators and rule-made assignments.

Functions take a session and keyword arguments; the caller owns the transaction, so an error
anywhere leaves the database as it was.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from config.bodies import Registry
from config.errors import ConflictError
from models.audit import audit
from models.bodies import sync_bodies
from models.db import INGEST_LOCK, hold_write_lock
from models.document_names import heading_facts
from models.item_parts import indicator_rows, row_id, sync_assignments, sync_indicators
from models.matching import legacy_key, match_items, match_retired
from models.programme import ParsedItem, Programme
from models.tables import Assignment, Document, Indicator, Item, Section

ITEM_FIELDS = ("key", "kind", "section_key", "text", "due", "recurrence", "deadline_basis", "position", "line")
CONTENT_FIELDS = tuple(k for k in ITEM_FIELDS if k not in ("key", "position", "line"))
"""What a person reads of an item: a change here is an update (the others are renumbering)."""


class MostItemsRetired(ConflictError):
    """This revision would retire most of the document's items: it needs ``confirm``."""

    def __init__(self, *, key: str, retired: int, total: int) -> None:
        super().__init__(f"this revision of {key} would retire {retired} of its {total} items; "
                         "run again with --confirm if that is what you mean")
        self.key, self.retired, self.total = key, retired, total


@dataclass
class Changes:
    """What an ingest did; all zero (and ``document`` False) means nothing was written."""

    document: bool = False
    described: bool = False
    """Only the heading's number, issuer or date differ from what is stored (written, not a change
    of the programme: ``any`` stays False)."""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)
    reassigned: list[str] = field(default_factory=list)
    sections: int = 0
    bodies: int = 0

    @property
    def any(self) -> bool:
        return bool(
            self.document or self.added or self.updated or self.retired or self.restored or self.renumbered
            or self.reassigned or self.sections or self.bodies
        )


def _sync_sections(session: Session, document: Document, programme: Programme) -> int:
    stored = {s.key: s for s in session.exec(select(Section).where(Section.document_id == document.id)).all()}
    changed = 0
    for info in programme.sections:
        values: dict[str, Any] = {"parent_key": info.parent, "title": info.title, "role": info.role,
                  "context": list(info.context), "position": info.position}
        row = stored.pop(info.key, None)
        if row is None:
            session.add(Section(document_id=row_id(document), key=info.key, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
    for row in stored.values():
        session.delete(row)
        changed += 1
    return changed


def store_programme(
    session: Session, *, programme: Programme, source: str, registry: Registry, actor: str, now: datetime,
    confirm: bool = False,
) -> Changes:
    """Store a parsed programme: add new items, update changed ones, retire removed ones, and
    bring back a retired one whose bullet returns.

    Ingesting the same document again writes nothing. Item rows keep their id (and so their
    reports and manual assignments) when a revision renumbers or rewords them. One ingest at a
    time per database (the write lock first), so a second one reads what the first stored. A
    revision retiring over half of the items raises :class:`MostItemsRetired` unless ``confirm``.
    """
    hold_write_lock(session.connection(), INGEST_LOCK)
    run = _Run(session, actor=actor, now=now, changes=Changes())
    run.changes.bodies = sync_bodies(session, registry=registry)
    document = _store_document(run, programme, source)
    run.changes.sections = _sync_sections(session, document, programme)
    # in document order: bullets of one text pair in order (key order would cross them and renumber)
    old = list(session.exec(
        select(Item).where(Item.document_id == document.id, col(Item.retired_at).is_(None)).order_by(col(Item.position))
    ).all())
    pairs, added, retired = match_items(old, list(programme.items))
    if old and len(retired) * 2 > len(old) and not confirm:
        raise MostItemsRetired(key=programme.key, retired=len(retired), total=len(old))
    restored = _restorable(session, document, programme, added)
    added = [i for i in added if i not in restored]
    stored = _Stored.of(session, old + list(restored.values()))
    _retire(run, retired)
    _free_keys(run, pairs, programme, retired)
    for i, item in sorted({**pairs, **restored}.items()):
        if i in restored:
            _restore(run, item, programme.items[i])
        _update_item(run, item, programme.items[i], stored)
    for i in added:
        _add_item(run, document, programme.items[i])
    _audit_ingest(run, document, programme, source)
    return run.changes


@dataclass
class _Run:
    """One ingest: where it writes, who and when, and what it changed so far."""

    session: Session
    actor: str
    now: datetime
    changes: Changes

    def audit(self, action: str, entity: str, key: str, **detail: Any) -> None:
        audit(self.session, actor=self.actor, action=action, entity=entity, key=key, at=self.now, **detail)


@dataclass
class _Stored:
    """What the active items have before the ingest: their keys, indicators and assignments."""

    keys: dict[int, str]
    indicators: dict[int, list[Indicator]]
    assignments: dict[int, list[Assignment]]

    @classmethod
    def of(cls, session: Session, items: list[Item]) -> "_Stored":
        ids = [row_id(item) for item in items]
        indicators: dict[int, list[Indicator]] = defaultdict(list)
        assignments: dict[int, list[Assignment]] = defaultdict(list)
        if ids:
            query = select(Indicator).where(col(Indicator.item_id).in_(ids)).order_by(col(Indicator.position))
            for indicator in session.exec(query).all():
                indicators[indicator.item_id].append(indicator)
            for assignment in session.exec(select(Assignment).where(col(Assignment.item_id).in_(ids))).all():
                assignments[assignment.item_id].append(assignment)
        return cls({row_id(item): item.key for item in items}, indicators, assignments)


def _restorable(session: Session, document: Document, programme: Programme, added: list[int]) -> dict[int, Item]:
    """The retired items that bullets new to this revision bring back (a bullet removed, then
    restored): their rows, with their reports and manual assignments, rather than new ones."""
    if not added:
        return {}
    query = select(Item).where(Item.document_id == document.id, col(Item.retired_at).is_not(None))
    gone = list(session.exec(query.order_by(col(Item.retired_at).desc(), col(Item.id).desc())).all())
    return match_retired(gone, list(programme.items), added) if gone else {}


def _find_document(run: _Run, programme: Programme) -> Document | None:
    """The stored row of this document: by its key, else (a database written before keys were
    made from the identity) the row stored under its title's old key with the same full title,
    which then takes the new key, so that a different document sharing that title's first 120
    characters is never taken for it again."""
    query = select(Document)
    document = run.session.exec(query.where(Document.key == programme.key)).first()
    if document is not None:
        return document
    old_key = legacy_key(programme.title)
    document = run.session.exec(query.where(Document.key == old_key, Document.title == programme.title)).first()
    if document is not None:
        document.key = programme.key
        run.changes.document = True
        run.audit("document.rekeyed", "document", programme.key, id=document.id, previous_key=old_key)
    return document


def _store_document(run: _Run, programme: Programme, source: str) -> Document:
    """The document's row, added or brought up to date; a new text bumps its version."""
    document = _find_document(run, programme)
    if document is None:
        document = Document(
            key=programme.key, title=programme.title, first_year=programme.term.first_year,
            last_year=programme.term.last_year, start=programme.start, sha256=programme.sha256,
            source=source, version=1, ingested_at=run.now,
            number=programme.number, issuer=programme.issuer, issued_on=programme.issued_on,
        )
        run.session.add(document)
        run.session.flush()
        run.changes.document = True
    elif (document.sha256, document.start, document.title) != (programme.sha256, programme.start, programme.title):
        document.version += 1 if document.sha256 != programme.sha256 else 0
        document.sha256, document.start, document.title = programme.sha256, programme.start, programme.title
        document.first_year, document.last_year = programme.term.first_year, programme.term.last_year
        document.source, document.ingested_at = source, run.now
        run.changes.document = True
    heading = (programme.number, programme.issuer, programme.issued_on)
    if (document.number, document.issuer, document.issued_on) != heading:  # also: stored before they were kept
        document.number, document.issuer, document.issued_on = heading
        run.changes.described = True
    return document


def _retire(run: _Run, retired: list[Item]) -> None:
    for item in retired:
        item.retired_at = run.now
        run.changes.retired.append(item.key)
        run.audit("item.retired", "item", item.key, id=item.id)


def _restore(run: _Run, item: Item, parsed: ParsedItem) -> None:
    """Un-retire a row, taking the key of the bullet that brought it back in the same change
    (its old key may belong to another item by now)."""
    run.audit("item.restored", "item", parsed.key, id=item.id, previous_key=item.key)
    item.retired_at, item.key = None, parsed.key
    run.changes.restored.append(parsed.key)


def _free_keys(run: _Run, pairs: dict[int, Item], programme: Programme, retired: list[Item]) -> None:
    """Park the keys of renumbered items, so that an item can take a key another one had
    (active keys are unique) when the new keys are written."""
    renamed = [item for i, item in pairs.items() if item.key != programme.items[i].key]
    if retired or renamed:
        for item in renamed:
            item.key = f"~{item.id}"
        run.session.flush()


def _update_item(run: _Run, item: Item, parsed: ParsedItem, stored: _Stored) -> None:
    """Bring a matched item up to date with its bullet, and say (and audit) what changed."""
    item_id = row_id(item)
    before = {k: getattr(item, k) for k in ITEM_FIELDS}
    before["key"] = stored.keys[item_id]
    values = _item_values(parsed)
    diff = {k: [str(before[k]), str(values[k])] for k in CONTENT_FIELDS if before[k] != values[k]}
    for k in ITEM_FIELDS:
        setattr(item, k, values[k])
    changed_indicators = sync_indicators(run.session, item, parsed, stored.indicators[item_id])
    changed_assignments = sync_assignments(run.session, item, parsed, stored.assignments[item_id], run.now)
    if before["key"] != values["key"]:
        run.changes.renumbered.append(parsed.key)
        run.audit("item.renumbered", "item", parsed.key, id=item_id, previous_key=before["key"])
    if diff or changed_indicators:
        run.changes.updated.append(parsed.key)
        run.audit("item.updated", "item", parsed.key, id=item_id, changed=diff, indicators=changed_indicators)
    if diff or changed_indicators or before != values:
        item.updated_at = run.now
    if changed_assignments:
        run.changes.reassigned.append(parsed.key)
        run.audit("assignment.rules", "item", parsed.key, id=item_id,
                  assignments=[[a.body, a.role, a.rule] for a in parsed.assignments])


def _add_item(run: _Run, document: Document, parsed: ParsedItem) -> None:
    item = Item(document_id=row_id(document), created_at=run.now, updated_at=run.now, **_item_values(parsed))
    run.session.add(item)
    run.session.flush()
    for values in indicator_rows(parsed):
        run.session.add(Indicator(item_id=row_id(item), **values))
    for a in parsed.assignments:
        run.session.add(Assignment(item_id=row_id(item), body_code=a.body, role=a.role, rule=a.rule, assigned_at=run.now))
    run.changes.added.append(parsed.key)


def _audit_ingest(run: _Run, document: Document, programme: Programme, source: str) -> None:
    changes = run.changes
    if changes.added:
        run.audit("item.added", "document", programme.key, keys=changes.added)
    facts = heading_facts(programme.number, programme.issuer, programme.issued_on)
    if changes.any:
        run.audit("document.ingested", "document", programme.key, source=source, sha256=programme.sha256,
                  version=document.version, added=len(changes.added), updated=len(changes.updated),
                  retired=len(changes.retired), restored=len(changes.restored), renumbered=len(changes.renumbered),
                  reassigned=len(changes.reassigned), **facts)
    elif changes.described:  # the heading's facts alone changed (or were stored before they were kept)
        run.audit("document.described", "document", programme.key, **facts)


def _item_values(parsed: ParsedItem) -> dict[str, Any]:
    return {
        "key": parsed.key, "kind": parsed.kind, "section_key": parsed.section, "text": parsed.text,
        "due": parsed.due, "recurrence": parsed.recurrence, "deadline_basis": parsed.deadline_basis,
        "position": parsed.position, "line": parsed.line,
    }
