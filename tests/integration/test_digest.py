"""The weekly digest as the Office reads it (issue 9, "The weekly digest becomes a real summary").

The old digest said "3 overdue" on a day when 130 reports were overdue and named bodies by code.
Here a term is played to Monday 10/01/2022 with overdue deadlines, missed reporting dates, rungs of
the ladder, a blocked item, a done item and answered reports; the letter delivered to the Maildir
must name each of them with the right figures. The expected figures come from elsewhere: the counts
and overdue items from ``dondoc status --json``, the reporting dates from ``dondoc items --format
json`` and the rule that a report answers the earliest unanswered date, the working days from the
``holidays`` package, the rungs from the ``escalation`` table by SQL.
"""

import email
import json
from datetime import date, timedelta
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path

import holidays
from sqlalchemy import create_engine, text

from config.loading import Configuration
from tests.faults.test_commands import ok

AS_OF = date(2022, 1, 10)
BLOCKED, IN_PROGRESS, DONE = "B.II.1.1", "B.II.1.2", "C.I.1.1.1"


class Tables(HTMLParser):
    """The rows of each table of the HTML part, under the heading (h2) it follows."""

    def __init__(self) -> None:
        super().__init__()
        self.heading, self.cell, self.in_heading = "", "", False
        self.tables: dict[str, list[list[str]]] = {}
        self.row: list[str] | None = None
        self.head_seen = {"meta_charset": False, "title": False}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" and ("charset", "utf-8") in attrs:
            self.head_seen["meta_charset"] = True
        if tag == "title":
            self.head_seen["title"] = True
        assert tag not in ("img", "link", "script", "iframe"), f"an external or active resource: <{tag}>"
        if tag == "h2":
            self.in_heading, self.heading = True, ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self.in_heading = False
            self.tables[self.heading] = []
        elif tag in ("td", "th") and self.row is not None:
            self.row.append(" ".join(self.cell.split()))
        elif tag == "tr" and self.row is not None and self.heading:
            self.tables[self.heading].append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.in_heading:
            self.heading += data
        self.cell += data

    def under(self, prefix: str) -> list[list[str]]:
        """The rows of the table under the heading starting with ``prefix``, header row dropped."""
        (heading,) = [h for h in self.tables if h.startswith(prefix)]
        return self.tables[heading][1:]


def _working_days_late(since: date, as_of: date) -> int:
    vn = holidays.country_holidays("VN", years=range(since.year, as_of.year + 1))
    return sum(1 for n in range(1, (as_of - since).days + 1) if vn.is_working_day(since + timedelta(days=n)))


def _next_working_day(day: date) -> date:
    vn = holidays.country_holidays("VN", years=range(day.year, day.year + 2))
    while not vn.is_working_day(day):
        day += timedelta(days=1)
    return day


def _rungs(url: str) -> dict[tuple[str, str, str], int]:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            rows = db.execute(text(
                "select i.key, e.subject, e.overdue_since, max(e.level) from escalation e join item i on i.id = e.item_id"
                " where e.reached_on <= :day group by i.key, e.subject, e.overdue_since"), {"day": AS_OF}).all()
    finally:
        engine.dispose()
    return {(key, subject, date.fromisoformat(str(since)[:10]).strftime("%d/%m/%Y")): int(level) for key, subject, since, level in rows}


def _level(rungs: dict[tuple[str, str, str], int], key: str, subject: str, day: str) -> str:
    level = rungs.get((key, subject, day), 0)
    return f"Cấp {level}" if level else "chưa"


def _digest(home: Path) -> EmailMessage:
    letters = [email.message_from_bytes(p.read_bytes(), policy=default) for p in (home / "Maildir" / "new").iterdir()]
    (digest,) = [m for m in letters if str(m["X-Dondoc-Key"]).startswith("digest:")]
    assert isinstance(digest, EmailMessage)
    return digest


