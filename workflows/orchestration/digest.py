"""The facts of the weekly digest, decided by the rules on a day (the letter is written from them
by :mod:`notifications.digest`).

Overdue is the status rule's "not done, overdue"; a missed reporting date is one the reminders
and the ladder chase (:func:`workflows.rules.status.open_dates`: before the deadline, not
answered) that has passed; the level shown is the highest rung the ``escalation`` table recorded
for that date by the day of the digest.
"""

from datetime import date

from sqlalchemy import Engine

from config.policy import Policy
from models.db import session_scope
from models.escalations import levels_reached
from models.states import ItemState
from notifications.digest import DigestFacts, DigestLine
from workflows.rules.status import open_dates, status
from workflows.rules.workdays import effective, late_by


def _open_on(state: ItemState, as_of: date) -> bool:
    return state.done_on is None or state.done_on > as_of


def digest_facts(engine: Engine, states: list[ItemState], *, as_of: date, policy: Policy) -> DigestFacts:
    """Sort each item's dates into the digest's lists, then read the rungs reached for the late ones."""
    facts = DigestFacts({s.id: status(s, as_of, policy) for s in states})
    horizon = date.fromordinal(min(date.max.toordinal(), as_of.toordinal() + policy.digest_ahead_days))
    for state in states:
        if not _open_on(state, as_of):
            continue
        category = facts.categories[state.id]
        due = effective(state.due, policy)
        if category == "not_done_overdue":
            facts.overdue.append(DigestLine(state, due, late_by(due, as_of, policy)))
        elif category == "blocked":
            facts.blocked.append(DigestLine(state, due, late_by(due, as_of, policy) if as_of > due else 0))
        if as_of <= due <= horizon:
            facts.upcoming_deadlines.append(DigestLine(state, due))
        for subject, day in open_dates(state, policy):
            if subject != "report":
                continue
            if day < as_of:
                facts.missed_reports.append(DigestLine(state, day, late_by(day, as_of, policy)))
            elif day <= horizon:
                facts.upcoming_reports.append(DigestLine(state, day))
    late = {line.item.id for line in facts.overdue + facts.missed_reports + facts.blocked}
    with session_scope(engine) as session:
        levels = levels_reached(session, sorted(late), as_of)

    def leveled(lines: list[DigestLine], subject: str) -> list[DigestLine]:
        return [DigestLine(x.item, x.day, x.late, levels.get((x.item.id, subject, x.day), 0)) for x in lines]

    facts.overdue = sorted(leveled(facts.overdue, "deadline"), key=lambda x: (-x.late, x.item.key))
    facts.blocked = sorted(leveled(facts.blocked, "deadline"), key=lambda x: (x.day, x.item.key))
    facts.missed_reports = sorted(leveled(facts.missed_reports, "report"), key=lambda x: (-x.late, x.item.key))
    facts.upcoming_deadlines.sort(key=lambda x: (x.day, x.item.key))
    facts.upcoming_reports.sort(key=lambda x: (x.day, x.item.key))
    return facts
