"""Signing in to the console (issue 11, "Who may do what"): passwords, sessions, the throttle,
``/healthz`` and ``dondoc user``, through the real application and a real database.

Each test names the defect it catches; the users store runs on SQLite and PostgreSQL.
"""

import dataclasses
import json
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from config.errors import ConflictError
from models.console_tables import ConsoleUser
from models.db import open_database, session_scope
from models.tables import AuditEvent
from models.users import add_user, disable_user, retry_after, sign_in
from tests.acceptance.test_cli import DONDOC
from tests.web.browsing import user_env
from tests.web.conftest import DAY
from tests.web.consoling import PASSWORD, Clock, add_users, console_client, csrf_of, form_token, post_login
from tests.web.consoling import sign_in as browser_sign_in
from workflows.orchestration.runtime import Runtime

PAGE = "/items"
"""A console page every role may open (a body user sees its own items there)."""


@pytest.fixture
def people(runtime: Runtime) -> Runtime:
    add_users(runtime)
    return runtime


def test_sign_in_sets_a_signed_cookie_the_page_script_cannot_read(people: Runtime) -> None:
    with console_client(people) as client:
        assert client.get(PAGE).status_code == 303
        done = post_login(client, "Coord", next=PAGE)  # the login is not case-sensitive
        assert done.status_code == 303 and done.headers["location"] == PAGE
        cookie = done.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=28800" in cookie
        assert "secure" not in cookie.replace("dondoc_login", "")  # http: a Secure cookie would never come back
        assert client.get(PAGE).status_code == 200


def test_the_cookie_is_secure_when_the_site_is_https(people: Runtime) -> None:
    https = dataclasses.replace(people, settings=people.settings.model_copy(update={"base_url": "https://dondoc.example.vn"}))
    with console_client(https, base_url="https://testserver") as client:
        done = post_login(client, "coord")
        assert done.status_code == 303
        assert "; secure" in done.headers["set-cookie"].lower()


def test_a_wrong_password_and_an_unknown_login_answer_alike(people: Runtime) -> None:
    with console_client(people) as client:
        wrong = post_login(client, "coord", "not the password")
        nobody = post_login(client, "nobody", "not the password")
    assert wrong.status_code == nobody.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.text
    assert wrong.text.replace('value="coord"', 'value="nobody"') == nobody.text.replace(
        form_token(nobody.text), form_token(wrong.text))


def test_five_failures_for_a_login_refuse_the_sixth_until_fifteen_minutes_pass(people: Runtime) -> None:
    clock = Clock()
    with console_client(people, clock) as client, console_client(people, clock) as colleague:
        for _ in range(5):
            assert post_login(client, "coord", "guess, guess").status_code == 401
            clock.advance(seconds=30)
        refused = post_login(client, "coord")  # the right password, but too soon
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert "Đăng nhập sai quá nhiều lần. Xin thử lại sau 08:15 (giờ Việt Nam), ngày 30/06/2021." in refused.text
        assert 'name="password"' not in refused.text
        assert post_login(colleague, "standing").status_code == 303  # another login from the same place works
        clock.advance(minutes=13)  # the first failure is now 15 minutes old
        assert post_login(client, "coord").status_code == 303


def test_twenty_failures_from_one_address_refuse_any_login(people: Runtime) -> None:
    with console_client(people) as client:
        for n in range(20):
            assert post_login(client, f"guess{n}", "guess, guess").status_code == 401
        assert post_login(client, "coord").status_code == 429


def test_a_session_ends_after_eight_idle_hours_and_a_day_at_most(people: Runtime) -> None:
    clock = Clock()
    with console_client(people, clock) as client:
        browser_sign_in(client, "coord")
        for _ in range(3):  # in use every 7 hours: still signed in 21 hours later
            clock.advance(hours=7)
            assert client.get(PAGE).status_code == 200
        clock.advance(hours=3, minutes=1)  # 24 hours since the sign-in
        gone = client.get(PAGE + "?status=late")
        assert gone.status_code == 303
        assert gone.headers["location"] == "/login?next=%2Fitems%3Fstatus%3Dlate"
        browser_sign_in(client, "coord")
        clock.advance(hours=8, minutes=1)
        assert client.get(PAGE).status_code == 303


@pytest.mark.parametrize("damage", ["flip", "cut", "foreign"])
def test_a_tampered_cookie_is_no_session(people: Runtime, damage: str) -> None:
    with console_client(people) as client:
        browser_sign_in(client, "ubnd")
        value = client.cookies["dondoc_console"]
        forged = {"flip": value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"), "cut": value[: len(value) // 2],
                  "foreign": value.replace(value.split(".")[0], "eyJ1IjoiY29vcmQifQ")}[damage]
        assert client.get(PAGE).status_code == 200
        client.cookies.clear()
        client.cookies.set("dondoc_console", forged)
        answer = client.get(PAGE)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_disabled_user_is_out_at_the_next_request(people: Runtime) -> None:
    with console_client(people) as client:
        browser_sign_in(client, "coord")
        assert client.get(PAGE).status_code == 200
        with session_scope(people.engine) as session:
            disable_user(session, login="coord", actor="tests", now=DAY)
        assert client.get(PAGE).status_code == 303
        assert post_login(client, "coord").status_code == 401


