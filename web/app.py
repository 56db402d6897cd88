"""The answer page's application: ``create_app(runtime)`` for ``dondoc web`` and the tests.

Every refusal is a page in the reader's language with an HTTP status that says why
(``web.access.STATUS``); an unexpected error is a plain page with status 500, its traceback in the
server's log only. The access log names the body, never the link's token.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException

from config.errors import StorageError
from web.access import Refused
from web.render import HEADERS, refusal
from workflows.orchestration.runtime import Runtime

log = logging.getLogger("dondoc.web")
MAX_BODY = 64 * 1024
"""The largest form accepted (two text fields of 2,000 characters and a few values fit many times)."""
REVIEW_MAX_BODY = 2 * 1024 * 1024
"""The largest review round's form: a hundred items and more, each with an account of up to 1,000
letters that a browser sends as up to 9 bytes each."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(runtime: Runtime, *, clock: Callable[[], datetime] = _utcnow) -> FastAPI:
    """The application over ``runtime``'s database; ``clock`` gives "now" (a test replays a day)."""
    from web.review_routes import router as review_router
    from web.routes import router

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, title="dondoc")
    app.state.runtime, app.state.clock = runtime, clock
    language, policy = runtime.settings.language, runtime.configuration.policy

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length", "0")
        limit = REVIEW_MAX_BODY if request.url.path.startswith("/b/") and "/review/" in request.url.path else MAX_BODY
        if not length.isdigit() or int(length) > limit:
            response: Response = refusal("too_big", status=413, language=language, policy=policy)
        else:
            response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        path = request.url.path
        shown = "/b/…" + path[path.find("/", 3):] if path.startswith("/b/") and path.count("/") > 2 else (
            "/b/…" if path.startswith("/b/") else path)
        log.info("%s %s %s", request.method, shown, response.status_code)
        return response

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return refusal(exc.reason, status=exc.status, language=language, policy=policy, **exc.values)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        reason = {404: "not_found", 405: "method", 413: "too_big"}.get(exc.status_code, "bad_request")
        return refusal(reason, status=exc.status_code, language=language, policy=policy)

    @app.exception_handler(StorageError)
    async def busy(request: Request, exc: StorageError) -> Response:
        log.warning("database refused: %s", exc)
        return refusal("busy", status=503, language=language, policy=policy)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path.split("/")[1:2], exc_info=exc)
        return refusal("server_error", status=500, language=language, policy=policy)

    app.include_router(router)
    app.include_router(review_router)
    from web.console import install

    install(app)
    return app
