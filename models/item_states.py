"""The sweep's query: every active item with what the chase needs, read in at most three queries."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, case, distinct, exists, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session

from models.states import ItemState
from models.tables import Assignment, Document, ExtensionRequest, Item, ProgressReport

ReportingRule = Callable[[date, date], tuple[date, ...]]
"""An item's reporting dates from its programme's start and its due date (``workflows.rules.reporting``)."""


def item_states(
    session: Session, *, reporting: ReportingRule, document: Document | None = None, keys: list[str] | None = None,
    due_between: tuple[date, date | None] | None = None, open_only: bool = False, history: bool = True,
    missed_by: date | None = None,
) -> list[ItemState]:
    """Every active item (of one document, or all), with what the chase needs, in at most three queries.

    ``due_between`` narrows to items whose due date falls in a window (with no end when the
    second date is None), plus every item with an approved extension (whose due date moved): the
    index on the due date does the selecting. ``open_only`` leaves out the items a report has
    closed (one index probe per item in the database; one more for an item with a done report,
    to see whether a later report reopened it). ``history=False`` does not read the
    report history (periods answered, latest status, report days), for a caller that looks at
    deadlines alone; it needs ``open_only``, since the history is what says an item is done.
    ``missed_by`` narrows to the items that may have missed a date by then (:func:`_may_have_missed`).
    Plain column rows, not ORM objects: a sweep reads many items and builds no entities.
    """
    assert history or open_only, "without its history an item that is done would look open"
    db = session.connection()
    item, doc, asg, rep, ext = (getattr(t, "__table__") for t in (Item, Document, Assignment, ProgressReport, ExtensionRequest))  # noqa: B009
    extended: dict[int, date] = {}
    decided = db.execute(
        sa_select(ext.c.item_id, ext.c.requested_due, ext.c.status).where(ext.c.status.in_(SEQUENCE_WEIGHT)).order_by(ext.c.id)
    ).all()
    for item_id, requested_due, status in decided:
        if status == "approved":
            extended[item_id] = requested_due  # the latest approval wins
    conditions = [item.c.retired_at.is_(None)]
    if document is not None:
        conditions.append(item.c.document_id == document.id)
    if keys:
        conditions.append(item.c.key.in_(keys))
    if due_between is not None:
        first, last = due_between
        window = item.c.due.between(first, last) if last is not None else item.c.due >= first
        conditions.append(or_(window, item.c.id.in_(sorted(extended))) if extended else window)
    if missed_by is not None:
        starts: dict[int, date] = {row[0]: row[1] for row in db.execute(sa_select(doc.c.id, doc.c.start))}
        conditions.append(_may_have_missed(item, rep, starts, missed_by, reporting, sorted(extended)))
    if open_only:  # closed: a done report that no later report (by id) other than done has reopened
        closing, reopening = rep.alias("closing"), rep.alias("reopening")
        reopened = exists().where(reopening.c.item_id == closing.c.item_id, reopening.c.id > closing.c.id,
                                  reopening.c.status != "done")
        conditions.append(~exists().where(closing.c.item_id == item.c.id, closing.c.status == "done", ~reopened))
    rows = db.execute(
        sa_select(item.c.id, item.c.key, item.c.kind, item.c.text, item.c.section_key, item.c.due, doc.c.start,
                  asg.c.role, asg.c.body_code)
        .join(doc, doc.c.id == item.c.document_id)
        .outerjoin(asg, asg.c.item_id == item.c.id)
        .where(*conditions)
        .order_by(item.c.document_id, item.c.position, asg.c.id)
    ).all()
    # the reports of the items selected, by the index on their item: a join of every report to its
    # item tested each report's item on its own (whether it is open: once per report, not per item)
    reports = _report_history(db, rows, conditions, history=history, by_ids=missed_by is not None)
    leads: dict[int, str] = {}
    cooperating: dict[int, list[str]] = defaultdict(list)
    first_rows: dict[int, Row[int, str, str, str, str, date, date, str | None, str | None]] = {}
    for row in rows:
        item_id, role, body = row[0], row[7], row[8]
        if item_id not in first_rows:
            first_rows[item_id] = row
        if role == "lead":
            leads[item_id] = body
        elif body is not None:
            cooperating[item_id].append(body)
    together = {item_id: tuple(bodies) for item_id, bodies in cooperating.items()}
    nobody, no_periods = (), frozenset[date]()
    sequences = deadline_sequences(decided, {row[0]: row[5] for row in first_rows.values()})
    states = []
    for item_id, key, kind, text, section, document_due, start, _, _ in first_rows.values():
        due = extended.get(item_id, document_due)
        states.append(ItemState(
            item_id, key, kind, text, section, leads.get(item_id, ""), together.get(item_id, nobody),
            document_due, due, reporting(start, due), reports.done.get(item_id),
            item_id in reports.blocked, reports.periods.get(item_id, no_periods), reports.days.get(item_id, ()),
            deadline_sequence=sequences.get(item_id, 0),
        ))
    return states


def _may_have_missed(item: Any, rep: Any, starts: dict[int, date], by: date, reporting: ReportingRule,
                     extended: list[int]) -> ColumnElement[bool]:
    """The items that may owe something for a date on or before ``by``: due by then, or with a
    reporting date by then (a period's end after the programme's start and before the due date)
    that no report answers; and every item with an approved extension (its due date moved, so the
    stored one says nothing). A superset, in the database: the rules decide on what it returns.

    One probe of the item's reports per item (the count of the periods answered among those
    ends, against how many of them fall before its due date), where reading every open item's
    history to find the few late ones read the whole report table."""
    ends = list(reporting(min(starts.values(), default=by), by + timedelta(days=1))[:-1])  # the ends up to ``by``
    per_document = []
    for document_id, start in starts.items():
        own = [end for end in ends if end > start]
        if not own:  # only the deadline can be missed, which the first condition sees
            continue
        expected = case(*((item.c.due > end, number) for number, end in reversed(list(enumerate(own, 1)))), else_=0)
        answered = sa_select(func.count(distinct(rep.c.period))).where(
            rep.c.item_id == item.c.id, rep.c.period.in_(own), rep.c.period < item.c.due).scalar_subquery()
        per_document.append(and_(item.c.document_id == document_id, answered < expected))
    return or_(item.c.due <= by, item.c.id.in_(extended), *per_document)


SEQUENCE_WEIGHT = {"approved": 1, "refused": 2}
"""What each decided extension request adds to its item's deadline SEQUENCE. A request goes from
pending (0) to approved (1) or refused (2), and an approval taken back becomes refused
(``models.reports.revoke_extension``): every decision, and so every move of the deadline, raises
the sum."""


def deadline_sequences(decided: Sequence[Row[int, date, str]], document_dues: dict[int, date]) -> dict[int, int]:
    """The SEQUENCE of each item's deadline event, from its decided extension requests (what is
    stored, so every letter of every command numbers the event alike): the sum of their
    :data:`SEQUENCE_WEIGHT`, above the most days any of them asked past the document's date.

    Why the days: letters before this numbered the event by the days the deadline stood past the
    document's date (at most those asked; a revocation's letter one more), and a calendar that
    holds one of those must not see a lower number now. The sum never falls (requests are never
    deleted, and a status only moves up the weights) and rises with each decision, so the
    SEQUENCE never decreases and grows whenever the deadline moves.
    """
    weights: dict[int, int] = defaultdict(int)
    furthest: dict[int, int] = defaultdict(int)
    for item_id, requested_due, status in decided:
        if item_id not in document_dues:
            continue
        weights[item_id] += SEQUENCE_WEIGHT[status]
        furthest[item_id] = max(furthest[item_id], (requested_due - document_dues[item_id]).days)
    return {item_id: furthest[item_id] + weight for item_id, weight in weights.items()}


@dataclass(frozen=True)
class _ReportHistory:
    """What the reports say per item: when it was done, whether its latest report says blocked,
    the periods answered and the days reports came in. Empty when no report was read.

    The latest report (by id: the order they were recorded) decides whether an item is done: a
    report other than done after a done one reopens the item (``dondoc report --reopen``). A done
    item's ``done`` day is the earliest day of the done reports since the last one that was not.
    """

    done: dict[int, date] = field(default_factory=dict)
    blocked: frozenset[int] = frozenset()
    periods: dict[int, frozenset[date]] = field(default_factory=dict)
    days: dict[int, tuple[date, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, reports: Sequence[Row[int, int, str, date, date]]) -> "_ReportHistory":
        closings: dict[int, list[tuple[int, date]]] = defaultdict(list)
        last_open: dict[int, int] = {}
        periods: dict[int, set[date]] = defaultdict(set)
        days: dict[int, set[date]] = defaultdict(set)
        latest: dict[int, tuple[int, str]] = {}
        for report_id, item_id, state, period, submitted_on in reports:
            periods[item_id].add(period)
            days[item_id].add(submitted_on)
            if state == "done":
                closings[item_id].append((report_id, submitted_on))
            elif report_id > last_open.get(item_id, 0):
                last_open[item_id] = report_id
            if item_id not in latest or report_id > latest[item_id][0]:
                latest[item_id] = (report_id, state)
        return cls(
            done={item_id: min(on for report_id, on in closed if report_id > last_open.get(item_id, 0))
                  for item_id, closed in closings.items() if latest[item_id][1] == "done"},
            blocked=frozenset(item_id for item_id, (_, state) in latest.items() if state == "blocked"),
            periods={item_id: frozenset(answered) for item_id, answered in periods.items()},
            days={item_id: tuple(sorted(on)) for item_id, on in days.items()},
        )


def _report_history(db: Connection, rows: Sequence[Sequence[Any]], conditions: list[Any], *, history: bool,
                    by_ids: bool) -> "_ReportHistory":
    """The reports of the items selected (none when ``history`` is off). ``by_ids``: the few items
    a narrow selection found, read by their ids in groups of 900 (their condition is not worked
    out a second time); otherwise the items' condition again, as a subquery."""
    if not history:
        return _ReportHistory()
    item, rep = Item.__table__, ProgressReport.__table__  # type: ignore[attr-defined]
    columns = sa_select(rep.c.id, rep.c.item_id, rep.c.status, rep.c.period, rep.c.submitted_on)
    if not by_ids:
        return _ReportHistory.of(db.execute(columns.where(rep.c.item_id.in_(sa_select(item.c.id).where(*conditions)))).all())
    ids = sorted({row[0] for row in rows})
    return _ReportHistory.of([report for start in range(0, len(ids), 900)
                              for report in db.execute(columns.where(rep.c.item_id.in_(ids[start : start + 900]))).all()])
