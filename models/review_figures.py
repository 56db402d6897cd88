"""What a review report is compiled from, read in a handful of set-based queries.

The report of a round over 100,000 items must not build 100,000 ORM entities nor ask 100,000
questions: :func:`question_rows` streams one plain row per item asked (the item, the body asked and
its answer, if any, given by the day the report speaks of), in the document's order, and the
other functions read the small tables whole.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session

from models.review_tables import ReviewAnswer, ReviewQuestion, ReviewRound
from models.tables import Body, Document, Indicator, Item, Section

STREAM_ROWS = 5000
"""Rows fetched at a time from a streamed query (a server-side cursor on PostgreSQL)."""


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """One item a round asks about, with the answer given by the report's day (None: no answer)."""

    item_id: int
    key: str
    kind: str
    section_key: str
    text: str
    due: date
    body: str
    status: str | None
    note: str | None
    answered_on: date | None
    channel: str | None
    values: dict[str, Any] | None


def _table(entity: Any) -> Any:
    return entity.__table__


def question_rows(session: Session, *, review: ReviewRound, as_of: date) -> Iterator[QuestionRow]:
    """Every item ``review`` asks about, in the document's order, streamed; an answer given after
    ``as_of`` is not yet known on that day and reads as none."""
    item, question, answer = _table(Item), _table(ReviewQuestion), _table(ReviewAnswer)
    query = (
        select(item.c.id, item.c.key, item.c.kind, item.c.section_key, item.c.text, item.c.due, question.c.body_code,
               answer.c.status, answer.c.note, answer.c.answered_on, answer.c.channel, answer.c["values"])
        .select_from(question)
        .join(item, item.c.id == question.c.item_id)
        .outerjoin(answer, and_(answer.c.round_id == question.c.round_id, answer.c.item_id == question.c.item_id,
                                answer.c.answered_on <= as_of))
        .where(question.c.round_id == review.id)
        .order_by(item.c.position)
    )
    # per statement: Connection.execution_options() would set it on the session's connection in
    # place, and every later statement of the transaction (an INSERT) would go through a cursor too
    result = session.connection().execute(query, execution_options={"stream_results": True, "yield_per": STREAM_ROWS})
    for item_id, key, kind, section_key, text, due, body, status, note, answered_on, channel, values in result:
        yield QuestionRow(item_id, key, kind, section_key, text, due, body, status, note, answered_on, channel, values)


def round_indicators(session: Session, *, review: ReviewRound) -> list[tuple[int, Indicator]]:
    """The indicators of the items ``review`` asks about, with their item's id, in document order."""
    indicator, question, item = _table(Indicator), _table(ReviewQuestion), _table(Item)
    rows = session.connection().execute(
        select(indicator).select_from(indicator)
        .join(question, and_(question.c.item_id == indicator.c.item_id, question.c.round_id == review.id))
        .join(item, item.c.id == indicator.c.item_id)
        .order_by(item.c.position, indicator.c.position)
    ).mappings().all()
    return [(int(row["item_id"]), Indicator(**dict(row))) for row in rows]


def section_titles(session: Session, *, document: Document) -> dict[str, str]:
    """Every section of ``document``: key -> title."""
    section = _table(Section)
    rows = session.connection().execute(
        select(section.c.key, section.c.title).where(section.c.document_id == document.id)).all()
    return {key: title for key, title in rows}


def body_names(session: Session) -> dict[str, tuple[str, str]]:
    """Every body's code -> (Vietnamese name, English name)."""
    body = _table(Body)
    return {code: (vi, en) for code, vi, en in session.connection().execute(
        select(body.c.code, body.c.name_vi, body.c.name_en)).all()}


def round_document(session: Session, *, review: ReviewRound) -> Document:
    document = session.get(Document, review.document_id)
    assert document is not None, "a round's document is a foreign key"
    return document
