"""Schedule policy: programme start, reporting, reminders, escalation, the scheduler's jobs.

Read from ``policy.yaml`` (setting ``DONDOC_POLICY_FILE``); every value has a default, so an
empty file is a valid policy. Checked when loaded, by a model of the file whose sections mirror
it: an unknown key, a value of the wrong type or out of bounds, or a cron that does not parse or
can never fire is refused at start with a message that names it. The values then reach the code
as one flat :class:`Policy`, whose defaults are the file's defaults.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field, field_validator, model_validator

from config.bodies import Code
from config.letterhead import Letterhead, LetterheadSection
from config.validation import Strict, validated
from config.yamlfile import load_mapping

CADENCES = ("monthly", "quarterly", "half_yearly", "yearly")
TIMEZONE = "Asia/Ho_Chi_Minh"
JOBS = ("chase", "digest", "dispatch")
"""The jobs ``dondoc serve`` schedules. ``remind`` and ``escalate`` are still valid keys of
``schedule.jobs`` (files written for earlier versions), but the daily ``chase`` does both and
writes one letter per body, so they are not scheduled."""
DEFAULT_SCHEDULE = {
    "chase": "0 7 * * mon-fri",
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
    letterhead: Letterhead = field(default_factory=Letterhead)
    link_valid_days: int = 45
    """How long a signed link to a body's answer page works (``links.valid_days``)."""
    review_close_grace_days: int = 5
    """``serve`` closes a review round this many days after its due date (``review.close_after_days``)."""
    verdict_on_track: float = 0.9
    """A target is on track when it has come at least this share of the way its straight path
    says it should have by now (``review.verdicts.on_track``) ..."""
    verdict_at_risk: float = 0.7
    """... at risk down to this share, off track below it (``review.verdicts.at_risk``)."""


def cron_trigger(expression: str) -> Any:
    """A cron trigger in Vietnam time: five fields, or six with seconds first."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    if len(fields) == 6:
        second, minute, hour, day, month, day_of_week = fields
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                           day_of_week=day_of_week, timezone=TIMEZONE)
    return CronTrigger.from_crontab(expression, timezone=TIMEZONE)


def _fires(expression: str) -> str:
    """A cron that parses and fires at least once (``0 7 31 2 *`` never does)."""
    try:
        trigger = cron_trigger(expression)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{expression!r} is not a cron expression ({exc})") from None
    if trigger.get_next_fire_time(None, datetime.now(ZoneInfo(TIMEZONE))) is None:
        raise ValueError(f"{expression!r} never fires")
    return expression


_DEFAULT = Policy()
Cron = Annotated[str, AfterValidator(_fires)]


def _whole(default: int, low: int, high: int) -> Any:
    return Field(default, ge=low, le=high)


class _Programme(Strict):
    start: date | None = _DEFAULT.start


class _Reporting(Strict):
    cadence: Literal["monthly", "quarterly", "half_yearly", "yearly"] = "half_yearly"


class _Deadlines(Strict):
    urgent_days: int = _whole(_DEFAULT.urgent_days, 1, 730)


class _Reminders(Strict):
    offsets: list[Annotated[int, Field(ge=0, le=365)]] = Field(
        default_factory=lambda: list(_DEFAULT.reminder_offsets), min_length=1
    )
    working_days: bool = _DEFAULT.working_days


class _Escalation(Strict):
    level_1_after: int = _whole(_DEFAULT.escalation_level_1, 0, 365)
    level_2_after: int = _whole(_DEFAULT.escalation_level_2, 1, 365)
    top: Code = _DEFAULT.escalation_top


class _Digest(Strict):
    ahead_days: int = _whole(_DEFAULT.digest_ahead_days, 1, 365)


class _Jobs(Strict):
    chase: Cron = DEFAULT_SCHEDULE["chase"]
    remind: Cron | None = None  # accepted from older files, not scheduled: chase does it
    escalate: Cron | None = None  # likewise
    digest: Cron = DEFAULT_SCHEDULE["digest"]
    dispatch: Cron = DEFAULT_SCHEDULE["dispatch"]


class _Schedule(Strict):
    jobs: _Jobs = _Jobs()
    misfire_grace_seconds: int = _whole(_DEFAULT.misfire_grace_seconds, 1, 7 * 86400)


class _Outbox(Strict):
    batch_size: int = _whole(_DEFAULT.batch_size, 1, 10000)
    max_attempts: int = _whole(_DEFAULT.max_attempts, 1, 100)
    backoff_seconds: int = _whole(_DEFAULT.backoff_seconds, 1, 86400)
    backoff_max_seconds: int = _whole(_DEFAULT.backoff_max_seconds, 1, 7 * 86400)


class _Links(Strict):
    valid_days: int = _whole(_DEFAULT.link_valid_days, 1, 366)


class _Verdicts(Strict):
    on_track: float = Field(_DEFAULT.verdict_on_track, gt=0, le=1)
    at_risk: float = Field(_DEFAULT.verdict_at_risk, gt=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> "_Verdicts":
        if self.at_risk > self.on_track:
            raise ValueError(f"at_risk ({self.at_risk}) must not be above on_track ({self.on_track})")
        return self


class _Review(Strict):
    close_after_days: int = _whole(_DEFAULT.review_close_grace_days, 0, 365)
    verdicts: _Verdicts = _Verdicts()


class _PolicyFile(Strict):
    """policy.yaml, section by section; a section left empty takes its defaults."""

    programme: _Programme = _Programme()
    reporting: _Reporting = _Reporting()
    deadlines: _Deadlines = _Deadlines()
    reminders: _Reminders = _Reminders()
    escalation: _Escalation = _Escalation()
    digest: _Digest = _Digest()
    schedule: _Schedule = _Schedule()
    outbox: _Outbox = _Outbox()
    letterhead: LetterheadSection = LetterheadSection()
    links: _Links = _Links()
    review: _Review = _Review()

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any) -> Any:
        return {} if value is None else value

    def policy(self) -> Policy:
        return Policy(
            start=self.programme.start,
            reporting_cadence=self.reporting.cadence,
            urgent_days=self.deadlines.urgent_days,
            reminder_offsets=tuple(sorted(set(self.reminders.offsets), reverse=True)),
            working_days=self.reminders.working_days,
            escalation_level_1=self.escalation.level_1_after,
            escalation_level_2=self.escalation.level_2_after,
            escalation_top=self.escalation.top,
            digest_ahead_days=self.digest.ahead_days,
            schedule={job: cron for job, cron in self.schedule.jobs.model_dump().items() if cron},
            misfire_grace_seconds=self.schedule.misfire_grace_seconds,
            **self.outbox.model_dump(),
            letterhead=self.letterhead.letterhead(),
            link_valid_days=self.links.valid_days,
            review_close_grace_days=self.review.close_after_days,
            verdict_on_track=self.review.verdicts.on_track,
            verdict_at_risk=self.review.verdicts.at_risk,
        )


def load_policy(path: Path) -> Policy:
    """Load and check the policy; whether ``escalation.top`` is a listed body is checked with the
    registry, in :func:`config.loading.load_configuration`."""
    return validated(_PolicyFile, load_mapping(path, "policy file"), f"policy file {path}").policy()
