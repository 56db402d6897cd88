"""The review form against the database: write a body's form, store a filled one all or nothing.

A filled form is read by ``workflows/reading/review_form.py`` (pure); here every row is checked
against what is stored (the round exists and is open, the round asks this body about the row's
item, the indicator is one of the item's) and only when NOTHING is wrong are the answers stored,
each through :func:`models.reviews.record_answer` with channel ``form`` (a later answer replaces
an earlier one, the audit trail keeps both). A form with one bad row stores nothing and says
every problem, so a clerk fixes the file once and sends it again. The caller owns the
transaction (``session_scope``), so an error while storing rolls back the rows already stored.
"""

from dataclasses import dataclass
from datetime import date, datetime

from config.bodies import Body
from config.errors import ConflictError, NotFoundError
from config.words import show_date
from models.answers import indicators_of
from models.db import Session
from models.letters import section_titles
from models.reports import active_item
from models.review_tables import ReviewRound
from models.reviews import asked_of, find_round, questions, record_answer
from models.tables import Document, Item
from notifications.review_form import FormIndicator, FormItem, review_form_xlsx
from workflows.reading.review_form import META_SHEET, FilledForm, FilledRow, FormProblem


class FormRefused(ConflictError):
    """The filled form was refused and nothing of it stored; ``problems`` says every reason."""

    def __init__(self, problems: list[FormProblem], language: str = "vi") -> None:
        self.problems = problems
        self.lines = [problem.line(language) for problem in problems]
        super().__init__("; ".join(self.lines))


@dataclass(frozen=True)
class Imported:
    """What an import stored: the round, the body, and how many answers (replaced ones among them)."""

    round_id: int
    body: str
    stored: int
    replaced: int


def _say(language: str, vi: str, en: str) -> str:
    return en if language == "en" else vi


def form_for(session: Session, *, round_id: int, body: Body, language: str) -> bytes:
    """The XLSX form of ``body`` in round ``round_id``. Refused (exit 6) for a closed round or a
    body the round asks nothing; an unknown round is exit 4."""
    review = find_round(session, round_id)
    if review.status != "open":
        raise ConflictError(_say(language, f"đợt {round_id} đã đóng ngày {_day(review.closed_on)}; không còn nhận trả lời",
                                 f"review round {round_id} was closed on {_day(review.closed_on)}; it takes no answers"))
    asked = questions(session, review=review, body=body.code)
    if not asked:
        raise ConflictError(_say(language, f"đợt {round_id} không hỏi {body.code} mục nào",
                                 f"review round {round_id} asks {body.code} about no item"))
    return review_form_xlsx(
        round_id=round_id, kind=review.kind, period_from=review.period_from, period_to=review.period_to, due=review.due,
        body_code=body.code, body_name=body.name(language), items=form_items(session, [item for item, _ in asked]),
        language=language,
    )


def form_items(session: Session, items: list[Item]) -> list[FormItem]:
    """The plain rows the form is written from: each item with its section's title and, for a
    target, its indicators (two queries whatever the number of items)."""
    ids = [item.id or 0 for item in items]
    titles = section_titles(session, ids)
    indicators = indicators_of(session, item_ids=[item.id or 0 for item in items if item.kind == "target"])
    return [
        FormItem(key=item.key, kind=item.kind, section=titles.get(item.id or 0, item.section_key), text=item.text,
                 due=item.due, indicators=tuple(
                     FormIndicator(position=i.position, name=i.name, unit=i.unit, target=i.value, comparator=i.comparator,
                                   target_max=i.value_max, year=i.year)
                     for i in indicators.get(item.id or 0, [])))
        for item in items
    ]


