"""The daily chase letter: all that one body is owed on a day, as the Office writes it.

Pure apart from reading templates: a body, the parts of its letter (:class:`models.letters.Part`,
chosen by :mod:`workflows.orchestration.chase`), the registry, the letterhead and a day in; an
:class:`Email` out. The letter is grouped as a reader acts on it: what is overdue (with the rung of
the ladder and the working days late), then progress reports due, then deadlines coming; then, for
a supervising body, the Standing Committee or the Office, the escalated items of other bodies by
lead body; then what the body shares as a cooperating body ("Việc phối hợp"), so that it hears of
them in its own letter instead of in copies of other bodies' mail. A delegated item's row names the
unit that holds it (in the unit's letter, the lead's and the ladder's).

An open review round's unanswered questions (parts of subject ``review``) are one section per round
(:func:`review_sections`): for the body asked, how many items it has not answered, which (the first
:data:`REVIEW_LIST_CAP`), the round's deadline and the days left or late with the rung; for the
bodies the ladder writes to, the bodies that have not answered, with their count.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from config.bodies import Registry
from config.letterhead import Letterhead
from config.words import codes, show_date, word
from config.words import date_line as date_line  # the letters import it from here too
from models.letters import Part
from models.states import RoundRef
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
    "review": ("{n} mục sơ kết, tổng kết chưa trả lời", "review answers missing: {n}"),
    "review_escalated": ("{n} cơ quan chưa trả lời sơ kết, tổng kết", "bodies yet to answer a review: {n}"),
}
SECTIONS = ("overdue", "reports", "deadlines", "escalated", "cooperating")
SUBJECT_ORDER = ("overdue", "reports", "deadlines", "review", "escalated", "review_escalated", "cooperating")

ROUND_WORDS = {kind: (word("round_kind", kind), word("round_kind", kind, "en")) for kind in codes("round_kind")}
REVIEW_LIST_CAP = 10
"""At most this many unanswered items are named in a round's section; the answer page lists all."""


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



