"""Schedule policy: programme start, reporting, reminders, escalation, the scheduler's jobs.

Read from ``policy.yaml`` (setting ``DONDOC_POLICY_FILE``); every value has a default, so an
empty file is a valid policy. Checked when loaded: a cron that does not parse or an escalation
ladder that names an unknown body is refused at start with a message that names it.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.yamlfile import load_mapping

CADENCES = ("monthly", "quarterly", "half_yearly", "yearly")
TIMEZONE = "Asia/Ho_Chi_Minh"
JOBS = ("remind", "escalate", "digest", "dispatch")
DEFAULT_SCHEDULE = {
    "remind": "0 7 * * mon-fri",
    "escalate": "30 7 * * mon-fri",
    "digest": "0 8 * * mon",
    "dispatch": "*/5 * * * *",
}


@dataclass(frozen=True)
class Policy:
    """How items are scheduled, reminded and escalated."""

    start: date | None = None
    reporting_cadence: str = "half_yearly"
    urgent_days: int = 90
    reminder_offsets: tuple[int, ...] = (30, 7, 1, 0)
    working_days: bool = True
    escalation_level_1: int = 5
    escalation_level_2: int = 5
    escalation_top: str = "BTV"
    digest_ahead_days: int = 30
    schedule: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SCHEDULE))
    misfire_grace_seconds: int = 3600
    batch_size: int = 200
    max_attempts: int = 8
    backoff_seconds: int = 60
    backoff_max_seconds: int = 6 * 3600


def _whole(value: Any, name: str, where: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{where}: {name} must be a whole number from {low} to {high}, not {value!r}")
    return value


def cron_trigger(expression: str) -> Any:
    """A cron trigger in Vietnam time: five fields, or six with seconds first."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    if len(fields) == 6:
        second, minute, hour, day, month, day_of_week = fields
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                           day_of_week=day_of_week, timezone=TIMEZONE)
    return CronTrigger.from_crontab(expression, timezone=TIMEZONE)


def check_cron(expression: str, name: str, where: str) -> None:
    try:
        cron_trigger(expression)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: schedule.{name} {expression!r} is not a cron expression ({exc})") from None


def load_policy(path: Path) -> Policy:
    where = f"policy file {path}"
    data = load_mapping(path, "policy file")
    programme = data.get("programme") or {}
    reporting = data.get("reporting") or {}
    deadlines = data.get("deadlines") or {}
    reminders = data.get("reminders") or {}
    escalation = data.get("escalation") or {}
    digest = data.get("digest") or {}
    schedule = data.get("schedule") or {}
    outbox = data.get("outbox") or {}
    start = programme.get("start")
    if start is not None and not isinstance(start, date):
        raise ConfigError(f"{where}: programme.start must be a date such as 2021-01-01, not {start!r}")
    cadence = reporting.get("cadence", "half_yearly")
    if cadence not in CADENCES:
        raise ConfigError(f"{where}: reporting.cadence is {cadence!r}; choose one of {', '.join(CADENCES)}")
    offsets = reminders.get("offsets", [30, 7, 1, 0])
    if not isinstance(offsets, list) or not offsets:
        raise ConfigError(f"{where}: reminders.offsets must be a list of days before the due date")
    offsets = sorted({_whole(o, "reminders.offsets", where, 0, 365) for o in offsets}, reverse=True)
    jobs = dict(DEFAULT_SCHEDULE)
    for name, expression in (schedule.get("jobs") or {}).items():
        if name not in JOBS:
            raise ConfigError(f"{where}: schedule.jobs has unknown job {name!r}; jobs are {', '.join(JOBS)}")
        check_cron(str(expression), f"jobs.{name}", where)
        jobs[name] = str(expression)
    top = escalation.get("top", "BTV")
    if not isinstance(top, str) or not top:
        raise ConfigError(f"{where}: escalation.top must name a body code")
    return Policy(
        start=start,
        reporting_cadence=cadence,
        urgent_days=_whole(deadlines.get("urgent_days", 90), "deadlines.urgent_days", where, 1, 730),
        reminder_offsets=tuple(offsets),
        working_days=bool(reminders.get("working_days", True)),
        escalation_level_1=_whole(escalation.get("level_1_after", 5), "escalation.level_1_after", where, 0, 365),
        escalation_level_2=_whole(escalation.get("level_2_after", 5), "escalation.level_2_after", where, 1, 365),
        escalation_top=top,
        digest_ahead_days=_whole(digest.get("ahead_days", 30), "digest.ahead_days", where, 1, 365),
        schedule=jobs,
        misfire_grace_seconds=_whole(schedule.get("misfire_grace_seconds", 3600), "schedule.misfire_grace_seconds", where, 1, 7 * 86400),
        batch_size=_whole(outbox.get("batch_size", 200), "outbox.batch_size", where, 1, 10000),
        max_attempts=_whole(outbox.get("max_attempts", 8), "outbox.max_attempts", where, 1, 100),
        backoff_seconds=_whole(outbox.get("backoff_seconds", 60), "outbox.backoff_seconds", where, 1, 86400),
        backoff_max_seconds=_whole(outbox.get("backoff_max_seconds", 21600), "outbox.backoff_max_seconds", where, 1, 7 * 86400),
    )
