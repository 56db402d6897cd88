"""The steps of ingestion as plain functions: load configuration, parse a file, store it.

The Prefect flow in :mod:`workflows.flows` runs these same steps as tasks; a one-off command
on the embedded default calls them directly and answers in about a second.
"""

import getpass
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from config.bodies import Registry, load_registry
from config.errors import ConfigError
from config.policy import Policy, load_policy
from config.rules import Rule, load_rules
from config.settings import Settings
from workflows.programme import Programme, parse_programme
from workflows.text import read_document


def sample_path() -> Path:
    """The bundled sample: Khánh Hòa's 2020 - 2025 action programme (draft)."""
    return Path(str(resources.files("workflows") / "samples" / "khanh-hoa-2020-2025.txt"))


def actor() -> str:
    """Who is acting, for the audit trail: ``DONDOC_ACTOR``, else the login name."""
    try:
        return os.environ.get("DONDOC_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class Configuration:
    """The data files, loaded and checked together."""

    registry: Registry
    rules: list[Rule]
    policy: Policy


def load_configuration(settings: Settings) -> Configuration:
    """Load the three files and check them against each other (a ladder naming an unknown body)."""
    registry = load_registry(settings.bodies_file)
    policy = load_policy(settings.policy_file)
    if policy.escalation_top not in registry.bodies:
        raise ConfigError(
            f"policy file {settings.policy_file}: escalation.top names unknown body {policy.escalation_top!r}"
        )
    return Configuration(registry, load_rules(settings.rules_file, registry), policy)


def parse_file(path: Path, *, settings: Settings, configuration: Configuration) -> Programme:
    """Read and parse one document; raises DocumentError naming what is wrong with it."""
    text = read_document(path, max_bytes=settings.max_document_bytes)
    return parse_programme(text, rules=configuration.rules, policy=configuration.policy)


def store(programme: Programme, *, source: str, settings: Settings, configuration: Configuration, now: datetime | None = None):  # type: ignore[no-untyped-def]
    """Store a parsed programme in one transaction; returns what changed."""
    from models.db import open_database, session_scope
    from models.store import store_programme

    engine = open_database(settings.url)
    try:
        with session_scope(engine) as session:
            return store_programme(
                session, programme=programme, source=source, registry=configuration.registry,
                actor=actor(), now=now or datetime.now(UTC),
            )
    finally:
        engine.dispose()
