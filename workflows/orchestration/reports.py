"""A body's answers as plain steps: a progress report, a request for more time.

The command line, the demo and (later) the answer page call these same functions.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from config.errors import ConflictError
from config.policy import Policy
from models.db import Session
from models.item_states import item_states
from models.queries import reported_for
from models.reports import active_item, add_report
from models.tables import Document, ProgressReport
from workflows.rules import reporting


class AlreadyDone(ConflictError):
    """The item is done: a report on it would reopen it, and reopening is asked for, not implied."""

    def __init__(self, key: str, done_on: date) -> None:
        super().__init__(f"{key} was done on {done_on.isoformat()}; use --reopen to open it again")
        self.key, self.done_on = key, done_on


@dataclass(frozen=True)
class Submitted:
    """What :func:`submit_report` did."""

    report: ProgressReport | None
    """The report stored; None when ``once`` found this actor's report for that period already."""
    reopened: date | None = None
    """The day the item had been done, when this report reopened it."""


def submit_report(
    session: Session, *, policy: Policy, document: Document, key: str, body: str | None, status: str,
    percent: int | None, note: str | None, values: dict[str, Any], on: date, actor: str, now: datetime,
    reopen: bool = False, once: bool = False,
) -> Submitted:
    """A body's report on item ``key`` (the lead's, when ``body`` is None), answering the reporting
    date that :func:`workflows.rules.reporting.period_answered` picks.

    A report on an item already done raises :class:`AlreadyDone` unless ``reopen``: then a report
    other than done is stored and, being the latest, opens the item again (reminders, escalation
    and status follow, see ``models.item_states``). ``once`` stores nothing when ``actor`` already
    reported on the item for that reporting date, so that a replay (``dondoc demo``) run again
    adds nothing.
    """
    if reopen and status == "done":
        raise ConflictError(f"a report that says done cannot reopen {key}")
    item = active_item(session, document=document, key=key)
    (state,) = item_states(session, reporting=reporting.rule(policy.reporting_cadence), document=document, keys=[key])
    period = reporting.period_answered(state, on)
    if once and reported_for(session, item_id=state.id, period=period, actor=actor):
        return Submitted(None)
    if state.done_on is not None and not reopen:
        raise AlreadyDone(key, state.done_on)
    report = add_report(session, item=item, body=body or state.lead, status=status, percent=percent, note=note,
                        values=values, period=period, on=on, actor=actor, now=now)
    return Submitted(report, reopened=state.done_on)
