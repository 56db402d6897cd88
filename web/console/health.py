"""``GET /healthz``: whether the server can reach its database, for a monitor or a load balancer.

No sign-in, nothing about the data: 200 ``{"status": "ok", "database": "ok"}`` when the database
answers ``SELECT 1``, 503 ``{"status": "unavailable", "database": "unreachable"}`` otherwise (the
reason goes to the server's log only).
"""

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

router = APIRouter()
log = logging.getLogger("dondoc.web")


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    try:
        with request.app.state.runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()
    except (SQLAlchemyError, OSError) as exc:
        log.warning("healthz: the database does not answer: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
