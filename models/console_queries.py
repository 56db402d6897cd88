"""The set-based reads behind the console's overview and item list.

An item's status on a day (done on time or late, blocked, not done within its deadline or
overdue: ``workflows.rules.status``) is computed here in SQL, so that counting 100,000 items by
status is one grouped query and a filter on status is a WHERE clause, not a Python loop. The rule
needs the working-day calendar, which lives two floors up; the page passes what the SQL needs
(:class:`Day`): the day, and how far a due date on each day of the programme's years moves to
reach a working day, as a string the database indexes by the date's number. Every other input (the due date in force after an approved extension, the latest report, the
day a done report closed the item) is read in SQL the way :mod:`models.item_states` reads it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, LargeBinary, String, and_, bindparam, case, exists, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Select

from models.delegations import held_by
from models.tables import Assignment, ExtensionRequest, Item, ProgressReport

CATEGORIES = ("done_on_time", "done_late", "not_done_within_deadline", "not_done_overdue", "blocked")
OPEN = ("not_done_within_deadline", "not_done_overdue", "blocked")


@dataclass(frozen=True)
class Day:
    """The day the statuses are for, and the working-day calendar as SQL can use it: ``shifts``
    holds, for each day from ``start`` on, how many days a due date on that day moves to reach a
    working day (``workflows.rules.workdays.effective``), one character per day (``"0"`` plus the
    days), so that the database reads a row's shift with one ``substr`` instead of a join. A due
    date outside the string does not move. ``dialect`` is the database's (its date arithmetic)."""

    as_of: date
    start: date = date(2000, 1, 1)
    shifts: str = ""
    dialect: str = "sqlite"

    def number(self, day: date) -> int:
        return (day - self.start).days


def _number(expression: Any, day: Day) -> ColumnElement[Any]:
    """A date column as the number of days since ``day.start``."""
    number: ColumnElement[Any]
    if day.dialect == "postgresql":
        number = expression - literal(day.start, Date)
    else:
        number = func.julianday(expression) - func.julianday(literal(day.start.isoformat()))
    return number


def _shift(number: ColumnElement[Any], day: Day) -> ColumnElement[Any]:
    """How many days a due date (as its number) moves to a working day; 0 outside the calendar."""
    if not day.shifts:
        return literal(0)
    if day.dialect == "postgresql":  # bytes: get_byte is O(1), substr of UTF-8 text walks the string
        inside = and_(number >= 0, number < len(day.shifts))
        code = func.get_byte(literal(day.shifts.encode("ascii"), LargeBinary), number)
        return case((inside, code - 48), else_=0)
    shifts = literal(day.shifts, String)
    code = func.unicode(func.substr(shifts, func.cast(number, Integer) + 1, 1))
    return case((number >= 0, func.coalesce(code - 48, 0)), else_=0)


def _table(model: Any) -> Any:
    return model.__table__


@dataclass(frozen=True)
class Facts:
    """The active items with what the pages show and filter on (``c``: id, key, kind, section,
    position, document_due, due in force, lead, reported (latest report's status), status), as a
    materialised common table expression: each row's status (a correlated read of its report
    history, the calendar's shift) is computed once per query, however many times the query
    groups, filters and shows it. (Written as a plain join, SQLite computed it twice, for the
    GROUP BY and for the result, and the overview took five times the bare query.) The item's text
    is joined back by id where a page shows it (:attr:`item`)."""

    c: Any
    source: Any
    item: Any

    def select(self, *columns: Any) -> Select[Any]:
        return select(*columns).select_from(self.source)


def _with_history(joined: Any, history: Any, item: Any) -> Any:
    return joined if history is None else joined.outerjoin(history, history.c.item_id == item.c.id)


