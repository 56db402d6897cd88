"""The answer page: ``GET /b/{token}`` shows a body's open items; the two forms post to
``/b/{token}/report`` and ``/b/{token}/extend`` and go through the functions ``dondoc report`` and
``dondoc extend`` call, with the actor ``link:BODY``; a stored answer redirects (303) back to the
page with a confirmation, a wrong value shows the page again (422) naming the problem.
"""

from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from config.errors import ConflictError, NotFoundError
from config.words import show_date
from models.answers import indicator_names
from models.db import Session, session_scope
from models.delegations import active_delegation
from models.item_states import item_states
from models.queries import find_document
from models.reports import active_item, request_extension
from models.states import ItemState
from models.tables import Document
from notifications.links import vietnam_day
from web.access import Refused, Visitor, check_csrf, csrf_token, visitor
from web.forms import Problems, read_extension, read_report, review_field
from web.page import body_items, report_echo
from web.render import page
from web.review import MAX_NOTE, round_sections, status_choices
from workflows.orchestration.delegation import queue_done_notice
from workflows.orchestration.reports import AlreadyDone, submit_report
from workflows.orchestration.runtime import Runtime
from workflows.rules import reporting
from workflows.rules.window import date_window

router = APIRouter()
FORM_LIMITS: dict[str, Any] = {"max_files": 0, "max_fields": 64, "max_part_size": 16 * 1024}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def _visitor(session: Session, request: Request, token: str) -> Visitor:
    runtime = _runtime(request)
    return visitor(session, token, settings=runtime.settings, now=_now(request), known=set(runtime.configuration.registry.bodies))


def _show(request: Request, session: Session, guest: Visitor, *, status: int = 200, done: tuple[str, str] | None = None,
          problem: dict[str, Any] | None = None, review: dict[str, Any] | None = None) -> Response:
    """The body's page; ``done`` a confirmation (form, key), ``problem`` a form shown again with what is wrong,
    ``review`` the review round's confirmation or problem (``web.review_routes``)."""
    runtime = _runtime(request)
    lang, settings = runtime.settings.language, runtime.settings
    registry, today = runtime.configuration.registry, vietnam_day(_now(request))
    items = body_items(session, policy=runtime.configuration.policy, registry=registry, body=guest.body,
                       today=today, language=lang)
    rounds = round_sections(session, body=guest.body, today=today, language=lang)
    csrf = {action: csrf_token(settings, guest.token, action) for action in ("report", "extend")}
    csrf.update({f"review{r.id}": csrf_token(settings, guest.token, f"review{r.id}") for r in rounds})
    return page("page.html", status=status, language=lang, policy=runtime.configuration.policy, items=items, body=registry.bodies[guest.body].name(lang),
                code=guest.body, expires=show_date(guest.claim.expires), base=f"/b/{guest.token}", done=done, problem=problem,
                csrf=csrf, rounds=rounds, review=review or {}, choices=status_choices(lang), note_limit=MAX_NOTE,
                field=review_field,
                echo=report_echo(session, body=guest.body, key=done[1], language=lang) if done and done[0] == "report" else None)


@router.get("/b/{token}")
def answer_page(request: Request, token: str, ok: str | None = None, item: str | None = None,
                round: str | None = None, n: str | None = None) -> Response:
    with session_scope(_runtime(request).engine) as session:
        guest = _visitor(session, request, token)
        done = (ok, item[:120]) if ok in ("report", "extend") and item else None
        review = None
        if ok == "review" and round and round.isdigit() and len(round) < 10 and (n or "0").isdigit() and len(n or "") < 7:
            review = {"saved": int(round), "n": int(n or 0), "key": (item or "")[:120]}
        return _show(request, session, guest, done=done, review=review)


async def _form(request: Request) -> FormData:
    return await request.form(**FORM_LIMITS)


def _holds(session: Session, body: str, item_id: int) -> bool:
    """Whether ``body`` is the unit the item's lead delegated it to (``dondoc delegate``)."""
    held = active_delegation(session, item_id=item_id)
    return held is not None and held.unit == body


