"""A review round's life (sơ kết, tổng kết): open it and ask each body, take answers, close it and
send the report. Plain functions; the command line, the flow ``review-round`` and ``serve`` call
them.

Each step is one transaction: the round and its request letters are stored together or not at
all, and so are the closing and the report's letter. Letters go through the outbox under keys
that hold them once (``review:{round}:{body}``, ``review:{round}:report``), so a step retried
queues nothing twice.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NoReturn

from sqlalchemy import Engine

from config.errors import ConflictError, NotFoundError
from config.loading import Configuration
from config.settings import Settings
from models.db import Session, session_scope
from models.letters import section_titles
from models.links import link_generation
from models.outbox import enqueue
from models.queries import find_document
from models.review_asked import asked_indicators, asked_items, link_generations
from models.review_tables import ReviewRound
from models.reviews import (
    BodyProgress,
    asked_item,
    close_round,
    delegated_questions,
    find_round,
    indicators_of,
    item_key_known,
    open_rounds,
    progress,
    record_answer,
    same_round,
)
from models.reviews import open_round as store_round
from models.tables import Indicator, Item
from notifications.render import DOCX, XLSX, Attachment, Email, to_draft
from notifications.review_form import FormIndicator, FormItem
from notifications.review_letter import report_email
from workflows.orchestration.review_letters import Job, write_requests
from workflows.orchestration.review_letters import request_letter as write_letter
from workflows.reading.review_values import Named, resolve_values

_LETTER_BATCH = 100


class RoundExists(ConflictError):
    """A round of this kind over this period was opened before (``id``, ``kind``, its period)."""

    def __init__(self, existing: ReviewRound) -> None:
        super().__init__(f"review round {existing.id} is already a {existing.kind} review of this period")
        # plain values: the transaction that read the row is rolled back by the time they are read
        self.id, self.kind = existing.id or 0, existing.kind
        self.period_from, self.period_to = existing.period_from, existing.period_to


class RoundClosed(ConflictError):
    """The round is closed (on ``closed_on``): it takes no more answers."""

    def __init__(self, review: ReviewRound) -> None:
        super().__init__(f"review round {review.id} was closed on {review.closed_on}; it takes no more answers")
        self.id, self.closed_on = review.id or 0, review.closed_on


class NotAsked(ConflictError):
    """The round does not ask this body (``asked`` is the body it asks, None when it asks no one)
    about this item."""

    def __init__(self, review: ReviewRound, key: str, body: str | None, asked: str | None) -> None:
        super().__init__(f"review round {review.id} asks {asked or 'no body'} about {key}, not {body}")
        self.id, self.key, self.body, self.asked = review.id or 0, key, body, asked


class NoSuchItem(NotFoundError):
    """No item of the round's programme has this key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no item {key!r} in the round's programme")
        self.key = key


@dataclass(frozen=True)
class Opened:
    """What opening a round did: the round, the bodies and items asked, the letters queued."""

    round: ReviewRound
    bodies: int
    items: int
    queued: int


@dataclass(frozen=True)
class Closed:
    """What closing a round did: the round, who answered, the report letters queued."""

    round: ReviewRound
    progress: list[BodyProgress]
    queued: int
    attached: tuple[str, ...]


def open_review(
    engine: Engine, *, settings: Settings, configuration: Configuration, kind: str, due: date, on: date,
    actor: str, now: datetime, period_from: date | None = None, period_to: date | None = None,
    document_key: str | None = None,
) -> Opened:
    """Open a round of ``kind`` (the period by default the programme's start up to ``on``) and
    queue each body asked its request letter with its form."""
    with session_scope(engine) as session:
        document = find_document(session, document_key)
        start, end = period_from or document.start, period_to or on
        existing = same_round(session, document_id=document.id or 0, kind=kind, period_from=start, period_to=end)
        if existing is not None:
            raise RoundExists(existing)
        review = store_round(session, document=document, kind=kind, due=due, period_from=start, period_to=end,
                             actor=actor, on=on, now=now)
        asked, indicators = asked_items(session, review=review), asked_indicators(session, review=review)
        forms = {body: [FormItem(key=i.key, kind=i.kind, section=i.section, text=i.text, due=i.due,
                                 indicators=tuple(_form_indicator(n) for n in indicators.get(i.item_id, [])))
                        for i in items] for body, items in asked.items()}
        queued = queue_forms(session, review=review, forms=forms, settings=settings, configuration=configuration,
                             now=now)
        return Opened(review, len(asked), sum(len(items) for items in asked.values()), queued)


