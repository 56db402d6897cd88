"""``dondoc review open|answer|close``: a review round (sơ kết, tổng kết) on the command line
(``list`` and ``status`` are in :mod:`workflows.cli.review_status`).

The Standing Committee's act (open, close) and a body's answer, each with ``--as-of`` so that a
whole round can be replayed. The work is in :mod:`workflows.orchestration.reviews`; here the
options are read, refusals worded (Vietnamese first) and results printed. ``open`` prints the
round's number alone on standard output, for scripts, and says what it did on standard error.
"""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from config.errors import ConflictError, NotFoundError
from workflows.cli.app import (
    AsOf,
    DateProblem,
    DocumentKey,
    UsageProblem,
    as_of_date,
    date_option,
    day_option,
    review_app,
    with_runtime,
)
from workflows.cli.bounds import check_day, document_window
from workflows.cli.messages import say

if TYPE_CHECKING:
    from models.review_tables import ReviewRound
    from workflows.orchestration.reviews import NotAsked
    from workflows.orchestration.runtime import Runtime


class ReviewKind(StrEnum):
    midterm = "midterm"
    yearly = "yearly"
    final = "final"


class AnswerStatus(StrEnum):
    """``models.review_tables.ANSWER_STATUSES``, so that --help lists them."""

    done = "done"
    on_track = "on_track"
    behind = "behind"
    not_started = "not_started"
    blocked = "blocked"


RoundId = Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số đợt / round number")]


def period_option(text: str | None, language: str) -> tuple[date | None, date | None]:
    """``FROM..TO`` (either side dd/mm/yyyy or YYYY-MM-DD); a usage error otherwise."""
    if text is None:
        return None, None
    first, sep, last = text.partition("..")
    try:
        if not sep:
            raise DateProblem(text, False)
        start, end = day_option(first), day_option(last)
    except DateProblem:
        raise UsageProblem(say("review_period", language, value=text)) from None
    if start > end:
        raise UsageProblem(say("review_period_order", language, start=_day(start), end=_day(end)))
    return start, end


def _day(day: date) -> str:
    from config.words import show_date

    return show_date(day)


def _title(review: "ReviewRound", language: str) -> str:
    from notifications.review_letter import round_title

    return round_title(review.kind, review.period_to, language)


