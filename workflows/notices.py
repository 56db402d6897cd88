"""What to write: the emails a sweep owes, rendered from the chase's plain results.

Pure apart from reading templates: items, bodies and a date in, :class:`Email` values out.
"""

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from config.bodies import Registry
from config.policy import Policy
from notifications.render import Email, deadline_ics, render_parts
from workflows.chase import ItemState, Reminder, Rung, effective, status

SUBJECTS = {
    ("reminder", "deadline", "vi"): "[dondoc] Nhắc hạn {key}: hạn {due}",
    ("reminder", "deadline", "en"): "[dondoc] Reminder {key}: due {due}",
    ("reminder", "report", "vi"): "[dondoc] Nhắc báo cáo tiến độ {key}: kỳ {due}",
    ("reminder", "report", "en"): "[dondoc] Progress report {key}: due {due}",
    ("escalation", "deadline", "vi"): "[dondoc] Đôn đốc cấp {level}: {key} quá hạn {due}",
    ("escalation", "deadline", "en"): "[dondoc] Escalation level {level}: {key} overdue since {due}",
    ("escalation", "report", "vi"): "[dondoc] Đôn đốc cấp {level}: báo cáo {key} kỳ {due} quá hạn",
    ("escalation", "report", "en"): "[dondoc] Escalation level {level}: report on {key} of {due} overdue",
    ("digest", "", "vi"): "[dondoc] Tổng hợp tuần {due}: {overdue} mục quá hạn",
    ("digest", "", "en"): "[dondoc] Weekly digest {due}: {overdue} items overdue",
}
STATUS_NAMES = {
    "vi": {"done_on_time": "hoàn thành đúng hạn", "done_late": "hoàn thành quá hạn",
           "not_done_within_deadline": "chưa hoàn thành, trong hạn", "not_done_overdue": "chưa hoàn thành, quá hạn",
           "blocked": "vướng mắc"},
    "en": {"done_on_time": "done on time", "done_late": "done late", "not_done_within_deadline": "not done, within deadline",
           "not_done_overdue": "not done, overdue", "blocked": "blocked"},
}


def show_date(day: date, language: str) -> str:
    return day.strftime("%d/%m/%Y") if language == "vi" else day.isoformat()


def _emails(registry: Registry, codes: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for code in codes:
        body = registry.bodies.get(code)
        for address in body.emails if body else ():
            seen.setdefault(address, None)
    return tuple(seen)


def _names(registry: Registry, codes: tuple[str, ...] | list[str], language: str) -> list[str]:
    return [registry.bodies[c].name(language) if c in registry.bodies else c for c in codes]


def _common(item: ItemState, registry: Registry, language: str) -> dict[str, Any]:
    coordinator = registry.bodies[registry.coordinator]
    return {
        "key": item.key, "text": item.text, "section": item.section,
        "lead_name": _names(registry, [item.lead], language)[0],
        "cooperating": _names(registry, item.cooperating, language),
        "coordinator_name": coordinator.name(language),
        "document_due": show_date(item.document_due, language), "extended": item.extended,
    }


def reminder_email(reminder: Reminder, *, as_of: date, registry: Registry, language: str) -> Email:
    item = reminder.item
    due = show_date(reminder.day, language)
    context = {**_common(item, registry, language), "subject": reminder.subject, "due": due,
               "days_left": (reminder.day - as_of).days}
    text, html = render_parts("reminder", language, context)
    subject = SUBJECTS[("reminder", reminder.subject, language)].format(key=item.key, due=due)
    ics = deadline_ics(key=f"{item.id}:{reminder.subject}:{reminder.day}", title=subject, description=item.text,
                       due=reminder.day, stamp=as_of)
    return Email(
        key=reminder.key, kind="reminder", to=_emails(registry, [item.lead]), cc=_emails(registry, list(item.cooperating)),
        reply_to=_emails(registry, [registry.coordinator]), subject=subject, text=text, html=html, ics=ics,
        item_id=item.id, due_date=reminder.day, level=reminder.offset,
    )


def escalation_email(rung: Rung, *, as_of: date, registry: Registry, policy: Policy, language: str) -> Email:
    item = rung.item
    lead = registry.bodies.get(item.lead)
    supervisor = lead.escalates_to if lead and lead.escalates_to else policy.escalation_top
    if rung.level == 1:
        to, cc, to_code = [item.lead], [supervisor, registry.coordinator], item.lead
    else:
        to, cc, to_code = [policy.escalation_top], [item.lead, supervisor, registry.coordinator], policy.escalation_top
    due = show_date(rung.since, language)
    context = {**_common(item, registry, language), "subject": rung.subject, "due": due, "level": rung.level,
               "late": rung.working_days_late, "to_name": _names(registry, [to_code], language)[0],
               "supervisor_name": _names(registry, [supervisor], language)[0]}
    text, html = render_parts("escalation", language, context)
    to_addresses = _emails(registry, to)
    cc_addresses = tuple(a for a in _emails(registry, cc) if a not in to_addresses)
    return Email(
        key=rung.key, kind="escalation", to=to_addresses, cc=cc_addresses,
        reply_to=_emails(registry, [registry.coordinator]),
        subject=SUBJECTS[("escalation", rung.subject, language)].format(key=item.key, due=due, level=rung.level),
        text=text, html=html, item_id=item.id, due_date=rung.since, level=rung.level,
    )


def digest_email(items: list[ItemState], *, as_of: date, registry: Registry, policy: Policy, language: str) -> Email:
    """The weekly digest for the coordinator: overdue by body and by section, what falls due next."""
    overdue = [i for i in items if status(i, as_of, policy) == "not_done_overdue"]
    ahead = as_of + timedelta(days=policy.digest_ahead_days)
    upcoming = sorted(
        (i for i in items if i.done_on is None and as_of <= effective(i.due, policy) <= ahead),
        key=lambda i: (i.due, i.key),
    )
    by_body: dict[str, list[ItemState]] = defaultdict(list)
    by_section: dict[str, list[ItemState]] = defaultdict(list)
    for item in overdue:
        by_body[item.lead].append(item)
        by_section[item.section].append(item)
    counts = Counter(status(i, as_of, policy) for i in items)
    names = STATUS_NAMES[language]
    week = as_of - timedelta(days=as_of.weekday())
    context = {
        "to_name": registry.bodies[registry.coordinator].name(language), "as_of": show_date(as_of, language),
        "ahead": policy.digest_ahead_days, "overdue": overdue,
        "by_body": sorted(by_body.items(), key=lambda kv: (-len(kv[1]), kv[0])),
        "by_section": sorted(by_section.items()),
        "upcoming": [{"due": show_date(i.due, language), "key": i.key, "lead": i.lead,
                      "text": i.text if len(i.text) < 120 else i.text[:119] + "…"} for i in upcoming],
        "statuses": [(names[k], counts[k]) for k in names if counts[k]],
    }
    text, html = render_parts("digest", language, context)
    return Email(
        key=f"digest:{registry.coordinator}:{week.isoformat()}", kind="digest",
        to=_emails(registry, [registry.coordinator]), cc=(), reply_to=(),
        subject=SUBJECTS[("digest", "", language)].format(due=show_date(as_of, language), overdue=len(overdue)),
        text=text, html=html, due_date=week,
    )