def form_items(session: Session, items: list[Item]) -> list[FormItem]:
    """The items as the letter and the form ask about them: section title, and the indicators of
    a target."""
    ids = [item.id or 0 for item in items]
    titles, indicators = section_titles(session, ids), indicators_of(session, ids)
    return [FormItem(key=i.key, kind=i.kind, section=titles.get(i.id or 0, i.section_key), text=i.text, due=i.due,
                     indicators=tuple(_form_indicator(n) for n in indicators.get(i.id or 0, [])))
            for i in items]


def _form_indicator(row: Indicator) -> FormIndicator:
    return FormIndicator(position=row.position, name=row.name, unit=row.unit, target=row.value,
                         comparator=row.comparator, target_max=row.value_max, year=row.year)


def request_letter(session: Session, *, review: ReviewRound, body: str, items: list[FormItem], settings: Settings,
                   configuration: Configuration, generation: int | None = None) -> Email:
    """``body``'s request letter: its items, its link (working until the round closes at the
    earliest; ``generation`` the body's link generation, read when not given) and its form."""
    return write_letter(review, body, items, settings=settings, configuration=configuration,
                        generation=link_generation(session, body=body) if generation is None else generation,
                        delegated_by=delegations(session, review=review).get(body))


def queue_requests(session: Session, *, review: ReviewRound, asked: dict[str, list[Item]], settings: Settings,
                   configuration: Configuration, now: datetime) -> int:
    """Queue each body's request letter (a body with no address gets none); returns how many
    were new in the outbox."""
    forms = {body: form_items(session, items) for body, items in asked.items()}
    return queue_forms(session, review=review, forms=forms, settings=settings, configuration=configuration, now=now)


def queue_forms(session: Session, *, review: ReviewRound, forms: dict[str, list[FormItem]], settings: Settings,
                configuration: Configuration, now: datetime) -> int:
    """Queue each body's request letter about ``forms[body]`` (a body with no address gets
    none); returns how many were new in the outbox. Written and stored a hundred at a time, so
    that a round of 1,000 bodies does not hold 1,000 rendered letters (some 100 MB) at once."""
    registry, generations, drafts, queued = configuration.registry, link_generations(session), [], 0
    held = delegations(session, review=review)
    jobs: list[Job] = [(body, forms[body], generations.get(body, 0), held.get(body, {})) for body in sorted(forms)
                       if (known := registry.bodies.get(body)) is not None and known.emails]
    for draft in write_requests(review, jobs, settings=settings, configuration=configuration):
        drafts.append(draft)
        if len(drafts) == _LETTER_BATCH:
            queued, drafts = queued + enqueue(session, drafts=drafts, now=now), []
    return queued + enqueue(session, drafts=drafts, now=now)


def delegations(session: Session, *, review: ReviewRound) -> dict[str, dict[str, str]]:
    """The questions of ``review`` asked of a unit because its lead delegated the item to it:
    unit -> {item key: the lead's code}, so the unit's letter says who gave it each item."""
    by_unit: dict[str, dict[str, str]] = {}
    for item_id, (lead, unit) in delegated_questions(session, review=review).items():  # a few a round
        item = session.get(Item, item_id)
        assert item is not None, "a question's item is a foreign key"
        by_unit.setdefault(unit, {})[item.key] = lead
    return by_unit


