"""What a process works with: its settings, the configuration files and a database engine.

Built once at an entry point and passed down. A Prefect worker or ``dondoc serve`` runs many
flows and jobs in one process, and :func:`process_runtime` gives them all the same one: the
settings come from that process's own environment (never from a flow's parameters, so no
secret reaches Prefect's database), and the files are read once, not in every task and job.
"""

import os
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from config.loading import Configuration, load_configuration
from config.policy import TIMEZONE
from config.settings import Settings, load_settings
from models.db import open_database


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    configuration: Configuration
    engine: Engine


def open_runtime(settings: Settings | None = None, *, create: bool = True) -> Runtime:
    """Load what was not given, check the configuration files, and open (and migrate) the database;
    with ``create=False`` (a command that only reads) a missing database is a NotFoundError and
    nothing is made."""
    settings = settings or load_settings()
    configuration = load_configuration(settings)
    return Runtime(settings, configuration, open_database(settings.url, create=create))


_runtimes: dict[tuple[tuple[str, str], ...], Runtime] = {}


def process_runtime(settings: Settings | None = None, *, create: bool = True) -> Runtime:
    """This process's runtime, built on first use (from ``settings``, or from the environment)
    and kept. Keyed by the ``DONDOC_*`` variables, so that a process whose environment changes
    (a test) does not keep settings it no longer has. ``create`` matters only when the database
    is first opened: once it is open, it exists for readers and writers alike."""
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("DONDOC_")))
    if key not in _runtimes:
        _runtimes[key] = open_runtime(settings, create=create)
    return _runtimes[key]


def today() -> date:
    """Today in Vietnam: what a run means by "now" when no ``--as-of`` is given."""
    return datetime.now(ZoneInfo(TIMEZONE)).date()
