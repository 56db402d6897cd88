"""The daily chase: everything owed on a day, one letter per body.

The reminders and rungs owed are chosen by the same rules as ``dondoc remind`` and ``dondoc
escalate`` (:mod:`workflows.rules.reminders`, :mod:`workflows.rules.escalation`); here each becomes
the parts of the letters of the bodies it concerns (:func:`plan`): the lead's own letter, the
letters of the bodies the ladder writes to (the supervising body, the Standing Committee, the
Office), and those of the cooperating bodies, each body hearing of one reminder or rung once.
An item its lead delegated (:mod:`workflows.rules.delegation`) is chased at its unit: the
reminders go to the unit instead of the lead, the rungs to the unit and to the lead (and the
bodies the ladder names for the lead), the letters naming the unit.

Storing is one transaction under the chase's lock: the rungs reached are recorded, and for each
body a letter row is opened, its parts inserted (a part already carried by another letter, or
sent as an email of its own, is skipped by its unique key), and the letter written from the parts
that insert stored; a body whose parts were all known gets nothing. So a second run of the day
queues nothing, a run that finds something new writes a second letter with only that, and two
runs at once put no part in two letters.

Open review rounds are chased in the same letters (:mod:`workflows.rules.review_chase`): each
unanswered question's reminder or rung is a part (subject ``review``) like an item's, its rung a row
of the ``escalation`` table, and the letter shows them as one section per round.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from config.bodies import Registry
from config.loading import Configuration
from config.policy import TIMEZONE, Policy
from config.settings import Settings
from models.db import Session, session_scope
from models.delegations import active_units
from models.escalations import RungRecord, record_rungs
from models.letters import (
    Part,
    close_letter,
    known_parts,
    letter_keys,
    lock_letters,
    open_letter,
    section_titles,
    store_parts,
)
from models.outbox import Draft
from models.review_states import chased_rounds, unanswered
from models.states import ItemState, Reminder, RoundRef, Rung
from notifications.chase_letter import chase_email
from notifications.render import Email, message_id, sender_parts, to_draft
from workflows.orchestration.sweeps import SweepResult, load_states, owed_reminders
from workflows.rules.delegation import chased_body, delegated
from workflows.rules.escalation import missed_by, rungs
from workflows.rules.review_chase import ReviewChase, chases, owed_on
from workflows.rules.workdays import is_sending_day, late_by

ROLE_RANK = {"lead": 0, "escalated": 1, "cooperating": 2}
"""When one body would hear of one reminder or rung twice (a supervising body that also
cooperates), the part it gets: its own first, then the ladder's, then the shared one."""


def plan(reminders: Iterable[Reminder], reached: Iterable[Rung], *, as_of: date, policy: Policy,
         registry: Registry, reviews: Iterable[ReviewChase] = ()) -> dict[str, list[Part]]:
    """The parts of each body's letter: every reminder and rung to its lead, every rung to the
    bodies the ladder names, both to the cooperating bodies; one part per body and reminder or rung.
    A delegated item's reminders go to its unit instead of its lead, its rungs to both (each in
    its own overdue section). An unanswered review question (``reviews``) is a part of the body
    asked, and of the bodies its rung names. Bodies with no address get none (nothing could carry
    them). The part of the body chased (:func:`chased_body`) keeps the reminder's or rung's own
    key; another body's is ``KEY@BODY``."""
    chosen: dict[tuple[str, str], Part] = {}

    def add(base: str, body: str, role: str, kind: str, subject: str, day: date, level: int, days: int, item: ItemState) -> None:
        known = registry.bodies.get(body)
        if known is None or not known.emails:
            return
        part = Part(base if body == chased_body(item) else f"{base}@{body}", body, role, kind, subject, day, level, days, item)
        held = chosen.get((body, base))
        if held is None or ROLE_RANK[role] < ROLE_RANK[held.role]:
            chosen[(body, base)] = part

    for r in reminders:
        left = late_by(as_of, r.day, policy)
        add(r.key, chased_body(r.item), "lead", "reminder", r.subject, r.day, r.offset, left, r.item)
        for body in r.item.cooperating:
            add(r.key, body, "cooperating", "reminder", r.subject, r.day, r.offset, left, r.item)
    for g in reached:
        for body in dict.fromkeys((chased_body(g.item), g.item.lead)):
            add(g.key, body, "lead", "escalation", g.subject, g.since, g.level, g.working_days_late, g.item)
        for body in (*g.to, *g.cc):
            add(g.key, body, "escalated", "escalation", g.subject, g.since, g.level, g.working_days_late, g.item)
        for body in g.item.cooperating:
            add(g.key, body, "cooperating", "escalation", g.subject, g.since, g.level, g.working_days_late, g.item)
    for q in reviews:
        due = q.owed.round.due
        add(q.key, q.body, "lead", q.owed.kind, "review", due, q.owed.level, q.owed.days, q.item)
        for body in (*q.to, *q.cc):
            add(q.key, body, "escalated", q.owed.kind, "review", due, q.owed.level, q.owed.days, q.item)
    letters: dict[str, list[Part]] = defaultdict(list)
    for (body, _), part in chosen.items():
        letters[body].append(part)
    return dict(letters)


def owed_rungs(engine: Engine, configuration: Configuration, as_of: date) -> list[Rung]:
    """The rungs reached on ``as_of``: the rules run on the open items the database finds may have
    missed a date long enough ago (:func:`workflows.rules.escalation.missed_by`), not on every open item."""
    policy, registry = configuration.policy, configuration.registry
    if not is_sending_day(as_of, policy):
        return []
    states = load_states(engine, configuration, open_only=True, missed_by=missed_by(as_of, policy))  # a done item owes none
    return [r for item in states for r in rungs(item, as_of, policy, registry)]


