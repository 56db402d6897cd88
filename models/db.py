"""The engine, sessions, and bringing a database to the current schema with Alembic.

Every command that touches the database calls :func:`open_database`, which migrates an old or
empty database first; the check costs one query when the schema is already current.

This is the models' edge for driver errors: inside :func:`session_scope` (and the other
transactions of this package, through :func:`storage_errors`) a SQLAlchemy error becomes a
:class:`ConflictError` when the database refused a row that contradicts what is stored (a unique
key or a CHECK), and a :class:`StorageError` otherwise (locked, unreachable, a broken reference).
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlmodel import Session as Session  # the session type the floors above use, through this module

from config.errors import ConflictError, DondocError, StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_REVISION = "0004"
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
    """Upgrade the database to the newest schema (a no-op when it is current).

    On SQLite a migration that changes a table copies it into a new one and drops the old one;
    with foreign keys enforced, dropping ``item`` would delete its indicators and assignments
    (ON DELETE CASCADE). So foreign keys are off while the migrations run (the pragma only takes
    effect outside a transaction) and the references are checked before the commit.
    """
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite_file = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite_file:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite_file:
                    _refuse_broken_references(connection)
        finally:
            if sqlite_file:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _refuse_broken_references(connection: Any) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
        raise StorageError(f"the upgrade left {len(broken)} broken references, the first in {table} row {rowid} (to {parent})")


def open_database(url: str) -> Engine:
    """Connect, migrate if needed, and return the engine; a connection failure is a StorageError."""
    engine = make_engine(url)
    try:
        if current_revision(engine) != SCHEMA_REVISION:
            migrate(engine)
    except OperationalError as exc:
        raise StorageError(f"cannot open the database {engine.url!r}: {_first_line(exc.orig)}") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot migrate the database {engine.url!r}: {_first_line(getattr(exc, 'orig', None) or exc)}") from exc
    return engine


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn a driver error raised in the block into the project's own error, with one line."""
    try:
        yield
    except IntegrityError as exc:
        raise integrity_error(exc) from exc
    except OperationalError as exc:
        raise StorageError(f"the database could not do it: {_first_line(exc.orig)}") from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"the database refused the operation: {_first_line(getattr(exc, 'orig', None) or exc)}") from exc


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back (nothing stored) on any error;
    a driver error on the way (a flush, the commit) comes out as the project's own error."""
    with storage_errors(), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


_CONTRADICTIONS = {
    "23505",  # PostgreSQL unique_violation
    "23514",  # PostgreSQL check_violation
    "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_CHECK",
}


def integrity_error(exc: IntegrityError) -> DondocError:
    """A unique key or a CHECK refused the row: it contradicts what is stored (ConflictError).
    Anything else (a reference to a row that is not there, a missing value) is a StorageError."""
    orig = exc.orig
    code = orig.sqlite_errorname if isinstance(orig, sqlite3.Error) else getattr(orig, "sqlstate", None)
    if code in _CONTRADICTIONS:
        return ConflictError(f"this contradicts what is stored: {_first_line(orig)}")
    return StorageError(f"the database refused the change: {_first_line(orig)}")


def _first_line(error: BaseException | None) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
