"""The steps of ingestion as plain functions: parse a file, store it.

The Prefect flow in :mod:`workflows.orchestration.flows` runs these same steps as tasks; a
one-off command on the embedded default calls them directly and answers in about a second.
"""

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine

from config.loading import Configuration
from config.settings import Settings
from models.db import session_scope
from models.documents import Changes, store_programme
from models.programme import Programme
from workflows.reading.programme import parse_programme
from workflows.reading.text import read_document


def sample_path() -> Path:
    """The bundled sample: Khánh Hòa's 2020 - 2025 action programme (draft)."""
    return Path(str(resources.files("workflows.reading") / "samples" / "khanh-hoa-2020-2025.txt"))


def parse_file(path: Path, *, settings: Settings, configuration: Configuration) -> Programme:
    """Read and parse one document; raises DocumentError naming what is wrong with it."""
    text = read_document(path, max_bytes=settings.max_document_bytes)
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy, registry=configuration.registry)


def store(
    engine: Engine, programme: Programme, *, source: str, configuration: Configuration, actor: str,
    now: datetime | None = None, confirm: bool = False,
) -> Changes:
    """Store a parsed programme in one transaction; returns what changed. A revision that would
    retire most of the items raises ``MostItemsRetired`` (nothing stored) unless ``confirm``."""
    with session_scope(engine) as session:
        return store_programme(
            session, programme=programme, source=source, registry=configuration.registry,
            actor=actor, now=now or datetime.now(UTC), confirm=confirm,
        )
