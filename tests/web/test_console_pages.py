"""The console's pages over HTTP: each page, each filter of the item list checked against what
the database holds (as the command line's rules read it), search with and without diacritics,
sort and pages, the exports (the filtered rows, every page), the actions and who may do them."""

import csv
import io
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import col, select

from config.folding import fold
from config.loading import Configuration
from models.console_queries import Day, Filters, count_query, facts, list_query
from models.console_search import bare, search
from models.console_summaries import counts_query, fold_counts
from models.db import open_database, session_scope
from models.outbound_tables import OutboxMessage
from models.queries import find_document
from models.review_tables import ReviewRound
from models.tables import Assignment, AuditEvent, Item
from tests.web.conftest import make_settings
from tests.web.console_data import NOW, TODAY, build, expected, keys_on, sign_in
from web.app import create_app
from web.console.pages.common import Here, day_of
from workflows.orchestration.runtime import Runtime

FULL = {"sort": "key"}


@pytest.fixture(scope="session")
def story_file(tmp_path_factory: pytest.TempPathFactory, configuration: Configuration) -> Path:
    """The story stored once in SQLite; each test gets a copy (the pages do not depend on the database)."""
    home = tmp_path_factory.mktemp("console")
    build(f"sqlite:///{home / 'story.db'}", home, configuration).engine.dispose()
    return home / "story.db"


@pytest.fixture
def console(tmp_path: Path, story_file: Path, configuration: Configuration) -> Iterator[Runtime]:
    shutil.copy(story_file, tmp_path / "dondoc.db")
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    runtime = Runtime(make_settings(tmp_path, url), configuration, open_database(url))
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def any_database(database_url: str, tmp_path: Path, configuration: Configuration) -> Iterator[Runtime]:
    """The story in SQLite and in PostgreSQL (where the SQL itself is what is tested)."""
    runtime = build(database_url, tmp_path, configuration)
    yield runtime
    runtime.engine.dispose()


def client_for(runtime: Runtime, login: str) -> TestClient:
    client = TestClient(create_app(runtime, clock=lambda: NOW), raise_server_exceptions=False, follow_redirects=False)
    sign_in(client, login)
    return client


@pytest.fixture
def coordinator(console: Runtime) -> Iterator[TestClient]:
    with client_for(console, "coord") as client:
        yield client


def every_page(client: TestClient, query: dict[str, str]) -> list[str]:
    """The keys of the list, page after page, following the page's own "next" link."""
    keys: list[str] = []
    address: str | None = "/items?" + urlencode(query)
    while address:
        page = client.get(address.replace("&amp;", "&"))
        assert page.status_code == 200, page.text[-800:]
        keys += keys_on(page.text)
        found = re.search(r'<a href="([^"]+)" rel="next"', page.text)
        address = found.group(1) if found else None
    return keys


def test_statuses_counted_in_sql_are_the_rules_statuses(any_database: Runtime, configuration: Configuration) -> None:
    """The SQL status of every item is what workflows.rules.status says, on days that cross a
    weekend due date (Sunday 25/06/2023 and Saturday 10/01/2026) and the programme's last date."""
    console = any_database
    where = Here(console, "vi", TODAY)
    for day in (date(2023, 6, 26), date(2025, 12, 31), date(2026, 1, 9), TODAY, date(2026, 1, 13)):
        with session_scope(console.engine) as session:
            document = find_document(session)
            base = day_of(where, document, session)
            shown = Day(day, base.start, base.shifts, base.dialect)
            f = facts(document.id or 0, shown)
            got = dict(session.connection().execute(select(f.c.key, f.c.status)).all())
        assert got == {row["key"]: row["status"] for row in expected(console, configuration, day)}, day


