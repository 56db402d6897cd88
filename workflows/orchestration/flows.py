"""Prefect flows: thin wrappers that run the plain steps as a handful of tasks.

Flows take plain parameters (a path, a date, a flag, a limit); each process reads its settings
from its own environment (:func:`workflows.orchestration.runtime.process_runtime`), so no setting,
and no secret, is ever a flow or task parameter in Prefect's database. The deployments are
declared in ``prefect.yaml`` at the project's top.

This is the one module that imports Prefect (about two seconds); only what runs a flow imports
it. Importing it first sets Prefect's environment defaults (home under ``DONDOC_HOME``, no
telemetry, a temporary server database per process: :mod:`workflows.orchestration.prefect_env`),
since Prefect reads its environment once, when imported; then, when no ``PREFECT_API_URL`` is
set, it starts Prefect's temporary server, once, under the import lock, so that jobs that
``dondoc serve`` runs at the same minute in several threads do not race to start it (Prefect's
own start is not thread-safe: the loser failed with ``Server process did not start``).
"""

import asyncio
import threading
from datetime import UTC, date, datetime
from pathlib import Path

from models.documents import Changes
from models.programme import Programme
from notifications.dispatch import DispatchResult, dispatch, make_mailer
from workflows.orchestration import ingest, reviews
from workflows.orchestration.prefect_env import prefect_environment
from workflows.orchestration.runtime import process_runtime, today
from workflows.orchestration.sweeps import SWEEPS, SweepResult

prefect_environment()

from prefect import flow, task  # noqa: E402  (after its environment is set)

_server_lock = threading.Lock()


def start_temporary_server() -> None:
    """Start Prefect's temporary server for this process unless a Prefect API is configured
    (a worker, a test harness, ``PREFECT_API_URL``). Safe to call from several threads."""
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return
    from prefect.server.api.server import SubprocessASGIServer

    with _server_lock:
        SubprocessASGIServer().start()


@task(name="parse document")
def parse_task(path: Path) -> Programme:
    runtime = process_runtime()
    return ingest.parse_file(path, settings=runtime.settings, configuration=runtime.configuration)


@task(name="store programme")
def store_task(programme: Programme, source: str, confirm: bool = False) -> Changes:
    runtime = process_runtime()
    return ingest.store(runtime.engine, programme, source=source, configuration=runtime.configuration,
                        actor=runtime.settings.actor, confirm=confirm)


@flow(name="ingest-programme", log_prints=True)
def ingest_flow(path: str, confirm: bool = False) -> tuple[Programme, Changes]:
    """Parse a programme document and store its items (idempotent: a second run changes nothing;
    ``confirm`` lets a revision retire most of the items)."""
    programme = parse_task(Path(path))
    return programme, store_task(programme, Path(path).name, confirm)


@task(name="sweep")
def sweep_task(kind: str, as_of: date, dry_run: bool) -> SweepResult:
    runtime = process_runtime()
    return SWEEPS[kind](runtime.engine, settings=runtime.settings, configuration=runtime.configuration,
                        as_of=as_of, dry_run=dry_run)


@flow(name="chase")
def chase_flow(as_of: date | None = None, dry_run: bool = False) -> SweepResult:
    """The daily chase: record the rungs reached on ``as_of`` (default: today in Vietnam) and queue
    one letter per body with the reminders and escalations it is owed."""
    return sweep_task("chase", as_of or today(), dry_run)


@flow(name="remind")
def remind_flow(as_of: date | None = None, dry_run: bool = False) -> SweepResult:
    """Queue the reminders owed on ``as_of`` (default: today in Vietnam)."""
    return sweep_task("remind", as_of or today(), dry_run)


@flow(name="escalate")
def escalate_flow(as_of: date | None = None, dry_run: bool = False) -> SweepResult:
    """Record the escalations reached on ``as_of`` and queue their emails."""
    return sweep_task("escalate", as_of or today(), dry_run)


@flow(name="digest")
def digest_flow(as_of: date | None = None, dry_run: bool = False) -> SweepResult:
    """Queue the coordinators' weekly digest."""
    return sweep_task("digest", as_of or today(), dry_run)


@task(name="send batch")
def dispatch_task(limit: int | None) -> DispatchResult:
    runtime = process_runtime()
    mailer = make_mailer(runtime.settings)
    return asyncio.run(dispatch(runtime.engine, mailer, policy=runtime.configuration.policy, now=datetime.now(UTC), limit=limit))


@flow(name="dispatch-outbox")
def dispatch_flow(limit: int | None = None) -> DispatchResult:
    """Send what the outbox holds that is due."""
    return dispatch_task(limit)


@task(name="open review")
def open_review_task(kind: str, due: date, as_of: date, period_from: date | None, period_to: date | None,
                     document: str | None, by: str | None) -> int:
    runtime = process_runtime()
    opened = reviews.open_review(runtime.engine, settings=runtime.settings, configuration=runtime.configuration, kind=kind,
                                 due=due, on=as_of, actor=by or runtime.settings.actor, now=datetime.now(UTC),
                                 period_from=period_from, period_to=period_to, document_key=document)
    return opened.round.id or 0


@task(name="close review")
def close_review_task(round_id: int, as_of: date, by: str | None) -> int:
    runtime = process_runtime()
    closed = reviews.close_review(runtime.engine, settings=runtime.settings, configuration=runtime.configuration,
                                  round_id=round_id, on=as_of, actor=by or runtime.settings.actor, now=datetime.now(UTC))
    return closed.queued


@flow(name="review-round")
def review_round_flow(
    kind: str, due: date, as_of: date | None = None, period_from: date | None = None, period_to: date | None = None,
    close_on: date | None = None, document: str | None = None, by: str | None = None,
) -> int:
    """A review round: open it on ``as_of`` (default: today in Vietnam) and ask each body; when
    ``close_on`` is given, close it on that day and send its report. Returns the round's number."""
    round_id = open_review_task(kind, due, as_of or today(), period_from, period_to, document, by)
    if close_on is not None:
        close_review_task(round_id, close_on, by)
    return round_id


@task(name="close due reviews")
def close_due_task(as_of: date) -> list[int]:
    runtime = process_runtime()
    closed = reviews.close_due(runtime.engine, settings=runtime.settings, configuration=runtime.configuration,
                               as_of=as_of, actor="dondoc serve", now=datetime.now(UTC))
    return [c.round.id or 0 for c in closed]


@flow(name="review-close")
def review_close_flow(as_of: date | None = None) -> list[int]:
    """Close the open review rounds whose due date plus the policy's grace has passed on
    ``as_of`` (what ``serve`` runs each day); returns the rounds closed."""
    return close_due_task(as_of or today())


SWEEP_FLOWS = {"chase": chase_flow, "remind": remind_flow, "escalate": escalate_flow, "digest": digest_flow}
"""The sweep flows by name (the scheduler's jobs and the deployments in ``prefect.yaml``, with ``dispatch-outbox``)."""

start_temporary_server()
