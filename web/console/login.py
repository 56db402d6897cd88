"""``/login`` and ``/logout``: signing in to the console with a login and a password.

A wrong login and a wrong password get the same answer (401, the form again), in the same time
(``models.users.sign_in`` hashes either way). Too many failures (``models.users.retry_after``:
5 for a login or 20 from an address within 15 minutes) answer 429 with a ``Retry-After`` header
and a page that says when to try again, without checking the password. A success sets the
session cookie (``web.console.session``) and returns to ``next`` when it is a path of this site.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from config.policy import TIMEZONE
from config.words import show_date
from models.audit import audit
from models.db import session_scope
from models.users import MAX_PASSWORD, end_sessions, retry_after, sign_in
from web.console.auth import ConsoleRefused, check_csrf, login_path, viewer
from web.console.auth_words import say
from web.console.layout import console_page
from web.console.session import (
    LOGIN_COOKIE,
    forget,
    keep_nonce,
    login_csrf,
    login_nonce,
    new_ticket,
    now_of,
    read_ticket,
    write_ticket,
)

router = APIRouter()
LIMITS: dict[str, Any] = {"max_files": 0, "max_fields": 8, "max_part_size": 4 * 1024}


def _next(value: Any) -> str:
    """Where to go after signing in: a local path only (never ``//host`` or another site)."""
    path = value if isinstance(value, str) else ""
    return path if login_path(path) != "/login" and len(path) <= 2000 else "/"


def _form(request: Request, *, status: int = 200, message: str = "", good: bool = False, login: str = "",
          next_path: str = "/", locked: bool = False, headers: dict[str, str] | None = None) -> Response:
    nonce, new = login_nonce(request)
    response = console_page(request, "console/login.html", who=None, status=status, message=message, good=good,
                            login=login, next=next_path, locked=locked, csrf=login_csrf(request, nonce), headers=headers)
    if new:
        keep_nonce(request, response, nonce)
    return response


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/", out: int = 0) -> Response:
    if read_ticket(request) is not None and not out:
        try:
            viewer(request)
            return RedirectResponse(_next(next), status_code=303)
        except ConsoleRefused:
            pass
    lang = request.app.state.runtime.settings.language
    return _form(request, message=say("signed_out", lang) if out else "", good=bool(out), next_path=_next(next))


def _retry_text(lang: str, when: datetime) -> str:
    local = when.astimezone(ZoneInfo(TIMEZONE))
    return say("throttled", lang, at=local.strftime("%H:%M"), day=show_date(local.date()))


@router.post("/login", include_in_schema=False)
async def login_post(request: Request) -> Response:
    runtime = request.app.state.runtime
    lang = runtime.settings.language
    form: FormData = await request.form(**LIMITS)
    login, password = str(form.get("login") or "")[:64], str(form.get("password") or "")
    next_path = _next(form.get("next"))
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or form.get("csrf") != login_csrf(request, nonce):
        return _form(request, status=403, message=say("login_stale", lang), login=login, next_path=next_path)
    address = request.client.host if request.client else "unknown"
    now = now_of(request)
    with session_scope(runtime.engine) as session:
        wait = retry_after(session, login=login, address=address, now=now)
        user = None if wait is not None else sign_in(session, login=login, password=password[:MAX_PASSWORD + 1],
                                                     address=address, now=now)
        generation = user.session_generation if user is not None else 0
    if wait is not None:
        seconds = max(1, int((wait - now).total_seconds()) + 1)
        return _form(request, status=429, message=_retry_text(lang, wait), login=login, next_path=next_path,
                     locked=True, headers={"Retry-After": str(seconds)})
    if user is None:
        return _form(request, status=401, message=say("login_failed", lang), login=login, next_path=next_path)
    response = RedirectResponse(next_path, status_code=303)
    write_ticket(request, response, new_ticket(request, login=user.login, generation=generation))
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    """Sign out: this session and every other of the same user end (the generation moves on)."""
    try:
        who = viewer(request)
    except ConsoleRefused:
        response = RedirectResponse("/login", status_code=303)
        forget(request, response)
        return response
    form = await request.form(**LIMITS)
    check_csrf(request, who, form.get("csrf"))
    now = now_of(request)
    with session_scope(request.app.state.runtime.engine) as session:
        end_sessions(session, login=who.login)
        audit(session, actor=who.actor, action="user.sign_out", entity="console_user", key=who.login, at=now)
    request.state.console_refresh = None
    response = RedirectResponse("/login?out=1", status_code=303)
    forget(request, response)
    return response
