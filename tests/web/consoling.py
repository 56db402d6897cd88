"""What the console's sign-in and access tests share: users made through ``models.users``, a
clock a test can move, the application over the answer page's fixtures, and a sign-in through
the real ``/login`` form."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from itsdangerous import URLSafeSerializer

from models.db import session_scope
from models.users import add_user
from notifications.links import signing_key
from tests.web.conftest import DAY
from web.app import create_app
from web.console.session import COOKIE, SALT
from workflows.orchestration.runtime import Runtime

PASSWORD = "Mật-khẩu đủ dài 2021"
"""Vietnamese letters, spaces: what a person may well type."""
USERS = {"coord": ("coordinator", None), "standing": ("standing", None), "inspector": ("inspection", None),
         "ubnd": ("body", "UBND"), "btg": ("body", "BTG")}
"""One user of each role (and two bodies), by login."""


@dataclass
class Clock:
    """The application's "now": starts at the fixtures' day, moved by the test."""

    now: datetime = field(default=DAY)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def add_users(runtime: Runtime, names: dict[str, tuple[str, str | None]] = USERS) -> None:
    with session_scope(runtime.engine) as session:
        for login, (role, body) in names.items():
            add_user(session, login=login, role=role, body=body, password=PASSWORD, actor="tests", now=DAY)


@contextmanager
def console_client(runtime: Runtime, clock: Clock | None = None, *, base_url: str = "http://testserver") -> Iterator[TestClient]:
    app = create_app(runtime, clock=clock or Clock())
    with TestClient(app, base_url=base_url, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


def form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


def post_login(client: TestClient, login: str, password: str = PASSWORD, *, next: str = "/") -> Any:
    page = client.get("/login")
    assert page.status_code == 200, page.text
    return client.post("/login", data={"login": login, "password": password, "csrf": form_token(page.text), "next": next})


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> str:
    """Sign ``client`` in as ``login``; the session's CSRF token, as the pages put it in forms."""
    done = post_login(client, login, password)
    assert done.status_code == 303, done.text
    return csrf_of(client)


def csrf_of(client: TestClient) -> str:
    """The CSRF token of ``client``'s session (read from its signed cookie with the server's key:
    what every console form carries, without depending on any one page)."""
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    raw = client.cookies.get(COOKIE)
    assert raw, "not signed in"
    data = URLSafeSerializer(signing_key(runtime.settings), salt=SALT).loads(raw)
    return str(data["c"])
