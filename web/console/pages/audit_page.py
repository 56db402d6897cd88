"""``/audit``: the audit trail, newest first, filtered by who (the actor), what (an action or its
family: ``extension`` holds ``extension.approved``) and when (from, to: days in Vietnam), a page
of 50 at a time. The Office, the Standing Committee and the inspectors see it; a body's account
does not (403)."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import Response

from models.console_items import AuditFilter, audit_actors, audit_events
from web.console.auth import Viewer, allow, console_router, viewer
from web.console.pages.common import PAGE_SIZE, here, parse_day, reading, render
from web.console.words import say


@console_router.get("/audit")
def audit_page(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    allow(who, "view_all")
    where = here(request)
    params = request.query_params
    raw = {k: params[k].strip() for k in ("who", "what", "since", "until") if params.get(k, "").strip()}
    problems, days = [], {}
    for name in ("since", "until"):
        try:
            days[name] = parse_day(raw.get(name))
        except ValueError:
            days[name] = None
            problems.append(say("bad_date", where.language, value=raw[name]))
    page_text = params.get("page", "1")
    page = int(page_text) if page_text.isdigit() and 0 < int(page_text) < 10**6 else 1
    rows: list[Any] = []
    total = 0
    with reading(request) as session:
        actors = audit_actors(session)
        if not problems:
            rows, total = audit_events(session, where=AuditFilter(raw.get("who"), raw.get("what"), days["since"], days["until"]),
                                       page=page, size=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(request, who, "audit.html", here="audit", status=422 if problems else 200, rows=rows, total=total,
                  page=page, pages=pages, raw=raw, actors=actors, problems=problems,
                  link=lambda n: "/audit?" + urlencode({**raw, "page": n}))
