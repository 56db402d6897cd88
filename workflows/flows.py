"""Prefect flows: thin wrappers that run the plain steps as a handful of tasks.

Importing this module imports Prefect (about two seconds); only the commands that run a flow
do so. With a Prefect server configured (``PREFECT_API_URL``), runs appear in its history and
the same flows can be deployed (see the README).
"""

from pathlib import Path

from prefect import flow, task

from config.settings import Settings
from models.store import Changes
from workflows import ingest
from workflows.programme import Programme


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
    from config.settings import load_settings

    settings = settings or load_settings()
    programme = parse_task(Path(path), settings)
    return programme, store_task(programme, Path(path).name, settings)
