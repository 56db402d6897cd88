"""``/bodies`` (every lead body with its items by status) and ``/bodies/{code}``: one body's items
by status, how many it has reported on, its review answers, how late its overdue items are, and
the letters it was sent. A body's own account sees its own page only (another body's: 404)."""

from collections import defaultdict
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response

from models.console_items import body_letters
from models.console_queries import CATEGORIES
from models.console_summaries import body_query, leads_query, overdue_dues_query
from models.reviews import list_rounds, progress
from web.console.auth import ConsoleRefused, Viewer, allow, console_router, viewer
from web.console.pages.charts import COLOURS, Bar, bar_chart
from web.console.pages.common import day_of, document_of, here, reading, render
from web.console.words import say


@console_router.get("/bodies")
def bodies_page(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    allow(who, "view_all")
    where = here(request)
    with reading(request) as session:
        document = document_of(session)
        rows = session.connection().execute(leads_query(document.id or 0, day_of(where, document, session))).all()
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for lead, status, n in rows:
        table[lead or ""][status] = n
    listed = sorted(table.items(), key=lambda kv: (-kv[1].get("not_done_overdue", 0), kv[0]))
    return render(request, who, "body.html", here="bodies", listing=listed, categories=CATEGORIES, code=None)


@console_router.get("/bodies/{code}")
def body_page(code: str, request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    where = here(request)
    if code not in where.registry.bodies:
        raise ConsoleRefused(404, "not_found")
    allow(who, "view", body=code)
    lang = where.language
    with reading(request) as session:
        document = document_of(session)
        day = day_of(where, document, session)
        db = session.connection()
        by_status = {status: (n, reported) for status, n, reported in db.execute(body_query(document.id or 0, day, code)).all()}
        dues = db.execute(overdue_dues_query(document.id or 0, day, code)).scalars().all()
        answers = [(r, next((p for p in progress(session, review=r) if p.body == code), None)) for r in list_rounds(session)]
        letters = body_letters(session, code=code)
    led_count = sum(n for n, _ in by_status.values())
    reported = sum(r for _, r in by_status.values())
    late_days = [(where.today - due).days for due in dues]
    chart = bar_chart([Bar(_word(c, lang), by_status.get(c, (0, 0))[0],
                           f"/items?status={c}" + ("" if who.role == "body" else f"&body={code}"), COLOURS[c])
                       for c in CATEGORIES], title=say("by_status", lang), language=lang)
    return render(request, who, "body.html", here="bodies", code=code, chart=chart, led=led_count, reported=reported,
                  late=len(late_days), late_average=round(sum(late_days) / len(late_days)) if late_days else 0,
                  answers=[(r, p) for r, p in answers if p is not None], letters=letters, listing=None,
                  categories=CATEGORIES)


def _word(code: str, language: str) -> str:
    from config.words import word

    return word("category", code, language)
