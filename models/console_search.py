"""Full-text search over item text, with or without Vietnamese diacritics.

There is no folded column (that would take a migration) and neither SQLite nor a stock PostgreSQL
folds Vietnamese, so the console keeps, per document version, an index in memory: each active
item's text folded (``config.folding.fold``: case, composed forms, one tone placement) and the
same with the marks taken off. Text only changes when a document is ingested, which bumps its
version or hash; the index is rebuilt then (one query, about 0.3 s per 100,000 items) and a
search is a scan of short strings in memory (a few milliseconds per 100,000 items).

A word typed with marks must match with its marks ("phát" does not find "phạt"); a word typed
without any matches either spelling ("phat trien" finds "phát triển"). Every word must be found.
"""

import threading
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from config.folding import fold
from models.tables import Document, Item


def bare(text: str) -> str:
    """``text`` folded, with its diacritics taken off (đ becomes d)."""
    decomposed = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class _Index:
    stamp: tuple[int, int, str]
    ids: tuple[int, ...]
    folded: tuple[str, ...]
    bared: tuple[str, ...]


_cache: dict[tuple[str, int], _Index] = {}
_lock = threading.Lock()


def _index(session: Session, document: Document) -> _Index:
    stamp = (document.id or 0, document.version, document.sha256)
    where = (str(session.connection().engine.url), document.id or 0)
    held = _cache.get(where)
    if held is not None and held.stamp == stamp:
        return held
    with _lock:
        held = _cache.get(where)
        if held is not None and held.stamp == stamp:
            return held
        item = Item.__table__  # type: ignore[attr-defined]
        rows = session.connection().execute(
            select(item.c.id, item.c.text).where(item.c.document_id == document.id, item.c.retired_at.is_(None))
        ).all()
        folded = tuple(fold(text) for _, text in rows)
        made = _Index(stamp, tuple(row[0] for row in rows), folded, tuple(bare(text) for text in folded))
        _cache[where] = made
        return made


def search(session: Session, document: Document, query: str) -> frozenset[int]:
    """The ids of the active items whose text holds every word of ``query``."""
    index = _index(session, document)
    words = fold(query).split()
    marked = [w for w in words if bare(w) != w]
    plain = [w for w in words if bare(w) == w]
    found = []
    for item_id, folded, bared in zip(index.ids, index.folded, index.bared, strict=True):
        if all(w in folded for w in marked) and all(w in bared for w in plain):
            found.append(item_id)
    return frozenset(found)
