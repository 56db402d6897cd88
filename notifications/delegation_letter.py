"""The letter that tells a lead body its unit reported a delegated item done.

A lead that delegated an item (``dondoc delegate``) stays accountable for it but no longer gets
its reminders; when the unit reports it done (on its page or with ``dondoc report``), the lead
learns it from this letter the same day rather than from the next review. Written as the Office
writes every letter (heading block, "Số", "V/v", "Kính gửi", the programme by number and title,
the item, the unit's report, the contact, "Nơi nhận", the signature), the letterhead from
configuration. Keyed ``delegation:done:{report id}``, so the outbox holds it once however often
the step is retried, and a later report done again (after a reopening) is a letter of its own.
Pure apart from reading templates: a :class:`DoneNotice` in, an :class:`Email` out.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from config.bodies import Registry
from config.letterhead import Letterhead
from config.words import show_date
from notifications.chase_letter import date_line, kind_word
from notifications.letters import body_emails
from notifications.render import Email, render_parts

SUBJECTS = {"vi": "{unit} báo cáo hoàn thành {key}", "en": "{unit} reported {key} done"}


@dataclass(frozen=True)
class DoneNotice:
    """A done report (``report_id``, given on ``on`` with ``note``) by ``unit`` on item ``key``
    that ``lead`` delegated to it; ``due`` is the item's due date in force."""

    report_id: int
    item_id: int
    key: str
    kind: str
    section: str
    text: str
    lead: str
    unit: str
    on: date
    note: str | None
    due: date | None = None

    @property
    def key_in_outbox(self) -> str:
        return f"delegation:done:{self.report_id}"



def done_notice_email(notice: DoneNotice, *, registry: Registry, letterhead: Letterhead, language: str) -> Email:
    """The letter to the lead (its addresses; none: nothing to send), the Office to reply to,
    written on the day the unit reported. Outbox kind ``delegation`` (migration 0011)."""
    lead, unit = registry.name_of(notice.lead, language), registry.name_of(notice.unit, language)
    subject = SUBJECTS[language if language == "en" else "vi"].format(unit=unit, key=notice.key)
    context: dict[str, Any] = {
        "head": {name: letterhead.says(name, language) for name in (
            "committee", "office", "party", "on_behalf", "signer_title", "programme_title")},
        "letterhead": letterhead, "number": f"…/{letterhead.number_suffix}",
        "date_line": date_line(letterhead.says("city", language), notice.on, language),
        "subject": subject, "to_name": lead, "unit_name": unit,
        "office_name": registry.name_of(registry.coordinator, language),
        "key": notice.key, "kind": kind_word(notice.kind, language), "section": notice.section, "text": notice.text,
        "due": show_date(notice.due) if notice.due else "", "reported_on": show_date(notice.on),
        "note": notice.note or "",
    }
    text, html = render_parts("delegation_done", language, context)
    return Email(
        key=notice.key_in_outbox, kind="delegation", to=body_emails(registry, [notice.lead]), cc=(),
        reply_to=body_emails(registry, [registry.coordinator]), subject=subject, text=text, html=html,
        item_id=notice.item_id,
    )
