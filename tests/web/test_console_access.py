"""Who may see and do what in the console (issue 11, "Tests": access control as a table).

Each role (and a visitor who is not signed in) against each page the issue lists and each action,
with the status expected in each cell. A body user is ``ubnd`` (UBND): "own" is an item UBND is
assigned to, "other" one it has nothing to do with, so the cells include a body user who edits the
URL to another body's item (404) and an inspector who posts a form (403).

The table is the issue's, not the code's: a page or action the issue lists that the application
does not serve fails its cells with ``MISSING ROUTE`` (the console's pages are built by another
hand; the lead sees here what is not there yet). An action's route is found by its name
(``web.console.auth``: the route is named after the action).

"Passes" (:data:`OK`) means the request got past the access checks: done (303/200), or refused
for its content (409/422) by the action itself, since some cells post a form the action cannot
carry out (an extension decision without a pending request).
"""

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select
from starlette.routing import Route

from config.loading import Configuration
from models.db import open_database, session_scope
from models.queries import find_document
from models.reports import request_extension
from models.reviews import open_round
from models.tables import Assignment, AuditEvent, Item
from tests.web.conftest import DAY, make_settings
from tests.web.consoling import USERS, Clock, add_users, console_client, csrf_of, sign_in
from workflows.orchestration.runtime import Runtime

ROLES = ("anonymous", "coordinator", "standing", "inspection", "body")
LOGIN = {"coordinator": "coord", "standing": "standing", "inspection": "inspector", "body": "ubnd"}
OK = "passes"
TO_LOGIN = "sign-in"
"""303 to ``/login?next=...``."""

PAGES: list[tuple[str, tuple[Any, ...]]] = [
    # path template          anonymous  coordinator standing inspection body
    ("/",                    (TO_LOGIN, 200, 200, 200, "303 /bodies/UBND")),
    ("/items",               (TO_LOGIN, 200, 200, 200, 200)),
    ("/items?overdue=1&body={other_body}", (TO_LOGIN, 200, 200, 200, 200)),
    ("/items.csv",           (TO_LOGIN, 200, 200, 200, 200)),
    ("/items.xlsx",          (TO_LOGIN, 200, 200, 200, 200)),
    ("/items/{own}",         (TO_LOGIN, 200, 200, 200, 200)),
    ("/items/{other}",       (TO_LOGIN, 200, 200, 200, 404)),
    ("/items/NO.SUCH.ITEM",  (TO_LOGIN, 404, 404, 404, 404)),
    ("/bodies/UBND",         (TO_LOGIN, 200, 200, 200, 200)),
    ("/bodies/{other_body}", (TO_LOGIN, 200, 200, 200, 404)),
    ("/bodies/NOBODY",       (TO_LOGIN, 404, 404, 404, 404)),
    ("/reviews",             (TO_LOGIN, 200, 200, 200, 403)),
    ("/reviews/{round}",     (TO_LOGIN, 200, 200, 200, 403)),
    ("/reviews/999999",      (TO_LOGIN, 404, 404, 404, 403)),
    ("/audit",               (TO_LOGIN, 200, 200, 200, 403)),
    ("/healthz",             (200, 200, 200, 200, 200)),
    ("/login",               (200, 303, 303, 303, 303)),
]

ACTIONS: list[tuple[str, str, dict[str, str], tuple[Any, ...]]] = [
    # action name         on item   form                       anonymous coordinator standing inspection body
    ("reassign",          "other", {"body": "BTG"},            (401, OK, OK, 403, 403)),
    ("reassign",          "own",   {"body": "BTG"},            (401, OK, OK, 403, 403)),
    ("remind_now",        "other", {},                         (401, OK, OK, 403, 403)),
    ("decide_extension",  "other", {"decision": "refuse", "request": "{extension}"}, (401, OK, OK, 403, 403)),
    ("open_review",       "",      {"kind": "yearly", "due": "15/12/2021", "period_from": "01/01/2021",
                                    "period_to": "31/12/2021"}, (401, 403, OK, 403, 403)),
    ("close_review",      "",      {},                         (401, 403, OK, 403, 403)),
    ("delegate",          "own",   {"unit": "VPTU"},           (401, OK, OK, 403, OK)),
    ("delegate",          "other", {"unit": "VPTU"},           (401, OK, OK, 403, 404)),
]


@dataclass(frozen=True)
class World:
    runtime: Runtime
    own: str
    other: str
    other_body: str
    round: int
    extension: int


