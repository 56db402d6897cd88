"""The set-based reads behind the console's overview and item list.

An item's status on a day (done on time or late, blocked, not done within its deadline or
overdue: ``workflows.rules.status``) is computed here in SQL, so that counting 100,000 items by
status is one grouped query and a filter on status is a WHERE clause, not a Python loop. The rule
needs the working-day calendar, which lives two floors up; the page passes what the SQL needs
(:class:`Day`): the day, and how far a due date on each day of the programme's years moves to
reach a working day, as a string the database indexes by the date's number. Every other input (the due date in force after an approved extension, the latest report, the
day a done report closed the item) is read in SQL the way :mod:`models.item_states` reads it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String, and_, bindparam, case, exists, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Select, Subquery

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
    shifts = literal(day.shifts, String)
    if day.dialect == "postgresql":
        code = func.ascii(func.nullif(func.substr(shifts, number + 1, 1), ""))
    else:
        code = func.unicode(func.substr(shifts, func.cast(number, Integer) + 1, 1))
    return case((number >= 0, func.coalesce(code - 48, 0)), else_=0)


def _table(model: Any) -> Any:
    return model.__table__


def facts(document_id: int, day: Day) -> Subquery:
    """One row per active item of the document: what the pages show and filter on, with its status.

    Columns: id, key, kind, section, text, position, document_due, due (in force), lead, done_on,
    status (one of :data:`CATEGORIES`)."""
    item, asg, rep, ext = (_table(m) for m in (Item, Assignment, ProgressReport, ExtensionRequest))
    last_ext = (select(ext.c.item_id, func.max(ext.c.id).label("id")).where(ext.c.status == "approved")
                .group_by(ext.c.item_id).subquery("last_ext"))
    extended = select(ext.c.item_id, ext.c.requested_due).join(last_ext, last_ext.c.id == ext.c.id).subquery("extended")
    history = (select(rep.c.item_id, func.max(rep.c.id).label("last_id"),
                      func.max(case((rep.c.status != "done", rep.c.id), else_=None)).label("open_id"))
               .group_by(rep.c.item_id).subquery("history"))
    closing = rep.alias("closing")
    closed = (select(closing.c.item_id, func.min(closing.c.submitted_on).label("done_on"))
              .join(history, history.c.item_id == closing.c.item_id)
              .where(closing.c.status == "done", closing.c.id > func.coalesce(history.c.open_id, 0))
              .group_by(closing.c.item_id).subquery("closed"))
    latest = rep.alias("latest")
    lead = asg.alias("lead")
    due = func.coalesce(extended.c.requested_due, item.c.due)
    query = (
        select(item.c.id, item.c.key, item.c.kind, item.c.section_key.label("section"), item.c.text, item.c.position,
               item.c.due.label("document_due"), due.label("due"), lead.c.body_code.label("lead"),
               latest.c.status.label("reported"))
        .outerjoin(extended, extended.c.item_id == item.c.id)
        .outerjoin(history, history.c.item_id == item.c.id)
        .outerjoin(latest, latest.c.id == history.c.last_id)
        .outerjoin(lead, and_(lead.c.item_id == item.c.id, lead.c.role == "lead"))
        .where(item.c.document_id == document_id, item.c.retired_at.is_(None))
    )
    base = query.add_columns(closed.c.done_on).outerjoin(closed, closed.c.item_id == item.c.id).subquery("base")
    due_number = _number(base.c.due, day)
    effective = due_number + _shift(due_number, day)
    done = and_(base.c.reported == "done", base.c.done_on <= day.as_of)
    status = case(
        (and_(done, _number(base.c.done_on, day) <= effective), literal("done_on_time", String)),
        (done, literal("done_late", String)),
        (base.c.reported == "blocked", literal("blocked", String)),
        (effective < day.number(day.as_of), literal("not_done_overdue", String)),
        else_=literal("not_done_within_deadline", String),
    )
    return select(*base.c, status.label("status")).subquery("facts")


@dataclass(frozen=True)
class Filters:
    """The item list's filters, as the query parameters name them (all optional)."""

    body: str | None = None
    part: str | None = None
    section: str | None = None
    kind: str | None = None
    status: str | None = None
    due_before: date | None = None
    overdue: bool = False
    ids: frozenset[int] | None = None
    """The items the full-text search matched (None: no search)."""
    member: str | None = None
    """Only the items this body leads or cooperates on (what a body's own account sees)."""


SORTS = {"key": "position", "kind": "kind", "section": "section", "lead": "lead", "due": "due", "status": "status"}


def _within(column_: Any, key: str) -> ColumnElement[bool]:
    """A section key, or any key under it (``I`` holds ``I.2`` and ``I.2.a``)."""
    return or_(column_ == key, column_.startswith(key + ".", autoescape=True))