def test_sign_out_ends_the_session_even_for_a_copied_cookie(people: Runtime) -> None:
    with console_client(people) as client, console_client(people) as thief:
        csrf = browser_sign_in(client, "standing")
        thief.cookies.set("dondoc_console", client.cookies["dondoc_console"])
        assert thief.get(PAGE).status_code == 200
        assert client.post("/logout", data={}).status_code == 403  # a sign-out from another site's form
        out = client.post("/logout", data={"csrf": csrf})
        assert out.status_code == 303 and out.headers["location"] == "/login?out=1"
        assert "Đồng chí đã đăng xuất." in client.get("/login?out=1").text
        assert thief.get(PAGE).status_code == 303


def test_the_sign_in_form_needs_its_own_token(people: Runtime) -> None:
    with console_client(people) as client:
        forged = client.post("/login", data={"login": "coord", "password": PASSWORD, "csrf": "x", "next": "/"})
        assert forged.status_code == 403 and "dondoc_console" not in forged.headers.get("set-cookie", "")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_after_sign_in_only_a_path_of_this_site(people: Runtime, target: str) -> None:
    with console_client(people) as client:
        done = post_login(client, "coord", next=target)
        assert done.status_code == 303 and done.headers["location"] == "/"


def test_healthz_says_whether_the_database_answers(runtime: Runtime, tmp_path: Path) -> None:
    with console_client(runtime) as client:
        ok = client.get("/healthz")
        assert ok.status_code == 200 and ok.json() == {"status": "ok", "database": "ok"}
    for url in (f"sqlite:///{tmp_path / 'gone' / 'x.db'}", "postgresql+psycopg://u:p@127.0.0.1:1/none?connect_timeout=2"):
        down = dataclasses.replace(runtime, engine=create_engine(url))
        with console_client(down) as client:
            answer = client.get("/healthz")
        assert answer.status_code == 503 and answer.json()["database"] == "unreachable"
        assert "Traceback" not in answer.text and "127.0.0.1" not in answer.text


def test_the_users_store_keeps_hashes_and_refuses_what_cannot_be(database_url: str) -> None:
    engine = open_database(database_url)
    now = datetime(2021, 6, 30, 1, 0, tzinfo=DAY.tzinfo)
    try:
        with session_scope(engine) as session:
            add_user(session, login="Lan.Nguyen", role="standing", body=None, password=PASSWORD, actor="tests", now=now)
        with session_scope(engine) as session, pytest.raises(ConflictError):
            add_user(session, login="lan.nguyen", role="coordinator", body=None, password=PASSWORD, actor="tests", now=now)
        with Session(engine) as session:
            stored = session.exec(select(ConsoleUser)).one()
            assert stored.login == "lan.nguyen" and stored.password_hash.startswith("$argon2id$")
            assert PASSWORD not in stored.password_hash
            session.add(ConsoleUser(login="x", role="coordinator", body_code="UBND", password_hash="h", created_by="t", created_at=now))
            with pytest.raises(IntegrityError):  # the database itself refuses a body on an office role
                session.flush()
        with session_scope(engine) as session:
            assert sign_in(session, login="LAN.nguyen", password=PASSWORD, address="10.0.0.1", now=now) is not None
            assert sign_in(session, login="lan.nguyen", password=PASSWORD + "x", address="10.0.0.1", now=now) is None
            disable_user(session, login="lan.nguyen", actor="tests", now=now)
        with session_scope(engine) as session:
            assert sign_in(session, login="lan.nguyen", password=PASSWORD, address="10.0.0.1", now=now) is None
            for _ in range(3):
                sign_in(session, login="lan.nguyen", password="x", address="10.0.0.1", now=now)
            assert retry_after(session, login="lan.nguyen", address="10.0.0.2", now=now) == now + timedelta(minutes=15)
            actions = [(e.action, e.entity_key) for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "console_user"))]
        assert actions == [("user.add", "lan.nguyen"), ("user.sign_in", "lan.nguyen"), ("user.disable", "lan.nguyen")]
    finally:
        engine.dispose()


