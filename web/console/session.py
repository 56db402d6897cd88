"""The console's session: a signed cookie, no server-side session store.

The cookie ``dondoc_console`` holds ``{login, generation, csrf, issued, seen}`` signed with
``itsdangerous`` (HMAC with the link key of ``notifications.links.signing_key``, salted for this
one use, so a link token is never a session and the other way round). It is HttpOnly,
SameSite=Lax, Secure when ``DONDOC_BASE_URL`` is https, and expires:

- after :data:`IDLE` without a request (each request re-signs it with a new ``seen``), and
- :data:`LONGEST` after the sign-in whatever happens (a stolen cookie does not live for ever).

Times come from the application's clock (``app.state.clock``), so a replayed day works. The user
row is read on every request (``web.console.auth``): a disabled user, or a cookie of an earlier
``session_generation`` (after a sign-out), is signed out at once.

Before a sign-in, ``dondoc_login`` holds a random nonce and the sign-in form carries its HMAC
(:func:`login_csrf`): another site cannot post a sign-in form in the visitor's browser.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

from notifications.links import signing_key

COOKIE = "dondoc_console"
LOGIN_COOKIE = "dondoc_login"
SALT = "dondoc.console-session.v1"
IDLE = timedelta(hours=8)
LONGEST = timedelta(hours=24)
REFRESH = timedelta(minutes=1)
"""A cookie younger than this is not re-signed (fewer Set-Cookie headers on a busy page)."""
MAX_COOKIE = 1024


@dataclass(frozen=True)
class Ticket:
    """What a valid session cookie says."""

    login: str
    generation: int
    csrf: str
    issued: datetime
    seen: datetime


def _serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(signing_key(request.app.state.runtime.settings), salt=SALT)


def _secure(request: Request) -> bool:
    return str(request.app.state.runtime.settings.base_url).lower().startswith("https://")


def now_of(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def read_ticket(request: Request) -> Ticket | None:
    """The session the cookie holds, or None: missing, tampered, idle too long, or too old."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > MAX_COOKIE:
        return None
    try:
        data: Any = _serializer(request).loads(raw)
        ticket = Ticket(login=str(data["u"]), generation=int(data["g"]), csrf=str(data["c"]),
                        issued=datetime.fromisoformat(data["i"]), seen=datetime.fromisoformat(data["s"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    now = now_of(request)
    if ticket.issued.tzinfo is None or now - ticket.seen > IDLE or now - ticket.issued > LONGEST or ticket.seen > now + REFRESH:
        return None
    return ticket


def write_ticket(request: Request, response: Response, ticket: Ticket) -> None:
    """Set the session cookie for ``ticket`` on ``response``."""
    value = _serializer(request).dumps({"u": ticket.login, "g": ticket.generation, "c": ticket.csrf,
                                        "i": ticket.issued.isoformat(), "s": ticket.seen.isoformat()})
    response.set_cookie(COOKIE, value, max_age=int(IDLE.total_seconds()), path="/", httponly=True,
                        samesite="lax", secure=_secure(request))


def new_ticket(request: Request, *, login: str, generation: int) -> Ticket:
    now = now_of(request)
    return Ticket(login=login, generation=generation, csrf=secrets.token_urlsafe(32), issued=now, seen=now)


def refreshed(request: Request, ticket: Ticket) -> Ticket | None:
    """The ticket with ``seen`` moved to now, or None when it is fresh enough as it is."""
    now = now_of(request)
    if now - ticket.seen < REFRESH:
        return None
    return Ticket(ticket.login, ticket.generation, ticket.csrf, ticket.issued, now)


def forget(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))


def login_nonce(request: Request) -> tuple[str, bool]:
    """The pre-sign-in nonce the browser holds, or a new one; True when it is new (to be set)."""
    nonce = request.cookies.get(LOGIN_COOKIE)
    if nonce and 16 <= len(nonce) <= 64:
        return nonce, False
    return secrets.token_urlsafe(24), True


def keep_nonce(request: Request, response: Response, nonce: str) -> None:
    """Set the nonce cookie for one hour (the sign-in form's life)."""
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=3600, path="/login", httponly=True, samesite="lax",
                        secure=_secure(request))


def login_csrf(request: Request, nonce: str) -> str:
    key = signing_key(request.app.state.runtime.settings).encode("utf-8")
    return hmac.new(key, f"console-login|{nonce}".encode(), hashlib.sha256).hexdigest()
