"""Prefect flows: thin wrappers that run the plain steps as a handful of tasks.

Importing this module imports Prefect (about two seconds); only the commands that run a flow
do so. With a Prefect server configured (``PREFECT_API_URL``), runs appear in its history and
the same flows can be deployed (see the README).
"""

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

from prefect import flow, task

from config.settings import Settings
from models.store import Changes
from notifications.dispatch import DispatchResult
from workflows import ingest
from workflows.programme import Programme
from workflows.sweeps import SweepResult


@task(name="parse document")
def parse_task(path: Path, settings: Settings) -> Programme:
    return ingest.parse_file(path, settings=settings, configuration=ingest.load_configuration(settings))


@task(name="store programme")
def store_task(programme: Programme, source: str, settings: Settings) -> Changes:
    configuration = ingest.load_configuration(settings)
    changes: Changes = ingest.store(programme, source=source, settings=settings, configuration=configuration)
    return changes


@flow(name="ingest-programme", log_prints=True)
def ingest_flow(path: str, settings: Settings | None = None) -> tuple[Programme, Changes]:
    """Parse a programme document and store its items (idempotent: a second run changes nothing)."""
    settings = settings or _settings()
    programme = parse_task(Path(path), settings)
    return programme, store_task(programme, Path(path).name, settings)


@task(name="sweep")
def sweep_task(kind: str, settings: Settings, as_of: date, dry_run: bool) -> SweepResult:
    from models.db import open_database
    from workflows import sweeps

    configuration = ingest.load_configuration(settings)
    engine = open_database(settings.url)
    try:
        step = {"remind": sweeps.remind, "escalate": sweeps.escalate, "digest": sweeps.digest}[kind]
        return step(engine, settings=settings, configuration=configuration, as_of=as_of, dry_run=dry_run)
    finally:
        engine.dispose()


@flow(name="remind")
def remind_flow(as_of: date | None = None, settings: Settings | None = None, dry_run: bool = False) -> SweepResult:
    """Queue the reminders owed on ``as_of``."""
    return sweep_task("remind", settings or _settings(), as_of or _today(), dry_run)


@flow(name="escalate")
def escalate_flow(as_of: date | None = None, settings: Settings | None = None, dry_run: bool = False) -> SweepResult:
    """Record the escalations reached on ``as_of`` and queue their emails."""
    return sweep_task("escalate", settings or _settings(), as_of or _today(), dry_run)


@flow(name="digest")
def digest_flow(as_of: date | None = None, settings: Settings | None = None, dry_run: bool = False) -> SweepResult:
    """Queue the coordinators' weekly digest."""
    return sweep_task("digest", settings or _settings(), as_of or _today(), dry_run)


@task(name="send batch")
def dispatch_task(settings: Settings, limit: int | None) -> DispatchResult:
    from models.db import open_database
    from notifications.dispatch import dispatch, make_mailer

    configuration = ingest.load_configuration(settings)
    engine = open_database(settings.url)
    try:
        return asyncio.run(dispatch(engine, make_mailer(settings), policy=configuration.policy, now=datetime.now(UTC), limit=limit))
    finally:
        engine.dispose()


@flow(name="dispatch-outbox")
def dispatch_flow(settings: Settings | None = None, limit: int | None = None) -> DispatchResult:
    """Send what the outbox holds that is due."""
    return dispatch_task(settings or _settings(), limit)


def _today() -> date:
    """Today in Vietnam: what a scheduled run means by "now"."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _settings() -> Settings:
    from config.settings import load_settings

    return load_settings()
