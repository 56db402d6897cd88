"""Rendering a console page in the console's layout (``console/base.html``): the navigation bar
for the signed-in person, the letterhead, the same security headers as the answer page.

A page template extends ``console/base.html``, fills ``{% block content %}`` (and may add CSS in
``{% block style %}``), and is rendered with :func:`console_page`, which passes ``lang``,
``head``, ``viewer``, ``say`` (``web.console.auth_words``), ``nav`` and ``here`` besides the
page's own values.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.routing import Route

from web.console.auth import Viewer, can
from web.console.auth_words import say
from web.render import page


def served(routes: Iterable[Any]) -> Iterator[Route]:
    """Every route of ``routes``, looking into included routers (FastAPI keeps an included router
    as one entry, ``original_router``, rather than copying its routes)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from served(inner.routes)
        elif isinstance(route, Route):
            yield route


def navigation(request: Request, who: Viewer | None) -> list[tuple[str, str]]:
    """The bar's entries ``(key, href)`` this person may open (a body user: its own pages)."""
    if who is None:
        return []
    paths = {route.path for route in served(request.app.routes)}
    everything = can(who, "view_all")
    bodies = "/bodies" if everything and "/bodies" in paths else (
        f"/bodies/{who.body}" if who.body else "/#bodies")
    entries = [("overview", "/"), ("items", "/items"), ("bodies", bodies)]
    if everything:
        entries += [("reviews", "/reviews"), ("audit", "/audit")]
    return entries


def console_page(request: Request, template: str, *, who: Viewer | None, here: str = "", status: int = 200,
                 headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    """The page ``template`` (e.g. ``console/items.html``) for ``who``; ``here`` the bar's key
    of the page (overview, items, bodies, reviews, audit) to underline."""
    runtime = request.app.state.runtime
    response = page(template, status=status, language=runtime.settings.language, policy=runtime.configuration.policy,
                    viewer=who, say=say, nav=navigation(request, who), here=here, **context)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
