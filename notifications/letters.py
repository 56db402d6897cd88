"""The letters: what each email owed by a sweep says and whom it goes to.

Pure apart from reading templates: the chase's plain results (reminders, rungs, item states),
the bodies and a date in, :class:`Email` values out. The rules decided what is owed and to
which bodies; here the bodies become addresses and the facts become words.
"""

from datetime import date
from typing import Any

from config.bodies import Registry
from config.words import show_date
from models.states import ItemState, Reminder, Rung
from notifications.ical import deadline_sequence
from notifications.render import Email, deadline_ics, render_parts

SUBJECTS = {
    ("reminder", "deadline", "vi"): "[dondoc] Nhắc hạn {key}: hạn {due}",
    ("reminder", "deadline", "en"): "[dondoc] Reminder {key}: due {due}",
    ("reminder", "report", "vi"): "[dondoc] Nhắc báo cáo tiến độ {key}: kỳ {due}",
    ("reminder", "report", "en"): "[dondoc] Progress report {key}: due {due}",
    ("escalation", "deadline", "vi"): "[dondoc] Đôn đốc cấp {level}: {key} quá hạn {due}",
    ("escalation", "deadline", "en"): "[dondoc] Escalation level {level}: {key} overdue since {due}",
    ("escalation", "report", "vi"): "[dondoc] Đôn đốc cấp {level}: báo cáo {key} kỳ {due} quá hạn",
    ("escalation", "report", "en"): "[dondoc] Escalation level {level}: report on {key} of {due} overdue",
    ("digest", "", "vi"): "[dondoc] Tổng hợp tuần {due}: {overdue} mục quá hạn, {reports} kỳ báo cáo chưa nộp",
    ("digest", "", "en"): "[dondoc] Weekly digest {due}: {overdue} items overdue, {reports} reports missed",
}


def body_emails(registry: Registry, codes: list[str]) -> tuple[str, ...]:
    """The addresses of the bodies ``codes``, each once, in order (every letter's module uses it)."""
    seen: dict[str, None] = {}
    for code in codes:
        body = registry.bodies.get(code)
        for address in body.emails if body else ():
            seen.setdefault(address, None)
    return tuple(seen)





def _common(item: ItemState, registry: Registry, language: str) -> dict[str, Any]:
    coordinator = registry.bodies[registry.coordinator]
    return {
        "key": item.key, "text": item.text, "section": item.section,
        "lead_name": registry.name_of(item.lead, language),
        "cooperating": registry.names_of(item.cooperating, language),
        "coordinator_name": coordinator.name(language),
        "document_due": show_date(item.document_due), "extended": item.extended,
    }


def calendar_event(reminder: Reminder) -> tuple[str, int]:
    """The key of the calendar event a reminder carries, and its SEQUENCE.

    An item's deadline is one event however often it moves: keyed on the item and "deadline",
    never on the date, so an approved extension updates the event a calendar already holds. RFC
    5545 wants SEQUENCE to grow with each change and a calendar ignores a lower one: it comes from
    the extension decisions stored (:func:`notifications.ical.deadline_sequence`), so it never
    decreases, even when an approval is taken back. Each reporting date, on the other hand, is an event
    of its own (the report of 30/06 does not replace the one of 31/12), so a "report" reminder
    keeps an event per date, which never moves: SEQUENCE 0.
    """
    item = reminder.item
    if reminder.subject == "deadline":
        return f"{item.id}:deadline", deadline_sequence(item)
    return f"{item.id}:{reminder.subject}:{reminder.day}", 0


def reminder_email(reminder: Reminder, *, as_of: date, registry: Registry, language: str) -> Email:
    item = reminder.item
    due = show_date(reminder.day)
    context = {**_common(item, registry, language), "subject": reminder.subject, "due": due,
               "days_left": (reminder.day - as_of).days}
    text, html = render_parts("reminder", language, context)
    subject = SUBJECTS[("reminder", reminder.subject, language)].format(key=item.key, due=due)
    uid, sequence = calendar_event(reminder)
    ics = deadline_ics(key=uid, title=subject, description=item.text, due=reminder.day, stamp=as_of, sequence=sequence)
    return Email(
        key=reminder.key, kind="reminder", to=body_emails(registry, [item.lead]), cc=body_emails(registry, list(item.cooperating)),
        reply_to=body_emails(registry, [registry.coordinator]), subject=subject, text=text, html=html, ics=ics,
        item_id=item.id, due_date=reminder.day, level=reminder.offset,
    )


def escalation_email(rung: Rung, *, as_of: date, registry: Registry, language: str) -> Email:
    """A rung's letter, to the bodies the ladder named for it (:mod:`workflows.rules.escalation`)."""
    item = rung.item
    due = show_date(rung.since)
    context = {**_common(item, registry, language), "subject": rung.subject, "due": due, "level": rung.level,
               "late": rung.working_days_late, "to_name": registry.names_of(rung.to, language)[0],
               "supervisor_name": registry.name_of(rung.supervisor, language)}
    text, html = render_parts("escalation", language, context)
    to_addresses = body_emails(registry, list(rung.to))
    cc_addresses = tuple(a for a in body_emails(registry, list(rung.cc)) if a not in to_addresses)
    return Email(
        key=rung.key, kind="escalation", to=to_addresses, cc=cc_addresses,
        reply_to=body_emails(registry, [registry.coordinator]),
        subject=SUBJECTS[("escalation", rung.subject, language)].format(key=item.key, due=due, level=rung.level),
        text=text, html=html, item_id=item.id, due_date=rung.since, level=rung.level,
    )
