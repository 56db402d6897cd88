"""A review round at scale: 100,000 items led by 1,000 bodies, 1,000 targets among them.

Opening the round (its questions and requests), compiling its report and writing it as HTML,
XLSX and DOCX, timed one by one, with the peak memory of the process that does it (a fresh
process, so that building the database does not count). The goal (issue 10): under 30 s and
500 MB for the three formats. Two thirds of the items are answered (one in ten of them late, one
in twenty blocked with a note), each target with a value. Run with ``make bench``.
"""

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

ITEMS, BODIES, TARGETS = 100_000, 1_000, 1_000
OPENED, DUE, AS_OF = date(2023, 7, 1), date(2023, 7, 31), date(2023, 8, 10)
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
                   [{"c": f"B{n:04d}", "n": f"Cơ quan số {n}", "e": f"Body {n}"} for n in range(1, BODIES)])
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


def measure(url: str, folder: Path, phase: str) -> dict[str, float]:
    """Run in a fresh process: open the round, or compile it and write the three formats."""
    from config.policy import Policy
    from models.db import open_database, session_scope
    from models.reviews import find_round, open_round
    from models.tables import Document
    from notifications.review_report import render_report
    from workflows.orchestration.review_report import compile_report

    class _Config:  # the compile reads the policy alone
        policy = Policy()

    engine = open_database(url)
    times: dict[str, float] = {}
    started = time.perf_counter()
    if phase == "open":
        with session_scope(engine) as session:
            document = session.get(Document, 1)
            assert document is not None
            review = open_round(session, document=document, kind="midterm", due=DUE, period_from=date(2021, 1, 1),
                                period_to=date(2023, 6, 30), actor="bench", on=OPENED, now=datetime.now(UTC))
            times["round"] = float(review.id or 0)
        times["open"] = time.perf_counter() - started
    else:
        with session_scope(engine) as session:
            report = compile_report(session, find_round(session, 1), _Config(), as_of=AS_OF)  # type: ignore[arg-type]
        times["compile"] = time.perf_counter() - started
        for fmt in ("html", "xlsx", "docx"):
            started = time.perf_counter()
            data = render_report(report, fmt, "vi")
            times[fmt] = time.perf_counter() - started
            times[f"{fmt}_bytes"] = len(data)
            (folder / f"report.{fmt}").write_bytes(data)
    engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    times["peak_mb"], times["cpu"] = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    return times


def _child(url: str, folder: Path, phase: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--measure", url, str(folder), phase], capture_output=True,
                          text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="dondoc-bench-review-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'review.db'}"
        build(url)
        opened = _child(url, folder, "open")
        answered = answer(url, int(opened["round"]))
        report = _child(url, folder, "report")
        formats = report["compile"] + report["html"] + report["xlsx"] + report["docx"]
        whole = opened["open"] + formats
        peak = max(opened["peak_mb"], report["peak_mb"])
        print(f"review round of {ITEMS:,} items, {BODIES:,} bodies, {TARGETS:,} targets ({answered:,} answered), SQLite")
        print(f"  open the round (questions and requests): {opened['open']:6.2f} s, peak {opened['peak_mb']:5.0f} MB")
        print(f"  compile the report:                      {report['compile']:6.2f} s")
        for fmt in ("html", "xlsx", "docx"):
            print(f"  write {fmt.upper():4}:                              {report[fmt]:6.2f} s ({report[f'{fmt}_bytes'] / 1e6:.1f} MB)")
        print(f"  processor time of the two processes:     {opened['cpu'] + report['cpu']:6.2f} s (imports included; "
              "the wall-clock figures above count waiting for a busy machine too)")
        print(f"  open + compile + three formats:          {whole:6.2f} s, peak {peak:5.0f} MB "
              f"(goal: under {GOAL_SECONDS:.0f} s and {GOAL_MB} MB: {'met' if whole < GOAL_SECONDS and peak < GOAL_MB else 'NOT met'})")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]), sys.argv[4])))
    else:
        main()