def test_the_user_command_reads_the_password_from_standard_input(tmp_path: Path) -> None:
    env = user_env(tmp_path / "home", actor="chanh.van.phong")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([*DONDOC, "user", *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)

    short = run("add", "lan", "--role", "standing", stdin="ngan\n")
    assert short.returncode == 64 and "too short" in short.stderr and "Traceback" not in short.stderr
    assert run("add", "lan", "--role", "standing", stdin="").returncode == 64
    assert run("add", "lan", "--role", "standing", "--body", "UBND", stdin=PASSWORD + "\n").returncode == 64
    added = run("add", "lan", "--role", "standing", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    assert run("add", "ubnd1", "--role", "body", "--body", "UBND", stdin=PASSWORD + "\n").returncode == 0
    assert run("add", "LAN", "--role", "coordinator", stdin=PASSWORD + "\n").returncode == 6
    assert run("disable", "ghost").returncode == 4
    assert run("disable", "lan").returncode == 0
    listed = json.loads(run("list", "--json").stdout)
    assert [(u["login"], u["role"], u["body"], u["disabled_at"] is not None) for u in listed] == [
        ("lan", "standing", None, True), ("ubnd1", "body", "UBND", False)]
    engine = open_database(f"sqlite:///{tmp_path / 'home' / 'dondoc.db'}")
    with Session(engine) as session:
        trail = [(e.actor, e.action, e.entity_key) for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "console_user"))]
    engine.dispose()
    assert trail == [("chanh.van.phong", "user.add", "lan"), ("chanh.van.phong", "user.add", "ubnd1"),
                     ("chanh.van.phong", "user.disable", "lan")]


def test_csrf_token_belongs_to_the_session(people: Runtime) -> None:
    with console_client(people) as one, console_client(people) as two:
        browser_sign_in(one, "coord")
        browser_sign_in(two, "coord")
        assert csrf_of(one) != csrf_of(two)


@pytest.mark.browser
def test_sign_in_and_out_in_a_real_browser(tmp_path: Path, ingested_sqlite: Path) -> None:
    """Chromium: a bookmarked page asks for the sign-in, a wrong password is told, the right one
    lands on the bookmarked page with the person's name and the sign-out button in the bar."""
    import shutil

    from tests.web.browsing import answer_page, artifacts_folder, chromium, dondoc, free_port

    browser_path, shots = chromium(), artifacts_folder(tmp_path, "console-sign-in")
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ingested_sqlite, home / "dondoc.db")
    env = user_env(home, actor="chanh.van.phong")
    added = subprocess.run([*DONDOC, "user", "add", "lan.nguyen", "--role", "coordinator"], env=env, input=PASSWORD + "\n",
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    assert "lan.nguyen" in dondoc(env, "user", "list")
    from playwright.sync_api import sync_playwright

    with answer_page(home, free_port(), DAY) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
            page.goto(base + "/items?overdue=1")
            assert page.url == base + "/login?next=%2Fitems%3Foverdue%3D1"
            page.screenshot(path=str(shots / "login-1280.png"))
            page.fill("input[name=login]", "Lan.Nguyen")
            page.fill("input[name=password]", "sai mật khẩu rồi")
            page.click("button[type=submit]")
            assert page.locator(".problem").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
            page.screenshot(path=str(shots / "login-refused-1280.png"))
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/items?overdue=1")
            bar = page.locator("nav.bar").inner_text()
            for entry in ("Tổng quan", "Nhiệm vụ", "Cơ quan", "Sơ kết/Tổng kết", "Nhật ký", "Đăng nhập: lan.nguyen", "Đăng xuất"):
                assert entry in bar
            cookie = next(c for c in page.context.cookies() if c["name"] == "dondoc_console")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
            page.screenshot(path=str(shots / "signed-in-items-1280.png"), full_page=False)
            page.click("nav.bar button:has-text('Đăng xuất')")
            page.wait_for_url(base + "/login?out=1")
            assert "Đồng chí đã đăng xuất." in page.locator(".notice").inner_text()
            page.screenshot(path=str(shots / "signed-out-1280.png"))
            page.goto(base + "/items")
            assert page.url.startswith(base + "/login?next=")
        finally:
            browser.close()


def test_the_sign_in_speaks_english_by_setting(people: Runtime) -> None:
    english = dataclasses.replace(people, settings=people.settings.model_copy(update={"language": "en"}))
    with console_client(english) as client:
        assert "Password" in client.get("/login").text
        assert "The login or the password is wrong." in post_login(client, "coord", "wrong password!").text


def test_at_a_terminal_the_password_is_asked_twice_and_not_shown(tmp_path: Path) -> None:
    """``dondoc user add`` on a real pseudo-terminal: two prompts, and the typed password never
    comes back on the screen (no echo)."""
    import os
    import pty
    import time

    env = user_env(tmp_path / "home")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: dondoc on the terminal
        os.execve(DONDOC[0], [*DONDOC, "user", "add", "lan", "--role", "inspection"], env)
    screen, typed = b"", 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(terminal, 1024)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
        if screen.count(b": ") > typed and typed < 2:  # a prompt ("Mật khẩu cho lan: ", "Nhập lại mật khẩu: ")
            os.write(terminal, (PASSWORD + "\n").encode())
            typed += 1
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    shown = screen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert "Mật khẩu cho lan" in shown and "Nhập lại mật khẩu" in shown and "Đã thêm tài khoản lan" in shown
    assert PASSWORD not in shown