def test_filters_and_counts_in_sql_on_each_database(any_database: Runtime, configuration: Configuration) -> None:
    """The list's query and the overview's counts, on SQLite and PostgreSQL, against the oracle."""
    rows = expected(any_database, configuration)
    where = Here(any_database, "vi", TODAY)
    with session_scope(any_database.engine) as session:
        document = find_document(session)
        day = day_of(where, document, session)
        db = session.connection()
        searched = frozenset(search(session, document, "phat trien"))
        for filters, wanted in (
            (Filters(body="UBND", overdue=True), [r for r in rows if r["lead"] == "UBND" and r["status"] == "not_done_overdue"]),
            (Filters(section="C.I", kind="task", status="not_done_overdue"),
             [r for r in rows if str(r["section"]).startswith("C.I.") and r["kind"] == "task" and r["status"] == "not_done_overdue"]),
            (Filters(ids=searched, member="UBND"), [r for r in rows if "phat trien" in bare(str(r["text"]))
                                                    and (r["lead"] == "UBND" or "UBND" in r["cooperating"])]),  # type: ignore[operator]
        ):
            assert wanted
            assert [row.key for row in db.execute(list_query(document.id or 0, day, filters)).all()] == [r["key"] for r in wanted]
            assert db.execute(count_query(document.id or 0, day, filters)).scalar_one() == len(wanted)
        counts = fold_counts(db.execute(counts_query(document.id or 0, day)).all())
    assert counts.by_status == {c: sum(1 for r in rows if r["status"] == c) for c in counts.by_status}
    assert counts.overdue_by_lead == Counter(str(r["lead"]) for r in rows if r["status"] == "not_done_overdue")


def test_overview_shows_the_counts_by_status_as_svg_without_script(coordinator: TestClient, console: Runtime,
                                                                    configuration: Configuration) -> None:
    page = coordinator.get("/")
    assert page.status_code == 200
    rows = expected(console, configuration)
    assert "<script" not in page.text and "<svg" in page.text
    for category in ("done_on_time", "done_late", "not_done_overdue", "blocked", "not_done_within_deadline"):
        n = sum(1 for r in rows if r["status"] == category)
        assert re.search(rf'href="/items\?status={category}">.*?<text[^>]*>{n}</text>', page.text), category
    overdue_ubnd = sum(1 for r in rows if r["status"] == "not_done_overdue" and r["lead"] == "UBND")
    assert re.search(rf'href="/items\?body=UBND&amp;overdue=1">.*?<text[^>]*>{overdue_ubnd}</text>', page.text)
    assert "12/01/2026" in page.text  # the day, dd/mm/yyyy


def _oracle(rows: list[dict[str, object]], name: str, value: str) -> list[str]:
    match: Callable[[dict[str, object]], bool] = {
        "body": lambda r: r["lead"] == value,
        "part": lambda r: str(r["section"]).split(".")[0] == value,
        "section": lambda r: r["section"] == value or str(r["section"]).startswith(value + "."),
        "kind": lambda r: r["kind"] == value,
        "status": lambda r: r["status"] == value,
        "due_before": lambda r: str(r["due"]) < "2024-01-01",
        "overdue": lambda r: r["status"] == "not_done_overdue",
        "q": lambda r: "phat trien" in bare(str(r["text"])),
    }[name]
    return [str(r["key"]) for r in rows if match(r)]


@pytest.mark.parametrize(("name", "value"), [
    ("body", "UBND"), ("part", "B"), ("section", "C.I.2"), ("kind", "target"), ("status", "blocked"),
    ("status", "done_on_time"), ("due_before", "01/01/2024"), ("overdue", "1"), ("q", "phat trien"),
])
def test_each_filter_lists_exactly_the_rows_the_database_holds(coordinator: TestClient, console: Runtime,
                                                               configuration: Configuration, name: str, value: str) -> None:
    wanted = _oracle(expected(console, configuration), name, value)
    assert wanted, "the filter would select nothing: a test that cannot fail"
    assert every_page(coordinator, {name: value}) == wanted
    assert f"{len(wanted)} mục" in coordinator.get("/items?" + urlencode({name: value})).text


def test_search_finds_the_text_with_or_without_diacritics(coordinator: TestClient, console: Runtime,
                                                          configuration: Configuration) -> None:
    rows = expected(console, configuration)
    with_marks = [str(r["key"]) for r in rows if "phát triển" in fold(str(r["text"]))]
    assert with_marks
    assert every_page(coordinator, {"q": "phat trien"}) == every_page(coordinator, {"q": "Phát Triển"}) == with_marks
    assert every_page(coordinator, {"q": "phạt"}) == [str(r["key"]) for r in rows if "phạt" in fold(str(r["text"]))]


