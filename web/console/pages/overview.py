"""``/``: the overview a coordinator looks at every morning: items by status, overdue items by
lead body and by section (bar charts drawn here, each bar a link to the filtered list), what falls
due in the next 30 days, the open review rounds and who has not answered, and the letters that
could not be delivered. A body's own account is sent to its body's page instead.
"""

from collections import Counter
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from config.words import word
from models.console_items import sections, undelivered
from models.console_queries import CATEGORIES
from models.console_summaries import counts_query, falling_due_query, fold_counts
from models.reviews import open_rounds, progress
from web.console.auth import Viewer, console_router, viewer
from web.console.pages.charts import COLOURS, Bar, bar_chart
from web.console.pages.common import day_of, document_of, here, reading, render
from web.console.words import say

SHOWN = 12
"""Bars per chart: the bodies or sections with the most overdue items; the rest are summed."""


def _group(key: str) -> str:
    """The section a chart row stands for: the first three levels of its key (``C.I.2.1.a`` -> ``C.I.2``)."""
    return ".".join(key.split(".")[:3])


def _top(counts: dict[str, int], label: Any, href: Any, rest: str) -> list[Bar]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    bars = [Bar(label(k), n, href(k)) for k, n in ranked[:SHOWN]]
    if len(ranked) > SHOWN:
        bars.append(Bar(rest.format(n=len(ranked) - SHOWN), sum(n for _, n in ranked[SHOWN:])))
    return bars


@console_router.get("/")
def overview(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    if who.role == "body":
        return RedirectResponse(f"/bodies/{who.body}", status_code=303)
    where = here(request)
    lang = where.language
    with reading(request) as session:
        document = document_of(session)
        day = day_of(where, document, session)
        db = session.connection()
        counts = fold_counts(db.execute(counts_query(document.id or 0, day)).all())
        soon = db.execute(falling_due_query(document.id or 0, day, where.today + timedelta(days=30))).all()
        titles = {key: title for key, title, _ in sections(session, document.id or 0)}
        rounds = [(r, progress(session, review=r)) for r in open_rounds(session, document_id=document.id)]
        letters, failed = undelivered(session)
    grouped: Counter[str] = Counter()
    for key, n in counts.overdue_by_section.items():
        grouped[_group(key)] += n
    rest = say("more", lang, n="{n}")
    charts = {
        "status": bar_chart([Bar(word("category", c, lang), counts.by_status.get(c, 0), "/items?" + urlencode({"status": c}),
                                 COLOURS[c]) for c in CATEGORIES], title=say("by_status", lang), language=lang),
        "lead": bar_chart(_top(counts.overdue_by_lead, lambda c: f"{c} · {where.name(c)}" if c else "—",
                               lambda c: "/items?" + urlencode({"body": c, "overdue": 1}) if c else None, rest),
                          title=say("overdue_by_lead", lang), language=lang) if counts.overdue_by_lead else None,
        "section": bar_chart(_top(dict(grouped), lambda k: f"{k} {titles.get(k, '')}".strip(),
                                  lambda k: "/items?" + urlencode({"section": k, "overdue": 1}), rest),
                             title=say("overdue_by_section", lang), language=lang) if grouped else None,
    }
    return render(request, who, "overview.html", here="overview", document=document, counts=counts, charts=charts, soon=soon,
                  rounds=rounds, letters=letters, failed=failed)
