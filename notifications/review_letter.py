"""The letters of a review round (sơ kết, tổng kết): the request to each body, and the report when
the round closes.

When the Standing Committee opens a round, each body that leads an item is sent one letter in the
Office's layout (heading block, "Kính gửi", "V/v"): what the round is, the period, the deadline,
its items and what is asked of each (a status, a short account and, for a target, the value
reached per indicator in its unit), the link to its answer page and the form to fill (XLSX). When
the round closes, the Standing Committee and the Office get a letter that says who answered, with
the report attached. Pure apart from reading templates: facts in, an :class:`Email` out.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from config.bodies import Registry
from config.letterhead import Letterhead
from config.words import codes, show_date, show_number, target_phrase, word
from models.review_tables import ReviewRound
from models.reviews import BodyProgress
from notifications.chase_letter import date_line, kind_word
from notifications.letters import body_emails
from notifications.render import Attachment, Email, render_parts
from notifications.review_form import FormIndicator, FormItem

KIND_WORDS = {kind: (word("round_kind", kind), word("round_kind", kind, "en")) for kind in codes("round_kind")}
STATUS_WORDS = {code: (word("answer_status", code), word("answer_status", code, "en")) for code in codes("answer_status")}
"""How a person reads an answer's status (``models.review_tables.ANSWER_STATUSES``): the vocabulary's words."""
SUBJECTS = {
    ("request", "vi"): "Đề nghị báo cáo {title} Chương trình hành động số {number}: hạn {due}",
    ("request", "en"): "Request for the {title} of Action Programme No. {number}: due {due}",
    ("report", "vi"): "Báo cáo {title} Chương trình hành động số {number} (đợt {round})",
    ("report", "en"): "Report of the {title} of Action Programme No. {number} (round {round})",
}


@dataclass(frozen=True, slots=True)
class AskedIndicator:
    """An indicator as the request letter lists it (``target`` in words: "từ 70 % trở lên (2025)")."""

    name: str
    unit: str
    target: str


@dataclass(frozen=True, slots=True)
class AskedRow:
    """An item as the request letter lists it. Objects, not dicts, for the templates: Jinja reads
    ``row.key`` as an attribute first, and on a dict every such read raised and caught an
    AttributeError (some 2,000 per letter of 100 items)."""

    key: str
    kind: str
    section: str
    text: str
    due: str
    target: bool
    indicators: tuple[AskedIndicator, ...]
    delegated_by: str = ""
    """The name of the lead that delegated the item to the body asked ("": the body leads it)."""


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def status_word(status: str, language: str) -> str:
    pair = STATUS_WORDS.get(status)
    return _pick(pair, language) if pair else status


def round_title(kind: str, period_to: date, language: str) -> str:
    """"sơ kết giữa nhiệm kỳ", "tổng kết năm 2023", "tổng kết nhiệm kỳ" (or their English)."""
    title = _pick(KIND_WORDS[kind], language)
    if kind == "yearly":
        return f"{title} {period_to.year}" if language != "en" else f"{period_to.year} {title}"
    return title


def target_text(indicator: FormIndicator, language: str) -> str:
    """What the document sets for an indicator: "từ 70 % trở lên (2025)"."""
    pattern = target_phrase(indicator.comparator, language)
    top = indicator.target_max
    said = pattern.format(v=show_number(indicator.target, language), u=indicator.unit,
                          m=show_number(top, language) if top is not None else "",
                          b=_pick(("mức gốc", "the baseline"), language))
    said = " ".join(said.split())
    return f"{said} ({indicator.year})" if indicator.year else said


def _head(letterhead: Letterhead, language: str) -> dict[str, str]:
    return {name: letterhead.says(name, language) for name in (
        "committee", "office", "party", "on_behalf", "signer_title", "programme_title")}



def _round_context(review: ReviewRound, registry: Registry, letterhead: Letterhead, top: str, day: date,
                   language: str) -> dict[str, Any]:
    return {
        "head": _head(letterhead, language), "letterhead": letterhead, "number": f"…/{letterhead.number_suffix}",
        "date_line": date_line(letterhead.says("city", language), day, language), "round": review.id,
        "title": round_title(review.kind, review.period_to, language), "period_from": show_date(review.period_from),
        "period_to": show_date(review.period_to), "due": show_date(review.due),
        "office_name": registry.name_of(registry.coordinator, language), "committee_name": registry.name_of(top, language),
        "statuses": [_pick(pair, language) for pair in STATUS_WORDS.values()],
    }


def request_email(
    review: ReviewRound, body: str, items: list[FormItem], *, key: str, registry: Registry, letterhead: Letterhead,
    top: str, language: str, answer_link: str | None, form: Attachment | None,
    delegated_by: Mapping[str, str] | None = None,
) -> Email:
    """``body``'s request letter of round ``review``, written on the day the round opened; ``top``
    is the Standing Committee's code (who decided the round). ``delegated_by`` maps the key of an
    item asked of ``body`` because its lead delegated it to ``body`` to that lead's code: the
    letter says who gave the unit the item, which its own registry of tasks may not."""
    context = _round_context(review, registry, letterhead, top, review.opened_on, language)
    subject = SUBJECTS[("request", language)].format(title=context["title"], number=letterhead.programme_number,
                                                     due=context["due"])
    leads = {key: registry.name_of(lead, language) for key, lead in (delegated_by or {}).items()}
    rows = [AskedRow(i.key, kind_word(i.kind, language), i.section, i.text, show_date(i.due) if i.due else "",
                     i.kind == "target", tuple(AskedIndicator(n.name, n.unit, target_text(n, language))
                                               for n in i.indicators), leads.get(i.key, ""))
            for i in items]
    context.update(subject=subject, to_name=registry.name_of(body, language), items=rows, answer_link=answer_link,
                   form_name=form.filename if form else None, targets=sum(1 for i in items if i.kind == "target"),
                   delegated=any(row.delegated_by for row in rows))
    text, html = render_parts("review_request", language, context)
    return Email(
        key=key, kind="review_request", to=body_emails(registry, [body]), cc=(),
        reply_to=body_emails(registry, [registry.coordinator]), subject=subject, text=text, html=html,
        due_date=review.due, attachments=(form,) if form else (),
    )


def _counts(language: str, **counts: int) -> dict[str, str]:
    """Counts as the letter writes them: 1.250 in Vietnamese, 1,250 in English."""
    return {name: show_number(n, language) for name, n in counts.items()}


def report_email(
    review: ReviewRound, progress: list[BodyProgress], *, key: str, registry: Registry, letterhead: Letterhead,
    top: str, language: str, attachments: tuple[Attachment, ...] = (),
) -> Email:
    """The letter that closes round ``review``: to the Standing Committee (``top``), the Office in
    copy, saying who answered (on time, late) and who did not, with the report attached."""
    day = review.closed_on or review.due
    context = _round_context(review, registry, letterhead, top, day, language)
    subject = SUBJECTS[("report", language)].format(title=context["title"], number=letterhead.programme_number,
                                                    round=review.id)
    rows: list[dict[str, Any]] = [
        {"code": p.body, "name": registry.name_of(p.body, language), "asked": p.asked, "answered": p.answered,
         "late": p.late, "missing": p.missing, "n": _counts(language, asked=p.asked, answered=p.answered, late=p.late,
                                                            missing=p.missing)} for p in progress]
    asked, answered = sum(p.asked for p in progress), sum(p.answered for p in progress)
    context.update(
        subject=subject, to_name=context["committee_name"], closed_on=show_date(day), bodies=rows,
        n=_counts(language, bodies=len(rows), asked=asked, answered=answered, late=sum(p.late for p in progress),
                  missing=asked - answered, complete=sum(1 for p in progress if p.missing == 0)),
        silent=[r for r in rows if r["answered"] == 0], partial=[r for r in rows if 0 < r["answered"] < r["asked"]],
        attached=[a.filename for a in attachments],
    )
    text, html = render_parts("review_closed", language, context)
    to = body_emails(registry, [top])
    cc = tuple(a for a in body_emails(registry, [registry.coordinator]) if a not in to)
    return Email(
        key=key, kind="review_report", to=to, cc=cc, reply_to=body_emails(registry, [registry.coordinator]),
        subject=subject, text=text, html=html, due_date=day, attachments=attachments,
    )