def test_the_digest_names_overdue_items_missed_reports_and_blocked_items_with_their_figures(
    database_url: str, tmp_path: Path, configuration: Configuration
) -> None:
    # Given the sample played to Monday 10/01/2022: one item blocked, one answered for 30/06/2021,
    # one done, and the ladder run on three days
    home, url = tmp_path, database_url
    ok(home, url, "ingest", "--sample")
    ok(home, url, "report", BLOCKED, "--status", "blocked", "--note", "Chờ số liệu", "--as-of", "2021-12-20")
    ok(home, url, "report", IN_PROGRESS, "--status", "in_progress", "--as-of", "2021-07-01")
    ok(home, url, "report", DONE, "--status", "done", "--as-of", "2021-11-01")
    for sweep_day in ("2021-07-08", "2022-01-05", "2022-01-10"):
        ok(home, url, "escalate", "--as-of", sweep_day)
    # When the digest of that Monday is written and delivered
    ok(home, url, "digest", "--as-of", AS_OF.isoformat())
    ok(home, url, "outbox", "dispatch")
    letter = _digest(home)
    assert letter.defects == [] and all(part.defects == [] for part in letter.walk())
    html = letter.get_body(preferencelist=("html",))
    plain = letter.get_body(preferencelist=("plain",))
    assert html is not None and plain is not None
    page = Tables()
    page.feed(str(html.get_content()))
    assert page.head_seen == {"meta_charset": True, "title": True}
    text_part = str(plain.get_content())

    status = json.loads(ok(home, url, "status", "--json", "--as-of", AS_OF.isoformat()))
    items = {i["key"]: i for i in json.loads(ok(home, url, "items", "--format", "json"))["items"]}
    registry = configuration.registry
    name = {code: body.name_vi for code, body in registry.bodies.items()}
    categories = ["done_on_time", "done_late", "not_done_within_deadline", "not_done_overdue", "blocked"]

    # Then the counts by lead body (by name) and status, with a total row, are those of status
    expected_counts = [[name[code], *(str(counts.get(c, 0)) for c in categories), str(sum(counts.values()))]
                       for code, counts in status["by_body"].items()]
    table = page.under("1.")
    assert sorted(table[:-1]) == sorted(expected_counts)
    totals = [sum(int(row[i]) for row in expected_counts) for i in range(1, 7)]
    assert table[-1] == ["Tổng cộng", *map(str, totals)]
    assert totals[categories.index("blocked")] == 1 and totals[categories.index("done_on_time")] == 1

    # And each overdue item with its due date, working days late and the highest rung reached
    rungs = _rungs(url)
    overdue = [i for i in status["items"] if i["status"] == "not_done_overdue"]
    assert len(overdue) == 3
    expected_overdue = []
    for item in overdue:
        deadline = _next_working_day(date.fromisoformat(item["due"]))
        shown = deadline.strftime("%d/%m/%Y")
        expected_overdue.append([item["key"], name[item["lead"]], shown, str(_working_days_late(deadline, AS_OF)),
                                 _level(rungs, item["key"], "deadline", shown)])
    assert sorted([row[0].split(" ")[0], *row[1:]] for row in page.under("2.")) == sorted(expected_overdue)
    assert all(row[4] == "Cấp 2" for row in expected_overdue)

    # And every reporting date passed without a report, named with its lateness and rung
    answered = {(BLOCKED, "2021-06-30"), (IN_PROGRESS, "2021-06-30")}  # a report answers the earliest date open
    closed = {i["key"] for i in status["items"] if i["status"].startswith("done")}
    expected_missed = []
    for key, item in items.items():
        due = _next_working_day(date.fromisoformat(item["due"]))
        for period in item["reporting_dates"]:
            day = _next_working_day(date.fromisoformat(period))
            if key in closed or (key, period) in answered or not day < AS_OF or not day < due:
                continue
            shown = day.strftime("%d/%m/%Y")
            expected_missed.append([key, name[item["lead"]], shown, str(_working_days_late(day, AS_OF)),
                                    _level(rungs, key, "report", shown)])
    missed = page.under("3.")
    assert len(expected_missed) > 200, "the sample on this day has a term's worth of missed reports"
    assert sorted(missed) == sorted(expected_missed)
    assert {row[4] for row in missed} == {"Cấp 1", "Cấp 2"}, "30/06 reached level 2 and 31/12 level 1"
    assert f"Kỳ báo cáo đã qua chưa nộp: {len(expected_missed)}." in text_part
    assert str(letter["Subject"]).endswith(f"3 mục quá hạn, {len(expected_missed)} kỳ báo cáo chưa nộp")

    # And the blocked item by name, in both parts
    (blocked,) = page.under("4.")
    assert blocked[0].startswith(BLOCKED) and blocked[1] == name[items[BLOCKED]["lead"]]
    assert f"- {BLOCKED} (chỉ tiêu, {name[items[BLOCKED]['lead']]}): hạn " in text_part
    for key, *_ in expected_overdue:
        assert f"- {key} (" in text_part
