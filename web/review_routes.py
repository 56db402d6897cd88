"""The review round's form: ``POST /b/{token}/review/{round}`` stores a body's answers through
``models.reviews.record_answer`` (channel ``page``, actor ``link:BODY``, as the report form does),
then redirects (303) back to the page, which shows what is stored.

One form holds every item the round asks the body about; each item also has its own button
(``only=KEY``), which stores that item alone. An answer the clerk did not change is not stored
again: sending the whole form after the due date to correct one item does not make the others
late. Refused, with nothing stored: a bad CSRF token (403), no such round (404), a closed round
(409: the round exists but no longer takes answers, as a done item refuses a report), an item
the round asks another body about (403) or does not ask about (404), a value that is not a number
or a status not in the list (422, the form shown again with the field named).
"""

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from config.errors import ConflictError, NotFoundError
from config.words import show_date
from models.answers import indicators_of
from models.db import Session, session_scope
from models.reports import active_item
from models.review_tables import ReviewAnswer, ReviewRound
from models.reviews import asked_of, find_round, questions, record_answer
from models.tables import Document, Item
from notifications.links import vietnam_day
from web.access import Refused, Visitor, check_csrf
from web.forms import Problems, ReviewEntry, read_review
from web.review import MAX_NOTE
from web.routes import _now, _runtime, _show, _visitor

router = APIRouter()
REVIEW_FORM_LIMITS: dict[str, Any] = {"max_files": 0, "max_fields": 8000, "max_part_size": 16 * 1024}
"""A round may ask a body about a hundred items and more: a status, an account, an item field and
a value per indicator each."""


def _round(session: Session, number: str) -> ReviewRound:
    """The open round ``number``: 404 when there is none, 409 once it is closed (a stale form)."""
    if not number.isdigit() or len(number) > 9:
        raise Refused("unknown_round", id=number[:12])
    try:
        review = find_round(session, int(number))
    except NotFoundError:
        raise Refused("unknown_round", id=number) from None
    if review.status != "open":
        day = show_date(review.closed_on) if review.closed_on else "?"
        raise Refused("round_closed", id=review.id, day=day)
    return review


def _keys(form: Any) -> list[str]:
    """The items the submit answers: the one whose button was pressed, or every item of the form."""
    only = form.get("only")
    keys = [only] if isinstance(only, str) and only else [k for k in form.getlist("item") if isinstance(k, str)]
    if any(not key or len(key) > 120 for key in keys):
        raise Refused("unknown_item", key="?")
    return list(dict.fromkeys(keys))


def _refuse_unasked(session: Session, review: ReviewRound, guest: Visitor, key: str) -> None:
    """An item the round does not ask this body about: another body's (403) or not in the round (404)."""
    document = session.get(Document, review.document_id)
    try:
        assert document is not None
        asked = asked_of(session, review=review, item=active_item(session, document=document, key=key))
    except (AssertionError, NotFoundError):
        raise Refused("not_asked", id=review.id, key=key) from None
    raise Refused("other_body", key=key, body=guest.body) if asked != guest.body else Refused("not_asked", id=review.id, key=key)


def _unchanged(answer: ReviewAnswer | None, entry: ReviewEntry) -> bool:
    if answer is None:
        return False
    stored = {position: float(value) for position, value in answer.values.items() if isinstance(value, int | float)}
    return answer.status == entry.status and (answer.note or None) == entry.note and stored == entry.values


def _again(request: Request, session: Session, guest: Visitor, review: ReviewRound, form: Any, problems: Problems) -> Response:
    given = {name: value for name, value in form.items() if isinstance(value, str) and len(value) <= 4000}
    session.rollback()  # nothing of this request is kept
    return _show(request, session, guest, status=422, review={
        "round": review.id, "messages": problems.found, "fields": problems.fields, "given": given})


@router.post("/b/{token}/review/{number}")
async def post_review(request: Request, token: str, number: str) -> Response:
    form = await request.form(**REVIEW_FORM_LIMITS)
    runtime = _runtime(request)
    now = _now(request)
    with session_scope(runtime.engine) as session:
        guest = _visitor(session, request, token)
        check_csrf(runtime.settings, token, f"review{number}", form.get("csrf"))
        review = _round(session, number)
        asked: dict[str, tuple[Item, ReviewAnswer | None]] = {
            item.key: (item, answer) for item, answer in questions(session, review=review, body=guest.body)}
        keys = _keys(form)
        for key in keys:
            if key not in asked:
                _refuse_unasked(session, review, guest, key)
        indicators = indicators_of(session, item_ids=[asked[key][0].id or 0 for key in keys])
        read = read_review(form, {key: [(str(i.position), i.name) for i in indicators.get(asked[key][0].id or 0, [])]
                                  for key in keys}, runtime.settings.language, note_limit=MAX_NOTE)
        if isinstance(read, Problems):
            return _again(request, session, guest, review, form, read)
        saved = 0
        for entry in read:
            item, answer = asked[entry.key]
            if _unchanged(answer, entry):
                continue
            try:
                record_answer(session, review=review, item=item, body=guest.body, status=entry.status, note=entry.note,
                              values=entry.values, on=vietnam_day(now), channel="page", actor=f"link:{guest.body}", now=now)
            except ConflictError:  # closed by the Office between the read and the write
                raise Refused("round_closed", id=review.id, day=show_date(vietnam_day(now))) from None
            saved += 1
    one = f"&item={quote(keys[0], safe='')}" if form.get("only") else ""
    anchor = f"r{review.id}-{keys[0]}" if one else f"round-{review.id}"
    return RedirectResponse(f"/b/{guest.token}?ok=review&round={review.id}&n={saved}{one}#{quote(anchor, safe='')}", status_code=303)
