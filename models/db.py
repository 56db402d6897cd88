"""The engine, sessions, and bringing a database to the current schema with Alembic.

Every command that touches the database calls :func:`open_database`, which migrates an old or
empty database first; the check costs one query when the schema is already current.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session as Session  # the session type the floors above use, through this module

from config.errors import StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_REVISION = "0003"
"""The newest migration; a test checks that it is Alembic's head."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the folder is made and foreign keys are enforced."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the database folder {path.parent}: {exc.strerror}") from None
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest schema (a no-op when it is current)."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(url: str) -> Engine:
    """Connect, migrate if needed, and return the engine; a connection failure is a StorageError."""
    engine = make_engine(url)
    try:
        if current_revision(engine) != SCHEMA_REVISION:
            migrate(engine)
    except OperationalError as exc:
        raise StorageError(f"cannot open the database {engine.url!r}: {exc.orig}") from None
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot migrate the database {engine.url!r}: {exc}") from None
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back (nothing stored) on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
