"""Delegating an item, and taking it back, as plain steps: ``dondoc delegate`` and the console call these;
and the lead's notice when its unit reports a delegated item done (:func:`queue_done_notice`).

Each reads the item's state (its lead, whether it is done), lets :func:`workflows.rules.delegation.check`
decide, and stores through :mod:`models.delegations` with its audit event. A refusal raises
:class:`~workflows.rules.delegation.Refusal` before anything is written.
"""

from dataclasses import dataclass
from datetime import date, datetime

from config.bodies import Registry
from config.loading import Configuration
from config.policy import Policy
from config.settings import Settings
from config.words import show_date
from models.bodies import sync_bodies
from models.db import Session
from models.delegations import Held, active_delegation, delegate, end_delegation
from models.item_states import item_states
from models.outbox import enqueue
from models.reports import active_item, section_title
from models.states import ItemState
from models.tables import Document, Item, ProgressReport
from notifications.delegation_letter import DoneNotice, done_notice_email
from notifications.render import to_draft
from workflows.rules import reporting
from workflows.rules.delegation import Refusal, check


@dataclass(frozen=True)
class Delegated:
    """What :func:`delegate_item` did: the lead, the unit now holding the item, the delegation it
    replaced (None: the lead held the item) and whether anything changed."""

    lead: str
    unit: str
    before: Held | None
    changed: bool


def item_state(session: Session, *, policy: Policy, document: Document, key: str) -> ItemState:
    """The item ``key`` as the chase sees it (NotFoundError when there is no such active item)."""
    active_item(session, document=document, key=key)
    (state,) = item_states(session, reporting=reporting.rule(policy.reporting_cadence), document=document, keys=[key])
    return state


def delegate_item(session: Session, *, policy: Policy, registry: Registry, document: Document, key: str, unit: str,
                  body: str | None, actor: str, on: date, now: datetime) -> Delegated:
    """Hand item ``key`` to ``unit`` for ``body`` (its lead; None: the Office on the lead's behalf).
    The unit that already holds it changes nothing (and writes nothing to the audit trail)."""
    state = item_state(session, policy=policy, document=document, key=key)
    check(key=key, lead=state.lead, unit=unit, body=body, registry=registry,
          done_on=show_date(state.done_on) if state.done_on is not None else None)
    before = active_delegation(session, item_id=state.id)
    if before is not None and before.unit == unit:
        return Delegated(state.lead, unit, before, changed=False)
    sync_bodies(session, registry=registry)  # a unit added to bodies.yaml since the last ingest
    delegate(session, item_id=state.id, key=key, lead=state.lead, unit=unit, actor=actor, on=on, now=now)
    return Delegated(state.lead, unit, before, changed=True)


def take_back(session: Session, *, policy: Policy, document: Document, key: str, body: str | None, actor: str,
              on: date, now: datetime) -> Held:
    """End item ``key``'s delegation for ``body`` (its lead; None: the Office): the lead holds it again."""
    state = item_state(session, policy=policy, document=document, key=key)
    if body is not None and body != state.lead:
        raise Refusal("not_lead", key=key, body=body, lead=state.lead)
    held = active_delegation(session, item_id=state.id)
    if held is None:
        raise Refusal("not_delegated", key=key)
    end_delegation(session, item_id=state.id, key=key, actor=actor, on=on, now=now)
    return held


def queue_done_notice(session: Session, *, report: ProgressReport | None, settings: Settings,
                      configuration: Configuration, now: datetime) -> int:
    """Tell the lead, by a short letter in the outbox, that its unit reported a delegated item done
    (``report`` just stored; None or any other report: nothing). 1 when the letter is new."""
    if report is None or report.status != "done":
        return 0
    held = active_delegation(session, item_id=report.item_id)
    if held is None or report.body_code != held.unit:  # the lead reporting its own item knows it
        return 0
    item = session.get(Item, report.item_id)
    assert item is not None, "a report's item is a foreign key"
    document = session.get(Document, item.document_id)
    assert document is not None, "an item's document is a foreign key"
    due = item_state(session, policy=configuration.policy, document=document, key=item.key).due  # extensions count
    assert report.id is not None, "a done notice is keyed by its report's id: flush the report first"
    notice = DoneNotice(report.id, held.item_id, held.key, item.kind, section_title(session, item=item), item.text,
                        held.lead, held.unit, report.submitted_on, report.note, due)
    letter = done_notice_email(notice, registry=configuration.registry, letterhead=configuration.policy.letterhead,
                               language=settings.language)
    if not letter.to:
        return 0
    return enqueue(session, drafts=[to_draft(letter, sender=settings.mail_from)], now=now)
