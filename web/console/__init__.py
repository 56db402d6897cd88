"""The console: the Office's, the Standing Committee's and the inspectors' pages, in the same
``dondoc web`` server as the answer page.

:func:`install` is all ``web.app.create_app`` calls: it adds the console's routes
(:func:`routers`), turns a :class:`~web.console.auth.ConsoleRefused` into its page (or the 303 to
``/login``), and re-signs the session cookie of an active visitor so that it expires after 8
idle hours, not 8 hours after the sign-in.
"""

import importlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # FastAPI is imported when the server starts, not by every ``dondoc`` command
    # (``dondoc user`` reads this package's words: importing FastAPI cost each command 0.25 s)
    from fastapi import APIRouter, FastAPI


def routers() -> list["APIRouter"]:
    """Every console router: sign-in and health, then the pages (``web.console.pages``, when that
    package exists: its ``routers()``, else its ``router``), then ``console_router`` last, once
    the page modules have added their routes to it."""
    from web.console import delegation, health, login
    from web.console.auth import console_router

    found = [health.router, login.router, delegation.router]
    try:
        pages = importlib.import_module("web.console.pages")
    except ModuleNotFoundError as missing:
        if missing.name != "web.console.pages":
            raise
    else:
        listed = getattr(pages, "routers", None)
        found.extend(listed() if callable(listed) else [r for r in [getattr(pages, "router", None)] if r is not None])
    found.append(console_router)
    return found


def install(app: "FastAPI") -> None:
    """Add the console to ``app`` (see the module's docstring)."""
    from fastapi import Request, Response
    from fastapi.responses import RedirectResponse

    from web.console.auth import ConsoleRefused, login_path
    from web.console.auth_words import say
    from web.console.layout import console_page
    from web.console.session import write_ticket

    @app.exception_handler(ConsoleRefused)
    async def refused(request: Request, exc: ConsoleRefused) -> Response:
        if exc.status == 401 and exc.next is not None:
            return RedirectResponse(login_path(exc.next), status_code=303)
        lang = request.app.state.runtime.settings.language
        return console_page(request, "console/refused.html", who=None, status=exc.status,
                            message=say(exc.reason, lang, **exc.values),
                            sign_in=login_path(None) if exc.status == 401 else "")

    @app.middleware("http")
    async def keep_session(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        ticket = getattr(request.state, "console_refresh", None)
        if ticket is not None and "set-cookie" not in response.headers:
            write_ticket(request, response, ticket)
        return response

    for router in routers():
        app.include_router(router)
