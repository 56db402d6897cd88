"""Review rounds in the database: open one, record answers, close it, and count who answered.

Opening is set-based (one ``INSERT ... SELECT`` for the questions, one for the requests), so a
round over 100,000 items costs two statements, not 100,000. Every change is in the audit trail;
an answer that replaces an earlier one is audited again, so the trail keeps both.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, insert, literal
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from config.errors import ConflictError, NotFoundError
from models.audit import audit
from models.db import integrity_error
from models.delegation_tables import Delegation
from models.review_tables import ANSWER_STATUSES, REVIEW_KINDS, ReviewAnswer, ReviewQuestion, ReviewRequest, ReviewRound
from models.tables import Assignment, Document, Indicator, Item


@dataclass(frozen=True)
class BodyProgress:
    """How far one body has answered a round: items asked, answered, missing, answered late."""

    body: str
    asked: int
    answered: int
    late: int

    @property
    def missing(self) -> int:
        return self.asked - self.answered


def open_round(
    session: Session, *, document: Document, kind: str, due: date, period_from: date, period_to: date,
    actor: str, on: date, now: datetime,
) -> ReviewRound:
    """Open a round: ask each body about every active item it leads (targets included), and a
    unit about the items its lead delegated to it (``dondoc delegate``): the unit answers them, the
    lead reads the answers and, on the ladder, gets the escalations of a missing one.

    The same kind over the same period is refused (:class:`ConflictError`), as the database's
    unique key ``uq_review_round_period`` would refuse it for two openings at the same moment."""
    if kind not in REVIEW_KINDS:
        raise ConflictError(f"unknown review kind {kind!r}; one of {', '.join(REVIEW_KINDS)}")
    if period_from > period_to:
        raise ConflictError(f"the period starts {period_from.isoformat()}, after it ends {period_to.isoformat()}")
    existing = same_round(session, document_id=document.id or 0, kind=kind, period_from=period_from, period_to=period_to)
    if existing is not None:
        raise ConflictError(f"review round {existing.id} is already a {kind} review of this period")
    review = ReviewRound(
        document_id=document.id or 0, kind=kind, period_from=period_from, period_to=period_to, due=due,
        opened_by=actor, opened_on=on, opened_at=now,
    )
    session.add(review)
    try:
        session.flush()
    except IntegrityError as exc:
        if isinstance(integrity_error(exc), ConflictError):
            raise ConflictError(f"a {kind} review of this period was opened at the same moment") from exc
        raise
    round_id = review.id or 0
    held = (select(col(Delegation.item_id), col(Delegation.lead_code), col(Delegation.unit_code))
            .where(col(Delegation.ended_at).is_(None)).subquery())
    leads = (  # a delegated item is asked of its unit (the one delegation its lead still holds)
        select(literal(round_id), col(Item.id), func.coalesce(held.c.unit_code, col(Assignment.body_code)))
        .join(Assignment, and_(col(Assignment.item_id) == col(Item.id), col(Assignment.role) == "lead"))
        .outerjoin(held, and_(held.c.item_id == col(Item.id), held.c.lead_code == col(Assignment.body_code)))
        .where(col(Item.document_id) == document.id, col(Item.retired_at).is_(None))
    )
    session.execute(insert(ReviewQuestion).from_select(["round_id", "item_id", "body_code"], leads))
    per_body = (
        select(literal(round_id), col(ReviewQuestion.body_code), func.count())
        .where(col(ReviewQuestion.round_id) == round_id)
        .group_by(col(ReviewQuestion.body_code))
    )
    session.execute(insert(ReviewRequest).from_select(["round_id", "body_code", "asked"], per_body))
    asked = session.exec(select(func.count()).select_from(ReviewRequest).where(ReviewRequest.round_id == round_id)).one()
    audit(session, actor=actor, action="review.opened", entity="review_round", key=str(round_id), at=now,
          kind=kind, due=due.isoformat(), period_from=period_from.isoformat(), period_to=period_to.isoformat(),
          document=document.key, bodies=asked)
    return review


def same_round(session: Session, *, document_id: int, kind: str, period_from: date, period_to: date) -> ReviewRound | None:
    """The round of this kind over this period, if one was opened (a second is refused)."""
    return session.exec(select(ReviewRound).where(
        ReviewRound.document_id == document_id, ReviewRound.kind == kind,
        ReviewRound.period_from == period_from, ReviewRound.period_to == period_to,
    )).first()


def find_round(session: Session, round_id: int) -> ReviewRound:
    review = session.get(ReviewRound, round_id)
    if review is None:
        raise NotFoundError(f"no review round {round_id}; 'dondoc review list' shows them")
    return review


def list_rounds(session: Session) -> list[ReviewRound]:
    return list(session.exec(select(ReviewRound).order_by(col(ReviewRound.id))).all())


def asked_of(session: Session, *, review: ReviewRound, item: Item) -> str:
    """The body a round asks about ``item``; refused when the round does not ask about it."""
    body = session.exec(select(ReviewQuestion.body_code).where(
        ReviewQuestion.round_id == review.id, ReviewQuestion.item_id == item.id)).first()
    if body is None:
        raise NotFoundError(f"review round {review.id} does not ask about {item.key}")
    return body


def record_answer(
    session: Session, *, review: ReviewRound, item: Item, body: str, status: str, note: str | None,
    values: dict[str, float], on: date, channel: str, actor: str, now: datetime,
) -> ReviewAnswer:
    """Store ``body``'s answer about ``item``, replacing an earlier one while the round is open.

    ``values`` maps an indicator's position (as text) to the value reached. Refused: a closed
    round, an item the round does not ask ``body`` about, a status not in the list."""
    if review.status != "open":
        raise ConflictError(f"review round {review.id} is closed; it takes no more answers")
    if status not in ANSWER_STATUSES:
        raise ConflictError(f"unknown status {status!r}; one of {', '.join(ANSWER_STATUSES)}")
    asked = asked_of(session, review=review, item=item)
    if asked != body:
        raise ConflictError(f"review round {review.id} asks {asked}, not {body}, about {item.key}")
    answer = session.exec(select(ReviewAnswer).where(
        ReviewAnswer.round_id == review.id, ReviewAnswer.item_id == item.id)).first()
    replaced = answer is not None
    if answer is None:
        answer = ReviewAnswer(round_id=review.id or 0, item_id=item.id or 0, body_code=body, status=status,
                              note=note, values=values, answered_on=on, answered_at=now, channel=channel, actor=actor)
        session.add(answer)
    else:
        answer.status, answer.note, answer.values = status, note, dict(values)
        answer.answered_on, answer.answered_at, answer.channel, answer.actor = on, now, channel, actor
    session.flush()
    audit(session, actor=actor, action="review.answered", entity="item", key=item.key, at=now,
          round=review.id, body=body, status=status, note=note, values=values, on=on.isoformat(),
          channel=channel, replaced=replaced)
    return answer


def close_round(session: Session, *, review: ReviewRound, actor: str, on: date, now: datetime) -> ReviewRound:
    """Close a round: it takes no answer after this. Closing twice is refused."""
    if review.status != "open":
        raise ConflictError(f"review round {review.id} was already closed on {review.closed_on}")
    review.status, review.closed_by, review.closed_on, review.closed_at = "closed", actor, on, now
    session.flush()
    audit(session, actor=actor, action="review.closed", entity="review_round", key=str(review.id), at=now,
          on=on.isoformat())
    return review


def progress(session: Session, *, review: ReviewRound, as_of: date | None = None) -> list[BodyProgress]:
    """Per body asked: items asked, answered, and answered after the round's due date; with
    ``as_of``, only the answers given by that day count (a replay's day; an answer replaced later
    is known by its latest version only, as the report counts it)."""
    late = case((col(ReviewAnswer.answered_on) > review.due, 1), else_=0)
    query = (select(col(ReviewAnswer.body_code), func.count(), func.coalesce(func.sum(late), 0))
             .where(col(ReviewAnswer.round_id) == review.id))
    if as_of is not None:
        query = query.where(col(ReviewAnswer.answered_on) <= as_of)
    answered = dict(
        (body, (count, lates)) for body, count, lates in session.execute(query.group_by(col(ReviewAnswer.body_code))).all()
    )
    requests = session.exec(select(ReviewRequest).where(ReviewRequest.round_id == review.id)
                            .order_by(col(ReviewRequest.body_code))).all()
    return [BodyProgress(body=r.body_code, asked=r.asked, answered=int(answered.get(r.body_code, (0, 0))[0]),
                         late=int(answered.get(r.body_code, (0, 0))[1])) for r in requests]


def questions(session: Session, *, review: ReviewRound, body: str | None = None) -> list[tuple[Item, ReviewAnswer | None]]:
    """The items a round asks about (of one body, or all), in the document's order, each with its
    answer so far."""
    query: Any = (
        select(Item, ReviewAnswer)
        .join(ReviewQuestion, col(ReviewQuestion.item_id) == col(Item.id))
        .outerjoin(ReviewAnswer, and_(col(ReviewAnswer.round_id) == col(ReviewQuestion.round_id),
                                      col(ReviewAnswer.item_id) == col(Item.id)))
        .where(col(ReviewQuestion.round_id) == review.id)
    )
    if body is not None:
        query = query.where(col(ReviewQuestion.body_code) == body)
    return [(item, answer) for item, answer in session.exec(query.order_by(col(Item.position))).all()]


def delegated_questions(session: Session, *, review: ReviewRound) -> dict[int, tuple[str, str]]:
    """The questions of ``review`` asked of a unit its lead delegated the item to: item id ->
    (lead, unit). Told by a delegation of the item to the body asked from the item's lead (a
    delegation ended since still counts: the round asked the unit), so a report can name the
    lead, accountable, with the unit that answered."""
    rows = session.exec(
        select(ReviewQuestion.item_id, Delegation.lead_code, ReviewQuestion.body_code).distinct()
        .join(Delegation, and_(col(Delegation.item_id) == col(ReviewQuestion.item_id),
                               col(Delegation.unit_code) == col(ReviewQuestion.body_code)))
        .join(Assignment, and_(col(Assignment.item_id) == col(ReviewQuestion.item_id), col(Assignment.role) == "lead",
                               col(Assignment.body_code) == col(Delegation.lead_code)))
        .where(col(ReviewQuestion.round_id) == review.id)
    ).all()
    return {item_id: (lead, unit) for item_id, lead, unit in rows}


def open_rounds(session: Session, *, document_id: int | None = None) -> list[ReviewRound]:
    query = select(ReviewRound).where(ReviewRound.status == "open")
    if document_id is not None:
        query = query.where(ReviewRound.document_id == document_id)
    return list(session.exec(query.order_by(col(ReviewRound.id))).all())


def asked_item(session: Session, *, review: ReviewRound, key: str) -> tuple[Item, str] | None:
    """The item with ``key`` that ``review`` asks about, and the body asked; None when it asks
    about no item with that key."""
    found = session.exec(
        select(Item, ReviewQuestion.body_code)
        .join(ReviewQuestion, col(ReviewQuestion.item_id) == col(Item.id))
        .where(col(ReviewQuestion.round_id) == review.id, col(Item.key) == key)
    ).first()
    return None if found is None else (found[0], found[1])


def asked_by_body(session: Session, *, review: ReviewRound) -> dict[str, list[Item]]:
    """Every item a round asks about, by the body asked, each list in the document's order (one
    query: the request letters of a round are written from it)."""
    grouped: dict[str, list[Item]] = {}
    rows = session.exec(
        select(ReviewQuestion.body_code, Item)
        .join(Item, col(Item.id) == col(ReviewQuestion.item_id))
        .where(col(ReviewQuestion.round_id) == review.id)
        .order_by(col(ReviewQuestion.body_code), col(Item.position))
    ).all()
    for body, item in rows:
        grouped.setdefault(body, []).append(item)
    return grouped


def indicators_of(session: Session, item_ids: list[int]) -> dict[int, list[Indicator]]:
    """The indicators of each item, in their order."""
    found: dict[int, list[Indicator]] = {}
    for start in range(0, len(item_ids), 900):
        chunk = item_ids[start : start + 900]
        for row in session.exec(select(Indicator).where(col(Indicator.item_id).in_(chunk))
                                .order_by(col(Indicator.item_id), col(Indicator.position))).all():
            found.setdefault(row.item_id, []).append(row)
    return found


def item_key_known(session: Session, *, document_id: int, key: str) -> bool:
    """Whether the programme has (or had) an item with ``key``."""
    return session.exec(select(Item.id).where(Item.document_id == document_id, Item.key == key)).first() is not None
