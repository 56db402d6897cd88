"""What the answer page reads about one item beyond the sweep's query: its indicators' names, in
order (a form names each value by its position, and the position names the indicator)."""

from sqlmodel import Session, col, select

from models.tables import Indicator


def indicator_names(session: Session, *, item_id: int) -> list[str]:
    rows = session.exec(select(Indicator.name).where(Indicator.item_id == item_id).order_by(col(Indicator.position))).all()
    return list(rows)
