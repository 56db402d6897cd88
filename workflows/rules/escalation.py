"""The escalation ladder: which rungs overdue work reaches on a day, and whom each rung writes to.

Level 1, ``escalation.level_1_after`` working days after a missed date: the lead body again,
with its supervising body (``escalates_to``) and the coordinator in copy. Level 2,
``level_2_after`` working days later: the top of the ladder (``escalation.top``, the Standing
Committee), with the others in copy. The thresholds are policy (``config/policy.yaml``); the
rungs reached are recorded by :mod:`models.escalations`; the letter is written by
:mod:`notifications.letters` from the rung alone.
"""

from datetime import date, timedelta

from config.bodies import Registry
from config.policy import Policy
from models.states import ItemState, Rung
from workflows.rules import workdays
from workflows.rules.status import open_dates


def level_reached(late: int, policy: Policy) -> int:
    """0 (not yet), 1 or 2, for a date missed ``late`` working days ago."""
    if late >= policy.escalation_level_1 + policy.escalation_level_2:
        return 2
    return 1 if late >= policy.escalation_level_1 else 0


def missed_by(as_of: date, policy: Policy) -> date:
    """The latest date whose miss can have reached a rung on ``as_of``: level 1 needs
    ``level_1_after`` working days late, so at least as many calendar days (the date itself may
    move on to a working day, which only makes it later). What the sweep asks the database for."""
    return as_of - timedelta(days=policy.escalation_level_1)


def recipients(lead: str, level: int, registry: Registry, policy: Policy) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(to, cc, supervisor) as body codes for a rung of ``level`` on an item ``lead`` leads."""
    body = registry.bodies.get(lead)
    supervisor = body.escalates_to if body and body.escalates_to else policy.escalation_top
    to = (lead,) if level == 1 else (policy.escalation_top,)
    cc = (supervisor, registry.coordinator) if level == 1 else (lead, supervisor, registry.coordinator)
    return to, tuple(dict.fromkeys(c for c in cc if c not in to)), supervisor


def rungs(item: ItemState, as_of: date, policy: Policy, registry: Registry) -> list[Rung]:
    """Escalations owed on ``as_of``: the highest level reached for each overdue date.

    A missed deadline leaves the ladder when a report arrives after it (the body has answered)
    or the item is done; a missed reporting date when a report for that period arrives.
    """
    if item.done_on is not None or not workdays.is_sending_day(as_of, policy):
        return []
    owed = []
    for subject, since in open_dates(item, policy):
        if as_of <= since:
            continue
        if subject == "deadline" and any(day >= since for day in item.reports_on):
            continue
        late = workdays.late_by(since, as_of, policy)
        level = level_reached(late, policy)
        if level:
            to, cc, supervisor = recipients(item.lead, level, registry, policy)
            owed.append(Rung(item, subject, since, level, late, to, cc, supervisor))
    return owed
