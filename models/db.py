"""The engine, sessions, and bringing a database to the current schema with Alembic.

Every command that touches the database calls :func:`open_database`, which migrates an old or
empty database first; the check costs one query when the schema is already current.

This is the models' edge for driver errors: inside :func:`session_scope` (and the other
transactions of this package, through :func:`storage_errors`) a SQLAlchemy error becomes a
:class:`ConflictError` when the database refused a row that contradicts what is stored (a unique
key or a CHECK), and a :class:`StorageError` otherwise (locked, unreachable, a broken reference).
"""

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlmodel import Session as Session  # the session type the floors above use, through this module

from config.errors import ConfigError, ConflictError, DondocError, NotFoundError, StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCHEMA_REVISION = "0012"
"""The newest migration; a test checks that it is Alembic's head."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for another database, or SQLite in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _private_file(path: Path) -> None:
    """Make the database file, and the folders above it that are missing, for their owner only
    (0600 and 0700, whatever the umask): it holds every body's reports and email addresses.
    SQLite then creates the WAL and shared-memory files with the database file's permissions."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the database folder {folder}: {exc.strerror}") from None
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"cannot create the database {path}: {exc.strerror}") from None


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url``; for SQLite the file is made (when ``create``), private to its owner,
    and foreign keys are enforced. A driver that is not installed is a settings error."""
    path = sqlite_file(url)
    if path is not None and create:
        _private_file(path)
    try:
        engine = create_engine(url) if path is not None else create_engine(url, pool_pre_ping=True)
    except ImportError as exc:
        raise ConfigError(f"setting DONDOC_DATABASE_URL: the database driver {exc.name or ''} is not installed; "
                          "use sqlite:/// or postgresql+psycopg://") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision Alembic recorded (None: no schema yet), read with one query: every command
    asks it when it opens the database, and importing Alembic's runtime for it cost each command
    about 0.09 s (Alembic is imported only when there is something to migrate)."""
    with engine.connect() as connection:
        if not sa_inspect(connection).has_table("alembic_version"):
            return None
        heads = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(heads) > 1:
        raise StorageError(f"the database has several schema revisions at once ({', '.join(sorted(heads))})")
    return heads[0] if heads else None


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
                hold_write_lock(connection, MIGRATION_LOCK)  # two first commands on one fresh database
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


def _migrated(engine: Engine, *, create: bool, path: Path | None, attempts: int = 5) -> None:
    """Bring the database to this code's revision. On SQLite a fresh file that another process is
    turning into a WAL database, or migrating, can answer "database is locked" at once, without
    waiting the busy timeout (WAL recovery does not call the busy handler): so a locked open is
    tried again a few times, as a second first command would wait for the first."""
    for attempt in range(attempts):
        try:
            revision = current_revision(engine)
            if revision is None and not create:
                raise NotFoundError(f"no database yet at {path or engine.url!r}; run dondoc ingest FILE first")
            if revision != SCHEMA_REVISION:
                _refuse_unknown(revision)
                migrate(engine)
            return
        except OperationalError as exc:
            if engine.dialect.name != "sqlite" or "locked" not in str(exc.orig) or attempt == attempts - 1:
                raise
            engine.dispose()
            time.sleep(0.5 * (attempt + 1))


def open_database(url: str, *, create: bool = True) -> Engine:
    """Connect, migrate if needed, and return the engine; a connection failure is a StorageError.

    ``create=False`` is for commands that only read: where there is no database yet they say so
    (NotFoundError) and make nothing, neither the SQLite file nor its folder nor the tables.
    A database that a newer dondoc has migrated is refused as it is: this code cannot read it.
    """
    path = sqlite_file(url)
    if not create and path is not None and not path.exists():
        raise NotFoundError(f"no database yet at {path}; run dondoc ingest FILE first")
    engine = make_engine(url, create=create)
    try:
        _migrated(engine, create=create, path=path)
    except OperationalError as exc:
        engine.dispose()
        raise StorageError(f"cannot open the database {engine.url!r}: {_first_line(exc.orig)}") from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(f"cannot migrate the database {engine.url!r}: {_first_line(getattr(exc, 'orig', None) or exc)}") from exc
    except DondocError:
        engine.dispose()
        raise
    return engine


def _refuse_unknown(revision: str | None) -> None:
    """A revision that none of our migrations has was made by a newer dondoc (or by hand):
    migrating from it is impossible, and reading it with this code would misread it."""
    if revision is None:
        return
    from alembic.script import ScriptDirectory

    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    if revision not in known:
        raise StorageError(f"the database was made by a newer dondoc (revision {revision}); upgrade dondoc")


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


INGEST_LOCK = 0x646F6E646F63_01
"""PostgreSQL advisory lock key of ingestion (one document store at a time per database)."""
MIGRATION_LOCK = 0x646F6E646F63_02
"""PostgreSQL advisory lock key of migrations (one upgrade at a time per database)."""


def hold_write_lock(connection: Any, key: int) -> None:
    """Serialise writers that read before they write (two first ingests, two revisions at once):
    on SQLite take the database's write lock now (``BEGIN IMMEDIATE``, waiting up to the busy
    timeout) instead of at the first write, on PostgreSQL a transaction-level advisory lock on
    ``key``. Call it first in the transaction: the second writer then waits, and reads what the
    first one committed."""
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(key)})")


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
