"""The answer page of a body with 500 open items: the time of a page request and of a report
submitted through the page's form, each measured N times (median and 95th percentile; the round
with the lower median of two, the rounds taking turns).

The application runs in-process under FastAPI's TestClient on a real SQLite file, so the figures
are the application's own cost (link check, queries, rendering, storing), not the network's. The
page reads the whole programme's open items and keeps the body's, so it is measured twice: in a
programme that is only the body's 500 items, and in one of 10,000 items where the body leads 500.
Prints its figures; run with ``make bench``.
"""

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text

from config.bodies import load_registry
from config.loading import Configuration
from config.policy import Policy
from config.rules import load_rules
from config.settings import Settings
from models.db import open_database
from notifications.links import link_for
from web.access import csrf_token
from web.app import create_app
from workflows.orchestration.runtime import Runtime

ROOT = Path(__file__).resolve().parents[1]
BODY, OWN, BODIES, N, ROUNDS = "B0001", 500, 100, 200, 2
KEY = SecretStr("bench-only-signing-key-7Qx2-0123456789abcdefghij")
NOW = datetime(2023, 6, 30, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
"""A reporting date of the half-yearly cadence: every item of the body owes a report."""


def registry_file(folder: Path) -> Path:
    bodies = [{"code": "BTV", "name_vi": "Ban Thường vụ", "name_en": "Standing Committee", "kind": "standing_committee",
               "emails": ["btv@bench.example.org"]}]
    bodies += [{"code": f"B{n:04d}", "name_vi": f"Cơ quan {n}", "name_en": f"Body {n}", "kind": "government",
                "emails": [f"b{n}@bench.example.org"], "escalates_to": "BTV"} for n in range(1, BODIES)]
    path = folder / "bodies.yaml"
    path.write_text(yaml.safe_dump({"coordinator": "BTV", "bodies": bodies}, allow_unicode=True))
    return path


def build(url: str, items: int) -> None:
    """A programme of ``items`` items in 20 sections, due over 2021-2025, one in five a target with
    an indicator; ``BODY`` leads ``OWN`` of them (every item when ``items == OWN``) and the other
    bodies the rest; B0002 (which leads none) cooperates on every tenth item, so the body's page shows its 500."""
    engine = open_database(url)
    rng = random.Random(items)
    now = datetime.now(UTC).isoformat(sep=" ")
    own = set(rng.sample(range(1, items + 1), OWN))
    with engine.begin() as db:
        db.execute(text("insert into body(code,name_vi,name_en,kind,emails,escalates_to,active) values "
                        "('BTV','Ban Thường vụ','Standing Committee','standing_committee','[]',null,1)"))
        db.execute(text("insert into body(code,name_vi,name_en,kind,emails,escalates_to,active) values "
                        "(:c,:c,:c,'government','[]','BTV',1)"), [{"c": f"B{n:04d}"} for n in range(1, BODIES)])
        db.execute(text("insert into document(id,key,title,first_year,last_year,start,sha256,source,version,ingested_at) "
                        "values (1,'bench','Bench',2020,2025,'2021-01-01','x','bench',1,:now)"), {"now": now})
        db.execute(text("insert into section(document_id,key,parent_key,title,role,context,position) values (1,:k,null,:t,null,'[]',:p)"),
                   [{"k": f"S{s}", "p": s, "t": f"Phần {s}: nhiệm vụ trọng tâm về lĩnh vực {s}"} for s in range(20)])
        start = date(2021, 1, 1)
        rows = [{"id": i, "key": f"C.{i}", "kind": "target" if i % 5 == 0 else "task", "section": f"S{i % 20}",
                 "due": (start + timedelta(days=rng.randrange(0, 1826))).isoformat(), "now": now} for i in range(1, items + 1)]
        db.execute(text("insert into item(id,document_id,key,kind,section_key,text,due,recurrence,deadline_basis,position,line,"
                        "created_at,updated_at) values (:id,1,:key,:kind,:section,"
                        "'Tập trung chỉ đạo thực hiện có hiệu quả nhiệm vụ được giao, bảo đảm tiến độ và chất lượng.',"
                        ":due,'once','x',:id,1,:now,:now)"), rows)
        db.execute(text("insert into indicator(item_id,position,name,comparator,value,value_max,unit,year,baseline) "
                        "values (:id,0,'Tốc độ tăng trưởng','at_least',7.5,null,'%',2025,null)"),
                   [{"id": i} for i in range(5, items + 1, 5)])
        lead = [{"id": i, "b": BODY if i in own else f"B{rng.randrange(3, BODIES):04d}", "role": "lead", "now": now}
                for i in range(1, items + 1)]
        helping = [{"id": i, "b": "B0002", "role": "cooperating", "now": now}
                   for i in range(10, items + 1, 10)]
        db.execute(text("insert into assignment(item_id,body_code,role,rule,manual,assigned_at) values (:id,:b,:role,'r',0,:now)"),
                   lead + helping)
    engine.dispose()


def percentiles(times: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in ms."""
    return statistics.median(times) * 1000, statistics.quantiles(times, n=20, method="inclusive")[18] * 1000


def timed(count: int, call: Callable[[int], int], expected: int) -> list[float]:
    times = []
    for i in range(count):
        started = time.perf_counter()
        status = call(i)
        times.append(time.perf_counter() - started)
        assert status == expected, (i, status)
    return times


def measure(folder: Path, items: int, configuration: Configuration) -> None:
    path = folder / f"page{items}.db"
    url = f"sqlite:///{path}"
    build(url, items)
    settings = Settings(_env_file=None, home=folder, database_url=url, secret_key=KEY)
    runtime = Runtime(settings, configuration, open_database(url))
    link = link_for(BODY, settings=settings, policy=configuration.policy, now=NOW, generation=0)
    page = link.removeprefix(settings.base_url)
    csrf = csrf_token(settings, page.removeprefix("/b/"), "report")
    with runtime.engine.connect() as db:
        keys = [str(k) for (k,) in db.execute(text(
            "select i.key from item i join assignment a on a.item_id = i.id and a.role = 'lead' "
            "where a.body_code = :b order by i.position"), {"b": BODY}).all()]
    assert len(keys) == OWN
    order = random.Random(0).sample(keys, N * ROUNDS)  # each submission to a different item
    gets: list[list[float]] = []
    posts: list[list[float]] = []
    with TestClient(create_app(runtime, clock=lambda: NOW), follow_redirects=False) as client:
        first = client.get(page)
        shown = first.text.count("<article id=")
        assert first.status_code == 200 and shown == OWN, (first.status_code, shown)
        for _ in range(5):  # warm: templates compiled, connection pool filled
            client.get(page)
        for round_ in range(ROUNDS):  # taking turns: a busy moment of the machine falls on both alike
            gets.append(timed(N, lambda i: client.get(page).status_code, 200))
            posts.append(timed(N, lambda i, r=round_: client.post(f"{page}/report", data={  # type: ignore[misc]
                "csrf": csrf, "document": "bench", "key": order[r * N + i], "status": "in_progress",
                "percent": str(10 + i % 80), "note": "Đang triển khai theo kế hoạch."}).status_code, 303))
    with runtime.engine.connect() as db:
        stored = db.execute(text("select count(distinct item_id) from progress_report where actor = :a"),
                            {"a": f"link:{BODY}"}).scalar_one()
    runtime.engine.dispose()
    assert stored == N * ROUNDS, stored
    (get_median, get_95), (post_median, post_95) = (min(percentiles(t) for t in runs) for runs in (gets, posts))
    print(f"  programme of {items:>6,} items, the body leads {OWN} ({shown} shown on its page):")
    print(f"    page request     median {get_median:7.1f} ms, 95th percentile {get_95:7.1f} ms  (N={N}, best of {ROUNDS} rounds)")
    print(f"    report submitted median {post_median:7.1f} ms, 95th percentile {post_95:7.1f} ms  (N={N}, best of {ROUNDS} rounds; "
          f"each to another item, {stored} reports stored; the POST until its 303, not the page it leads to)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dondoc-bench-") as name:
        folder = Path(name)
        configuration = Configuration(load_registry(registry_file(folder)), load_rules(
            ROOT / "config" / "rules.yaml", load_registry(ROOT / "config" / "bodies.yaml")), Policy())
        print(f"answer page of a body with {OWN} open items on {NOW:%d/%m/%Y} (SQLite file; FastAPI TestClient in-process, "
              "so no network: the application's own cost)")
        print("  load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        for items in (OWN, 10_000):
            measure(folder, items, configuration)
        print("  load average at the end:   {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
