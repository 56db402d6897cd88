"""``/reviews``: the review rounds (sơ kết, tổng kết), the form that opens one (the Standing
Committee's only), and ``/reviews/{id}``: who was asked, who answered, who is missing or late,
closing the round, and its report as DOCX, XLSX or HTML.

Opening and closing call the command line's own functions (``workflows.orchestration.reviews``):
the round, its questions and its request letters are stored in one transaction, the letters in the
outbox for ``outbox dispatch`` (or ``serve``) to send. Every page here shows every body: a body's
account gets 403.
"""

from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from config.errors import ConflictError, NotFoundError
from models.review_tables import REVIEW_KINDS
from models.reviews import find_round, list_rounds, progress
from web.console.auth import ConsoleRefused, Viewer, acting, allow, console_router, viewer
from web.console.pages.common import here, parse_day, reading, render
from web.console.words import say

TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "html": "text/html; charset=utf-8"}


def _list(request: Request, who: Viewer, *, status: int = 200, problem: str | None = None,
          form: dict[str, str] | None = None) -> Response:
    allow(who, "view_all")
    where = here(request)
    with reading(request) as session:
        rounds = [(r, progress(session, review=r)) for r in reversed(list_rounds(session))]
    default = {"kind": "midterm", "due": (where.today + timedelta(days=14)).strftime("%d/%m/%Y"), "period_from": "",
               "period_to": ""}
    return render(request, who, "reviews.html", here="reviews", status=status, rounds=rounds, kinds=REVIEW_KINDS,
                  problem=problem, form={**default, **(form or {})}, notice=_notice(request, where.language))


def _notice(request: Request, language: str) -> str | None:
    params = request.query_params
    if params.get("opened", "").isdigit():
        return say("r_opened", language, id=params["opened"], letters=params.get("letters", "0"))
    if params.get("closed", "").isdigit():
        return say("r_closed", language, id=params["closed"])
    return None


@console_router.get("/reviews")
def reviews_page(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    return _list(request, who)


@console_router.post("/reviews", name="open_review")
async def open_review_action(request: Request, who: Annotated[Viewer, Depends(acting("open_review"))]) -> Response:
    from workflows.orchestration.reviews import open_review

    form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf"}
    where = here(request)
    lang = where.language
    if form.get("kind") not in REVIEW_KINDS:
        return _list(request, who, status=422, problem=say("bad_value", lang, field="kind", value=form.get("kind", "")), form=form)
    days: dict[str, Any] = {}
    for name in ("due", "period_from", "period_to"):
        try:
            days[name] = parse_day(form.get(name))
        except ValueError:
            return _list(request, who, status=422, problem=say("bad_date", lang, value=form.get(name)), form=form)
    if days["due"] is None:
        return _list(request, who, status=422, problem=say("bad_date", lang, value=""), form=form)
    try:
        opened = open_review(where.runtime.engine, settings=where.runtime.settings, configuration=where.runtime.configuration,
                             kind=form["kind"], due=days["due"], on=where.today, actor=who.actor,
                             now=request.app.state.clock(), period_from=days["period_from"], period_to=days["period_to"])
    except ConflictError as why:
        return _list(request, who, status=409, problem=say("conflict", lang, why=why.say(lang)), form=form)
    except NotFoundError:
        raise ConsoleRefused(404, "not_found") from None
    return RedirectResponse(f"/reviews/{opened.round.id}?opened={opened.round.id}&letters={opened.queued}", status_code=303)


def _round(session: Any, round_id: str) -> Any:
    if not round_id.isdigit():
        raise ConsoleRefused(404, "not_found")
    try:
        return find_round(session, int(round_id))
    except NotFoundError:
        raise ConsoleRefused(404, "not_found") from None


@console_router.get("/reviews/{round_id}")
def review_page(round_id: str, request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    return _review(round_id, request, who)


def _review(round_id: str, request: Request, who: Viewer, *, status: int = 200, problem: str | None = None) -> Response:
    allow(who, "view_all")
    where = here(request)
    with reading(request) as session:
        review = _round(session, round_id)
        bodies = progress(session, review=review)
    return render(request, who, "review.html", here="reviews", status=status, review=review, bodies=bodies,
                  problem=problem, notice=_notice(request, where.language), formats=tuple(TYPES))


@console_router.post("/reviews/{round_id}/close", name="close_review")
async def close_review_action(round_id: str, request: Request, who: Annotated[Viewer, Depends(acting("close_review"))]) -> Response:
    from workflows.orchestration.reviews import close_review

    where = here(request)
    with reading(request) as session:
        review = _round(session, round_id)
    try:
        close_review(where.runtime.engine, settings=where.runtime.settings, configuration=where.runtime.configuration,
                     round_id=review.id, on=where.today, actor=who.actor, now=request.app.state.clock())
    except ConflictError as why:
        return _review(round_id, request, who, status=409, problem=say("conflict", where.language, why=why.say(where.language)))
    return RedirectResponse(f"/reviews/{review.id}?closed={review.id}", status_code=303)


@console_router.get("/reviews/{round_id}/report.{fmt}")
def review_report(round_id: str, fmt: str, request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    """The round's report as it stands today (a draft while it is open), in the format asked."""
    from notifications.review_report import render_report
    from workflows.orchestration.review_report import compile_report

    allow(who, "view_all")
    if fmt not in TYPES:
        raise ConsoleRefused(404, "not_found")
    where = here(request)
    with reading(request) as session:
        review = _round(session, round_id)
        report = compile_report(session, review, where.runtime.configuration, as_of=where.today)
    data = render_report(report, fmt, where.language)
    name = f"review-{review.id}-{review.kind}.{fmt}"
    return Response(data, media_type=TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})
