"""``dondoc review list|status``: the review rounds, and who has answered one.

Read only; with ``--as-of`` a round is shown as it stood on that day (a replay's day): opened by
then, closed only if closed by then, the answers given by then.
"""

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from config.errors import NotFoundError
from workflows.cli.app import AsJson, AsOf, print_json, review_app, with_runtime
from workflows.cli.messages import say

if TYPE_CHECKING:
    from models.review_tables import ReviewRound
    from workflows.orchestration.runtime import Runtime

RoundId = Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số đợt / round number")]


def _day(day: date) -> str:
    from config.words import show_date

    return show_date(day)


def _title(review: "ReviewRound", language: str) -> str:
    from notifications.review_letter import round_title

    return round_title(review.kind, review.period_to, language)


@review_app.command("list")
def review_list(as_json: AsJson = False, as_of: AsOf = None) -> None:
    """Các đợt sơ kết, tổng kết / the review rounds; --as-of: as they stood that day."""
    from models.db import session_scope
    from models.reviews import list_rounds

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        with session_scope(runtime.engine) as session:
            rounds = [r for r in list_rounds(session) if as_of is None or r.opened_on <= as_of]
        if as_json:
            print_json({"rounds": [_round_json(r, as_of) for r in rounds]})
            return
        if not rounds:
            typer.echo(say("review_none", lang))
            return
        typer.echo(f"{say('col_id', lang):>4}  {say('col_review_kind', lang):<24} {say('col_status', lang):<10} "
                   f"{say('col_period', lang):<23} {say('col_due', lang):<10}  {say('col_opened', lang)}")
        for r in rounds:
            state = say(f"review_{_status_on(r, as_of)}_word", lang)
            typer.echo(f"{r.id:>4}  {_title(r, lang):<24} {state:<10} {_day(r.period_from)} - {_day(r.period_to)} "
                       f"{_day(r.due)}  {_day(r.opened_on)}, {r.opened_by}")

    with_runtime(action, read_only=True)


def _status_on(r: "ReviewRound", as_of: date | None) -> str:
    """open or closed, as the round stood on ``as_of`` (today: as stored)."""
    if as_of is None or r.closed_on is None:
        return r.status
    return "closed" if r.closed_on <= as_of else "open"


def _round_json(r: "ReviewRound", as_of: date | None = None) -> dict[str, Any]:
    closed = _status_on(r, as_of) == "closed"
    return {"id": r.id, "kind": r.kind, "status": _status_on(r, as_of), "period_from": r.period_from.isoformat(),
            "period_to": r.period_to.isoformat(), "due": r.due.isoformat(), "opened_by": r.opened_by,
            "opened_on": r.opened_on.isoformat(), "closed_by": r.closed_by if closed else None,
            "closed_on": r.closed_on.isoformat() if closed and r.closed_on else None}


@review_app.command("status")
def review_status(round_id: RoundId, as_json: AsJson = False, as_of: AsOf = None) -> None:
    """Ai đã báo cáo, ai chưa / who has answered, who has not, who was late; --as-of: by that day."""
    from models.db import session_scope
    from models.reviews import find_round, progress

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        with session_scope(runtime.engine) as session:
            try:
                review = find_round(session, round_id)
            except NotFoundError:
                raise NotFoundError(say("review_no_round", lang, id=round_id)) from None
            counted = progress(session, review=review, as_of=as_of)
        if as_json:
            print_json({"round": _round_json(review, as_of), "bodies": [
                {"body": p.body, "asked": p.asked, "answered": p.answered, "missing": p.missing, "late": p.late}
                for p in counted]})
            return
        state = say(f"review_{_status_on(review, as_of)}_word", lang)
        typer.echo(say("review_status_title", lang, title=_title(review, lang), id=review.id, status=state,
                       start=_day(review.period_from), end=_day(review.period_to), due=_day(review.due)))
        heads = [say(k, lang) for k in ("col_asked", "col_answered", "col_late", "col_missing")]
        typer.echo(f"{say('col_body', lang):<12}" + "".join(f"{h:>14}" for h in heads))
        for p in counted:
            typer.echo(f"{p.body:<12}" + "".join(f"{n:>14}" for n in (p.asked, p.answered, p.late, p.missing)))
        totals = [sum(getattr(p, f) for p in counted) for f in ("asked", "answered", "late", "missing")]
        typer.echo(f"{say('total_row', lang):<12}" + "".join(f"{n:>14}" for n in totals))

    with_runtime(action, read_only=True)
