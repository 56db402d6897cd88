"""The weekly digest: what the Office needs to know on Monday morning, in one letter.

A summary, not a list of reminders: the items by lead body and status in a table (names, not
codes), the overdue items with their due date, working days late and the rung of the ladder
they reached, the reporting dates that passed without an answer (the old digest ignored them and
said "3 overdue" on a day when 130 reports were), the reporting dates and deadlines coming within
``digest.ahead_days``, and the blocked items by name. The facts are decided by the rules
(:mod:`workflows.orchestration.digest` gathers them); here they become words, Vietnamese first.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from config.bodies import Registry
from config.words import names as word_names
from config.words import show_date, word
from models.states import ItemState
from notifications.letters import SUBJECTS, body_emails
from notifications.render import Email, render_parts

ROWS_SHOWN = 300
"""At most this many rows per list; the rest are counted ("and 12 more"), so a term's worth of
missed dates cannot make a letter no reader opens."""


@dataclass(frozen=True)
class DigestLine:
    """One date of one item in the digest: a deadline or a reporting date (``day``), how many
    working days late it is (0 when it is still ahead) and the highest rung recorded for it."""

    item: ItemState
    day: date
    late: int = 0
    level: int = 0


@dataclass
class DigestFacts:
    """What the digest reports on a day; each list is in the order it is shown."""

    categories: dict[int, str]
    overdue: list[DigestLine] = field(default_factory=list)
    missed_reports: list[DigestLine] = field(default_factory=list)
    upcoming_deadlines: list[DigestLine] = field(default_factory=list)
    upcoming_reports: list[DigestLine] = field(default_factory=list)
    blocked: list[DigestLine] = field(default_factory=list)


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"



def _rows(lines: list[DigestLine], registry: Registry, language: str, as_of: date) -> dict[str, Any]:
    shown = [
        {"key": line.item.key, "kind": word("item_kind", line.item.kind, language), "text": _short(line.item.text),
         "lead": registry.name_of(line.item.lead, language), "day": show_date(line.day), "late": line.late,
         "left": (line.day - as_of).days, "level": line.level}
        for line in lines[:ROWS_SHOWN]
    ]
    return {"rows": shown, "more": max(0, len(lines) - ROWS_SHOWN), "count": len(lines)}


def count_table(states: list[ItemState], categories: dict[int, str], registry: Registry, language: str) -> dict[str, Any]:
    """Items by lead body (rows, in the registry's order, then any unknown code) and status
    category (columns), with a total column and a total row."""
    per_body: dict[str, Counter[str]] = {}
    for state in states:
        per_body.setdefault(state.lead, Counter())[categories[state.id]] += 1
    order = [code for code in registry.bodies if code in per_body] + sorted(c for c in per_body if c not in registry.bodies)
    columns = word_names("category", language)
    totals: Counter[str] = Counter()
    rows = []
    for code in order:
        counts = per_body[code]
        totals.update(counts)
        rows.append({"name": registry.name_of(code, language), "counts": [counts[c] for c in columns],
                     "total": sum(counts.values())})
    return {"columns": list(columns.values()), "rows": rows, "totals": [totals[c] for c in columns],
            "total": sum(totals.values())}


def digest_email(
    states: list[ItemState], facts: DigestFacts, *, as_of: date, ahead_days: int, registry: Registry, language: str,
) -> Email:
    """The weekly digest for the coordinator, keyed on the week so it is queued once a week."""
    week = as_of - timedelta(days=as_of.weekday())
    context = {
        "to_name": registry.name_of(registry.coordinator, language), "as_of": show_date(as_of), "ahead": ahead_days,
        "table": count_table(states, facts.categories, registry, language),
        "overdue": _rows(facts.overdue, registry, language, as_of),
        "missed": _rows(facts.missed_reports, registry, language, as_of),
        "deadlines": _rows(facts.upcoming_deadlines, registry, language, as_of),
        "reports": _rows(facts.upcoming_reports, registry, language, as_of),
        "blocked": _rows(facts.blocked, registry, language, as_of),
    }
    text, html = render_parts("digest", language, context)
    subject = SUBJECTS[("digest", "", language)].format(
        due=show_date(as_of), overdue=len(facts.overdue), reports=len(facts.missed_reports))
    return Email(
        key=f"digest:{registry.coordinator}:{week.isoformat()}", kind="digest",
        to=body_emails(registry, [registry.coordinator]), cc=(), reply_to=(),
        subject=subject, text=text, html=html, due_date=week,
    )
