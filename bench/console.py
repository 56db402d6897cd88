"""The console at scale: the overview and a filtered item list on 100,000 items held by 1,000
bodies (with a report history), SQLite and PostgreSQL, measured as a user meets them: many
requests in a row, signed in, against the running server (uvicorn on loopback, in a thread);
median and 95th percentile per request, against a bare SQL query of the same counts (items per
lead body, section, status and whether past due, with the latest report). Goal: the overview's
95th percentile within 3x the bare query's.

PostgreSQL is measured when ``DONDOC_BENCH_POSTGRES_URL`` names a server database to fill (it is
emptied first); the rows are copied from the SQLite database built here.
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from chase import BODIES, build, registry_file  # bench/ is on the path when a bench runs
from chase_letters import answer
from sqlalchemy import Engine, MetaData, create_engine, text

from config.bodies import load_registry
from config.loading import Configuration
from config.policy import Policy
from config.rules import load_rules
from config.settings import Settings
from models.db import open_database, session_scope
from models.users import add_user, find_user
from web.app import create_app
from workflows.orchestration.runtime import Runtime

ITEMS, RUNS = 100_000, 30
NOW = datetime(2024, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
BARE = text(
    "select a.body_code, i.section_key, i.due < :day as late, r.status, count(*) from item i "
    "left join assignment a on a.item_id = i.id and a.role = 'lead' "
    "left join (select item_id, max(id) as id from progress_report group by item_id) h on h.item_id = i.id "
    "left join progress_report r on r.id = h.id "
    "where i.document_id = 1 and i.retired_at is null group by a.body_code, i.section_key, i.due < :day, r.status")
PASSWORD = "bench-password-1234"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def timed(runs: int, **calls: Callable[[], object]) -> dict[str, tuple[float, float]]:
    """Median and 95th percentile of each call over ``runs`` rounds taking turns, so that a busy
    moment of the machine (other jobs share its two cores) falls on all of them alike."""
    for call in calls.values():
        call()  # warm: the first request builds caches (the calendar string, the search index)
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    return {name: percentiles(spent) for name, spent in times.items()}


def copy_to(source: Engine, url: str) -> None:
    """The SQLite bench database's rows in a migrated PostgreSQL database."""
    target = create_engine(url)
    with target.begin() as db:
        db.execute(text("drop schema public cascade; create schema public"))
    target.dispose()
    open_database(url).dispose()
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(source, only=["body", "document", "item", "assignment", "progress_report"])
    with source.connect() as read, engine.begin() as write:
        for name in ("body", "document", "item", "assignment", "progress_report"):
            table = meta.tables[name]
            rows = [dict(r._mapping) for r in read.execute(table.select())]
            for row in rows:
                for key in ("active", "manual"):
                    if key in row:
                        row[key] = bool(row[key])
            for start in range(0, len(rows), 5000):
                write.execute(table.insert(), rows[start:start + 5000])
        for name in ("item", "assignment", "progress_report"):
            write.execute(text(f"select setval(pg_get_serial_sequence('{name}', 'id'), (select max(id) from {name}))"))
    engine.dispose()


def measure(label: str, url: str, configuration: Configuration, folder: Path) -> None:
    engine = open_database(url)
    with session_scope(engine) as session:
        if find_user(session, "bench") is None:
            add_user(session, login="bench", role="coordinator", body=None, password=PASSWORD, actor="bench", now=NOW)
    settings = Settings(_env_file=None, home=folder, database_url=url, secret_key="b" * 8 + "Zq9-bench-signing-key-0123456789abcd")
    runtime = Runtime(settings, configuration, engine)
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime, clock=lambda: NOW), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=120) as client:
        login = client.get("/login").text
        token = login.split('name="csrf" value="')[1].split('"')[0]
        assert client.post("/login", data={"login": "bench", "password": PASSWORD, "csrf": token, "next": "/"}).status_code == 303

        def page(path: str) -> Callable[[], object]:
            def get() -> object:
                answer = client.get(path)
                assert answer.status_code == 200, (path, answer.status_code)
                return answer
            return get

        with engine.connect() as db:
            figures = timed(
                RUNS, bare=lambda: db.execute(BARE, {"day": NOW.date()}).all(), overview=page("/"),
                body_overdue=page("/items?body=B0007&overdue=1"),
                overdue_by_due=page("/items?status=not_done_overdue&sort=-due&page=3"),
                search=page("/items?q=nhiem+vu&page=2"),
            )
    server.should_exit = True
    engine.dispose()
    print(f"{label}: {ITEMS:,} items, {BODIES:,} bodies, {RUNS} requests of each in a row, taking turns (median / p95)")
    shown = {"bare": "bare SQL of the same counts", "overview": "overview /",
             "body_overdue": "list /items?body=B0007&overdue=1",
             "overdue_by_due": "list /items?status=not_done_overdue&sort=-due&page=3",
             "search": "search /items?q=nhiem+vu&page=2 (matches every item)"}
    for name, (median, p95) in figures.items():
        print(f"  {shown[name]:<56} {median:7.1f} / {p95:7.1f} ms")
    ratio = figures["overview"][1] / figures["bare"][1]
    print(f"  overview p95 / bare SQL p95 = {ratio:.2f} (goal 3x: {'met' if ratio <= 3 else 'NOT met'})")


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as home:
        folder = Path(home)
        registry = load_registry(registry_file(folder))
        root = Path(__file__).resolve().parents[1] / "config"
        configuration = Configuration(registry, load_rules(root / "rules.yaml", load_registry(root / "bodies.yaml")), Policy())
        url = f"sqlite:///{folder / 'console.db'}"
        build(url, ITEMS)
        reports = answer(url)
        print(f"built {ITEMS:,} items with {reports:,} reports, as of {NOW.date().isoformat()}")
        measure("SQLite", url, configuration, folder)
        postgres = os.environ.get("DONDOC_BENCH_POSTGRES_URL")
        if postgres:
            source = create_engine(url)
            copy_to(source, postgres)
            source.dispose()
            measure("PostgreSQL", postgres, configuration, folder)


if __name__ == "__main__":
    main()
