"""The chase's reads of review rounds: the open rounds, and the questions they still wait for.

Two set-based reads. :func:`chased_rounds` reads the open rounds (a handful of rows: on a day with
none the chase stops there, and costs what it cost before rounds existed). :func:`unanswered`
reads, for the rounds that owe something on the day, every question with no answer row, with its
round's due date and the item as a letter names it: one query for all of them, never one per round,
body or item. A question is answered once its answer row exists (whatever the answer says); a
closed round waits for nothing. The types read (:class:`RoundRef`, :class:`Unanswered`) live in
:mod:`models.states`, where the pure rules may import them.
"""

from sqlalchemy import and_
from sqlalchemy import select as sa_select
from sqlmodel import Session

from models.review_tables import ReviewAnswer, ReviewQuestion, ReviewRound
from models.states import ItemState, RoundRef, Unanswered
from models.tables import Item


def chased_rounds(session: Session) -> list[RoundRef]:
    """The open rounds, oldest first (closed ones are chased no more)."""
    table = ReviewRound.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(
        sa_select(table.c.id, table.c.kind, table.c.due, table.c.opened_on, table.c.period_from, table.c.period_to)
        .where(table.c.status == "open").order_by(table.c.id)
    ).all()
    return [RoundRef(*row) for row in rows]


def unanswered(session: Session, *, round_ids: list[int]) -> list[Unanswered]:
    """Every question of the open rounds ``round_ids`` with no answer row, by round, body and the
    items' order in the document: one query (the answers' unique key on round and item does the
    anti-join)."""
    if not round_ids:
        return []
    question, answer, item, review = (getattr(t, "__table__") for t in (ReviewQuestion, ReviewAnswer, Item, ReviewRound))  # noqa: B009
    rows = session.connection().execute(
        sa_select(question.c.round_id, review.c.due, question.c.body_code, item.c.id, item.c.key, item.c.kind,
                  item.c.text, item.c.section_key, item.c.due)
        .join(review, review.c.id == question.c.round_id)
        .join(item, item.c.id == question.c.item_id)
        .outerjoin(answer, and_(answer.c.round_id == question.c.round_id, answer.c.item_id == question.c.item_id))
        .where(question.c.round_id.in_(sorted(set(round_ids))), review.c.status == "open", answer.c.id.is_(None))
        .order_by(question.c.round_id, question.c.body_code, item.c.position)
    ).all()
    return [
        Unanswered(round_id, due, body, ItemState(item_id, key, kind, text, section, body, (), item_due, item_due, ()))
        for round_id, due, body, item_id, key, kind, text, section, item_due in rows
    ]