def _row(part: Part, registry: Registry, titles: dict[int, str], language: str) -> dict[str, Any]:
    item = part.item
    return {
        "key": item.key, "kind": kind_word(item.kind, language), "section": titles.get(item.id, item.section),
        "text": item.text, "due": show_date(part.day), "days": part.days, "late": part.kind == "escalation",
        "level": part.level if part.kind == "escalation" else 0, "subject": part.subject,
        "lead": registry.name_of(item.lead, language) if item.lead else "",
        "unit": registry.name_of(item.unit, language) if item.unit else "",
        "cooperating": registry.names_of(item.cooperating, language), "extended": item.extended,
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
        {"lead": registry.name_of(lead, language), "rows": [_row(p, registry, titles, language) for p in sorted(ps, key=_order)]}
        for lead, ps in sorted(by_lead.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    shown["counts"] = {name: len(grouped[name]) for name in SECTIONS}
    return shown


def round_title(round_: RoundRef, language: str) -> str:
    """"Đợt sơ kết giữa nhiệm kỳ số 1" / "Mid-term review no. 1"."""
    words = ROUND_WORDS.get(round_.kind, (round_.kind, round_.kind))
    if language == "en":
        return f"{words[1][0].upper()}{words[1][1:]} no. {round_.id}"
    return f"Đợt {words[0]} số {round_.id}"


def _short(text: str, limit: int = 110) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return (cut or text[:limit]).rstrip(" ,;:.") + "…"


def _state(part: Part) -> dict[str, Any]:
    """Days left (a reminder) or late with the rung (an escalation): what the ``when`` macro shows."""
    late = part.kind == "escalation"
    return {"late": late, "days": part.days, "level": part.level if late else 0}


def review_sections(parts: list[Part], rounds: Mapping[str, RoundRef], registry: Registry, language: str) -> list[dict[str, Any]]:
    """One section per round: the body's own unanswered items (counted, the first
    :data:`REVIEW_LIST_CAP` named) and the bodies the ladder reports to it (one row per body)."""
    own: dict[RoundRef, list[Part]] = defaultdict(list)
    others: dict[RoundRef, dict[str, list[Part]]] = defaultdict(lambda: defaultdict(list))
    for part in parts:
        round_ = rounds[part.key]
        if part.role == "lead":
            own[round_].append(part)
        else:
            others[round_][part.item.lead].append(part)
    shown = []
    for round_ in sorted({*own, *others}, key=lambda r: (r.due, r.id)):
        mine = own.get(round_, [])
        section: dict[str, Any] = {
            "title": round_title(round_, language), "due": show_date(round_.due), "own": None, "others": [],
            "period_from": show_date(round_.period_from), "period_to": show_date(round_.period_to),
            "late": any(p.kind == "escalation" for p in (*mine, *(p for ps in others[round_].values() for p in ps))),
        }
        if mine:
            section["own"] = {
                **_state(mine[0]), "count": len(mine), "more": max(0, len(mine) - REVIEW_LIST_CAP),
                "items": [{"key": p.item.key, "kind": kind_word(p.item.kind, language), "text": _short(p.item.text)}
                          for p in mine[:REVIEW_LIST_CAP]],
            }
        section["others"] = [
            {**_state(ps[0]), "body": registry.name_of(body, language), "count": len(ps)}
            for body, ps in sorted(others[round_].items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        shown.append(section)
    return shown


def subject_of(counts: dict[str, int], letterhead: Letterhead, day: date, language: str) -> str:
    said = [COUNTS[name][1 if language == "en" else 0].format(n=counts[name]) for name in SUBJECT_ORDER if counts.get(name)]
    return SUBJECTS[language].format(number=letterhead.programme_number, day=show_date(day), counts=", ".join(said))


def _events(parts: list[Part], language: str) -> list[CalendarEvent]:
    """The dates the body's own reminders are about, one calendar event each."""
    events = []
    for part in parts:
        if part.role == "lead" and part.kind == "reminder" and part.subject != "review":
            item = part.item
            events.append(deadline_event(item, language, part.day) if part.subject == "deadline"
                          else report_event(item, part.day, language))
    return events


def _round_events(body: str, parts: list[Part], rounds: Mapping[str, RoundRef], language: str) -> list[CalendarEvent]:
    """The deadline of each round the body is reminded of: one event per round and body (its due never moves)."""
    due = {rounds[p.key] for p in parts if p.role == "lead" and p.kind == "reminder"}
    said = "Answers due: {}" if language == "en" else "Hạn trả lời: {}"
    return [CalendarEvent(f"review:{r.id}:{body}", said.format(round_title(r, language)), round_title(r, language), r.due, 0)
            for r in sorted(due, key=lambda r: r.id)]


def chase_email(
    body: str, parts: list[Part], *, key: str, number: int | None, day: date, registry: Registry,
    letterhead: Letterhead, titles: dict[int, str], language: str, answer_link: str | None = None,
    rounds: Mapping[str, RoundRef] | None = None,
) -> Email:
    """``body``'s letter of ``day`` carrying ``parts``; ``number`` is the letter's own number (its
    outbox row), ``answer_link`` the signed link to the body's answer page (None: no link),
    ``rounds`` the review round of each review part, by the part's key."""
    reviews = [p for p in parts if p.subject == "review"]
    shown = sections([p for p in parts if p.subject != "review"], registry, titles, language)
    shown["rounds"] = review_sections(reviews, rounds or {}, registry, language)
    shown["counts"]["review"] = sum(1 for p in reviews if p.role == "lead")
    shown["counts"]["review_escalated"] = sum(len(r["others"]) for r in shown["rounds"])
    shown["review_late"] = any(p.role == "lead" and p.kind == "escalation" for p in reviews)
    subject = subject_of(shown["counts"], letterhead, day, language)
    coordinator = registry.coordinator
    context = {
        **shown, "head": {name: letterhead.says(name, language) for name in (
            "committee", "office", "party", "on_behalf", "signer_title", "programme_title")},
        "letterhead": letterhead, "number": f"{number if number is not None else '…'}/{letterhead.number_suffix}",
        "date_line": date_line(letterhead.says("city", language), day, language), "day": show_date(day),
        "to_name": registry.name_of(body, language), "office_name": registry.name_of(coordinator, language),
        "subject": subject, "answer_link": answer_link,
        "to_office": body == coordinator,  # the Office's own letter: it does not ask or report to itself
    }
    text, html = render_parts("chase", language, context)
    events = _events(parts, language) + _round_events(body, reviews, rounds or {}, language)
    return Email(
        key=key, kind="chase", to=body_emails(registry, [body]), cc=(), reply_to=body_emails(registry, [coordinator]),
        subject=subject, text=text, html=html, ics=calendar_ics(events, stamp=day) if events else None, due_date=day,
    )
