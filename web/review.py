"""The review round's section of the answer page (issue 10): while a round that asks this body is
open, what it asks (each item, the statuses to choose from, a short account, a value per
indicator of a target) with the answer stored so far; read with ``models.reviews``, the same
functions the ``review`` commands and the XLSX form use. A closed round has no section.
"""

from dataclasses import dataclass, field
from datetime import date

from config.words import label, show_date, show_value, word
from models.answers import indicators_of
from models.db import Session
from models.review_tables import ANSWER_STATUSES, ReviewAnswer, ReviewRound
from models.reviews import open_rounds, questions
from models.tables import Indicator, Item
from notifications.review_letter import round_title
from web.page import _number, target_of
from web.words import text

MAX_NOTE = 1000
"""The longest short account: a few sentences, as the review's report quotes them."""


@dataclass(frozen=True)
class AskedIndicator:
    position: str
    name: str
    unit: str
    target: str
    current: str


@dataclass(frozen=True)
class Question:
    """One item the round asks the body about, with what is stored (pre-filled in the form)."""

    key: str
    kind: str
    text: str
    status: str
    note: str
    answered: str | None
    indicators: list[AskedIndicator] = field(default_factory=list)
    echo: list[str] = field(default_factory=list)
    """The stored values as the body reads them back: each indicator by its name and unit
    ("Tốc độ tăng trưởng GRDP: 7,1 %"), never by its position."""


@dataclass(frozen=True)
class RoundSection:
    id: int
    title: str
    period: str
    due: str
    days_left: int
    asked: int
    answered: int
    questions: list[Question]


def _capital(words: str) -> str:
    """The round's name as a heading: the letter's words, first letter capitalised."""
    return words[:1].upper() + words[1:]


def status_choices(language: str) -> list[tuple[str, str]]:
    """The statuses a body chooses from, in the order the report counts them."""
    return [(code, label("answer_status", code, language)) for code in ANSWER_STATUSES]


def shown_value(value: object) -> str:
    """A stored value as a Vietnamese clerk writes it (``12,5``, ``1.234``), which reads back the same."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(float(value))
    return str(value)


def _answered(answer: ReviewAnswer | None, language: str) -> str | None:
    if answer is None:
        return None
    return text("review_answered", language, day=show_date(answer.answered_on),
                channel=word("channel_via", answer.channel, language), status=label("answer_status", answer.status, language))


def _question(item: Item, answer: ReviewAnswer | None, indicators: list[Indicator], language: str) -> Question:
    values = answer.values if answer is not None else {}
    asked = [
        AskedIndicator(position=str(i.position), name=i.name, unit=i.unit or "",
                       target=target_of({"comparator": i.comparator, "value": i.value, "value_max": i.value_max,
                                         "unit": i.unit, "year": i.year}, language),
                       current=shown_value(values[str(i.position)]) if str(i.position) in values else "")
        for i in indicators
    ]
    echo = [show_value(i.name, values[str(i.position)], i.unit, language) for i in indicators if str(i.position) in values]
    return Question(key=item.key, kind=word("item_kind", item.kind, language), text=item.text,
                    status=answer.status if answer is not None else "", note=(answer.note or "") if answer is not None else "",
                    answered=_answered(answer, language), indicators=asked, echo=echo)


def asked_items(session: Session, *, review: ReviewRound, body: str) -> list[tuple[Item, ReviewAnswer | None]]:
    return questions(session, review=review, body=body)


def round_section(session: Session, *, review: ReviewRound, body: str, today: date, language: str) -> RoundSection | None:
    """The section of one open round for ``body``, or None when the round asks it nothing."""
    asked = asked_items(session, review=review, body=body)
    if not asked:
        return None
    indicators = indicators_of(session, item_ids=[item.id for item, _ in asked if item.id is not None])
    shown = [_question(item, answer, list(indicators.get(item.id or 0, [])), language) for item, answer in asked]
    return RoundSection(
        id=review.id or 0, title=text("review_title", language, kind=_capital(round_title(review.kind, review.period_to, language)), id=review.id),
        period=f"{show_date(review.period_from)} - {show_date(review.period_to)}",
        due=show_date(review.due), days_left=(review.due - today).days, asked=len(asked),
        answered=sum(1 for _, answer in asked if answer is not None), questions=shown,
    )


def round_sections(session: Session, *, body: str, today: date, language: str) -> list[RoundSection]:
    """Every open round that asks ``body`` something, oldest first."""
    found = (round_section(session, review=review, body=body, today=today, language=language) for review in open_rounds(session))
    return [section for section in found if section is not None]
