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
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from config.errors import DondocError
from config.policy import JOBS, TIMEZONE, Policy, cron_trigger
from config.words import phrase, show_date
from models.slots import claim_slot
from notifications.dispatch import make_mailer, run
from workflows.orchestration.reviews import close_due
from workflows.orchestration.runtime import Runtime, process_runtime
from workflows.orchestration.sweeps import SWEEPS

log = logging.getLogger("dondoc.serve")

REVIEW_JOB = "review-close"
REVIEW_CRON = "30 6 * * *"
"""``serve`` closes the review rounds whose due date plus ``review.close_after_days`` has passed:
every day at 06:30, before the chase, so that a closed round's requests are not chased again.
(``policy.yaml`` has no key for its time yet; :func:`job_cron` takes one if the policy grows it.)"""


def job_cron(policy: Policy, job: str) -> str:
    """The cron of a job: the policy's, else (the review job) its default."""
    return policy.schedule.get(job) or REVIEW_CRON


def slot_of(policy: Policy, job: str, now: datetime) -> datetime:
    """The scheduled time of the run under way: the trigger's last fire time at or before ``now``."""
    trigger = cron_trigger(job_cron(policy, job))
    start = now - timedelta(seconds=policy.misfire_grace_seconds + 60)
    fire = trigger.get_next_fire_time(None, start)
    last = fire
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return (last or now).astimezone(UTC)


def run_job(job: str, orchestrate: bool = True) -> None:
    """What the scheduler calls: claim the run, then trigger the flow (or the plain step).

    The process's runtime (settings, configuration, engine) is built on the first job and kept.
    """
    runtime = process_runtime()
    now = datetime.now(UTC)
    policy = runtime.configuration.policy
    slot = slot_of(policy, job, now)
    lang = runtime.settings.language
    if not claim_slot(runtime.engine, job=job, slot=slot, holder=f"{socket.gethostname()}:{os.getpid()}"):
        log.info(phrase("serve_taken", lang, job=job, slot=_local(slot)))
        return
    as_of = now.astimezone(ZoneInfo(TIMEZONE)).date()
    log.info(phrase("serve_running", lang, job=job, day=show_date(as_of)))
    try:
        _trigger(job, runtime, as_of, orchestrate)
    except DondocError as error:  # one line in the log; the next run tries again
        log.error(phrase("serve_failed", lang, job=job, error=" ".join(str(error).split())))


def _trigger(job: str, runtime: Runtime, as_of: date, orchestrate: bool) -> None:
    """Run the job's flow (or, with ``orchestrate`` off, its plain step)."""
    policy = runtime.configuration.policy
    if orchestrate:
        from workflows.orchestration.flows import SWEEP_FLOWS, dispatch_flow

        if job == REVIEW_JOB:
            from workflows.orchestration.flows import review_close_flow

            review_close_flow(as_of)
        elif job == "dispatch":
            dispatch_flow()
        else:
            SWEEP_FLOWS[job](as_of)
    elif job == REVIEW_JOB:
        close_due(runtime.engine, settings=runtime.settings, configuration=runtime.configuration, as_of=as_of,
                  actor="dondoc serve", now=datetime.now(UTC))
    elif job == "dispatch":
        run(runtime.engine, make_mailer(runtime.settings), policy=policy, now=datetime.now(UTC))
    else:
        SWEEPS[job](runtime.engine, settings=runtime.settings, configuration=runtime.configuration, as_of=as_of)


def serve(runtime: Runtime, *, orchestrate: bool = True, stop: threading.Event | None = None) -> None:
    """Run the jobs until SIGTERM or SIGINT (or ``stop`` is set)."""
    policy = runtime.configuration.policy
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(
        timezone=TIMEZONE,
        jobstores={"default": SQLAlchemyJobStore(engine=runtime.engine, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "misfire_grace_time": policy.misfire_grace_seconds, "max_instances": 1},
    )
    for job in (*JOBS, REVIEW_JOB):
        scheduler.add_job(run_job, cron_trigger(job_cron(policy, job)), id=job, name=job, args=[job, orchestrate],
                          replace_existing=True)
    stop = stop or threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        log.info(phrase("serve_signal", runtime.settings.language, signal=signum))
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    scheduler.start()
    for job in scheduler.get_jobs():
        log.info(phrase("serve_next", runtime.settings.language, job=job.id, when=_local(job.next_run_time)))
    stop.wait()
    scheduler.shutdown(wait=True)
    log.info(phrase("serve_stopped", runtime.settings.language))


def _local(moment: datetime) -> str:
    """A moment of the schedule as the log shows it: dd/mm/yyyy HH:MM:SS in Vietnam's time."""
    return moment.astimezone(ZoneInfo(TIMEZONE)).strftime("%d/%m/%Y %H:%M:%S")
