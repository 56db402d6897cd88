"""The letter that answers a request for more time: the Office writes to the body that asked.

When a coordinator approves, refuses or takes back (revokes) an extension, the body that asked
learns it from a letter in the Office's layout (heading block, "Kính gửi", "V/v", the item, the
dates, the decision and its note, the due date now in force, the contact, the signature, "Nơi
nhận"), not from a command it cannot run. Pure apart from reading templates: a
:class:`Decision` in, an :class:`Email` out, keyed ``extension:{request id}:{decision}`` so the
outbox holds it once however often the command is retried.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from config.bodies import Registry
from config.letterhead import Letterhead
from config.words import show_date
from models.states import ItemState
from notifications.chase_letter import date_line, kind_word
from notifications.letters import body_emails
from notifications.render import Email, calendar_ics, deadline_event, render_parts

DECISIONS = ("approved", "refused", "revoked")

SUBJECTS = {
    ("approved", "vi"): "Chấp thuận gia hạn {key}: hạn mới {due}",
    ("refused", "vi"): "Không chấp thuận gia hạn {key}: giữ hạn {due}",
    ("revoked", "vi"): "Thu hồi chấp thuận gia hạn {key}: hạn {due}",
    ("approved", "en"): "Extension approved for {key}: now due {due}",
    ("refused", "en"): "Extension refused for {key}: still due {due}",
    ("revoked", "en"): "Extension withdrawn for {key}: due {due}",
}


@dataclass(frozen=True)
class Decision:
    """What was decided on one extension request, with the item as it stands after the decision
    (``item.due`` is the due date in force)."""

    request_id: int
    decision: str
    item: ItemState
    body: str
    reason: str
    previous_due: date
    requested_due: date
    note: str | None
    decided_on: date

    @property
    def key(self) -> str:
        return f"extension:{self.request_id}:{self.decision}"



def decision_email(
    decision: Decision, *, registry: Registry, letterhead: Letterhead, section_title: str, language: str
) -> Email:
    """The letter to the body that asked (the lead in copy when another body asked), with the
    item's deadline as a calendar event, so an approval moves the event its calendar holds."""
    item = decision.item
    due = show_date(item.due)
    subject = SUBJECTS[(decision.decision, language)].format(key=item.key, due=due)
    context: dict[str, Any] = {
        "head": {name: letterhead.says(name, language) for name in (
            "committee", "office", "party", "on_behalf", "signer_title", "programme_title")},
        "letterhead": letterhead, "number": f"…/{letterhead.number_suffix}",
        "date_line": date_line(letterhead.says("city", language), decision.decided_on, language),
        "subject": subject, "decision": decision.decision, "request_id": decision.request_id,
        "to_name": registry.name_of(decision.body, language), "office_name": registry.name_of(registry.coordinator, language),
        "lead_name": registry.name_of(item.lead, language), "key": item.key, "kind": kind_word(item.kind, language),
        "section": section_title or item.section, "text": item.text, "reason": decision.reason, "note": decision.note,
        "previous_due": show_date(decision.previous_due), "requested_due": show_date(decision.requested_due),
        "due": due, "document_due": show_date(item.document_due), "extended": item.extended,
    }
    text, html = render_parts("extension", language, context)
    to = body_emails(registry, [decision.body])
    cc = tuple(a for a in body_emails(registry, [item.lead]) if a not in to)
    return Email(
        key=decision.key, kind="extension", to=to, cc=cc, reply_to=body_emails(registry, [registry.coordinator]),
        subject=subject, text=text, html=html, item_id=item.id, due_date=item.due,
        ics=calendar_ics([deadline_event(item, language)], stamp=decision.decided_on),
    )