def units_of(engine: Engine, owed: Iterable[Reminder | Rung]) -> dict[int, str]:
    """The unit of each delegated item among those owed something (one query; none when nothing is owed)."""
    ids = {o.item.id for o in owed}
    if not ids:
        return {}
    with session_scope(engine) as session:
        return active_units(session, item_ids=ids)


def owed_reviews(engine: Engine, configuration: Configuration, as_of: date) -> list[ReviewChase]:
    """The unanswered questions of the open rounds that owe something on ``as_of``: the open rounds
    first (no round open, nothing more is read), then one query for the questions of those owing."""
    policy = configuration.policy
    with session_scope(engine) as session:
        rounds = chased_rounds(session)
        if not rounds:
            return []
        owed = {r.id: o for r in rounds if (o := owed_on(r, as_of, policy)) is not None}
        questions = unanswered(session, round_ids=sorted(owed))
    return chases(owed, questions, policy, configuration.registry)


def _answer_links(session: Session, settings: Settings, policy: Policy, as_of: date,
                  bodies: list[str]) -> Callable[[str], str | None]:
    """Each body's link to its answer page, made as of 07:00 on ``as_of`` in Vietnam (so that a
    replayed term's links expire on its own days); the generations of ``bodies`` read at once."""
    from models.links import link_generations
    from notifications.links import link_for

    now = datetime.combine(as_of, time(7), ZoneInfo(TIMEZONE))
    generations = link_generations(session, bodies=bodies)

    def link(body: str) -> str | None:
        return link_for(body, settings=settings, policy=policy, now=now, generation=generations[body])

    return link


def chase(engine: Engine, *, settings: Settings, configuration: Configuration, as_of: date, dry_run: bool = False) -> SweepResult:
    """Record the rungs reached on ``as_of`` and queue one letter per body owed something new."""
    policy, registry = configuration.policy, configuration.registry
    reminders, reached = owed_reminders(engine, configuration, as_of), owed_rungs(engine, configuration, as_of)
    units = units_of(engine, [*reminders, *reached])
    reminders, reached = delegated(reminders, units), delegated(reached, units)
    reviews = owed_reviews(engine, configuration, as_of)
    letters = plan(reminders, reached, as_of=as_of, policy=policy, registry=registry, reviews=reviews)
    rounds = _rounds_of(letters, reviews)
    result = SweepResult("chase", as_of, owed=len(reminders) + len(reached) + len(reviews))
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        if not dry_run:
            lock_letters(session)
            record_rungs(session, rungs=[RungRecord(g.item.id, g.subject, g.since, g.level, g.reason) for g in reached]
                         + [RungRecord(q.item.id, "review", q.owed.round.due, q.owed.level, q.reason)
                            for q in reviews if q.owed.kind == "escalation"], on=as_of, now=now)
        known = known_parts(session, sorted({p.key for parts in letters.values() for p in parts}))
        titles = section_titles(session, sorted({p.item.id for parts in letters.values() for p in parts
                                                 if p.subject != "review" and p.key not in known}))
        owing = {body: fresh for body in sorted(letters) if (fresh := [p for p in letters[body] if p.key not in known])}
        link = _answer_links(session, settings, policy, as_of, list(owing))
        keys = {} if dry_run else letter_keys(session, list(owing), as_of)

        def compose(body: str, parts: list[Part], key: str, number: int | None) -> Email:
            return chase_email(body, parts, key=key, number=number, day=as_of, registry=registry,
                               letterhead=policy.letterhead, titles=titles, language=settings.language,
                               answer_link=link(body), rounds=rounds)

        for body, fresh in owing.items():
            if dry_run:
                result.emails.append(compose(body, fresh, f"chase:{body}:{as_of.isoformat()}", None))
                continue
            email = _store_letter(session, body, fresh, key=keys[body], settings=settings, as_of=as_of, now=now,
                                  compose=compose)
            if email is not None:
                result.emails.append(email)
                result.queued += 1
    return result


def _rounds_of(letters: dict[str, list[Part]], reviews: list[ReviewChase]) -> dict[str, RoundRef]:
    """The round of each review part (by the part's own key: ``KEY`` or ``KEY@BODY``), which the
    letter groups them by."""
    if not reviews:
        return {}
    by_key = {q.key: q.owed.round for q in reviews}
    return {p.key: by_key[p.key.partition("@")[0]] for parts in letters.values() for p in parts if p.subject == "review"}


def _store_letter(session: Session, body: str, parts: list[Part], *, key: str, settings: Settings, as_of: date,
                  now: datetime, compose: Callable[[str, list[Part], str, int | None], Email]) -> Email | None:
    """Open ``body``'s letter (outbox key ``key``), store its parts, and write it from the parts
    stored (None: none was new)."""
    address = sender_parts(settings.mail_from)[1]
    placeholder = Draft(key, "chase", None, as_of, 0, address, (), "", message_id(key, address), "")
    number = open_letter(session, draft=placeholder, now=now)
    stored = store_parts(session, outbox_id=number, parts=parts, now=now)
    carried = [p for p in parts if p.key in stored]
    email = compose(body, carried, key, number) if carried else None
    close_letter(session, outbox_id=number, draft=to_draft(email, sender=settings.mail_from) if email else None)
    return email
