"""Who is looking at the console, and what they may do: the interface the console's pages use.

A page route takes the signed-in person as a dependency and checks what they may do::

    from web.console.auth import Viewer, acting, allow, console_router, viewer

    @console_router.get("/items/{key}")
    def item_page(key: str, request: Request, who: Viewer = Depends(viewer)) -> Response:
        item = ...                                  # load it (404 when there is none)
        allow(who, "view", body=item.lead_code)     # a body user and another body's item: 404
        ...

    @console_router.post("/items/{key}/reassign", name="reassign")
    def reassign(key: str, request: Request, who: Viewer = Depends(acting("reassign"))) -> Response:
        ...                                         # role and CSRF already checked (403 otherwise)
        allow(who, "reassign", body=item.lead_code)
        audit(..., actor=who.actor, ...)
        return RedirectResponse(f"/items/{key}", status_code=303)

Rules (the issue's "who may do what"):

- Not signed in: a GET or HEAD answers 303 to ``/login?next=<the path and query>``; any other
  method 401. A cookie that is tampered, idle for 8 hours, older than 24 hours, of a disabled
  user or from before a sign-out counts as not signed in (``web.console.session``).
- :data:`ACTIONS` says which roles may do each action. ``inspection`` may ``view`` every page and
  do nothing else, so every POST it makes answers 403. A ``body`` user sees its own body's items
  only: :func:`allow` answers 404 for another body's item or body page (saying it exists would
  tell too much), and 403 for a page it may not see at all (``/audit``, ``/reviews``: check with
  ``allow(who, "view_all")``). Its ``/``, ``/items`` and exports must be filtered to ``who.body``.
- Every POST form carries ``<input type="hidden" name="csrf" value="{{ viewer.csrf }}">``;
  :func:`acting` checks it (403 when missing or wrong). The token belongs to the session.
- Name each POST route after its action (``name="reassign"``, ``"remind_now"``,
  ``"decide_extension"``, ``"open_review"``, ``"close_review"``, ``"delegate"``): the access-table
  test (``tests/web/test_console_access.py``) finds the routes by those names.
- Audit every change with ``actor=who.actor`` (``console:LOGIN``).

A refusal raises :class:`ConsoleRefused`; the application turns it into a Vietnamese page with
its status (``web.console.install``), never a 500.
"""

import hmac
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request

from models.db import session_scope
from models.users import find_user
from web.console.session import read_ticket, refreshed

console_router = APIRouter()
"""The console pages' routes: add yours to it (``web.console.routers`` includes it in the app)."""

ROLES = ("coordinator", "standing", "inspection", "body")
OFFICE = frozenset({"coordinator", "standing"})
ACTIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "view_all": frozenset({"coordinator", "standing", "inspection"}),
    "reassign": OFFICE,
    "remind_now": OFFICE,
    "decide_extension": OFFICE,
    "open_review": frozenset({"standing"}),
    "close_review": frozenset({"standing"}),
    "delegate": OFFICE | {"body"},
}
"""Which roles may do what. ``view``: the pages every signed-in person has (a body user's view
is limited to its own body by :func:`allow`); ``view_all``: the pages that show every body at
once (overview of all bodies, review rounds, the audit trail); the others are the POST actions.
A lead body may ``delegate`` its own items to a unit under it."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: ``login``, ``role`` (one of :data:`ROLES`), ``body`` (the body code
    of a ``body`` user, else None) and ``csrf`` (the session's token to put in every form)."""

    login: str
    role: str
    body: str | None
    csrf: str

    @property
    def actor(self) -> str:
        """The audit trail's actor for what this person does."""
        return f"console:{self.login}"

    @property
    def read_only(self) -> bool:
        return self.role == "inspection"


class ConsoleRefused(Exception):
    """The console refuses the request: ``status`` 401, 403, 404 or 429, ``reason`` a key of
    ``web.console.words``; ``next`` (for 401 on a GET) is where to return after signing in."""

    def __init__(self, status: int, reason: str, *, next: str | None = None, **values: Any) -> None:
        super().__init__(reason)
        self.status, self.reason, self.next, self.values = status, reason, next, values


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def viewer(request: Request) -> Viewer:
    """FastAPI dependency: the signed-in person, checked against the user row on each request
    (a disabled user is signed out at once). Not signed in: see the module's rules."""
    ticket = read_ticket(request)
    user = None
    if ticket is not None:
        with session_scope(request.app.state.runtime.engine) as session:
            user = find_user(session, ticket.login)
    if ticket is None or user is None or user.disabled_at is not None or user.session_generation != ticket.generation:
        browsing = request.method in ("GET", "HEAD")
        raise ConsoleRefused(401, "sign_in", next=_here(request) if browsing else None)
    request.state.console_refresh = refreshed(request, ticket)
    return Viewer(login=user.login, role=user.role, body=user.body_code, csrf=ticket.csrf)


SignedIn = Annotated[Viewer, Depends(viewer)]
"""The signed-in person as a route parameter: ``def page(request: Request, who: SignedIn)``."""


def can(who: Viewer, action: str, *, body: str | Collection[str] | None = None) -> bool:
    """Whether ``who`` may do ``action`` (a key of :data:`ACTIONS`), on something that belongs to
    ``body`` (a code, or the codes concerned, e.g. the lead and the unit it delegated to) when
    given: a body user only on its own."""
    if who.role not in ACTIONS.get(action, frozenset()):
        return False
    if who.role != "body" or body is None:
        return True
    return who.body in ({body} if isinstance(body, str) else set(body))


def allow(who: Viewer, action: str, *, body: str | Collection[str] | None = None) -> None:
    """Raise unless :func:`can`: 404 for a body user on another body's thing (its existence is
    not told), 403 otherwise."""
    if can(who, action, body=body):
        return
    role_may = who.role in ACTIONS.get(action, frozenset())
    raise ConsoleRefused(404 if role_may else 403, "not_found" if role_may else "forbidden")


def require(*roles: str) -> Callable[[Request], Viewer]:
    """FastAPI dependency factory: the viewer when their role is one of ``roles``, else 403."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def dependency(who: SignedIn) -> Viewer:
        if who.role not in roles:
            raise ConsoleRefused(403, "forbidden")
        return who

    return dependency  # type: ignore[return-value]


def check_csrf(request: Request, who: Viewer, token: Any) -> None:
    """Raise 403 unless ``token`` (the form's ``csrf`` field) is this session's token."""
    if not isinstance(token, str) or not hmac.compare_digest(token.encode(), who.csrf.encode()):
        raise ConsoleRefused(403, "csrf")


def acting(action: str) -> Callable[..., Any]:
    """FastAPI dependency factory for a POST route: the viewer, once their role may do ``action``
    (403 otherwise, before anything is read) and the form's ``csrf`` field matches (403)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")

    async def dependency(request: Request, who: SignedIn) -> Viewer:
        if not can(who, action):
            raise ConsoleRefused(403, "read_only" if who.read_only else "forbidden")
        form = await request.form(max_files=0, max_fields=256, max_part_size=64 * 1024)
        check_csrf(request, who, form.get("csrf"))
        return who

    return dependency


def login_path(next_path: str | None) -> str:
    """``/login`` with ``next`` when it is a path of this site (never another site's address)."""
    if next_path and next_path.startswith("/") and not next_path.startswith("//") and "\\" not in next_path:
        return "/login?next=" + quote(next_path, safe="")
    return "/login"
