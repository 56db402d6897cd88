"""Prefect's environment, set before Prefect is imported: home, telemetry, the temporary server.

Prefect reads its settings once, when it is imported, so these defaults are set in
``os.environ`` first (:mod:`workflows.orchestration.flows`, the one module that imports Prefect,
calls :func:`prefect_environment` before its ``from prefect import``). A variable that the user
set is kept as it is.

- ``PREFECT_HOME`` stays under dondoc's home (``$DONDOC_HOME/prefect``), not ``~/.prefect``.
- Telemetry is off (``PREFECT_SERVER_ANALYTICS_ENABLED=false``, ``DO_NOT_TRACK=1``): there is no
  network past the registries, and a province's server has no business calling out.
- The temporary server that Prefect starts when no ``PREFECT_API_URL`` is set gets 120 s to start
  (20 s is Prefect's default; a fresh database needs more on a small machine), and a SQLite
  database of its own: two processes (two ``dondoc serve``, or ``serve`` and a command with
  ``--orchestrate``) that shared one file printed a ``database is locked`` traceback. Each process
  takes the first free slot, holding an exclusive ``flock`` on ``prefect-N.lock`` for its life
  (the system releases it when the process ends, even on ``kill -9``), and uses that slot's
  database, so that a later process finds a database already migrated (8 s instead of 20 s).
"""

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import IO

from config.errors import DondocError
from config.settings import Settings, default_home, load_settings

SLOTS = 8
"""Temporary-server databases kept in ``PREFECT_HOME``: more processes at once get one of their own."""

MARKER = "_DONDOC_PREFECT_DEFAULTS"
"""Names the process that set the defaults and which ones (``pid:NAME,NAME``): a child process
inherits them with the rest of the environment, and must choose its own database, not share its
parent's."""

_slots: dict[Path, tuple[IO[bytes], Path]] = {}
"""This process's slot in each Prefect home: the open lock file (kept open for the life of the
process) and the database it guards."""


def _dondoc_home(environ: Mapping[str, str]) -> Path:
    """dondoc's home as the settings say (``DONDOC_HOME`` or the settings file); a setting that
    does not load is the command's to report, so here the environment alone decides."""
    if environ is os.environ:
        try:
            return load_settings().home
        except DondocError:
            pass
    home = environ.get("DONDOC_HOME")
    return Path(home) if home else default_home()


def _database_slot(prefect_home: Path) -> Path:
    """The temporary server's SQLite file for this process: the first slot no other process
    holds (slot 0 is Prefect's usual ``prefect.db``), else one named after this process."""
    if prefect_home in _slots:
        return _slots[prefect_home][1]
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: one database per process
        return prefect_home / f"prefect-pid{os.getpid()}.db"
    prefect_home.mkdir(parents=True, exist_ok=True, mode=0o700)
    for number in range(SLOTS):
        lock = (prefect_home / f"prefect-{number}.lock").open("ab")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        database = prefect_home / ("prefect.db" if number == 0 else f"prefect-{number}.db")
        _slots[prefect_home] = (lock, database)
        return database
    return prefect_home / f"prefect-pid{os.getpid()}.db"


def _user_set(environ: MutableMapping[str, str]) -> dict[str, str]:
    """The variables the user set: the environment less what a parent dondoc process set for
    itself (see :data:`MARKER`)."""
    owner, _, names = environ.get(MARKER, "").partition(":")
    inherited = set(names.split(",")) if owner and owner != str(os.getpid()) else set()
    return {name: value for name, value in environ.items() if value and name not in inherited}


def prefect_environment(settings: Settings | None = None,
                        environ: MutableMapping[str, str] = os.environ) -> dict[str, str]:
    """Set Prefect's defaults in ``environ`` where the user set nothing, and say what was set.

    Call it before Prefect is imported; afterwards Prefect no longer reads its environment.
    """
    given = _user_set(environ)
    home = Path(given["PREFECT_HOME"]) if "PREFECT_HOME" in given else (
        (settings.home if settings else _dondoc_home(environ)) / "prefect")
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    if not {"PREFECT_API_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL"} & set(given):
        defaults["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{_database_slot(home)}"
    chosen = {name: value for name, value in defaults.items() if name not in given}
    environ.update(chosen)
    if chosen:
        environ[MARKER] = f"{os.getpid()}:{','.join(chosen)}"
    return chosen
