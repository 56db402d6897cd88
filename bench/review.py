"""A review round at scale: 100,000 items led by 1,000 bodies, 1,000 targets among them.

What a user waits for, step by step, each in a fresh process (so building the database does not
count) with that process's peak memory (``ru_maxrss``):

- ``dondoc review open``: the same orchestration function the command calls
  (``workflows.orchestration.reviews.open_review``): the round, its questions and requests, and
  the 1,000 request letters queued with their XLSX forms (every body has an address);
- ``dondoc review report``: compiling the report, then writing it as HTML, XLSX and DOCX;
- ``dondoc review close``: closing the round, compiling again and queuing the closing letter with
  the DOCX and XLSX attached.

Opening is run on fresh copies of the database and the formats are written several times (the
best of ``ROUNDS`` is kept: the machine is shared, the best is the least disturbed). The goal
(issue 10): opening plus compiling and the three formats under 30 s and 500 MB. Two thirds of the
items are answered (one in ten of them late, one in twenty blocked with a note), each target with
a value. Run with ``make bench``; ``DONDOC_BENCH_ITEMS`` makes it smaller for a quick look.
"""

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

ITEMS = int(os.environ.get("DONDOC_BENCH_ITEMS", "100000"))
BODIES, TARGETS = max(ITEMS // 100, 2), max(ITEMS // 100, 1)
ROUNDS = int(os.environ.get("DONDOC_BENCH_ROUNDS", "3"))
OPENED, DUE, AS_OF, CLOSED = date(2023, 7, 1), date(2023, 7, 31), date(2023, 8, 10), date(2023, 8, 10)
STATUSES = ("done", "on_track", "behind", "not_started", "blocked")
GOAL_SECONDS, GOAL_MB = 30.0, 500


def build(url: str) -> None:
    """The programme: items in 10 sections of 4 parts, each led by one body; every 100th a target."""
    from models.db import open_database

    engine = open_database(url)
    rng = random.Random(ITEMS)
    now = datetime.now(UTC).isoformat(sep=" ")
    start = date(2021, 1, 1)
    with engine.begin() as db:
        db.execute(text("insert into body(code,name_vi,name_en,kind,emails,escalates_to,active) values "
                        "('BTV','Ban Thường vụ','Standing Committee','standing_committee','[]',null,1)"))
        db.execute(text("insert into body(code,name_vi,name_en,kind,emails,escalates_to,active) values "
                        "(:c,:n,:e,'government','[]','BTV',1)"),
                   [{"c": f"B{n:04d}", "n": f"Cơ quan số {n}", "e": f"Body {n}"} for n in range(1, BODIES)]
                   + [{"c": "VP", "n": "Văn phòng Tỉnh ủy", "e": "Office"}])
        db.execute(text("insert into document(id,key,title,first_year,last_year,start,sha256,source,version,ingested_at) "
                        "values (1,'bench','Chương trình hành động (bench)',2020,2025,'2021-01-01','x','bench',1,:now)"),
                   {"now": now})
        sections = [(part, f"{part}.{roman}") for part in "ABCD" for roman in ("I", "II", "III")][:10]
        db.execute(text("insert into section(document_id,key,parent_key,title,role,context,position) values "
                        "(1,:k,:p,:t,'tasks','[]',:n)"),
                   [{"k": k, "p": p, "t": f"Mục {k}", "n": n} for n, (p, k) in enumerate(sections)]
                   + [{"k": p, "p": None, "t": f"Phần {p}", "n": 100 + n} for n, p in enumerate("ABCD")])
        rows = [{"id": i, "key": f"{sections[i % 10][1]}.{i}", "kind": "target" if i % 100 == 0 else "task",
                 "section": sections[i % 10][1], "text": f"Nhiệm vụ số {i}: triển khai, đôn đốc, báo cáo kết quả.",
                 "due": (start + timedelta(days=rng.randrange(0, 1826))).isoformat(), "now": now}
                for i in range(1, ITEMS + 1)]
        db.execute(text("insert into item(id,document_id,key,kind,section_key,text,due,recurrence,deadline_basis,position,"
                        "line,created_at,updated_at) values (:id,1,:key,:kind,:section,:text,:due,'once','x',:id,1,:now,:now)"),
                   rows)
        db.execute(text("insert into indicator(item_id,position,name,comparator,value,value_max,unit,year,baseline) "
                        "values (:id,0,:name,'at_least',:value,null,'%',2025,:base)"),
                   [{"id": i, "name": f"Chỉ số {i}", "value": 80.0, "base": "40" if i % 200 == 0 else None}
                    for i in range(100, ITEMS + 1, 100)])
        db.execute(text("insert into assignment(item_id,body_code,role,rule,manual,assigned_at) values (:id,:b,'lead','r',0,:now)"),
                   [{"id": i, "b": f"B{rng.randrange(1, BODIES):04d}", "now": now} for i in range(1, ITEMS + 1)])
    engine.dispose()


def answer(url: str, round_id: int) -> int:
    """Two thirds of the questions answered, set-based (the answers are the setting, not what is timed)."""
    from models.db import open_database

    engine = open_database(url)
    rng = random.Random(round_id)
    now = datetime.now(UTC).isoformat(sep=" ")
    with engine.begin() as db:
        asked = db.execute(text("select item_id, body_code from review_question where round_id = :r"), {"r": round_id}).all()
        rows = []
        for item_id, body in asked:
            if item_id % 3 == 0:
                continue
            status = STATUSES[rng.randrange(len(STATUSES))]
            late = item_id % 10 == 1
            rows.append({"r": round_id, "i": item_id, "b": body, "s": status,
                         "n": "Vướng mặt bằng, chờ ý kiến của tỉnh." if status == "blocked" else None,
                         "v": json.dumps({"0": round(rng.uniform(30, 90), 1)}) if item_id % 100 == 0 else "{}",
                         "on": (date(2023, 8, 5) if late else date(2023, 7, 20)).isoformat(), "now": now})
        db.execute(text('insert into review_answer(round_id,item_id,body_code,status,note,"values",answered_on,'
                        "answered_at,channel,actor) values (:r,:i,:b,:s,:n,:v,:on,:now,'command','bench')"), rows)
    engine.dispose()
    return len(rows)


def runtime(url: str, folder: Path) -> tuple[Any, Any]:
    """Settings and configuration as a deployment has them: every body with an address (so each
    gets its letter and form), the Standing Committee BTV on top, the Office VP coordinating."""
    from config.bodies import Body, Kind, Registry
    from config.loading import Configuration
    from config.policy import Policy
    from config.settings import Settings

    def body(code: str, name: str, kind: Kind, up: str | None) -> Body:
        return Body(code=code, name_vi=name, name_en=name, kind=kind, emails=(f"{code.lower()}@bench.example.org",),
                    escalates_to=up)

    bodies = {"BTV": body("BTV", "Ban Thường vụ", "standing_committee", None),
              "VP": body("VP", "Văn phòng Tỉnh ủy", "coordinator", "BTV")}
    bodies.update({f"B{n:04d}": body(f"B{n:04d}", f"Cơ quan số {n}", "government", "BTV") for n in range(1, BODIES)})
    settings = Settings(database_url=url, home=folder, secret_key="bench-" + "k" * 40, language="vi",
                        base_url="https://dondoc.example.org")
    return settings, Configuration(Registry(bodies, "VP", folder / "bodies.yaml"), [], Policy())


def _best(figures: dict[str, float], name: str, step: Any, rounds: int) -> Any:
    """Run ``step`` ``rounds`` times; keep the shortest wall-clock time and processor time."""
    figures[name] = figures[f"{name}_cpu"] = float("inf")
    result = None
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        result = step()
        figures[name] = min(figures[name], time.perf_counter() - started)
        figures[f"{name}_cpu"] = min(figures[f"{name}_cpu"], time.process_time() - cpu)
    return result


def measure(url: str, folder: Path, phase: str) -> dict[str, float]:
    """Run in a fresh process: open the round, or compile and write the report, or close it."""
    from models.db import open_database, session_scope
    from models.reviews import find_round
    from notifications.review_report import render_report
    from workflows.orchestration.review_report import compile_report
    from workflows.orchestration.reviews import close_review, open_review

    settings, configuration = runtime(url, folder)
    engine = open_database(url)
    figures: dict[str, float] = {}
    if phase == "open":
        opened = _best(figures, "open", lambda: open_review(
            engine, settings=settings, configuration=configuration, kind="midterm", due=DUE, on=OPENED, actor="bench",
            now=datetime.now(UTC), period_from=date(2021, 1, 1), period_to=date(2023, 6, 30)), 1)
        figures.update(round=float(opened.round.id or 0), queued=opened.queued)
        with engine.connect() as db:
            figures["outbox_mb"] = float(db.execute(text("select sum(length(raw)) from outbox")).scalar_one() or 0) / 1e6
    elif phase == "report":
        with session_scope(engine) as session:
            report = _best(figures, "compile", lambda: compile_report(session, find_round(session, 1), configuration,
                                                                       as_of=AS_OF), ROUNDS)
        for fmt in ("html", "xlsx", "docx"):
            data = _best(figures, fmt, lambda fmt=fmt: render_report(report, fmt, "vi"), ROUNDS)
            figures[f"{fmt}_bytes"] = len(data)
            (folder / f"report.{fmt}").write_bytes(data)
    else:
        closed = _best(figures, "close", lambda: close_review(engine, settings=settings, configuration=configuration,
                                                              round_id=1, on=CLOSED, actor="bench", now=datetime.now(UTC)), 1)
        figures.update(queued=closed.queued)
    engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures["peak_mb"], figures["cpu"] = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    figures["load"] = os.getloadavg()[0]
    return figures


def _child(url: str, folder: Path, phase: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--measure", url, str(folder), phase], capture_output=True,
                          text=True, check=False)
    if done.returncode:
        sys.exit(f"bench/review.py {phase}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _open_best(folder: Path) -> dict[str, float]:
    """Open the round on fresh copies of the database; keep the fastest (the last copy stays)."""
    best: dict[str, float] = {}
    for attempt in range(max(1, min(ROUNDS, 2))):
        if attempt:
            shutil.copyfile(folder / "built.db", folder / "review.db")
        opened = _child(f"sqlite:///{folder / 'review.db'}", folder, "open")
        if not best or opened["open"] < best["open"]:
            best = opened
    return best


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dondoc-bench-review-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'review.db'}"
        build(url)
        shutil.copyfile(folder / "review.db", folder / "built.db")
        opened = _open_best(folder)
        answered = answer(url, int(opened["round"]))
        report = _child(url, folder, "report")
        closed = _child(url, folder, "close")
        if os.environ.get("DONDOC_BENCH_KEEP"):  # the report files, for a person or LibreOffice to open
            for made in folder.glob("report.*"):
                shutil.copy(made, Path(os.environ["DONDOC_BENCH_KEEP"]) / made.name)
        formats = report["compile"] + report["html"] + report["xlsx"] + report["docx"]
        whole, peak = opened["open"] + formats, max(opened["peak_mb"], report["peak_mb"])
        print(f"review round of {ITEMS:,} items, {BODIES:,} bodies, {TARGETS:,} targets ({answered:,} answered), SQLite, "
              f"{os.cpu_count()} processors; best of {ROUNDS} where repeated; load average at each step in brackets")
        print("  step: wall-clock s (processor s)")
        print(f"  open: the round, questions, {opened['queued']:.0f} letters with forms: {_step(opened, 'open')}, "
              f"peak {opened['peak_mb']:4.0f} MB, outbox {opened['outbox_mb']:.0f} MB [load {opened['load']:.1f}]")
        print(f"  compile the report:                        {_step(report, 'compile')}")
        for fmt in ("html", "xlsx", "docx"):
            print(f"  write {fmt.upper():4}:                                {_step(report, fmt)} "
                  f"({report[f'{fmt}_bytes'] / 1e6:.1f} MB)")
        print(f"  (compile and formats: peak {report['peak_mb']:4.0f} MB, processor {report['cpu']:.1f} s for "
              f"{ROUNDS} of each [load {report['load']:.1f}])")
        print(f"  close: compile, DOCX + XLSX, the letter:   {_step(closed, 'close')}, peak {closed['peak_mb']:4.0f} MB "
              f"[load {closed['load']:.1f}]")
        print(f"  processor time of the three processes:     {opened['cpu'] + report['cpu'] + closed['cpu']:6.2f} s "
              "(imports and repeats included)")
        cpu = opened["open_cpu"] + sum(report[f"{step}_cpu"] for step in ("compile", "html", "xlsx", "docx"))
        met = whole < GOAL_SECONDS and peak < GOAL_MB
        print(f"  open + compile + three formats:            {whole:6.2f} s, peak {peak:4.0f} MB "
              f"({cpu:.1f} s of processor time; goal: under {GOAL_SECONDS:.0f} s and {GOAL_MB} MB: "
              f"{'met' if met else 'NOT met'} in wall-clock time)")


def _step(figures: dict[str, float], name: str) -> str:
    return f"{figures[name]:6.2f} s ({figures[f'{name}_cpu']:5.2f} s)"


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]), sys.argv[4])))
    else:
        main()
