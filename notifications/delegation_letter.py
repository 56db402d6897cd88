"""The short letter that tells a lead body its unit reported a delegated item done.

A lead that delegated an item (``dondoc delegate``) stays accountable for it but no longer gets
its reminders; when the unit reports it done (on its page or with ``dondoc report``), the lead
learns it from this letter the same day rather than from the next review. Keyed
``delegation:done:{report id}``, so the outbox holds it once however often the step is retried,
and a later report done again (after a reopening) is a letter of its own. Pure: a
:class:`DoneNotice` in, an :class:`Email` out.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from config.bodies import Registry
from config.words import show_date
from notifications.chase_letter import kind_word
from notifications.letters import body_emails
from notifications.render import Email

WORDS: dict[str, tuple[str, str]] = {
    "subject": ("{unit} báo cáo hoàn thành {key}", "{unit} reported {key} done"),
    "to": ("Kính gửi: {lead}", "To: {lead}"),
    "done": ("{unit}, đơn vị được {lead} giao thực hiện, đã báo cáo hoàn thành {kind} {key} ngày {day}.",
             "{unit}, the unit {lead} delegated it to, reported {kind} {key} done on {day}."),
    "section": ("Thuộc: {section}", "Section: {section}"),
    "note": ("Ghi chú của đơn vị: {note}", "The unit's note: {note}"),
    "accountable": ("{lead} vẫn là cơ quan chủ trì, chịu trách nhiệm về kết quả; nếu kết quả chưa đạt yêu cầu, "
                    "đề nghị liên hệ {office} để mở lại mục.",
                    "{lead} still leads the item and answers for its result; if the result falls short, "
                    "please ask {office} to reopen it."),
}


@dataclass(frozen=True)
class DoneNotice:
    """A done report (``report_id``, given on ``on`` with ``note``) by ``unit`` on item ``key``
    that ``lead`` delegated to it."""

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

    @property
    def key_in_outbox(self) -> str:
        return f"delegation:done:{self.report_id}"


def _name(registry: Registry, code: str, language: str) -> str:
    body = registry.bodies.get(code)
    return body.name(language) if body else code


def done_notice_email(notice: DoneNotice, *, registry: Registry, language: str) -> Email:
    """The letter to the lead (its addresses; none: nothing to send), the Office to reply to.
    Outbox kind ``delegation`` (migration 0011)."""
    def said(name: str, **values: str) -> str:
        return WORDS[name][language == "en"].format(**values)

    lead, unit = _name(registry, notice.lead, language), _name(registry, notice.unit, language)
    lines = [said("to", lead=lead), "",
             said("done", unit=unit, lead=lead, kind=kind_word(notice.kind, language), key=notice.key,
                  day=show_date(notice.on))]
    if notice.section:
        lines.append(said("section", section=notice.section))
    lines += ["", notice.text, ""]
    if notice.note:
        lines += [said("note", note=notice.note), ""]
    lines.append(said("accountable", lead=lead, office=_name(registry, registry.coordinator, language)))
    text = "\n".join(lines) + "\n"
    html = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return Email(
        key=notice.key_in_outbox, kind="delegation", to=body_emails(registry, [notice.lead]), cc=(),
        reply_to=body_emails(registry, [registry.coordinator]), subject=said("subject", unit=unit, key=notice.key),
        text=text, html=f"<!doctype html><html><body>{html}</body></html>", item_id=notice.item_id,
    )
