"""The answer page's fixtures: a real SQLite file holding the bundled programme, a runtime over it,
the application, and links made the way the letters make them."""

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from config.loading import Configuration
from config.settings import Settings
from models.db import open_database
from notifications.links import link_for, make_token
from tests.conftest import SAMPLE
from web.app import create_app
from workflows.orchestration.ingest import parse_file, store
from workflows.orchestration.runtime import Runtime

KEY = SecretStr("k" * 8 + "7Qx2-the-tests-own-signing-key-0123456789")
DAY = datetime(2021, 6, 30, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
"""A reporting date of the half-yearly cadence (a Wednesday): reports are owed on it."""


@pytest.fixture(scope="session")
def ingested_sqlite(tmp_path_factory: pytest.TempPathFactory, configuration: Configuration) -> Path:
    """The sample programme stored once in a migrated SQLite file; each test gets a copy."""
    path = tmp_path_factory.mktemp("web") / "ingested.db"
    engine = open_database(f"sqlite:///{path}")
    settings = Settings(_env_file=None, home=path.parent)
    programme = parse_file(SAMPLE, settings=settings, configuration=configuration)
    store(engine, programme, source=str(SAMPLE), configuration=configuration, actor="tests", now=datetime(2021, 1, 4, tzinfo=UTC))
    engine.dispose()
    return path


def make_settings(home: Path, url: str) -> Settings:
    return Settings(_env_file=None, home=home, database_url=url, secret_key=KEY)


@pytest.fixture
def runtime(tmp_path: Path, ingested_sqlite: Path, configuration: Configuration) -> Iterator[Runtime]:
    path = tmp_path / "dondoc.db"
    shutil.copy(ingested_sqlite, path)
    url = f"sqlite:///{path}"
    made = Runtime(make_settings(tmp_path, url), configuration, open_database(url))
    yield made
    made.engine.dispose()


Clock = Callable[[], datetime]


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, clock=lambda: DAY), raise_server_exceptions=False, follow_redirects=False) as c:
        yield c


def path_of(runtime: Runtime, body: str, *, generation: int = 0, expires: date | None = None) -> str:
    """The path of ``body``'s link, as the letters make it (or with a chosen last day)."""
    if expires is not None:
        return "/b/" + make_token(body, settings=runtime.settings, generation=generation, expires=expires)
    link = link_for(body, settings=runtime.settings, policy=runtime.configuration.policy, now=DAY, generation=generation)
    return link.removeprefix(runtime.settings.base_url)
