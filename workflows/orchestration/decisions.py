"""The letter of an extension decision, queued in the transaction that records the decision.

``dondoc extension approve|refuse|revoke`` (and, later, the console) call
:func:`queue_decision_letter` with their open session: the decision and its letter are stored
together or not at all, and the outbox key ``extension:{request id}:{decision}`` holds the letter
once however often the command is retried. ``outbox dispatch`` sends it.
"""

from dataclasses import replace
from datetime import date, datetime

from config.loading import Configuration
from config.settings import Settings
from models.db import Session
from models.item_states import item_states
from models.outbox import enqueue
from models.reports import extension_request, section_title
from notifications.decision_letter import Decision, decision_email
from notifications.render import calendar_ics, deadline_event, to_draft
from workflows.rules import reporting


def queue_decision_letter(
    session: Session, *, request_id: int, decision: str, settings: Settings, configuration: Configuration,
    on: date, now: datetime,
) -> int:
    """Write the decision on ``request_id`` (``approved``, ``refused`` or ``revoked``) to the body
    that asked; returns 1 when the letter is new in the outbox, 0 when it was queued before or the
    body has no address."""
    session.flush()  # the decision is read back through the connection
    request, item, document = extension_request(session, request_id=request_id)
    rule = reporting.rule(configuration.policy.reporting_cadence)
    (state,) = item_states(session, reporting=rule, document=document, keys=[item.key])
    letter = decision_email(
        Decision(request_id, decision, state, request.body_code, request.reason, request.previous_due,
                 request.requested_due, request.decision_note, on),
        registry=configuration.registry, letterhead=configuration.policy.letterhead,
        section_title=section_title(session, item=item), language=settings.language,
    )
    if decision == "refused":  # nothing moved: no calendar event to update
        letter = replace(letter, ics=None)
    elif decision == "revoked":
        # The event moves back to an earlier date, which lowers the days-past-the-document's-date
        # SEQUENCE of render.deadline_event; a calendar ignores a lower one, so this letter's event
        # is numbered above the approved one it replaces.
        event = deadline_event(state, settings.language)
        bumped = max(event.sequence, (request.requested_due - state.document_due).days + 1)
        letter = replace(letter, ics=calendar_ics([replace(event, sequence=bumped)], stamp=on))
    if not letter.to:
        return 0
    return enqueue(session, drafts=[to_draft(letter, sender=settings.mail_from)], now=now)
