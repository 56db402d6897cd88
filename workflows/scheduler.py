"""``dondoc serve``: APScheduler runs the flows on cron triggers in Asia/Ho_Chi_Minh.

The job store is the application's own database. Two ``serve`` processes on one database share
it, and APScheduler alone would then run every job twice; so each run first claims its slot (the
job and its scheduled time) with an insert that only one process can win, and the work itself is
idempotent (the outbox's unique keys) in any case. SIGTERM and SIGINT stop the scheduler after
the running job finishes.
"""

import logging
import os
import signal
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite

from config.policy import JOBS, TIMEZONE, Policy, cron_trigger
from config.settings import Settings, load_settings
from models.tables import SchedulerLease

log = logging.getLogger("dondoc.serve")


def slot_of(policy: Policy, job: str, now: datetime) -> datetime:
    """The scheduled time of the run under way: the trigger's last fire time at or before ``now``."""
    trigger = cron_trigger(policy.schedule[job])
    start = now - timedelta(seconds=policy.misfire_grace_seconds + 60)
    fire = trigger.get_next_fire_time(None, start)
    last = fire
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return (last or now).astimezone(UTC)


def claim_slot(engine: Engine, *, job: str, slot: datetime, holder: str) -> bool:
    """True for the one process that claims this run of this job; False for any other."""
    dialect = engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = SchedulerLease.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(name=f"{job}@{slot.isoformat()}", holder=holder, expires_at=slot + timedelta(days=1))
    with engine.begin() as connection:
        return connection.execute(statement.on_conflict_do_nothing(index_elements=["name"]).returning(table.c.name)).first() is not None


def run_job(job: str, orchestrate: bool = True) -> None:
    """What the scheduler calls: claim the run, then trigger the flow (or the plain step)."""
    from models.db import open_database
    from workflows.ingest import load_configuration

    settings = load_settings()
    configuration = load_configuration(settings)
    engine = open_database(settings.url)
    try:
        now = datetime.now(UTC)
        slot = slot_of(configuration.policy, job, now)
        if not claim_slot(engine, job=job, slot=slot, holder=f"{socket.gethostname()}:{os.getpid()}"):
            log.info("%s at %s already ran in another process", job, slot.isoformat())
            return
        as_of = now.astimezone(cron_trigger(configuration.policy.schedule[job]).timezone).date()
        log.info("running %s for %s", job, as_of.isoformat())
        _trigger(job, settings, engine, configuration, as_of, orchestrate)
    finally:
        engine.dispose()


def _trigger(job: str, settings: Settings, engine: Engine, configuration: Any, as_of: Any, orchestrate: bool) -> None:
    if orchestrate:
        from workflows import flows

        if job == "dispatch":
            flows.dispatch_flow(settings)
        else:
            {"remind": flows.remind_flow, "escalate": flows.escalate_flow, "digest": flows.digest_flow}[job](as_of, settings)
        return
    if job == "dispatch":
        from notifications.dispatch import make_mailer, run

        run(engine, make_mailer(settings), policy=configuration.policy, now=datetime.now(UTC))
        return
    from workflows import sweeps

    step = {"remind": sweeps.remind, "escalate": sweeps.escalate, "digest": sweeps.digest}[job]
    step(engine, settings=settings, configuration=configuration, as_of=as_of)


def serve(settings: Settings, policy: Policy, *, orchestrate: bool = True, stop: threading.Event | None = None) -> None:
    """Run the jobs until SIGTERM or SIGINT (or ``stop`` is set)."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from models.db import open_database

    open_database(settings.url).dispose()
    scheduler = BackgroundScheduler(
        timezone=TIMEZONE,
        jobstores={"default": SQLAlchemyJobStore(url=settings.url, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "misfire_grace_time": policy.misfire_grace_seconds, "max_instances": 1},
    )
    for job in JOBS:
        scheduler.add_job(run_job, cron_trigger(policy.schedule[job]), id=job, name=job, args=[job, orchestrate],
                          replace_existing=True)
    stop = stop or threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping after the running job", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    scheduler.start()
    for job in scheduler.get_jobs():
        log.info("job %s: next run %s", job.id, job.next_run_time)
    stop.wait()
    scheduler.shutdown(wait=True)
    log.info("stopped")
