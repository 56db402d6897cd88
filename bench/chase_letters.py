"""The day's chase, whole, at 100,000 items and 1,000 bodies (``workflows.orchestration.chase``):
selecting what is owed (reminders and rungs), composing, rendering and queuing one letter per body,
against a bare SQL query of the same due rows; with the number of letters and the parts they carry.

It runs on the database ``bench/chase.py`` builds for its reminder sweep, with the reports a
working programme would have added (an item nobody ever answered is escalated every day, so the
bare database would give every body a letter of hundreds of rungs): an item due by 30/06/2025 is
done by its due date, a later one has answered each reporting date up to 30/06/2025; one item in
fifty answered nothing after its first reporting date. Each round runs on a fresh copy, so every
part owed on the day is new (the letters are the day's whole, not a second run's remainder).
"""

import os
import random
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import Engine, text

from config.bodies import load_registry
from config.loading import Configuration
from config.policy import Policy
from config.rules import load_rules
from config.settings import Settings
from models.db import open_database
from notifications.render import to_draft
from workflows.orchestration.chase import chase, owed_rungs
from workflows.orchestration.sweeps import owed_reminders
from workflows.rules.reminders import reminder_window
from workflows.rules.reporting import period_ends, reporting_dates

ROOT = Path(__file__).resolve().parents[1]
ANSWERED_UNTIL = date(2025, 6, 30)
KEY = SecretStr("bench-only-signing-key-7Qx2-0123456789abcdefghij")


def answer(url: str) -> int:
    """Add the report history described above; returns the number of reports."""
    engine = open_database(url)
    rng = random.Random(7)
    now = datetime.now(UTC).isoformat(sep=" ")
    with engine.begin() as db:
        items = db.execute(text("select item.id, item.due, a.body_code from item join assignment a "
                                "on a.item_id = item.id and a.role = 'lead'")).all()
        rows = []
        for item_id, due, body in items:
            due = date.fromisoformat(str(due))
            periods = reporting_dates(date(2021, 1, 1), due, "half_yearly")
            silent = rng.randrange(50) == 0
            for period in periods[:1] if silent else [p for p in periods if p <= ANSWERED_UNTIL]:
                done = period == due and not silent
                rows.append({"i": item_id, "b": body, "s": "done" if done else "in_progress", "p": period.isoformat(),
                             "now": now, "pc": 100 if done else 50})
        db.execute(text("insert into progress_report(item_id,body_code,status,percent,note,\"values\",period,submitted_on,"
                        "submitted_at,actor) values (:i,:b,:s,:pc,null,'{}',:p,:p,:now,'bench')"), rows)
    engine.dispose()
    return len(rows)


def settled(path: Path) -> Path:
    """``path`` with its write-ahead log folded in and no connection open, so that a file copy of
    it holds everything (a copy of the main file alone would miss what the log still holds)."""
    engine = open_database(f"sqlite:///{path}")
    with engine.connect() as db:
        db.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


def bare_sql(engine: Engine, day: date, window: tuple[date, date | None], last: date) -> int:
    """The baseline: one plain query for the rows the day's letters are about: every assignment
    (lead or cooperating) of an open item due in the reminder window, overdue, or silent on the
    last reporting date passed, with the columns a letter shows."""
    until = " and item.due <= :b" if window[1] is not None else ""
    with engine.connect() as db:
        rows = db.execute(text(
            "select item.id, item.key, item.kind, item.text, item.section_key, item.due, a.body_code, a.role "
            "from item join assignment a on a.item_id = item.id "
            "where item.retired_at is null "
            "and not exists (select 1 from progress_report r where r.item_id = item.id and r.status = 'done') "
            f"and ((item.due >= :a{until}) or item.due < :day or not exists "
            "(select 1 from progress_report r where r.item_id = item.id and r.period = :last))"),
            {"a": window[0], "b": window[1], "day": day, "last": last}).all()
    return len(rows)


