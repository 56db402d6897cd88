"""The console's test programme: the bundled sample stored in a real database, a history that
gives every status (done on time, done late, blocked, reopened, overdue, an extension to a
Saturday that a Monday does not yet call overdue), one account per role, and signing in through
the real ``/login`` form."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import col, select

from config.loading import Configuration
from models.db import open_database, session_scope
from models.item_states import item_states
from models.queries import find_document
from models.reports import add_report, decide_extension, request_extension
from models.tables import Item
from models.users import add_user
from workflows.orchestration.runtime import Runtime
from workflows.rules import reporting
from workflows.rules.status import status

NOW = datetime(2026, 1, 12, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
"""A Monday after the programme's last due date (31/12/2025): most items are overdue by then."""
TODAY = NOW.date()
PASSWORD = "a-long-test-password-42"
ACCOUNTS = {"coord": ("coordinator", None), "standing": ("standing", None), "inspect": ("inspection", None),
            "ubnd": ("body", "UBND")}


@dataclass(frozen=True)
class Story:
    """The keys of the items whose history was written, by what they should show."""

    weekend_done: str
    saturday_due: str
    done_late: str
    blocked: str
    done_on_time: str
    reopened: str


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC).replace(hour=3)


def write_story(runtime: Runtime) -> Story:
    """Reports and extensions on six items (three due 01/04/2021, three due 31/12/2025), and the
    console's accounts."""
    with session_scope(runtime.engine) as session:
        document = find_document(session)
        items = list(session.exec(select(Item).where(Item.document_id == document.id).order_by(col(Item.position))).all())
        early = [i for i in items if i.due == date(2021, 4, 1)]
        late = [i for i in items if i.due == date(2025, 12, 31) and i.kind == "task"]
        assert len(early) >= 3 and len(late) >= 3

        def report(item: Item, state: str, on: date) -> None:
            add_report(session, item=item, body="UBND", status=state, percent=None, note=None, values={}, period=on,
                       on=on, actor="tests", now=_at(on))

        def extend(item: Item, to: date) -> None:
            asked = request_extension(session, item=item, body="UBND", current_due=item.due, to=to, reason="tests",
                                      on=date(2021, 3, 1), actor="tests", now=_at(date(2021, 3, 1)))
            decide_extension(session, request_id=asked.id or 0, approve=True, note=None, on=date(2021, 3, 2),
                             actor="tests", now=_at(date(2021, 3, 2)))

        extend(early[0], date(2023, 6, 25))  # a Sunday: due on Monday 26/06, done that Monday: on time
        report(early[0], "done", date(2023, 6, 26))
        extend(early[1], date(2026, 1, 10))  # a Saturday: due on Monday 12/01, not overdue on that day
        report(early[2], "done", date(2022, 1, 10))
        report(late[0], "blocked", date(2025, 3, 3))
        report(late[1], "done", date(2025, 5, 5))
        report(late[2], "done", date(2025, 5, 5))
        report(late[2], "in_progress", date(2025, 6, 2))
        for login, (role, body) in ACCOUNTS.items():
            add_user(session, login=login, role=role, body=body, password=PASSWORD, actor="tests", now=NOW)
        return Story(early[0].key, early[1].key, early[2].key, late[0].key, late[1].key, late[2].key)


def build(url: str, home: Path, configuration: Configuration, **settings: Any) -> Runtime:
    """The sample programme stored in ``url`` with the story's history and accounts."""
    from tests.conftest import SAMPLE
    from tests.web.conftest import make_settings
    from workflows.orchestration.ingest import parse_file, store

    engine = open_database(url)
    runtime = Runtime(make_settings(home, url).model_copy(update=settings), configuration, engine)
    programme = parse_file(SAMPLE, settings=runtime.settings, configuration=configuration)
    store(engine, programme, source=str(SAMPLE), configuration=configuration, actor="tests", now=datetime(2021, 1, 4, tzinfo=UTC))
    write_story(runtime)
    return runtime


def expected(runtime: Runtime, configuration: Configuration, day: date = TODAY) -> list[dict[str, object]]:
    """Every active item as the command line's rules see it on ``day``: key, kind, section, lead,
    cooperating bodies, due date in force, status, text (the oracle the pages are checked against)."""
    with session_scope(runtime.engine) as session:
        states = item_states(session, reporting=reporting.rule(configuration.policy.reporting_cadence))
    return [{"key": s.key, "kind": s.kind, "section": s.section, "lead": s.lead, "cooperating": s.cooperating,
             "due": s.due, "status": status(s, day, configuration.policy), "text": s.text} for s in states]


def sign_in(client: TestClient, login: str) -> None:
    """Sign in through the form, as a person does (its CSRF token read from the page)."""
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    answer = client.post("/login", data={"login": login, "password": PASSWORD, "csrf": token.group(1), "next": "/"})
    assert answer.status_code == 303, answer.text[:500]


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def keys_on(page: str) -> list[str]:
    return re.findall(r'<tr data-key="([^"]+)"', page)
