"""``POST /items/{key}/delegate`` (route name ``delegate``): a lead body hands one of its items to a
unit under it, or takes it back (``end=1``), from the console.

Who may: the Office (coordinator, standing) on any item, on the lead's behalf; a body user on an
item its body leads (another body's item answers 404, as its page does); never an inspector
(403, by :func:`web.console.auth.acting`, which also checks the CSRF token). The same step as
``dondoc delegate`` (:mod:`workflows.orchestration.delegation`), audited with the person's name.
A refusal the data gives (a unit not under the lead, the lead itself, an item done, nothing to
take back) is a 409 page saying why; a unit the registry does not know a 422; nothing is stored.
Done: 303 back to the item's page, whose delegation box (:func:`delegation_form`) shows the unit.
"""

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from config.errors import NotFoundError
from config.words import show_date
from models.db import session_scope
from models.delegations import active_delegation
from models.links import link_generation
from models.queries import find_document
from notifications.links import link_for, vietnam_day
from web.console.auth import ConsoleRefused, Viewer, acting, allow, can
from web.console.layout import console_page
from workflows.orchestration.delegation import delegate_item, item_state, take_back
from workflows.orchestration.runtime import Runtime
from workflows.rules.delegation import Refusal, units_under

router = APIRouter()

UNKNOWN_UNIT = ("Không có đơn vị {unit} trong danh mục cơ quan.", "There is no unit {unit} in the bodies registry.")


FORM_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Giao đơn vị thực hiện", "Delegate to a unit"),
    "held": ("Đang giao {unit} thực hiện (từ {day}, {by}); {lead} vẫn chủ trì và nhận thư đôn đốc khi quá hạn.",
             "Delegated to {unit} (since {day}, by {by}); {lead} still leads it and gets the escalations."),
    "none": ("{lead} trực tiếp thực hiện.", "{lead} holds it."),
    "unit": ("Đơn vị trực thuộc", "Unit under the lead"),
    "button": ("Giao", "Delegate"),
    "end": ("Thu hồi", "Take it back"),
    "no_units": ("Danh mục cơ quan chưa có đơn vị nào trực thuộc {lead}.", "The bodies registry lists no unit under {lead}."),
    "answer": ("Báo cáo tiến độ mục này trên trang trả lời của {body}", "Report on this item on {body}'s answer page"),
}


def delegation_form(request: Request, who: Viewer, *, item_id: int, lead: str | None, key: str = "") -> dict[str, Any] | None:
    """What the item page's delegation box shows (``console/_delegation.html``): the unit holding the
    item, and the form for those who may delegate it; the unit's own clerk reads who gave it the
    item, without the form (None: anyone else, or no lead)."""
    may = lead is not None and can(who, "delegate", body=lead)
    if lead is None or not (may or who.role == "body"):
        return None
    runtime: Runtime = request.app.state.runtime
    lang, registry = runtime.settings.language, runtime.configuration.registry
    with session_scope(runtime.engine) as session:
        held = active_delegation(session, item_id=item_id)
        generation = link_generation(session, body=who.body) if who.role == "body" and who.body else None
    if not may and (held is None or held.unit != who.body):
        return None

    def said(name: str, **values: str) -> str:
        return FORM_WORDS[name][lang == "en"].format(**values)

    def named(code: str) -> str:
        return registry.bodies[code].name(lang) if code in registry.bodies else code

    units = units_under(lead, registry) if may else []
    return {
        "title": said("title"), "unit_label": said("unit"), "button": said("button"), "end": said("end"),
        "state": said("held", unit=named(held.unit), day=show_date(held.on), by=held.by, lead=named(lead)) if held
        else said("none", lead=named(lead)),
        "held": held.unit if held and may else None, "choices": [(code, named(code)) for code in units],
        "no_units": said("no_units", lead=named(lead)) if may and not units else "",
        "may": may, "answer": _answer_link(request, who, key, generation), "answer_label": said("answer", body=named(who.body or "")),
    }


def _answer_link(request: Request, who: Viewer, key: str, generation: int | None) -> str | None:
    """A body user's way to answer from the console: its own answer page (the link its letters
    carry), at the item; None for the Office."""
    if generation is None or who.body is None:
        return None
    runtime: Runtime = request.app.state.runtime
    link = link_for(who.body, settings=runtime.settings, policy=runtime.configuration.policy,
                    now=request.app.state.clock(), generation=generation)
    return f"{link}#{quote(key, safe='')}"


def _refused(request: Request, who: Viewer, status: int, message: str) -> Response:
    return console_page(request, "console/refused.html", who=who, status=status, message=message, sign_in="")


@router.post("/items/{key}/delegate", name="delegate")
async def delegate(key: str, request: Request, who: Annotated[Viewer, Depends(acting("delegate"))]) -> Response:
    form = await request.form()  # read once by ``acting``: Starlette keeps it
    runtime: Runtime = request.app.state.runtime
    lang, configuration = runtime.settings.language, runtime.configuration
    now = request.app.state.clock()
    unit, end = str(form.get("unit") or "").strip().upper()[:32], form.get("end") in ("1", "on", "true")
    body = who.body if who.role == "body" else None
    try:
        with session_scope(runtime.engine) as session:
            document = find_document(session)
            state = item_state(session, policy=configuration.policy, document=document, key=key)
            allow(who, "delegate", body=state.lead)
            if end:
                take_back(session, policy=configuration.policy, document=document, key=key, body=body, actor=who.actor,
                          on=vietnam_day(now), now=now)
            elif unit not in configuration.registry.bodies:
                return _refused(request, who, 422, UNKNOWN_UNIT[lang == "en"].format(unit=unit or "-"))
            else:
                delegate_item(session, policy=configuration.policy, registry=configuration.registry, document=document,
                              key=key, unit=unit, body=body, actor=who.actor, on=vietnam_day(now), now=now)
    except NotFoundError:
        raise ConsoleRefused(404, "not_found") from None
    except Refusal as refused:
        return _refused(request, who, 409, refused.says(lang))
    done = urlencode({"done": "taken_back" if end else "delegated", "body": unit})
    return RedirectResponse(f"/items/{quote(key, safe='')}?{done}", status_code=303)
