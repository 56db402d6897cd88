"""The chase at scale: a reminder sweep over 10,000 and 100,000 items held by 1,000 bodies, against
a bare SQL query selecting the same due rows; the day's chase whole (letters composed, rendered and
queued, ``bench/chase_letters.py``) on the 100,000 items; and dispatch throughput to a local SMTP sink
against raw aiosmtplib. Prints its figures; run with ``make bench``.
"""

import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sized
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from chase_letters import letters_figures  # bench/ is on the path when a bench runs
from sqlalchemy import Engine, text

from config.bodies import load_registry
from config.loading import Configuration
from config.policy import Policy
from config.rules import load_rules
from models.db import open_database
from workflows.orchestration.sweeps import owed_reminders
from workflows.rules.reminders import reminder_window
from workflows.rules.reporting import period_ends

DAYS = {  # a day outside the reach of every reporting date, and a day within reach of 30 June
    "an ordinary day": date(2025, 9, 15),
    "a reporting date in reach": date(2025, 6, 16),
}
BODIES = 1000


def registry_file(folder: Path) -> Path:
    bodies = [{"code": "BTV", "name_vi": "Ban Thường vụ", "name_en": "Standing Committee", "kind": "standing_committee",
               "emails": ["btv@bench.example.org"]}]
    bodies += [{"code": f"B{n:04d}", "name_vi": f"Cơ quan {n}", "name_en": f"Body {n}", "kind": "government",
                "emails": [f"b{n}@bench.example.org"], "escalates_to": "BTV"} for n in range(1, BODIES)]
    path = folder / "bodies.yaml"
    path.write_text(yaml.safe_dump({"coordinator": "BTV", "bodies": bodies}, allow_unicode=True))
    return path


def build(url: str, items: int) -> None:
    """A database with ``items`` items over a term, each led by one of the bodies."""
    engine = open_database(url)
    rng = random.Random(items)
    now = datetime.now(UTC).isoformat(sep=" ")
    with engine.begin() as db:
        db.execute(text("insert into body(code,name_vi,name_en,kind,emails,escalates_to,active) values "
                        "('BTV','Ban Thường vụ','Standing Committee','standing_committee','[]',null,1)"))
        db.execute(text("insert into body(code,name_vi,name_en,kind,emails,escalates_to,active) values "
                        "(:c,:c,:c,'government','[]','BTV',1)"), [{"c": f"B{n:04d}"} for n in range(1, BODIES)])
        db.execute(text("insert into document(id,key,title,first_year,last_year,start,sha256,source,version,ingested_at) "
                        "values (1,'bench','Bench',2020,2025,'2021-01-01','x','bench',1,:now)"), {"now": now})
        start = date(2021, 1, 1)
        rows = [{"id": i, "key": f"C.{i}", "due": (start + timedelta(days=rng.randrange(0, 1826))).isoformat(), "now": now}
                for i in range(1, items + 1)]
        db.execute(text("insert into item(id,document_id,key,kind,section_key,text,due,recurrence,deadline_basis,position,line,"
                        "created_at,updated_at) values (:id,1,:key,'task','C','Nhiệm vụ.',:due,'once','x',:id,1,:now,:now)"), rows)
        db.execute(text("insert into assignment(item_id,body_code,role,rule,manual,assigned_at) values (:id,:b,'lead','r',0,:now)"),
                   [{"id": i, "b": f"B{rng.randrange(1, BODIES):04d}", "now": now} for i in range(1, items + 1)])
    engine.dispose()


def bare_sql(engine: Engine, window: tuple[date, date | None]) -> int:
    """The baseline: one plain query for the same due rows, with the columns a reminder shows."""
    until = " and item.due <= :b" if window[1] is not None else ""
    with engine.connect() as db:
        rows = db.execute(text(
            "select item.id, item.key, item.kind, item.text, item.section_key, item.due, assignment.body_code "
            "from item left join assignment on assignment.item_id = item.id and assignment.role = 'lead' "
            f"where item.retired_at is null and item.due >= :a{until}"), {"a": window[0], "b": window[1]}).all()
    return len(rows)


def best_of(runs: int, **timed: Callable[[], Sized]) -> dict[str, tuple[float, int]]:
    """The best time of each, over ``runs`` rounds taking turns (so a busy moment of the machine
    falls on all of them alike), with the size of what it returned."""
    times: dict[str, list[float]] = {name: [] for name in timed}
    sizes: dict[str, int] = {}
    for _ in range(runs):
        for name, fn in timed.items():
            started = time.perf_counter()
            sizes[name] = len(fn())
            times[name].append(time.perf_counter() - started)
    return {name: (min(times[name]), sizes[name]) for name in timed}


