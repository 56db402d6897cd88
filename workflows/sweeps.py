"""The sweeps as plain steps: select what is owed on a day, render it, queue it in the outbox.

A sweep only queues; ``outbox dispatch`` sends. Each step is a function the Prefect flows run
as tasks and the one-off commands call directly. ``dry_run`` renders and reports without
writing anything.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from config.settings import Settings
from models.db import session_scope
from models.outbox import Draft, enqueue, existing_keys
from models.tracking import RungRecord, item_states, record_rungs
from notifications.render import Email, to_mime
from workflows.chase import ItemState, Reminder, reminder_window, reminders, rungs
from workflows.ingest import Configuration
from workflows.notices import digest_email, escalation_email, reminder_email


@dataclass
class SweepResult:
    """What a sweep found and queued; ``emails`` are the new ones (or, in a dry run, would be)."""

    kind: str
    as_of: date
    owed: int = 0
    queued: int = 0
    emails: list[Email] = field(default_factory=list)


def load_states(
    engine: Engine, configuration: Configuration, due_between: tuple[date, date | None] | None = None,
    open_only: bool = False, history: bool = True,
) -> list[ItemState]:
    with session_scope(engine) as session:
        return item_states(session, policy=configuration.policy, due_between=due_between, open_only=open_only, history=history)


def period_ends(as_of: date, cadence: str) -> list[date]:
    """The calendar-aligned reporting dates around ``as_of`` (last year to next)."""
    from workflows.deadlines import reporting_dates

    return reporting_dates(date(as_of.year - 1, 1, 1), date(as_of.year + 1, 12, 31), cadence)


def owed_reminders(engine: Engine, configuration: Configuration, as_of: date) -> list[Reminder]:
    """Select the reminders owed on ``as_of``, letting the database narrow the items.

    The database selects the open items whose due date is in the window. Outside the reach of
    every reporting date only deadlines can owe a reminder, so no report history is read (which
    periods were answered cannot matter then); within reach, it is read for the items selected.
    """
    policy = configuration.policy
    window = reminder_window(as_of, policy, period_ends(as_of, policy.reporting_cadence))
    states = load_states(engine, configuration, window, open_only=True, history=window[1] is None)
    return reminders(states, as_of, policy)


def to_drafts(emails: list[Email], settings: Settings) -> list[Draft]:
    drafts = []
    for email in emails:
        mid, raw = to_mime(email, sender=settings.mail_from)
        recipients = tuple(dict.fromkeys([*email.to, *email.cc]))
        drafts.append(Draft(email.key, email.kind, email.item_id, email.due_date, email.level,
                            settings.mail_from, recipients, email.subject, mid, raw))
    return drafts


def _new_only(engine: Engine, emails: list[Email]) -> list[Email]:
    if not emails:
        return []
    with session_scope(engine) as session:
        known = existing_keys(session, [e.key for e in emails])
    return [e for e in emails if e.key not in known and (e.to or e.cc)]


def queue(engine: Engine, emails: list[Email], settings: Settings, now: datetime) -> int:
    with session_scope(engine) as session:
        return enqueue(session, drafts=to_drafts(emails, settings), now=now)


def remind(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """Queue the deadline and reporting-date reminders owed on ``as_of``."""
    owed = owed_reminders(engine, configuration, as_of)
    result = SweepResult("remind", as_of, owed=len(owed))
    keys = {r.key for r in owed}
    with session_scope(engine) as session:
        known = existing_keys(session, sorted(keys))
    fresh = [r for r in owed if r.key not in known]
    result.emails = [reminder_email(r, as_of=as_of, registry=configuration.registry, language=settings.language) for r in fresh]
    if not dry_run:
        result.queued = queue(engine, [e for e in result.emails if e.to], settings, datetime.now(UTC))
    return result


def escalate(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """Record the rungs reached on ``as_of`` and queue their emails."""
    states = load_states(engine, configuration, open_only=True)  # a done item owes no escalation
    owed = [r for item in states for r in rungs(item, as_of, configuration.policy)]
    result = SweepResult("escalate", as_of, owed=len(owed))
    with session_scope(engine) as session:
        known = existing_keys(session, sorted(r.key for r in owed))
    fresh = [r for r in owed if r.key not in known]
    result.emails = [
        escalation_email(r, as_of=as_of, registry=configuration.registry, policy=configuration.policy, language=settings.language)
        for r in fresh
    ]
    if dry_run:
        return result
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        record_rungs(session, rungs=[RungRecord(r.item.id, r.subject, r.since, r.level, r.reason) for r in owed], on=as_of, now=now)
        result.queued = enqueue(session, drafts=to_drafts([e for e in result.emails if e.to], settings), now=now)
    return result


def digest(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """Queue the coordinators' weekly digest (once per week, whatever day it runs)."""
    states = load_states(engine, configuration)
    email = digest_email(states, as_of=as_of, registry=configuration.registry, policy=configuration.policy, language=settings.language)
    result = SweepResult("digest", as_of, owed=1)
    result.emails = _new_only(engine, [email])
    if not dry_run:
        result.queued = queue(engine, result.emails, settings, datetime.now(UTC))
    return result