def test_sorting_and_pages_cover_every_row_once_in_order(coordinator: TestClient, console: Runtime,
                                                         configuration: Configuration) -> None:
    rows = expected(console, configuration)
    by_due = [str(r["key"]) for r in sorted(rows, key=lambda r: r["due"], reverse=True)]  # type: ignore[arg-type,return-value]
    listed = every_page(coordinator, {"sort": "-due"})
    assert len(listed) == len(rows) > 50 and len(set(listed)) == len(listed)
    dues = {str(r["key"]): r["due"] for r in rows}
    assert [dues[k] for k in listed] == [dues[k] for k in by_due]
    first, second = coordinator.get("/items?page=1"), coordinator.get("/items?page=2")
    assert not set(keys_on(first.text)) & set(keys_on(second.text))
    assert "Trang 2/3" in second.text


def test_exports_hold_exactly_the_filtered_rows(coordinator: TestClient, console: Runtime,
                                                configuration: Configuration) -> None:
    query = urlencode({"overdue": "1", "body": "UBND", "sort": "due"})
    listed = every_page(coordinator, {"overdue": "1", "body": "UBND", "sort": "due"})
    assert len(listed) > 1
    text = coordinator.get("/items.csv?" + query)
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert table[0][0] == "Mã" and [row[0] for row in table[1:]] == listed
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", row[5]) for row in table[1:])
    book = load_workbook(io.BytesIO(coordinator.get("/items.xlsx?" + query).content))
    sheet = book.active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in cells] == listed
    assert all(isinstance(row[5], datetime) for row in cells)  # a date Excel sorts, not text


def test_a_bad_filter_is_a_422_page_naming_it(coordinator: TestClient) -> None:
    for query in ("status=late", "due_before=31/02/2024", "page=zero", "body=NOBODY", "sort=text"):
        page = coordinator.get("/items?" + query)
        assert page.status_code == 422 and 'class="problem"' in page.text and "Traceback" not in page.text, query
        assert coordinator.get("/items.xlsx?" + query).status_code == 422


def test_the_item_page_tells_its_history_in_time_order(coordinator: TestClient, console: Runtime) -> None:
    with session_scope(console.engine) as session:
        key = session.exec(select(AuditEvent.entity_key).where(AuditEvent.action == "extension.approved")
                           .order_by(col(AuditEvent.id))).first()
    page = coordinator.get(f"/items/{key}")
    assert page.status_code == 200
    assert "chấp thuận" in page.text and "25/06/2023" in page.text and "hoàn thành" in page.text
    events = re.findall(r'<li class="ev-(\w+)"><span class="when">([^<]+)<', page.text)
    assert [kind for kind, _ in events] == ["extension", "report"]
    assert coordinator.get("/items/NO.SUCH").status_code == 404


def test_the_office_reassigns_and_reminds_and_each_is_audited(coordinator: TestClient, console: Runtime) -> None:
    page = coordinator.get("/items/B.II.1.1")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    moved = coordinator.post("/items/B.II.1.1/reassign", data={"csrf": token, "body": "DD_MTTQ"})
    assert moved.status_code == 303
    reminded = coordinator.post("/items/B.II.1.1/remind", data={"csrf": token})
    assert reminded.status_code == 303
    again = coordinator.post("/items/B.II.1.1/remind", data={"csrf": token})  # a double click: one letter
    assert "không gửi thêm" in coordinator.get(again.headers["location"]).text
    with session_scope(console.engine) as session:
        lead = session.exec(select(Assignment.body_code).join(Item, col(Item.id) == col(Assignment.item_id))
                            .where(Assignment.role == "lead", Item.key == "B.II.1.1")).one()
        letters = session.exec(select(OutboxMessage).where(col(OutboxMessage.key).like("reminder:item:%:manual:%"))).all()
        actions = set(session.exec(select(AuditEvent.action).where(AuditEvent.actor == "console:coord")).all())
    assert lead == "DD_MTTQ" and len(letters) == 1
    assert {"assignment.manual", "reminder.manual"} <= actions
    assert "Đã giao DD_MTTQ" in coordinator.get(moved.headers["location"]).text
    assert coordinator.post("/items/B.II.1.1/remind", data={"csrf": "forged"}).status_code == 403


