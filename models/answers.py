"""What the answer page reads about one item beyond the sweep's query: its indicators' names, in
order (a form names each value by its position, and the position names the indicator)."""

from sqlmodel import Session, col, select

from models.tables import Indicator, Item, ProgressReport


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


def latest_report(session: Session, *, body: str, key: str) -> ProgressReport | None:
    """``body``'s latest progress report on the item ``key`` (the answer page echoes what it just
    recorded); None when it sent none."""
    query = (select(ProgressReport).join(Item, col(Item.id) == col(ProgressReport.item_id))
             .where(Item.key == key, ProgressReport.body_code == body).order_by(col(ProgressReport.id).desc()).limit(1))
    return session.exec(query).first()
