"""What the answer page reads about one item beyond the sweep's query: its indicators' names, in
order (a form names each value by its position, and the position names the indicator)."""

from sqlmodel import Session, col, select

from models.tables import Indicator


def indicator_names(session: Session, *, item_id: int) -> list[str]:
    rows = session.exec(select(Indicator.name).where(Indicator.item_id == item_id).order_by(col(Indicator.position))).all()
    return list(rows)


def indicators_of(session: Session, *, item_ids: list[int]) -> dict[int, list[Indicator]]:
    """The indicators of several items at once, in order (a review round's section asks a body
    about all its targets on one page: one query, not one per item)."""
    found: dict[int, list[Indicator]] = {}
    if item_ids:
        query = select(Indicator).where(col(Indicator.item_id).in_(item_ids)).order_by(col(Indicator.item_id), col(Indicator.position))
        for indicator in session.exec(query).all():
            found.setdefault(indicator.item_id, []).append(indicator)
    return found