def import_form(session: Session, *, form: FilledForm, on: date, actor: str, now: datetime, language: str = "vi") -> Imported:
    """Store a filled form's answers, or none of them: :class:`FormRefused` lists every problem."""
    problems = list(form.problems)
    review = _open_round(session, form, on, problems, language)
    if review is None:
        raise FormRefused(problems, language)
    asked = {item.key: item for item, _ in questions(session, review=review, body=form.body)}
    if not asked:
        problems.append(FormProblem(META_SHEET, None, _say(language, f"đợt {review.id} không hỏi cơ quan {form.body}",
                                                           f"review round {review.id} asks nothing of body {form.body}")))
    positions = {  # the form numbers an item's indicators 1, 2, ... in order; values keep the stored position
        item_id: {str(number): str(indicator.position) for number, indicator in enumerate(found, start=1)}
        for item_id, found in indicators_of(session, item_ids=[item.id or 0 for item in asked.values()]).items()
    }
    stored_values: dict[str, dict[str, float]] = {}
    for row in form.answers:
        item = asked.get(row.key)
        if item is None:
            problems.append(FormProblem(form.sheet, row.row, _not_asked(session, review, row.key, form.body, language)))
            continue
        known = positions.get(item.id or 0, {})
        problems.extend(_bad_positions(form.sheet, row, item, set(known), language))
        stored_values[row.key] = {known[number]: value for number, value in row.values.items() if number in known}
    if not form.answers and not problems:
        problems.append(FormProblem(form.sheet, None, _say(language, "phiếu chưa trả lời mục nào (chưa chọn tình trạng)",
                                                           "the form answers nothing (no status chosen)")))
    if problems:
        raise FormRefused(sorted(problems, key=lambda p: (p.sheet != META_SHEET, p.row or 0)), language)
    replaced = 0
    answered = {item.key for item, answer in questions(session, review=review, body=form.body) if answer is not None}
    for row in form.answers:
        replaced += row.key in answered
        record_answer(session, review=review, item=asked[row.key], body=form.body, status=row.status or "", note=row.note,
                      values=stored_values[row.key], on=on, channel="form", actor=actor, now=now)
    return Imported(round_id=review.id or 0, body=form.body, stored=len(form.answers), replaced=replaced)


def _day(day: date | None) -> str:
    return show_date(day) if day is not None else "?"


def _open_round(session: Session, form: FilledForm, on: date, problems: list[FormProblem], language: str) -> ReviewRound | None:
    """The form's round when it takes answers on ``on``; otherwise a problem and None."""
    try:
        review = find_round(session, form.round_id)
    except NotFoundError:
        problems.append(FormProblem(META_SHEET, None, _say(language, f"không có đợt sơ kết, tổng kết số {form.round_id}",
                                                           f"there is no review round {form.round_id}")))
        return None
    if review.status != "open":
        problems.append(FormProblem(META_SHEET, None, _say(
            language, f"đợt {review.id} đã đóng ngày {_day(review.closed_on)}; không còn nhận trả lời",
            f"review round {review.id} was closed on {_day(review.closed_on)}; it takes no more answers")))
        return None
    if on < review.opened_on:
        problems.append(FormProblem(META_SHEET, None, _say(
            language, f"ngày trả lời {show_date(on)} trước ngày mở đợt {show_date(review.opened_on)}",
            f"the answer's day {show_date(on)} is before the round opened on {show_date(review.opened_on)}")))
        return None
    return review


def _not_asked(session: Session, review: ReviewRound, key: str, body: str, language: str) -> str:
    """Why a row's key is not one of the body's: the round asks another body, or not about it, or no such item."""
    document = session.get(Document, review.document_id)
    other = None
    if document is not None:
        try:
            other = asked_of(session, review=review, item=active_item(session, document=document, key=key))
        except NotFoundError:
            other = None
    if other is None:
        return _say(language, f"key {key} không phải một mục đợt {review.id} hỏi {body} (key bị sửa?)",
                    f"key {key} is not an item round {review.id} asks {body} about (was the key changed?)")
    return _say(language, f"mục {key} do {other} chủ trì trong đợt này, không phải {body}",
                f"item {key} is led by {other} in this round, not by {body}")


def _bad_positions(sheet: str, row: FilledRow, item: Item, known: set[str], language: str) -> list[FormProblem]:
    return [
        FormProblem(sheet, row.value_rows.get(position, row.row), _say(
            language, f"mục {item.key} không có chỉ số {position}", f"item {item.key} has no indicator {position}"))
        for position in row.values if position not in known
    ]