def test_who_may_see_and_do_what(console: Runtime, configuration: Configuration) -> None:
    rows = expected(console, configuration)
    own = [str(r["key"]) for r in rows if r["lead"] == "UBND" or "UBND" in r["cooperating"]]  # type: ignore[operator]
    other = next(str(r["key"]) for r in rows if str(r["key"]) not in own)
    with client_for(console, "inspect") as inspector:
        page = inspector.get("/items/B.II.1.1")
        assert page.status_code == 200 and "/reassign" not in page.text
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        assert inspector.post("/items/B.II.1.1/reassign", data={"csrf": token, "body": "DD_MTTQ"}).status_code == 403
        assert inspector.get("/audit").status_code == 200
    with client_for(console, "ubnd") as body:
        assert body.get("/").status_code == 303
        assert body.get("/bodies/UBND").status_code == 200
        assert body.get("/bodies/DD_MTTQ").status_code == 404
        assert body.get("/audit").status_code == 403 and body.get("/reviews").status_code == 403
        assert every_page(body, {}) == own and every_page(body, {"body": "DD_MTTQ"}) == []
        assert body.get(f"/items/{other}").status_code == 404 and body.get(f"/items/{own[0]}").status_code == 200
    with client_for(console, "coord") as coordinator:
        token = re.search(r'name="csrf" value="([^"]+)"', coordinator.get("/reviews").text).group(1)  # type: ignore[union-attr]
        assert coordinator.post("/reviews", data={"csrf": token, "kind": "midterm", "due": "30/01/2026"}).status_code == 403


def test_the_standing_committee_opens_follows_closes_and_downloads_a_round(console: Runtime) -> None:
    with client_for(console, "standing") as standing:
        token = re.search(r'name="csrf" value="([^"]+)"', standing.get("/reviews").text).group(1)  # type: ignore[union-attr]
        bad = standing.post("/reviews", data={"csrf": token, "kind": "midterm", "due": "32/01/2026"})
        assert bad.status_code == 422 and "32/01/2026" in bad.text
        opened = standing.post("/reviews", data={"csrf": token, "kind": "midterm", "due": "30/01/2026",
                                                 "period_from": "01/01/2021", "period_to": "31/12/2025"})
        assert opened.status_code == 303, opened.text[-600:]
        page = standing.get(opened.headers["location"])
        assert page.status_code == 200 and 'data-body="UBND"' in page.text
        with session_scope(console.engine) as session:
            review = session.exec(select(ReviewRound)).one()
            requests = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "review_request")).all()
        assert requests
        again = standing.post("/reviews", data={"csrf": token, "kind": "midterm", "due": "30/01/2026",
                                                "period_from": "01/01/2021", "period_to": "31/12/2025"})
        assert again.status_code == 409
        assert standing.post(f"/reviews/{review.id}/close", data={"csrf": token}).status_code == 303
        assert "đã đóng" in standing.get(f"/reviews/{review.id}").text
        docx = standing.get(f"/reviews/{review.id}/report.docx")
        assert docx.status_code == 200 and docx.content[:2] == b"PK"
        assert standing.get(f"/reviews/{review.id}/report.pdf").status_code == 404
        assert standing.get("/reviews/999").status_code == 404


def test_the_audit_trail_filters_by_who_what_and_when(coordinator: TestClient) -> None:
    page = coordinator.get("/audit?" + urlencode({"who": "tests", "what": "extension"}))
    assert page.status_code == 200
    actions = re.findall(r'<td class="nowrap">(extension\.\w+)</td>', page.text)
    assert sorted(actions) == ["extension.approved"] * 2 + ["extension.requested"] * 2
    later = coordinator.get("/audit?" + urlencode({"what": "extension", "since": "01/01/2030"}))
    assert "Không có sự kiện nào khớp." in later.text
    assert coordinator.get("/audit?since=yesterday").status_code == 422


def test_pages_speak_english_when_asked(console: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    english = Runtime(console.settings.model_copy(update={"language": "en"}), console.configuration, console.engine)
    with client_for(english, "coord") as client:
        assert "Items by status" in client.get("/").text
        assert "not done, overdue" in client.get("/items?overdue=1").text
