"""The sweeps as plain steps: select what is owed on a day, write its letters, queue them.

A sweep only queues; ``outbox dispatch`` sends. Each sweep is a function the Prefect flows run
as a task and the one-off commands call directly. ``dry_run`` writes the letters and reports
them without storing anything.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from config.loading import Configuration
from config.settings import Settings
from models.db import session_scope
from models.escalations import RungRecord, record_rungs
from models.item_states import item_states
from models.letters import known_parts
from models.outbox import enqueue
from models.states import ItemState, Reminder
from notifications.digest import digest_email
from notifications.letters import escalation_email, reminder_email
from notifications.render import Email, to_draft
from workflows.orchestration.digest import digest_facts
from workflows.rules import reporting
from workflows.rules.escalation import rungs
from workflows.rules.reminders import reminder_window, reminders


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
    open_only: bool = False, history: bool = True, missed_by: date | None = None,
) -> list[ItemState]:
    rule = reporting.rule(configuration.policy.reporting_cadence)
    with session_scope(engine) as session:
        return item_states(session, reporting=rule, due_between=due_between, open_only=open_only, history=history,
                           missed_by=missed_by)


def owed_reminders(engine: Engine, configuration: Configuration, as_of: date) -> list[Reminder]:
    """Select the reminders owed on ``as_of``, letting the database narrow the items.

    The database selects the open items whose due date is in the window. Outside the reach of
    every reporting date only deadlines can owe a reminder, so no report history is read (which
    periods were answered cannot matter then); within reach, it is read for the items selected.
    """
    policy = configuration.policy
    window = reminder_window(as_of, policy, reporting.period_ends(as_of, policy.reporting_cadence))
    states = load_states(engine, configuration, window, open_only=True, history=window[1] is None)
    return reminders(states, as_of, policy)


def _not_queued(engine: Engine, keys: list[str]) -> set[str]:
    """Which of ``keys`` neither the outbox holds nor a daily letter carried (``models.letters``)."""
    if not keys:
        return set()
    with session_scope(engine) as session:
        return set(keys) - known_parts(session, sorted(set(keys)))


def queue(engine: Engine, emails: list[Email], settings: Settings, now: datetime) -> int:
    """Put the emails that have a recipient in the outbox; returns how many were new."""
    with session_scope(engine) as session:
        drafts = [to_draft(e, sender=settings.mail_from) for e in emails if e.to]
        return enqueue(session, drafts=drafts, now=now)


def remind(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """Queue the deadline and reporting-date reminders owed on ``as_of``."""
    owed = owed_reminders(engine, configuration, as_of)
    result = SweepResult("remind", as_of, owed=len(owed))
    fresh = _not_queued(engine, [r.key for r in owed])
    result.emails = [
        reminder_email(r, as_of=as_of, registry=configuration.registry, language=settings.language)
        for r in owed if r.key in fresh
    ]
    if not dry_run:
        result.queued = queue(engine, result.emails, settings, datetime.now(UTC))
    return result


def escalate(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """Record the rungs reached on ``as_of`` and queue their emails."""
    states = load_states(engine, configuration, open_only=True)  # a done item owes no escalation
    policy, registry = configuration.policy, configuration.registry
    owed = [r for item in states for r in rungs(item, as_of, policy, registry)]
    result = SweepResult("escalate", as_of, owed=len(owed))
    fresh = _not_queued(engine, [r.key for r in owed])
    result.emails = [
        escalation_email(r, as_of=as_of, registry=registry, language=settings.language) for r in owed if r.key in fresh
    ]
    if dry_run:
        return result
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        record_rungs(session, rungs=[RungRecord(r.item.id, r.subject, r.since, r.level, r.reason) for r in owed], on=as_of, now=now)
        drafts = [to_draft(e, sender=settings.mail_from) for e in result.emails if e.to]
        result.queued = enqueue(session, drafts=drafts, now=now)
    return result


def digest(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """Queue the coordinators' weekly digest (once per week, whatever day it runs)."""
    policy = configuration.policy
    states = load_states(engine, configuration)
    facts = digest_facts(engine, states, as_of=as_of, policy=policy)
    email = digest_email(states, facts, as_of=as_of, ahead_days=policy.digest_ahead_days,
                         registry=configuration.registry, language=settings.language)
    result = SweepResult("digest", as_of, owed=1)
    result.emails = [email] if (email.to or email.cc) and _not_queued(engine, [email.key]) else []
    if not dry_run:
        result.queued = queue(engine, result.emails, settings, datetime.now(UTC))
    return result


def chase(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """The daily chase (:mod:`workflows.orchestration.chase`): reminders and rungs, one letter per body."""
    from workflows.orchestration.chase import chase as chase_day

    return chase_day(engine, settings=settings, configuration=configuration, as_of=as_of, dry_run=dry_run)


SWEEPS = {"chase": chase, "remind": remind, "escalate": escalate, "digest": digest}
"""The sweeps by name, as the command line, the flows and the scheduler call them."""
