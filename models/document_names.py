"""How a person names a stored document: by its number ("58/NQ-CP"), its key, or a start of it.

The ``document`` row keeps the heading's number, issuer and issue date (migration 0012; each
ingest brings them up to date and the audit trail records them with the ingest).

:func:`resolve_document` is the one lookup every ``--document`` goes through
(``models.queries.find_document``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from config.errors import NotFoundError
from config.folding import fold
from models.tables import Document, Item

SHORT_TITLE = 40
"""How much of a title names a document in a one-line error."""


@dataclass(frozen=True)
class Described:
    """A stored document with what its heading said and how many active items it has."""

    document: Document
    number: str | None
    issuer: str | None
    issued_on: date | None
    items: int

    def facts(self) -> dict[str, Any]:
        """The heading's facts as an audit event's detail (ISO date)."""
        return heading_facts(self.number, self.issuer, self.issued_on)


def heading_facts(number: str | None, issuer: str | None, issued_on: date | None) -> dict[str, Any]:
    """What an ingest records of a document's heading, so that it can be named by its number."""
    return {"number": number, "issuer": issuer, "issued_on": issued_on.isoformat() if issued_on else None}


def describe_documents(session: Session) -> list[Described]:
    """The stored documents, in the order they were first stored, each with its number, issuer,
    issue date and count of active items."""
    documents = list(session.exec(select(Document).order_by(col(Document.id))).all())
    counts: dict[int | None, int] = dict(session.exec(
        select(col(Item.document_id), func.count()).where(col(Item.retired_at).is_(None)).group_by(col(Item.document_id))
    ).all())
    return [Described(d, d.number, d.issuer, d.issued_on, int(counts.get(d.id, 0))) for d in documents]


def _squeezed(text: str) -> str:
    """A number or key as compared: folded (case, tone marks), spaces dropped."""
    return "".join(fold(text).split())


def short_title(title: str, width: int = SHORT_TITLE) -> str:
    """A title cut to ``width`` characters with "…"."""
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def _subject(title: str) -> str:
    """A title without its capitalised genre words ("CHƯƠNG TRÌNH HÀNH ĐỘNG thực hiện ..." ->
    "thực hiện ..."): what tells two programmes apart in a short line."""
    words = title.split()
    rest = next((i for i, w in enumerate(words) if not w.isupper()), len(words))
    return " ".join(words[rest:]) or title


def _unique_start(key: str, others: Sequence[str]) -> str:
    """The shortest start of ``key`` (24 characters at least) that no other key starts with,
    so that it can be typed back to ``--document``."""
    for end in range(24, len(key)):
        if not any(o != key and o.startswith(key[:end]) for o in others):
            return key[:end] + "…"
    return key


def name_of(described: Described, documents: Sequence[Described] = ()) -> str:
    """How a one-line message names a document: its number and short title, or, for one with no
    number (a draft), the start of its key that names it and its short title."""
    title = short_title(_subject(described.document.title))
    if described.number:
        return f"{described.number} ({title})"
    return f"{_unique_start(described.document.key, [d.document.key for d in documents])} ({title})"


def matching(documents: Sequence[Described], asked: str) -> list[Described]:
    """The documents ``asked`` names: the one with that key; else those with that number (case
    and spaces ignored); else those whose key starts so."""
    exact = [d for d in documents if d.document.key == asked.strip()]
    if exact:
        return exact
    wanted = _squeezed(asked)
    if not wanted:
        return []
    by_number = [d for d in documents if d.number and _squeezed(d.number) == wanted]
    if by_number:
        return by_number
    return [d for d in documents if d.document.key.casefold().startswith(wanted)]


def resolve_document(session: Session, asked: str) -> Document:
    """The document a person named with ``--document``: by key, number or a start of the key.
    An unknown or ambiguous name is a NotFoundError (exit 4) whose one line names what was asked
    and the documents there are."""
    documents = describe_documents(session)
    found = matching(documents, asked)
    if len(found) == 1:
        return found[0].document
    if not documents:
        raise NotFoundError.of("no_documents")
    choices = "; ".join(name_of(d, documents) for d in (found or documents))
    if found:
        vi = f"'{asked}' chỉ nhiều văn bản: {choices}; hãy ghi rõ hơn (số và mã ở 'dondoc documents')"
        en = f"'{asked}' names several documents: {choices}; say which (numbers and keys in 'dondoc documents')"
    else:
        vi = f"không có văn bản '{asked}'; các văn bản đã nạp: {choices}"
        en = f"no document '{asked}' is stored; the documents stored: {choices}"
    raise NotFoundError(en, said=(vi, en))