def sweep_figures(folder: Path) -> None:
    registry = load_registry(registry_file(folder))
    policy = Policy()
    rules = load_rules(Path(__file__).resolve().parents[1] / "config" / "rules.yaml", load_registry(
        Path(__file__).resolve().parents[1] / "config" / "bodies.yaml"))
    configuration = Configuration(registry, rules, policy)
    urls = {}
    for items in (10_000, 100_000):
        urls[items] = f"sqlite:///{folder / f'sweep{items}.db'}"
        build(urls[items], items)
    for label, day in DAYS.items():
        window = reminder_window(day, policy, period_ends(day, policy.reporting_cadence))
        print(f"reminder sweep on {day}, {label} (due dates from {window[0]} to {window[1] or 'any later'} can owe one), "
              f"{BODIES} bodies")
        previous = None
        for items, url in urls.items():
            engine = open_database(url)
            figures = best_of(
                15 if window[1] else 5,
                sweep=lambda e=engine, d=day: owed_reminders(e, configuration, d),  # type: ignore[misc]
                bare=lambda e=engine, w=window: range(bare_sql(e, w)),  # type: ignore[misc]
            )
            engine.dispose()
            (sweep_time, owed), (sql_time, selected) = figures["sweep"], figures["bare"]
            growth = f", x{sweep_time / previous:.1f} for x10 items" if previous else ""
            print(f"  {items:>7,} items: sweep {sweep_time * 1000:7.1f} ms ({owed} reminders owed){growth}; "
                  f"bare SQL {sql_time * 1000:6.1f} ms ({selected} rows); ratio {sweep_time / sql_time:.2f}")
            previous = sweep_time


def dispatch_figures(folder: Path, count: int = 1000) -> None:
    import aiosmtplib

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from models.db import session_scope
    from models.outbox import Draft, enqueue
    from notifications.dispatch import dispatch
    from notifications.mailers import SmtpMailer
    from notifications.render import Email, to_mime
    from tests.smtp_sink import Sink

    sink = Sink().start()
    try:
        drafts = []
        for i in range(count):
            email = Email(key=f"bench:{i}", kind="reminder", to=(f"b{i % 1000}@bench.example.org",), cc=(), reply_to=(),
                          subject=f"Nhắc hạn C.{i}", text="Nội dung nhắc việc. " * 10, html="<p>Nội dung nhắc việc.</p>" * 10)
            mid, raw = to_mime(email, sender="dondoc@bench.example.org")
            drafts.append(Draft(email.key, "reminder", None, None, 0, "dondoc@bench.example.org", email.to, email.subject, mid, raw))

        async def raw_one_connection() -> None:
            async with aiosmtplib.SMTP(hostname="127.0.0.1", port=sink.port, start_tls=False) as smtp:
                for d in drafts:
                    await smtp.sendmail(d.sender, list(d.recipients), d.raw.encode())

        async def raw_connection_each() -> None:
            for d in drafts:
                async with aiosmtplib.SMTP(hostname="127.0.0.1", port=sink.port, start_tls=False) as smtp:
                    await smtp.sendmail(d.sender, list(d.recipients), d.raw.encode())

        mailer = SmtpMailer(host="127.0.0.1", port=sink.port, security="none", username=None, password=None, timeout=10)

        def ours(round_: int) -> None:
            engine = open_database(f"sqlite:///{folder / f'outbox{round_}.db'}")
            now = datetime.now(UTC)
            with session_scope(engine) as session:
                enqueue(session, drafts=drafts, now=now)
            started = time.perf_counter()
            result = asyncio.run(dispatch(engine, mailer, policy=Policy(), now=now))
            rates["dondoc"].append(count / (time.perf_counter() - started))
            engine.dispose()
            assert result.sent == count, result

        def time_raw(name: str, send: Callable[[], Coroutine[Any, Any, None]]) -> None:
            started = time.perf_counter()
            asyncio.run(send())
            rates[name].append(count / (time.perf_counter() - started))

        rates: dict[str, list[float]] = {"one": [], "each": [], "dondoc": []}
        for round_ in range(3):  # taking turns, best of three: a busy moment falls on all alike
            time_raw("one", raw_one_connection)
            time_raw("each", raw_connection_each)
            ours(round_)
        one, each, ours_rate = (max(rates[name]) for name in ("one", "each", "dondoc"))
        print(f"dispatch of {count} messages to a local aiosmtpd sink (SQLite outbox)")
        print(f"  raw aiosmtplib, one connection:         {one:7.0f} msg/s")
        print(f"  raw aiosmtplib, a connection each:      {each:7.0f} msg/s")
        print(f"  dondoc outbox dispatch:                 {ours_rate:7.0f} msg/s ({ours_rate / one:.0%} of one connection)")
    finally:
        sink.stop()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dondoc-bench-") as folder:
        sweep_figures(Path(folder))
        letters_figures(Path(folder), Path(folder) / "sweep100000.db", DAYS, rounds=2)
        dispatch_figures(Path(folder))


if __name__ == "__main__":
    main()