def _item_of(session: Session, request: Request, guest: Visitor, form: FormData) -> tuple[Document, ItemState]:
    """The item the form names, once it is known to be one of the visitor's: 404 when there is no
    such item, 403 when it is another body's (a key edited into the form)."""
    document_key, key = form.get("document"), form.get("key")
    if not isinstance(document_key, str) or not isinstance(key, str) or not key or len(key) > 120 or len(document_key) > 120:
        raise Refused("unknown_item", key="?")
    try:
        document = find_document(session, document_key)
        active_item(session, document=document, key=key)
    except NotFoundError:
        raise Refused("unknown_item", key=key) from None
    rule = reporting.rule(_runtime(request).configuration.policy.reporting_cadence)
    (state,) = item_states(session, reporting=rule, document=document, keys=[key])
    if guest.body != state.lead and guest.body not in state.cooperating and not _holds(session, guest.body, state.id):
        raise Refused("other_body", key=key, body=guest.body)
    if state.done_on is not None:
        raise Refused("closed", key=key, day=show_date(state.done_on))
    return document, state


def _again(request: Request, session: Session, guest: Visitor, action: str, state: ItemState, form: FormData,
           problems: Problems, status: int = 422) -> Response:
    given = {name: value for name, value in form.items() if isinstance(value, str) and len(value) <= 4000}
    session.rollback()  # nothing of this request is kept
    return _show(request, session, guest, status=status,
                 problem={"form": action, "key": state.key, "messages": problems.found, "given": given})


def _back(guest: Visitor, action: str, key: str) -> Response:
    return RedirectResponse(f"/b/{guest.token}?ok={action}&item={quote(key, safe='')}#{quote(key, safe='')}", status_code=303)


@router.post("/b/{token}/report")
async def post_report(request: Request, token: str) -> Response:
    form = await _form(request)
    runtime = _runtime(request)
    lang, now = runtime.settings.language, _now(request)
    with session_scope(runtime.engine) as session:
        guest = _visitor(session, request, token)
        check_csrf(runtime.settings, token, "report", form.get("csrf"))
        document, state = _item_of(session, request, guest, form)
        read = read_report(form, indicator_names(session, item_id=state.id), lang)
        if isinstance(read, Problems):
            return _again(request, session, guest, "report", state, form, read)
        try:
            stored = submit_report(session, policy=runtime.configuration.policy, document=document, key=state.key,
                                   body=guest.body, status=read.status, percent=read.percent, note=read.note,
                                   values=read.values, on=vietnam_day(now), actor=f"link:{guest.body}", now=now)
            queue_done_notice(session, report=stored.report, settings=runtime.settings,  # a unit's "done" to its lead
                              configuration=runtime.configuration, now=now)
        except AlreadyDone as done:
            raise Refused("closed", key=state.key, day=show_date(done.done_on)) from None
    return _back(guest, "report", state.key)


@router.post("/b/{token}/extend")
async def post_extend(request: Request, token: str) -> Response:
    form = await _form(request)
    runtime = _runtime(request)
    lang, now = runtime.settings.language, _now(request)
    with session_scope(runtime.engine) as session:
        guest = _visitor(session, request, token)
        check_csrf(runtime.settings, token, "extend", form.get("csrf"))
        document, state = _item_of(session, request, guest, form)
        read = read_extension(form, date_window(document.first_year, document.last_year), lang)
        if not isinstance(read, Problems) and read.to <= state.due:
            read = Problems(lang)
            read.add("not_later", due=show_date(state.due))
        if isinstance(read, Problems):
            return _again(request, session, guest, "extend", state, form, read)
        try:
            request_extension(session, item=active_item(session, document=document, key=state.key), body=guest.body,
                              current_due=state.due, to=read.to, reason=read.reason, on=vietnam_day(now),
                              actor=f"link:{guest.body}", now=now)
        except ConflictError:  # one request already waits for a decision
            pending = Problems(lang)
            pending.add("pending")
            return _again(request, session, guest, "extend", state, form, pending, status=409)
    return _back(guest, "extend", state.key)