def tune(connection: Any) -> None:
    """Settings for the console's queries on this transaction: PostgreSQL's JIT compiler spent two
    of the overview's ten seconds compiling expressions it then ran once per item."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL jit = off")


def facts(document_id: int, day: Day, where: "Filters | None" = None) -> Facts:
    """The active items of the document with their status on ``day`` (see :class:`Facts`); the
    filters that do not need the status (``where``) are applied before it is computed, so a
    body's list computes the statuses of its own items only."""
    item, asg, rep, ext = (_table(m) for m in (Item, Assignment, ProgressReport, ExtensionRequest))
    last_ext = (select(ext.c.item_id, func.max(ext.c.id).label("id")).where(ext.c.status == "approved")
                .group_by(ext.c.item_id).subquery("last_ext"))
    extended = select(ext.c.item_id, ext.c.requested_due).join(last_ext, last_ext.c.id == ext.c.id).subquery("extended")
    # the latest report and the last one that was not done, each an index probe per item: a grouped
    # scan of every report would cost as much for a body's ten items as for the whole programme
    # (PostgreSQL: one hashed aggregate of the reports, which its planner joins far better than a
    # probe it would run twice per item inside a hash join)
    last = rep.alias("last")
    last_id: Any = select(func.max(last.c.id)).where(last.c.item_id == item.c.id).scalar_subquery()
    open_id: Any = (select(func.max(last.c.id)).where(last.c.item_id == item.c.id, last.c.status != "done")
                    .scalar_subquery())
    history = None
    if day.dialect == "postgresql":
        history = (select(rep.c.item_id, func.max(rep.c.id).label("last_id"),
                          func.max(case((rep.c.status != "done", rep.c.id), else_=None)).label("open_id"))
                   .group_by(rep.c.item_id).subquery("history"))
        last_id, open_id = history.c.last_id, history.c.open_id
    latest, lead = rep.alias("latest"), asg.alias("lead")
    due = func.coalesce(extended.c.requested_due, item.c.due)
    due_number = _number(due, day)
    base = (
        select(item.c.id, item.c.key, item.c.kind, item.c.section_key.label("section"), item.c.position,
               item.c.due.label("document_due"), due.label("due"), lead.c.body_code.label("lead"),
               latest.c.status.label("reported"), open_id.label("open_id"),
               (due_number + _shift(due_number, day)).label("effective"))
        .select_from(_with_history(item.outerjoin(extended, extended.c.item_id == item.c.id), history, item)
                     .outerjoin(latest, latest.c.id == last_id)
                     .outerjoin(lead, and_(lead.c.item_id == item.c.id, lead.c.role == "lead")))
        .where(item.c.document_id == document_id, item.c.retired_at.is_(None),
               *_before_status(where, item, lead.c.body_code, due))
        .cte("base").prefix_with("MATERIALIZED")
    )
    b, today = base.c, day.number(day.as_of)
    # done on time (1) or late (2) by the day, or not done by then (0): the earliest day of the done
    # reports since the last report that was not done; read only for an item whose latest report is done
    closing = rep.alias("closing")
    first_done = func.min(_number(closing.c.submitted_on, day))
    bound = case((b.effective < today, b.effective), else_=literal(today))
    done_class = (
        select(case((first_done <= bound, 1), (first_done <= today, 2), else_=0))
        .where(closing.c.item_id == b.id, closing.c.status == "done", closing.c.id > func.coalesce(b.open_id, 0))
        .scalar_subquery()
    )
    still_open = case(
        (b.reported == "blocked", literal("blocked", String)),
        (b.effective < today, literal("not_done_overdue", String)),
        else_=literal("not_done_within_deadline", String),
    )
    status = case({1: literal("done_on_time", String), 2: literal("done_late", String)},
                  value=case((b.reported == "done", done_class), else_=0), else_=still_open)
    shown = (select(b.id, b.key, b.kind, b.section, b.position, b.document_due, b.due, b.lead, b.reported,
                    status.label("status")).cte("facts").prefix_with("MATERIALIZED"))
    return Facts(shown.c, shown, item)


