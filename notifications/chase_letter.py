"""The daily chase letter: all that one body is owed on a day, as the Office writes it.

Pure apart from reading templates: a body, the parts of its letter (:class:`models.letters.Part`,
chosen by :mod:`workflows.orchestration.chase`), the registry, the letterhead and a day in; an
:class:`Email` out. The letter is grouped as a reader acts on it: what is overdue (with the rung of
the ladder and the working days late), then progress reports due, then deadlines coming; then, for
a supervising body, the Standing Committee or the Office, the escalated items of other bodies by
lead body; then what the body shares as a cooperating body ("Việc phối hợp"), so that it hears of
them in its own letter instead of in copies of other bodies' mail.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from config.bodies import Registry
from config.letterhead import Letterhead
from config.words import show_date, word
from models.letters import Part
from notifications.letters import body_emails
from notifications.render import CalendarEvent, Email, calendar_ics, deadline_event, render_parts, report_event

KIND_WORDS = {
    "directive": ("nội dung tổ chức thực hiện", "implementation measure"),
}
"""How the letter names an item's kind where the vocabulary's short word reads badly in a sentence
("chỉ đạo" alone is a verb to a reader: the document's directives are what to organise)."""

SUBJECTS = {
    "vi": "Đôn đốc thực hiện Chương trình hành động số {number}, ngày {day}: {counts}",
    "en": "Follow-up of Action Programme No. {number}, {day}: {counts}",
}
COUNTS = {
    "overdue": ("{n} nội dung quá hạn", "{n} overdue"),
    "reports": ("{n} báo cáo đến kỳ", "{n} reports due"),
    "deadlines": ("{n} nội dung sắp đến hạn", "{n} deadlines coming"),
    "escalated": ("{n} nội dung quá hạn của cơ quan khác", "{n} overdue elsewhere"),
    "cooperating": ("{n} nội dung phối hợp", "{n} shared as cooperating body"),
}
SECTIONS = ("overdue", "reports", "deadlines", "escalated", "cooperating")


def kind_word(kind: str, language: str) -> str:
    pair = KIND_WORDS.get(kind)
    if pair is None:
        return word("item_kind", kind, language)
    return pair[1] if language == "en" else pair[0]


def section_of(part: Part) -> str:
    """Which section of the letter a part stands in."""
    if part.role != "lead":
        return part.role
    if part.kind == "escalation":
        return "overdue"
    return "reports" if part.subject == "report" else "deadlines"


def date_line(city: str, day: date, language: str) -> str:
    """"Khánh Hòa, ngày 01 tháng 6 năm 2021": the day below 10 and the months 1 and 2 with a leading
    zero, as administrative letters write it (Nghị định 30/2020/NĐ-CP); in English dd/mm/yyyy."""
    if language == "en":
        return f"{city}, {show_date(day)}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{city}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _names(registry: Registry, codes: tuple[str, ...] | list[str], language: str) -> list[str]:
    return [registry.bodies[c].name(language) if c in registry.bodies else c for c in codes]


def _row(part: Part, registry: Registry, titles: dict[int, str], language: str) -> dict[str, Any]:
    item = part.item
    return {
        "key": item.key, "kind": kind_word(item.kind, language), "section": titles.get(item.id, item.section),
        "text": item.text, "due": show_date(part.day), "days": part.days, "late": part.kind == "escalation",
        "level": part.level if part.kind == "escalation" else 0, "subject": part.subject,
        "lead": _names(registry, [item.lead], language)[0] if item.lead else "",
        "cooperating": _names(registry, item.cooperating, language), "extended": item.extended,
        "document_due": show_date(item.document_due),
    }


def _order(part: Part) -> tuple[Any, ...]:
    """Most urgent first: the higher rung and the longer late; else the nearer date."""
    if part.kind == "escalation":
        return (0, -part.level, -part.days, part.day, part.item.key)
    return (1, 0, part.days, part.day, part.item.key)


def sections(parts: list[Part], registry: Registry, titles: dict[int, str], language: str) -> dict[str, Any]:
    """The letter's sections, each a list of rows; the escalated items grouped by lead body."""
    grouped: dict[str, list[Part]] = defaultdict(list)
    for part in parts:
        grouped[section_of(part)].append(part)
    shown: dict[str, Any] = {
        name: [_row(p, registry, titles, language) for p in sorted(grouped[name], key=_order)]
        for name in SECTIONS if name != "escalated"
    }
    by_lead: dict[str, list[Part]] = defaultdict(list)
    for part in grouped["escalated"]:
        by_lead[part.item.lead].append(part)
    shown["escalated"] = [
        {"lead": _names(registry, [lead], language)[0], "rows": [_row(p, registry, titles, language) for p in sorted(ps, key=_order)]}
        for lead, ps in sorted(by_lead.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    shown["counts"] = {name: len(grouped[name]) for name in SECTIONS}
    return shown


def subject_of(counts: dict[str, int], letterhead: Letterhead, day: date, language: str) -> str:
    said = [COUNTS[name][1 if language == "en" else 0].format(n=counts[name]) for name in SECTIONS if counts[name]]
    return SUBJECTS[language].format(number=letterhead.programme_number, day=show_date(day), counts=", ".join(said))


def _events(parts: list[Part], language: str) -> list[CalendarEvent]:
    """The dates the body's own reminders are about, one calendar event each."""
    events = []
    for part in parts:
        if part.role == "lead" and part.kind == "reminder":
            item = part.item
            events.append(deadline_event(item, language, part.day) if part.subject == "deadline"
                          else report_event(item, part.day, language))
    return events


def chase_email(
    body: str, parts: list[Part], *, key: str, number: int | None, day: date, registry: Registry,
    letterhead: Letterhead, titles: dict[int, str], language: str, answer_link: str | None = None,
) -> Email:
    """``body``'s letter of ``day`` carrying ``parts``; ``number`` is the letter's own number (its
    outbox row), ``answer_link`` the signed link to the body's answer page (None: no link)."""
    shown = sections(parts, registry, titles, language)
    subject = subject_of(shown["counts"], letterhead, day, language)
    coordinator = registry.coordinator
    context = {
        **shown, "head": {name: letterhead.says(name, language) for name in (
            "committee", "office", "party", "on_behalf", "signer_title", "programme_title")},
        "letterhead": letterhead, "number": f"{number if number is not None else '…'}/{letterhead.number_suffix}",
        "date_line": date_line(letterhead.says("city", language), day, language), "day": show_date(day),
        "to_name": _names(registry, [body], language)[0], "office_name": _names(registry, [coordinator], language)[0],
        "subject": subject, "answer_link": answer_link,
    }
    text, html = render_parts("chase", language, context)
    events = _events(parts, language)
    return Email(
        key=key, kind="chase", to=body_emails(registry, [body]), cc=(), reply_to=body_emails(registry, [coordinator]),
        subject=subject, text=text, html=html, ics=calendar_ics(events, stamp=day) if events else None, due_date=day,
    )