def _build(path: Path, configuration: Configuration) -> dict[str, Any]:
    """Users of every role, an open round and a pending extension request on the other item."""
    url = f"sqlite:///{path}"
    runtime = Runtime(make_settings(path.parent, url), configuration, open_database(url))
    add_users(runtime)
    with session_scope(runtime.engine) as session:
        document = find_document(session)
        mine = set(session.exec(select(Assignment.item_id).where(Assignment.body_code == "UBND")).all())
        items = session.exec(select(Item).where(Item.document_id == document.id, Item.retired_at.is_(None))  # type: ignore[union-attr]
                             .order_by(Item.id)).all()  # type: ignore[arg-type]
        own = next(i for i in items if i.id in mine)
        other = next(i for i in items if i.id not in mine and i.kind == "task")
        other_lead = session.exec(select(Assignment.body_code).where(Assignment.item_id == other.id, Assignment.role == "lead")).one()
        review = open_round(session, document=document, kind="midterm", due=date(2021, 7, 15), period_from=date(2021, 1, 1),
                            period_to=date(2021, 6, 30), actor="tests", on=DAY.date(), now=DAY)
        asked = request_extension(session, item=other, body=other_lead, current_due=other.due, to=other.due + timedelta(days=30),
                                  reason="cần thêm thời gian", on=DAY.date(), actor="tests", now=DAY)
        made = {"own": own.key, "other": other.key, "other_body": other_lead, "round": review.id, "extension": asked.id}
    runtime.engine.dispose()
    return made


def _open(path: Path, configuration: Configuration, made: dict[str, Any]) -> World:
    url = f"sqlite:///{path}"
    return World(Runtime(make_settings(path.parent, url), configuration, open_database(url)), **made)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, ingested_sqlite: Path, configuration: Configuration) -> tuple[Path, dict[str, Any]]:
    """The table's database, made once: each cell that changes something gets a copy."""
    path = tmp_path_factory.mktemp("access") / "template.db"
    shutil.copy(ingested_sqlite, path)
    return path, _build(path, configuration)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, prepared: tuple[Path, dict[str, Any]],
          configuration: Configuration) -> Iterator[World]:
    """One database for the page cells (they only read)."""
    path = tmp_path_factory.mktemp("pages") / "dondoc.db"
    shutil.copy(prepared[0], path)
    made = _open(path, configuration, prepared[1])
    yield made
    made.runtime.engine.dispose()


@pytest.fixture
def fresh(tmp_path: Path, prepared: tuple[Path, dict[str, Any]], configuration: Configuration) -> Iterator[World]:
    """A database of its own for an action cell (an action changes what the next cell sees)."""
    shutil.copy(prepared[0], tmp_path / "dondoc.db")
    made = _open(tmp_path / "dondoc.db", configuration, prepared[1])
    yield made
    made.runtime.engine.dispose()


@pytest.fixture(scope="module")
def clients(world: World) -> Iterator[dict[str, TestClient]]:
    """One signed-in client per role (and one that is not), over the same application."""
    opened: dict[str, TestClient] = {}
    contexts = []
    for role in ROLES:
        context = console_client(world.runtime, Clock())
        opened[role] = context.__enter__()
        contexts.append(context)
        if role != "anonymous":
            sign_in(opened[role], LOGIN[role])
    yield opened
    for context in contexts:
        context.__exit__(None, None, None)


def _fill(template: str, world: World) -> str:
    return template.format(own=world.own, other=world.other, other_body=world.other_body, round=world.round,
                           extension=world.extension)


def _routes(routes: Any) -> Iterator[Route]:
    """The application's routes, into included routers (kept whole as ``original_router``)."""
    for route in routes:
        if getattr(route, "original_router", None) is not None:
            yield from _routes(route.original_router.routes)
        elif isinstance(route, Route):
            yield route


def _served(client: TestClient, path: str, method: str) -> bool:
    bare = path.split("?")[0]
    return any(method in (r.methods or ()) and r.path_regex.match(bare) and not r.path.startswith("/b/")
               for r in _routes(client.app.routes))  # type: ignore[attr-defined]


def _check(answer: Any, expected: Any, cell: str) -> None:
    got = answer.status_code
    assert got < 500, f"{cell}: {got} (a page never answers 500)"
    if expected == TO_LOGIN:
        assert got == 303 and answer.headers["location"].startswith("/login?next=%2F"), f"{cell}: {got}, not to /login"
    elif expected == OK:
        assert got in (200, 303, 409, 422), f"{cell}: {got}, refused where it should pass"
    elif isinstance(expected, str):
        status, where = expected.split()
        assert (got, answer.headers.get("location")) == (int(status), where), f"{cell}: {got} {answer.headers.get('location')}"
    else:
        assert got == expected, f"{cell}: {got}, expected {expected}"
    if got in (401, 403, 404):
        assert "Traceback" not in answer.text


PAGE_CELLS = [pytest.param(path, role, expected[n], id=f"{role}-GET-{path}")
              for path, expected in PAGES for n, role in enumerate(ROLES)]


