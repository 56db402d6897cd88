"""The grouped reads of the console's overview and bodies' pages, on the statuses that
:mod:`models.console_queries` computes in SQL.

Each is one query over :func:`models.console_queries.facts`: the overview's counts by status,
lead and section (folded by :func:`fold_counts`), what falls due soon, and a body's items by
status; the item list's filters, sorting and pages stay with the status computation.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql import Select

from models.console_queries import CATEGORIES, OPEN, Day, Filters, facts


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
    return f.select(f.c.status, f.c.lead, f.c.section, func.count()).group_by(f.c.status, f.c.lead, f.c.section)


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
    """Open items whose due date in force falls between the day and ``until``, soonest first (the
    window is applied before the statuses are computed: only the items in it are read)."""
    f = facts(document_id, day, Filters(due_from=day.as_of, due_before=date.fromordinal(until.toordinal() + 1)))
    return (f.select(f.c.key, f.c.kind, f.item.c.text, f.c.lead, f.c.due, f.c.status).join(f.item, f.item.c.id == f.c.id)
            .where(f.c.status.in_(OPEN)).order_by(f.c.due, f.c.position).limit(limit))


def body_query(document_id: int, day: Day, code: str) -> Select[Any]:
    """A body's items (those it leads) by status: the status, how many, how many have a report, and
    the sum of the days the overdue ones are late (the page shows the average)."""
    f = facts(document_id, day)
    return f.select(f.c.status, func.count(), func.count(f.c.reported)).where(f.c.lead == code).group_by(f.c.status)


def overdue_dues_query(document_id: int, day: Day, code: str) -> Select[Any]:
    """The due dates in force of a body's overdue items (how late they are is counted by the page)."""
    f = facts(document_id, day)
    return f.select(f.c.due).where(f.c.lead == code, f.c.status == "not_done_overdue")


def leads_query(document_id: int, day: Day) -> Select[Any]:
    """Every lead body with its items by status (the bodies' list)."""
    f = facts(document_id, day)
    return f.select(f.c.lead, f.c.status, func.count()).group_by(f.c.lead, f.c.status)