@review_app.command("open")
def review_open(
    kind: Annotated[ReviewKind, typer.Option(help="Loại đợt / kind of review")],
    due: Annotated[date, date_option("--due", "Hạn gửi báo cáo dd/mm/yyyy / answers due by")],
    period: Annotated[str | None, typer.Option(metavar="FROM..TO", help="Kỳ báo cáo (mặc định: từ đầu chương trình đến --as-of) / the period")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Người quyết định (mặc định: DONDOC_ACTOR) / who decided")] = None,
    as_of: AsOf = None,
    document: DocumentKey = None,
) -> None:
    """Mở đợt sơ kết, tổng kết và gửi thư đề nghị báo cáo / open a review round and ask each body."""
    from models.db import session_scope
    from models.queries import find_document
    from notifications.review_letter import round_title
    from workflows.orchestration.reviews import RoundExists, open_review

    def action(runtime: "Runtime") -> None:
        lang, day = runtime.settings.language, as_of_date(as_of)
        start, end = period_option(period, lang)
        if due < day:
            raise UsageProblem(say("review_due_early", lang, due=_day(due), on=_day(day)))
        with session_scope(runtime.engine) as session:
            window = document_window(find_document(session, document))
        for name, given in (("--as-of", as_of), ("--due", due), ("--period", start), ("--period", end)):
            check_day(name, given, window, lang)
        actor = by or runtime.settings.actor
        try:
            opened = open_review(runtime.engine, settings=runtime.settings, configuration=runtime.configuration,
                                 kind=kind.value, due=due, on=day, actor=actor, now=datetime.now(UTC),
                                 period_from=start, period_to=end, document_key=document)
        except RoundExists as exists:
            title = round_title(exists.kind, exists.period_to, lang)
            raise ConflictError(say("review_exists", lang, title=title, id=exists.id, start=_day(exists.period_from),
                                    end=_day(exists.period_to))) from None
        review = opened.round
        typer.echo(str(review.id))
        typer.echo(say("review_opened", lang, title=_title(review, lang), id=review.id, start=_day(review.period_from),
                       end=_day(review.period_to), due=_day(review.due), by=actor, on=_day(day), bodies=opened.bodies,
                       items=opened.items, queued=opened.queued), err=True)

    with_runtime(action)


@review_app.command("answer")
def review_answer(
    round_id: RoundId,
    key: Annotated[str, typer.Argument(help="Mã mục / item key")],
    status: Annotated[AnswerStatus, typer.Option(help="Tình trạng / status")],
    note: Annotated[str | None, typer.Option(help="Tóm tắt kết quả / short account")] = None,
    value: Annotated[list[str] | None, typer.Option(help="Chỉ số đạt được: TÊN=GIÁ TRỊ (tên hoặc số thứ tự) / INDICATOR=VALUE, repeatable")] = None,
    body: Annotated[str | None, typer.Option(help="Cơ quan trả lời (mặc định: cơ quan được hỏi) / answering body")] = None,
    as_of: AsOf = None,
) -> None:
    """Ghi trả lời của một cơ quan về một nội dung / record a body's answer about one item."""
    from workflows.orchestration.reviews import NoSuchItem, NotAsked, RoundClosed, answer_review
    from workflows.reading.review_values import ValueProblem, split_pair

    def action(runtime: "Runtime") -> None:
        lang, day = runtime.settings.language, as_of_date(as_of)
        try:
            pairs = [split_pair(pair) for pair in value or []]
        except ValueProblem as problem:
            raise UsageProblem(say("review_value_pair", lang, name=problem.name)) from None
        code = runtime.configuration.registry.resolve(body).code if body else None
        _not_before_opening(runtime, round_id, as_of, lang)
        try:
            review, item, asked, numbers = answer_review(
                runtime.engine, round_id=round_id, key=key, status=status.value, note=note, values=pairs, body=code,
                on=day, actor=runtime.settings.actor, channel="command", now=datetime.now(UTC))
        except RoundClosed as closed:
            raise ConflictError(say("review_closed", lang, id=round_id, on=_day(closed.closed_on or day))) from None
        except NotAsked as refused:
            raise ConflictError(_not_asked(refused, lang)) from None
        except NoSuchItem:
            raise NotFoundError(say("review_no_item", lang, key=key, id=round_id)) from None
        except ValueProblem as problem:
            raise UsageProblem(_value_problem(runtime, round_id, key, problem, lang)) from None
        _said_answer(runtime, review, item.id or 0, key, asked, status.value, numbers, day, lang)

    with_runtime(action)


def _found(runtime: "Runtime", round_id: int, lang: str) -> "ReviewRound":
    """The round, or exit 4 saying there is none."""
    from models.db import session_scope
    from models.reviews import find_round

    with session_scope(runtime.engine) as session:
        try:
            return find_round(session, round_id)
        except NotFoundError:
            raise NotFoundError(say("review_no_round", lang, id=round_id)) from None


def _not_before_opening(runtime: "Runtime", round_id: int, as_of: date | None, lang: str) -> None:
    """An answer or a closing dated before its round opened is a slip (a usage error); the round
    must exist (exit 4)."""
    review = _found(runtime, round_id, lang)
    if as_of is not None and as_of < review.opened_on:
        raise UsageProblem(say("review_answer_early", lang, on=_day(as_of), opened=_day(review.opened_on)))


def _not_asked(refused: "NotAsked", lang: str) -> str:
    if refused.asked is None:
        return say("review_asked_none", lang, id=refused.id, key=refused.key)
    return say("review_not_asked", lang, id=refused.id, body=refused.body, key=refused.key,
               asked=say("review_asked_other", lang, asked=refused.asked))


def _value_problem(runtime: "Runtime", round_id: int, key: str, problem: Any, lang: str) -> str:
    """The refusal of a ``--value``, naming it (and, for an unknown indicator, the item's own)."""
    if problem.reason == "number":
        return say("review_value_number", lang, name=problem.name, value=problem.value)
    if problem.reason == "twice":
        return say("review_value_twice", lang, name=problem.name)
    from models.db import session_scope
    from models.reviews import asked_item, find_round, indicators_of

    with session_scope(runtime.engine) as session:
        found = asked_item(session, review=find_round(session, round_id), key=key)
        rows = indicators_of(session, [found[0].id or 0]).get(found[0].id or 0, []) if found else []
    if not rows:
        return say("review_value_none", lang, key=key)
    known = "; ".join(f"{n}. {row.name}" for n, row in enumerate(rows, 1))
    return say("review_value_indicator", lang, key=key, name=problem.name, known=known)


def _said_answer(runtime: "Runtime", review: "ReviewRound", item_id: int, key: str, body: str, status: str,
                 numbers: dict[str, float], day: date, lang: str) -> None:
    from config.words import show_value
    from models.db import session_scope
    from models.reviews import indicators_of
    from notifications.review_letter import status_word

    late = say("review_answered_late", lang, due=_day(review.due)) if day > review.due else ""
    typer.echo(say("review_answered", lang, body=body, key=key, id=review.id, status=status_word(status, lang), late=late))
    if numbers:
        with session_scope(runtime.engine) as session:  # each value by its indicator's name and unit, not its place
            indicators = indicators_of(session, [item_id]).get(item_id, [])
        shown = "; ".join(show_value(i.name, numbers[str(i.position)], i.unit, lang)
                          for i in indicators if str(i.position) in numbers)
        typer.echo(say("review_answered_values", lang, values=shown))


@review_app.command("close")
def review_close(
    round_id: RoundId,
    by: Annotated[str | None, typer.Option("--by", help="Người quyết định (mặc định: DONDOC_ACTOR) / who closes it")] = None,
    as_of: AsOf = None,
) -> None:
    """Kết thúc đợt, gửi báo cáo / close a round (no answer after it) and send its report."""
    from workflows.orchestration.reviews import close_review

    def action(runtime: "Runtime") -> None:
        lang, day = runtime.settings.language, as_of_date(as_of)
        _not_before_opening(runtime, round_id, as_of, lang)
        try:
            closed = close_review(runtime.engine, settings=runtime.settings, configuration=runtime.configuration,
                                  round_id=round_id, on=day, actor=by or runtime.settings.actor, now=datetime.now(UTC))
        except ConflictError:  # already closed: say when, in the reader's language
            raise ConflictError(_already_closed(runtime, round_id, lang)) from None
        counted = closed.progress
        typer.echo(say("review_closed_now", lang, title=_title(closed.round, lang), id=round_id, on=_day(day),
                       answered=sum(p.answered for p in counted), asked=sum(p.asked for p in counted),
                       late=sum(p.late for p in counted), silent=sum(1 for p in counted if p.answered == 0),
                       queued=closed.queued))

    with_runtime(action)


def _already_closed(runtime: "Runtime", round_id: int, lang: str) -> str:
    review = _found(runtime, round_id, lang)
    return say("review_closed", lang, id=round_id, on=_day(review.closed_on or review.due))