@pytest.mark.parametrize(("template", "role", "expected"), PAGE_CELLS)
def test_page_cell(clients: dict[str, TestClient], world: World, template: str, role: str, expected: Any) -> None:
    client, path = clients[role], _fill(template, world)
    if not _served(client, path, "GET"):
        pytest.fail(f"MISSING ROUTE: GET {template} (issue 11 lists it; the application does not serve it)")
    _check(client.get(path), expected, f"{role} GET {path}")


def _action_path(client: TestClient, action: str, world: World, target: str) -> str:
    for route in _routes(client.app.routes):  # type: ignore[attr-defined]
        if route.name == action and "POST" in (route.methods or ()):
            key = world.own if target == "own" else world.other

            def value(found: re.Match[str], key: str = key) -> str:
                return key if "key" in found.group(1) else str(world.round)

            return re.sub(r"\{(\w+)(:\w+)?\}", value, route.path)
    pytest.fail(f"MISSING ROUTE: the action {action!r} (issue 11 lists it; no POST route is named so)")


def _trail(world: World) -> int:
    with Session(world.runtime.engine) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


ACTION_CELLS = [pytest.param(action, target, form, role, expected[n], id=f"{role}-POST-{action}-{target or 'round'}")
                for action, target, form, expected in ACTIONS for n, role in enumerate(ROLES)]


@pytest.mark.parametrize(("action", "target", "form", "role", "expected"), ACTION_CELLS)
def test_action_cell(fresh: World, action: str, target: str, form: dict[str, str], role: str, expected: Any) -> None:
    with console_client(fresh.runtime, Clock()) as client:
        path = _action_path(client, action, fresh, target)
        token = "" if role == "anonymous" else sign_in(client, LOGIN[role])
        before = _trail(fresh)
        answer = client.post(path, data={**{k: _fill(v, fresh) for k, v in form.items()}, "csrf": token})
        _check(answer, expected, f"{role} POST {path}")
        if expected != OK:
            assert _trail(fresh) == before, f"{role} POST {path}: refused, yet the audit trail grew"


FORGED_CELLS = [pytest.param(action, target, form, role, forged, id=f"{role}-POST-{action}-{target or 'round'}-{forged}-csrf")
                for action, target, form, expected in ACTIONS for n, role in enumerate(ROLES)
                if expected[n] == OK for forged in ("no", "another-session's")]


@pytest.mark.parametrize(("action", "target", "form", "role", "forged"), FORGED_CELLS)
def test_a_form_without_the_session_token_is_refused(fresh: World, action: str, target: str, form: dict[str, str],
                                                     role: str, forged: str) -> None:
    with console_client(fresh.runtime, Clock()) as client, console_client(fresh.runtime, Clock()) as other:
        path = _action_path(client, action, fresh, target)
        sign_in(client, LOGIN[role])
        form = {k: _fill(v, fresh) for k, v in form.items()}
        data = dict(form) if forged == "no" else {**form, "csrf": sign_in(other, LOGIN[role])}
        before = _trail(fresh)
        answer = client.post(path, data=data)
        assert answer.status_code == 403, f"{role} POST {path} with {forged} CSRF token: {answer.status_code}"
        assert "Biểu mẫu đã cũ hoặc không hợp lệ" in answer.text
        assert _trail(fresh) == before and csrf_of(client)


def test_every_role_of_the_table_is_a_user() -> None:
    assert {role for role, _ in USERS.values()} == set(ROLES) - {"anonymous"}


def test_a_body_user_lists_and_exports_its_own_items_only(clients: dict[str, TestClient], world: World) -> None:
    """The body user's list and CSV hold its items and not another body's (the list is filtered
    on the server, not only hidden)."""
    for path in ("/items", "/items.csv"):
        if not _served(clients["body"], path, "GET"):
            pytest.fail(f"MISSING ROUTE: GET {path}")
    everyone = clients["coordinator"].get("/items.csv")
    assert everyone.status_code == 200 and world.other in everyone.text
    mine = clients["body"].get("/items.csv")
    assert mine.status_code == 200 and world.own in mine.text
    assert world.other not in mine.text, f"a body user's export holds another body's item {world.other}"
    asked = f"/items?body={world.other_body}&sort=key"
    assert f'href="/items/{world.other}"' not in clients["body"].get(asked).text
    assert any(f'href="/items/{world.other}"' in clients["coordinator"].get(f"{asked}&page={n}").text for n in range(1, 6))


def test_an_inspector_who_posts_a_form_is_told_why_in_vietnamese(fresh: World) -> None:
    with console_client(fresh.runtime, Clock()) as client:
        path = _action_path(client, "reassign", fresh, "other")
        token = sign_in(client, "inspector")
        answer = client.post(path, data={"body": "BTG", "csrf": token})
    assert answer.status_code == 403
    assert "Tài khoản Ủy ban Kiểm tra chỉ được xem, không được thay đổi." in answer.text
    assert "Traceback" not in answer.text