@dataclass(frozen=True)
class Filters:
    """The item list's filters, as the query parameters name them (all optional)."""

    body: str | None = None
    part: str | None = None
    section: str | None = None
    kind: str | None = None
    status: str | None = None
    due_before: date | None = None
    due_from: date | None = None
    """Due on or after this day (the overview's next 30 days; not a query parameter of the list)."""
    overdue: bool = False
    ids: frozenset[int] | None = None
    """The items the full-text search matched (None: no search)."""
    member: str | None = None
    """Only the items this body leads, cooperates on or was delegated (what a body's account sees)."""


SORTS = {"key": "position", "kind": "kind", "section": "section", "lead": "lead", "due": "due", "status": "status"}


def _within(column_: Any, key: str) -> ColumnElement[bool]:
    """A section key, or any key under it (``I`` holds ``I.2`` and ``I.2.a``)."""
    return or_(column_ == key, column_.startswith(key + ".", autoescape=True))


def _before_status(where: "Filters | None", item: Any, lead: Any, due: Any) -> list[ColumnElement[bool]]:
    """The conditions of ``where`` on the item itself (all but status and overdue)."""
    if where is None:
        return []
    conditions: list[ColumnElement[bool]] = []
    if where.body:
        conditions.append(lead == where.body)
    for key in (where.part, where.section):
        if key:
            conditions.append(_within(item.c.section_key, key))
    if where.kind:
        conditions.append(item.c.kind == where.kind)
    if where.due_before:
        conditions.append(due < where.due_before)
    if where.due_from:
        conditions.append(due >= where.due_from)
    if where.member:  # its own items, and those a lead delegated to it
        asg = _table(Assignment)
        conditions.append(or_(exists().where(asg.c.item_id == item.c.id, asg.c.body_code == where.member),
                              held_by(where.member, item_id=item.c.id, lead=lead)))
    if where.ids is not None:
        # inlined, not bound: a common word matches tens of thousands of items, past SQLite's bound-parameter limit
        ids: Any = bindparam("ids", sorted(where.ids), expanding=True, literal_execute=True)
        conditions.append(item.c.id.in_(ids) if where.ids else literal(False))
    return conditions


def filtered(document_id: int, day: Day, where: Filters) -> tuple[Facts, list[ColumnElement[bool]]]:
    """The facts of the items ``where`` selects, and the conditions left to apply on their status."""
    f = facts(document_id, day, where)
    conditions: list[ColumnElement[bool]] = []
    if where.status:
        conditions.append(f.c.status == where.status)
    if where.overdue:
        conditions.append(f.c.status == "not_done_overdue")
    return f, conditions


def list_query(document_id: int, day: Day, where: Filters, sort: str = "key") -> Select[Any]:
    """The filtered rows in the order asked (``due`` or ``-due``; unknown names sort by key),
    with the position as the tie-breaker so that pages never overlap."""
    f, conditions = filtered(document_id, day, where)
    name = SORTS.get(sort.lstrip("-"), "position")
    column = getattr(f.c, name)
    order = column.desc() if sort.startswith("-") else column.asc()
    return (f.select(f.c.id, f.c.key, f.c.kind, f.c.section, f.item.c.text, f.c.lead, f.c.document_due, f.c.due,
                     f.c.status).join(f.item, f.item.c.id == f.c.id).where(*conditions).order_by(order, f.c.position))


def page_of(query: Select[Any], page: int, size: int) -> Select[Any]:
    """Page ``page`` of ``query``, each row with ``total``, the number of rows of every page (a
    window count: the statuses are computed once for both)."""
    return query.add_columns(func.count().over().label("total")).offset((page - 1) * size).limit(size)


def count_query(document_id: int, day: Day, where: Filters) -> Select[Any]:
    f, conditions = filtered(document_id, day, where)
    return f.select(func.count()).where(*conditions)
