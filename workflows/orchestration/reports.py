"""A body's answers as plain steps: a progress report, a request for more time.

The command line, the demo and (later) the answer page call these same functions.
"""

from datetime import date, datetime
from typing import Any

from config.policy import Policy
from models.db import Session
from models.item_states import item_states
from models.reports import active_item, add_report
from models.tables import Document, ProgressReport
from workflows.rules import reporting


def submit_report(
    session: Session, *, policy: Policy, document: Document, key: str, body: str | None, status: str,
    percent: int | None, note: str | None, values: dict[str, Any], on: date, actor: str, now: datetime,
) -> ProgressReport:
    """A body's report on item ``key`` (the lead's, when ``body`` is None), answering the reporting
    date that :func:`workflows.rules.reporting.period_answered` picks."""
    item = active_item(session, document=document, key=key)
    (state,) = item_states(session, reporting=reporting.rule(policy.reporting_cadence), document=document, keys=[key])
    return add_report(session, item=item, body=body or state.lead, status=status, percent=percent, note=note,
                      values=values, period=reporting.period_answered(state, on), on=on, actor=actor, now=now)
