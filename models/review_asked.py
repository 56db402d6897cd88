"""What a review round's request letters are written from, read in a few set-based queries.

Opening a round writes one letter and one form per body: for a 100,000-item programme that is
every question with its item's key, kind, section title, text and due date, the indicators of
the targets, and each body's link generation. Loaded as ORM objects, body by body, that was
thousands of queries and 100,000 objects (seconds before the first letter); here it is three
queries returning plain rows.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.outbound_tables import LinkGeneration
from models.review_tables import ReviewQuestion, ReviewRound
from models.tables import Indicator, Item, Section


@dataclass(frozen=True)
class AskedItem:
    """One item a round asks a body about, as its letter and form show it (``section`` is the
    section's title, its key where the document gives none)."""

    item_id: int
    key: str
    kind: str
    section: str
    text: str
    due: date | None


def asked_items(session: Session, *, review: ReviewRound) -> dict[str, list[AskedItem]]:
    """Every item ``review`` asks about, by the body asked, each list in the document's order."""
    rows = session.execute(  # seven columns: more than sqlmodel's select is typed for
        sa_select(col(ReviewQuestion.body_code), col(Item.id), col(Item.key), col(Item.kind),
                  func.coalesce(col(Section.title), col(Item.section_key)), col(Item.text), col(Item.due))
        .join(Item, col(Item.id) == col(ReviewQuestion.item_id))
        .outerjoin(Section, and_(col(Section.document_id) == col(Item.document_id), col(Section.key) == col(Item.section_key)))
        .where(col(ReviewQuestion.round_id) == review.id)
        .order_by(col(ReviewQuestion.body_code), col(Item.position))
    ).all()
    grouped: dict[str, list[AskedItem]] = {}
    for body, item_id, key, kind, section, text, due in rows:
        grouped.setdefault(body, []).append(AskedItem(item_id or 0, key, kind, section, text, due))
    return grouped


def asked_indicators(session: Session, *, review: ReviewRound) -> dict[int, list[Indicator]]:
    """The indicators of every item ``review`` asks about, by item, in their order."""
    found: dict[int, list[Indicator]] = {}
    rows = session.exec(
        select(Indicator)
        .join(ReviewQuestion, col(ReviewQuestion.item_id) == col(Indicator.item_id))
        .where(col(ReviewQuestion.round_id) == review.id)
        .order_by(col(Indicator.item_id), col(Indicator.position))
    ).all()
    for row in rows:
        found.setdefault(row.item_id, []).append(row)
    return found


def link_generations(session: Session) -> dict[str, int]:
    """Every body's link generation that is not 0 (``models.links.link_generation``, all at once)."""
    return {body: generation for body, generation in session.exec(
        select(LinkGeneration.body_code, LinkGeneration.generation)).all()}