def filtered(document_id: int, day: Day, where: Filters) -> tuple[Subquery, list[ColumnElement[bool]]]:
    """The facts and the conditions that select ``where``'s rows."""
    f = facts(document_id, day)
    conditions: list[ColumnElement[bool]] = []
    if where.body:
        conditions.append(f.c.lead == where.body)
    for key in (where.part, where.section):
        if key:
            conditions.append(_within(f.c.section, key))
    if where.kind:
        conditions.append(f.c.kind == where.kind)
    if where.status:
        conditions.append(f.c.status == where.status)
    if where.due_before:
        conditions.append(f.c.due < where.due_before)
    if where.overdue:
        conditions.append(f.c.status == "not_done_overdue")
    if where.member:
        asg = _table(Assignment)
        conditions.append(exists().where(asg.c.item_id == f.c.id, asg.c.body_code == where.member))
    if where.ids is not None:
        # inlined, not bound: a common word matches tens of thousands of items, past SQLite's bound-parameter limit
        ids: Any = bindparam("ids", sorted(where.ids), expanding=True, literal_execute=True)
        conditions.append(f.c.id.in_(ids) if where.ids else literal(False))
    return f, conditions


def list_query(document_id: int, day: Day, where: Filters, sort: str = "key") -> Select[Any]:
    """The filtered rows in the order asked (``due`` or ``-due``; unknown names sort by key),
    with the position as the tie-breaker so that pages never overlap."""
    f, conditions = filtered(document_id, day, where)
    name = SORTS.get(sort.lstrip("-"), "position")
    order = f.c[name].desc() if sort.startswith("-") else f.c[name].asc()
    return select(f.c.id, f.c.key, f.c.kind, f.c.section, f.c.text, f.c.lead, f.c.document_due, f.c.due,
                  f.c.status).where(*conditions).order_by(order, f.c.position)


def count_query(document_id: int, day: Day, where: Filters) -> Select[Any]:
    f, conditions = filtered(document_id, day, where)
    return select(func.count()).select_from(f).where(*conditions)


@dataclass
class Counts:
    """The overview's counts: items by status, overdue items by lead body and by section key."""

    by_status: dict[str, int] = field(default_factory=dict)
    overdue_by_lead: dict[str, int] = field(default_factory=dict)
    overdue_by_section: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def counts_query(document_id: int, day: Day) -> Select[Any]:
    """One grouped scan: items per status, lead body and section (the overview sums the groups)."""
    f = facts(document_id, day)
    return select(f.c.status, f.c.lead, f.c.section, func.count()).group_by(f.c.status, f.c.lead, f.c.section)


def fold_counts(rows: Sequence[Any]) -> Counts:
    """The grouped rows summed by status, and the overdue ones by lead and by section."""
    counts = Counts({category: 0 for category in CATEGORIES})
    for status, lead, section, n in rows:
        counts.by_status[status] = counts.by_status.get(status, 0) + n
        if status == "not_done_overdue":
            counts.overdue_by_lead[lead or ""] = counts.overdue_by_lead.get(lead or "", 0) + n
            counts.overdue_by_section[section] = counts.overdue_by_section.get(section, 0) + n
    return counts


def falling_due_query(document_id: int, day: Day, until: date, limit: int = 50) -> Select[Any]:
    """Open items whose due date in force falls between the day and ``until``, soonest first."""
    f = facts(document_id, day)
    return (select(f.c.key, f.c.kind, f.c.text, f.c.lead, f.c.due, f.c.status)
            .where(f.c.status.in_(OPEN), f.c.due >= day.as_of, f.c.due <= until)
            .order_by(f.c.due, f.c.position).limit(limit))


def body_query(document_id: int, day: Day, code: str) -> Select[Any]:
    """A body's items (those it leads) by status: the status, how many, how many have a report, and
    the sum of the days the overdue ones are late (the page shows the average)."""
    f = facts(document_id, day)
    return (select(f.c.status, func.count(), func.count(f.c.reported))
            .where(f.c.lead == code).group_by(f.c.status))


def overdue_dues_query(document_id: int, day: Day, code: str) -> Select[Any]:
    """The due dates in force of a body's overdue items (how late they are is counted by the page)."""
    f = facts(document_id, day)
    return select(f.c.due).where(f.c.lead == code, f.c.status == "not_done_overdue")


def leads_query(document_id: int, day: Day) -> Select[Any]:
    """Every lead body with its items by status (the bodies' list)."""
    f = facts(document_id, day)
    return select(f.c.lead, f.c.status, func.count()).group_by(f.c.lead, f.c.status)