def answer_review(
    engine: Engine, *, round_id: int, key: str, status: str, note: str | None, values: list[tuple[str, str]],
    body: str | None, on: date, actor: str, channel: str, now: datetime,
) -> tuple[ReviewRound, Item, str, dict[str, float]]:
    """Store a body's answer about item ``key`` in round ``round_id`` (the body asked, by
    default). ``values`` are ``(indicator, value)`` as a person wrote them; a bad one raises
    :class:`workflows.reading.review_values.ValueProblem` and nothing is stored."""
    with session_scope(engine) as session:
        review = find_round(session, round_id)
        if review.status != "open":
            raise RoundClosed(review)
        found = asked_item(session, review=review, key=key)
        if found is None:
            _unknown_or_not_asked(session, review, key, body)
        item, asked = found
        if body is not None and body != asked:
            raise NotAsked(review, key, body, asked)
        named = [Named(row.position, row.name) for row in indicators_of(session, [item.id or 0]).get(item.id or 0, [])]
        numbers = resolve_values(values, named)
        record_answer(session, review=review, item=item, body=asked, status=status, note=note, values=numbers,
                      on=on, channel=channel, actor=actor, now=now)
        return review, item, asked, numbers


def _unknown_or_not_asked(session: Session, review: ReviewRound, key: str, body: str | None) -> NoReturn:
    """Why a round has no question about ``key``: no such item (exit 4), or one it does not ask
    about (exit 6: retired or without a lead when the round opened)."""
    if not item_key_known(session, document_id=review.document_id, key=key):
        raise NoSuchItem(key)
    raise NotAsked(review, key, body, None)


def close_review(
    engine: Engine, *, settings: Settings, configuration: Configuration, round_id: int, on: date, actor: str,
    now: datetime,
) -> Closed:
    """Close round ``round_id`` and queue its report to the Standing Committee and the Office."""
    with session_scope(engine) as session:
        review = close_round(session, review=find_round(session, round_id), actor=actor, on=on, now=now)
        return _report(session, review, settings=settings, configuration=configuration, now=now)


def _report(session: Session, review: ReviewRound, *, settings: Settings, configuration: Configuration,
            now: datetime) -> Closed:
    policy, registry = configuration.policy, configuration.registry
    counted = progress(session, review=review)
    attachments = report_files(session, review, settings=settings, configuration=configuration)
    letter = report_email(review, counted, key=f"review:{review.id}:report", registry=registry,
                          letterhead=policy.letterhead, top=policy.escalation_top, language=settings.language,
                          attachments=attachments)
    if not letter.to and letter.cc:  # a Standing Committee without an address: the Office gets it
        from dataclasses import replace

        letter = replace(letter, to=letter.cc, cc=())
    queued = enqueue(session, drafts=[to_draft(letter, sender=settings.mail_from)], now=now) if letter.to else 0
    return Closed(review, counted, queued, tuple(a.filename for a in attachments))


def report_files(session: Session, review: ReviewRound, *, settings: Settings,
                 configuration: Configuration) -> tuple[Attachment, ...]:
    """The report of a closed round as the closing letter carries it: DOCX to read and print,
    XLSX to sort and filter (the same counts: one compiled report, two renderings)."""
    from notifications.review_report import render_report
    from workflows.orchestration.review_report import compile_report

    language = settings.language
    report = compile_report(session, review, configuration, as_of=review.closed_on or review.due)
    stem = f"review-report-{review.id}" if language == "en" else f"bao-cao-dot-{review.id}"
    return (Attachment(f"{stem}.docx", render_report(report, "docx", language), *DOCX),
            Attachment(f"{stem}.xlsx", render_report(report, "xlsx", language), *XLSX))


def close_due(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, actor: str,
              now: datetime) -> list[Closed]:
    """Close every open round whose due date plus the policy's grace is past on ``as_of`` (what
    ``serve`` does each day): answers of the grace's last day still count. Idempotent: a closed
    round is not open any more, and a round closed meanwhile by someone else is skipped."""
    grace = timedelta(days=configuration.policy.review_close_grace_days)
    with session_scope(engine) as session:
        ripe = [r.id or 0 for r in open_rounds(session) if r.due + grace < as_of]
    closed = []
    for round_id in ripe:
        try:
            closed.append(close_review(engine, settings=settings, configuration=configuration, round_id=round_id,
                                       on=as_of, actor=actor, now=now))
        except ConflictError:  # closed by a person or another process in between
            continue
    return closed