def letters_figures(folder: Path, built: Path, days: dict[str, date], rounds: int = 3) -> None:
    """``built``: the 100,000-item database of ``bench/chase.py`` (its registry in ``folder``)."""
    configuration = Configuration(load_registry(folder / "bodies.yaml"), load_rules(
        ROOT / "config" / "rules.yaml", load_registry(ROOT / "config" / "bodies.yaml")), Policy())
    policy = configuration.policy
    answered = folder / "answered.db"
    shutil.copy(settled(built), answered)
    reports = answer(f"sqlite:///{answered}")
    engine = open_database(f"sqlite:///{answered}")
    with engine.connect() as db:
        count = db.execute(text("select count(*) from item")).scalar_one()
    engine.dispose()
    settled(answered)
    print(f"the day's chase, whole, at {count:,} items and {len(configuration.registry.bodies):,} bodies "
          f"({reports:,} reports: answered until {ANSWERED_UNTIL:%d/%m/%Y}, one item in fifty silent); SQLite file, "
          f"best of {rounds} rounds taking turns, each chase on a fresh copy; "
          "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for label, day in days.items():
        ends = period_ends(day, policy.reporting_cadence)
        window, last = reminder_window(day, policy, ends), max(p for p in ends if p < day)
        times: dict[str, list[float]] = {"chase": [], "select": [], "bare": [], "cpu": [], "mime": []}
        runs: set[tuple[int, int]] = set()
        for round_ in range(rounds):
            copy = folder / f"chase{round_}.db"
            shutil.copy(answered, copy)
            url = f"sqlite:///{copy}"
            settings = Settings(_env_file=None, home=folder, database_url=url, secret_key=KEY)
            engine = open_database(url)
            started = time.perf_counter()
            owed = len(owed_reminders(engine, configuration, day)) + len(owed_rungs(engine, configuration, day))
            times["select"].append(time.perf_counter() - started)
            started = time.perf_counter()
            selected = bare_sql(engine, day, window, last)
            times["bare"].append(time.perf_counter() - started)
            started, processor = time.perf_counter(), time.process_time()
            result = chase(engine, settings=settings, configuration=configuration, as_of=day)
            times["chase"].append(time.perf_counter() - started)
            times["cpu"].append(time.process_time() - processor)
            started = time.perf_counter()  # the floor: only the MIME of the letters already rendered
            for email in result.emails:
                to_draft(email, sender=settings.mail_from)
            times["mime"].append(time.perf_counter() - started)
            with engine.connect() as db:
                parts = db.execute(text("select count(*) from letter_part")).scalar_one()
                size = db.execute(text("select coalesce(sum(length(raw)), 0) from outbox where kind = 'chase'")).scalar_one()
            engine.dispose()
            copy.unlink()
            runs.add((result.queued, parts))
        assert len(runs) == 1, f"the rounds wrote different letters: {runs}"
        whole, select, bare, cpu, mime = (min(times[name]) for name in ("chase", "select", "bare", "cpu", "mime"))
        print(f"  {day:%d/%m/%Y}, {label}: {result.queued} letters queued carrying {parts:,} parts "
              f"({owed:,} reminders and rungs owed; {size / max(result.queued, 1) / 1024:.0f} KiB a letter)")
        print(f"    whole chase {whole * 1000:7.0f} ms; selection alone (reminders + rungs) {select * 1000:6.0f} ms; "
              f"bare SQL {bare * 1000:5.0f} ms ({selected:,} rows); whole/bare {whole / bare:.1f}x, selection/bare {select / bare:.1f}x")
        print(f"    processor time of the whole chase {cpu * 1000:7.0f} ms; the floor, bare SQL + only the MIME of the "
              f"{result.queued} letters already rendered: {(bare + mime) * 1000:5.0f} ms ({(bare + mime) / bare:.1f}x bare; "
              f"MIME alone {mime * 1000:.0f} ms); load average {os.getloadavg()[0]:.2f}")
