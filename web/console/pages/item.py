"""``/items/{key}``: one item whole (text, section, bodies and the rule that chose them, due date
with its extensions, reporting dates, and its history in time order), and the Office's actions
on it: give the lead to another body, send the lead a reminder now, decide a pending extension.

Each action is a POST with the session's CSRF token, allowed by role (``web.console.auth``), done
by the same functions as the command line (``models.queries.assign_manually``,
``notifications.letters.reminder_email`` through the outbox, ``models.reports.decide_extension``
and its decision letter), audited with the person's name, and answered by a redirect to the item
with a line saying what was done (or, for a refusal the data gives, the item with the reason, 409).
"""

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from config.errors import ConflictError, NotFoundError
from config.words import show_date, word
from models.audit import audit
from models.console_items import item_detail
from models.db import session_scope
from models.delegations import active_delegation
from models.item_states import item_states
from models.outbox import enqueue
from models.queries import assign_manually
from models.states import Reminder
from notifications.letters import reminder_email
from notifications.render import to_draft
from web.console.auth import ConsoleRefused, Viewer, acting, allow, console_router, viewer
from web.console.pages.common import Here, document_of, here, reading, render
from web.console.words import say
from workflows.rules import reporting
from workflows.rules.status import status as item_status
from workflows.rules.workdays import effective

DONE = ("reassigned", "unchanged", "reminded", "already", "no_address", "decided")


def _state(session: Any, document: Any, key: str, where: Here) -> Any:
    rule = reporting.rule(where.policy.reporting_cadence)
    found = item_states(session, reporting=rule, document=document, keys=[key])
    return found[0] if found else None


def _page(request: Request, who: Viewer, key: str, *, status: int = 200, problem: str | None = None) -> Response:
    where = here(request)
    with reading(request) as session:
        document = document_of(session)
        detail = item_detail(session, document=document, key=key)
        if detail is None:
            raise ConsoleRefused(404, "not_found")
        held = active_delegation(session, item_id=detail.item.id or 0)  # the unit holding it sees it too
        allow(who, "view", body=[a.body_code for a in detail.assignments] + ([held.unit] if held else []))
        state = _state(session, document, key, where)
    category = item_status(state, where.today, where.policy) if state else ""
    done = request.query_params.get("done")
    notice = None
    if done in DONE:
        values = {k: request.query_params.get(k, "") for k in ("body", "status")}
        notice = say(f"done_{done}", where.language, key=key, **values)
    bodies = sorted(where.registry.bodies)
    from web.console.delegation import delegation_form  # the delegation box (its own module)

    delegation = delegation_form(request, who, item_id=detail.item.id or 0, lead=detail.lead, key=key)
    return render(request, who, "item.html", here="items", status=status, d=detail, state=state, category=category,
                  notice=notice, problem=problem, bodies=bodies, document=document, delegation=delegation)


@console_router.get("/items/{key}")
def item_page(key: str, request: Request, who: Annotated[Viewer, Depends(viewer)]) -> Response:
    return _page(request, who, key)


def _lead_of(request: Request, key: str) -> str | None:
    with reading(request) as session:
        detail = item_detail(session, document=document_of(session), key=key)
    if detail is None:
        raise ConsoleRefused(404, "not_found")
    return detail.lead


def _back(key: str, done: str, **values: str) -> Response:
    return RedirectResponse(f"/items/{key}?" + urlencode({"done": done, **values}), status_code=303)


@console_router.post("/items/{key}/reassign", name="reassign")
async def reassign(key: str, request: Request, who: Annotated[Viewer, Depends(acting("reassign"))]) -> Response:
    form = await request.form()
    body = str(form.get("body") or "").strip()
    allow(who, "reassign", body=_lead_of(request, key))
    where = here(request)
    if body not in where.registry.bodies:
        return _page(request, who, key, status=422, problem=say("unknown_body", where.language, body=body))
    now = request.app.state.clock()
    try:
        with session_scope(where.runtime.engine) as session:
            done = assign_manually(session, document=document_of(session), key=key, body=body, role="lead",
                                   actor=who.actor, now=now)
    except NotFoundError:
        raise ConsoleRefused(404, "not_found") from None
    except ConflictError as why:
        return _page(request, who, key, status=409, problem=say("conflict", where.language, why=why.say(where.language)))
    return _back(key, "reassigned" if done.changed else "unchanged", body=body)


@console_router.post("/items/{key}/remind", name="remind_now")
async def remind_now(key: str, request: Request, who: Annotated[Viewer, Depends(acting("remind_now"))]) -> Response:
    """A one-off reminder of the deadline to the lead (cooperating bodies in copy), as ``dondoc
    remind`` writes it, under a key of its own so it never takes the place of a scheduled one."""
    allow(who, "remind_now", body=_lead_of(request, key))
    where = here(request)
    now: datetime = request.app.state.clock()
    settings = where.runtime.settings
    with session_scope(where.runtime.engine) as session:
        document = document_of(session)
        state = _state(session, document, key, where)
        if state is None:
            raise ConsoleRefused(404, "not_found")
        owed = Reminder(state, "deadline", effective(state.due, where.policy), 0)
        email = reminder_email(owed, as_of=where.today, registry=where.registry, language=settings.language)
        email = replace(email, key=f"reminder:item:{state.id}:manual:{now.isoformat()}:{who.login}")
        if not email.to:
            return _back(key, "no_address", body=state.lead)
        if not enqueue(session, drafts=[to_draft(email, sender=settings.mail_from)], now=now):
            return _back(key, "already", body=state.lead)  # the same person's click of the same moment, sent twice
        audit(session, actor=who.actor, action="reminder.manual", entity="item", key=key, at=now, id=state.id,
              body=state.lead, due=show_date(owed.day), outbox=email.key)
    return _back(key, "reminded", body=state.lead)


@console_router.post("/items/{key}/extension", name="decide_extension")
async def decide(key: str, request: Request, who: Annotated[Viewer, Depends(acting("decide_extension"))]) -> Response:
    """Approve or refuse the item's pending extension, and queue the decision letter with it."""
    from models.reports import decide_extension, extension_request
    from workflows.cli.bounds import document_window
    from workflows.orchestration.decisions import queue_decision_letter
    from workflows.rules.window import within

    form = await request.form()
    allow(who, "decide_extension", body=_lead_of(request, key))
    where = here(request)
    lang, now = where.language, request.app.state.clock()
    choice, note = str(form.get("decision") or ""), str(form.get("note") or "").strip()[:2000] or None
    request_text = str(form.get("request") or "")
    if choice not in ("approve", "refuse") or not request_text.isdigit():
        return _page(request, who, key, status=422, problem=say("bad_value", lang, field="decision", value=choice))
    try:
        with session_scope(where.runtime.engine) as session:
            asked, item, document = extension_request(session, request_id=int(request_text))
            if item.key != key:
                raise NotFoundError(key)
            if choice == "approve" and not within(asked.requested_due, document_window(document)):
                raise ConflictError(show_date(asked.requested_due))
            decided, _ = decide_extension(session, request_id=asked.id or 0, approve=choice == "approve", note=note,
                                          on=where.today, actor=who.actor, now=now)
            queue_decision_letter(session, request_id=decided.id or 0, decision=decided.status,
                                  settings=where.runtime.settings, configuration=where.runtime.configuration,
                                  on=where.today, now=now)
            status = decided.status
    except NotFoundError:
        raise ConsoleRefused(404, "not_found") from None
    except ConflictError as why:
        return _page(request, who, key, status=409, problem=say("conflict", lang, why=why.say(lang)))
    return _back(key, "decided", status=word("extension", status, lang))

