"""Shared fixtures: the bundled document, the shipped configuration, real databases.

The database fixture runs each test on a real SQLite file and on a real PostgreSQL server (the
one named by DONDOC_TEST_POSTGRES_URL, a fresh database per test). Without that server the
PostgreSQL runs are skipped, except where DONDOC_REQUIRE_POSTGRES is set (CI), where they fail.
"""

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import hypothesis  # noqa: F401  (loaded early: its late import at the summary trips a CPython 3.11.7 AST bug)
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from config.loading import Configuration, load_configuration
from config.settings import Settings
from models.db import open_database
from workflows.orchestration.ingest import sample_path
from workflows.reading.text import read_document

SAMPLE = sample_path()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return read_document(SAMPLE, max_bytes=10**8)


@pytest.fixture(scope="session")
def configuration() -> Configuration:
    return load_configuration(Settings(_env_file=None))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file built once from the migrations; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


def _admin() -> Engine | None:
    base = os.environ.get("DONDOC_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("DONDOC_REQUIRE_POSTGRES"):
            pytest.fail("DONDOC_TEST_POSTGRES_URL is not set, and CI requires PostgreSQL")
        return None
    return create_engine(base, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    """A PostgreSQL database built once from the migrations; each test gets a copy of it."""
    admin = _admin()
    if admin is None:
        yield None
        return
    name = f"dondoc_template_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        if os.environ.get("DONDOC_REQUIRE_POSTGRES"):
            raise
        yield None
        return
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    open_database(url).dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _postgres_database(template: str | None, prefix: str = "dondoc_test") -> Iterator[str]:
    """A new PostgreSQL database, copied from ``template`` (or empty when it is None), dropped after."""
    admin = _admin()
    if admin is None:
        pytest.skip("no PostgreSQL server: set DONDOC_TEST_POSTGRES_URL")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    for attempt in range(5):  # PostgreSQL refuses to copy a template another session still holds for a moment
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
            break
        except OperationalError as error:
            if "being accessed by other users" not in str(error) or attempt == 4:
                raise
            time.sleep(0.5)
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    """Drop a test database. FORCE ends its sessions; a role without pg_signal_backend may not end
    an autovacuum worker's, so that refusal is waited out (the worker finishes in a moment)."""
    for attempt in range(10):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as error:
            if "pg_signal_backend" not in str(error) or attempt == 9:
                raise
            time.sleep(0.5)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path, postgres_template: str | None
) -> Iterator[str]:
    """A fresh, migrated database: a copy of the SQLite template, or a new PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "dondoc.db"
        shutil.copy(migrated_sqlite, path)
        yield f"sqlite:///{path}"
    elif postgres_template is None:
        pytest.skip("no PostgreSQL server: set DONDOC_TEST_POSTGRES_URL")
    else:
        yield from _postgres_database(postgres_template)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, for a test that runs the migrations itself."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        yield from _postgres_database(None, prefix="dondoc_empty")
