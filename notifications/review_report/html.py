"""The review report as one self-contained HTML page, for the email's body and the browser.

Laid out like the Office's letters (``common/_letter_top.html``'s paper, the heading block, the
title, numbered sections, tables), with inline CSS only and nothing fetched: no stylesheet, no
image, no font from elsewhere, so a mail reader shows it as it is. The charts are table bars (a
row of coloured cells whose widths are the shares), which every mail reader draws, where an SVG or
a data-URI picture is dropped by several of them; the DOCX carries the matplotlib charts.

Long lists are cut (``ROWS_CAP``) with "và N mục khác" / "and N more": the XLSX has every row.
The words of statuses, verdicts and numbers are the DOCX's (``docx_words``), so both say the same.
"""

from dataclasses import dataclass
from typing import Any

from config.words import date_line, show_date
from notifications.render import environment
from notifications.review_report.docx_words import (
    body_names,
    count,
    number,
    percent,
    reason_word,
    say,
    status_word,
    target_text,
    targets_text,
    verdict_word,
)
from notifications.review_report.model import STATUSES, BodyRow, GroupCounts, ReviewReport, StatusCounts

ROWS_CAP = 200
ATTENTION_CAP = 100
SILENT_CAP = 40
STATUS_COLOURS = {
    "done": "#2e7d32", "on_track": "#81c784", "behind": "#f9a825",
    "not_started": "#bdbdbd", "blocked": "#c62828", "unanswered": "#eeeeee",
}  # fmt: skip
VERDICT_COLOURS = {"met": "#2e7d32", "on_track": "#81c784", "at_risk": "#f9a825", "off_track": "#c62828",
                   "no_data": "#bdbdbd"}

WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "s1": "I. TÓM TẮT", "s2": "II. CÁC CHỈ TIÊU", "s3": "III. CÁC NHIỆM VỤ", "s4": "IV. CÁC CƠ QUAN",
        "s5": "V. NHỮNG NỘI DUNG CẦN BAN THƯỜNG VỤ QUAN TÂM",
        "by_status": "1. Theo tình trạng", "by_part": "2. Theo phần của Chương trình", "by_section": "3. Theo mục",
        "expected": "Theo lộ trình", "path_share": "Đi được", "overdue_on": "hạn",
        "more": "… và {n} mục khác (đầy đủ trong bản XLSX).", "more_bodies": "… và {n} cơ quan khác (đầy đủ trong bản XLSX).",
        "silent_more": "và {n} cơ quan khác", "legend": "Chú giải", "draft_banner": "DỰ THẢO",
        "bodies_text": "Xếp theo số nội dung chưa báo cáo, nhiều nhất trước.",
    },
    "en": {
        "s1": "I. SUMMARY", "s2": "II. TARGETS", "s3": "III. TASKS", "s4": "IV. BODIES",
        "s5": "V. ITEMS FOR THE STANDING COMMITTEE'S ATTENTION",
        "by_status": "1. By status", "by_part": "2. By part of the programme", "by_section": "3. By section",
        "expected": "On the path", "path_share": "Of the way", "overdue_on": "due",
        "more": "… and {n} more (every row in the XLSX).", "more_bodies": "… and {n} more bodies (every row in the XLSX).",
        "silent_more": "and {n} more", "legend": "Legend", "draft_banner": "DRAFT",
        "bodies_text": "Ordered by items not answered, most first.",
    },
}


@dataclass(frozen=True)
class Segment:
    """One coloured cell of a table bar: its width in percent, colour and what it stands for."""

    width: float
    colour: str
    label: str


def _bar(counts: StatusCounts, language: str) -> list[Segment]:
    total = counts.total
    return [Segment(round(100 * counts.of(s) / total, 2), STATUS_COLOURS[s], f"{status_word(s, language)}: {counts.of(s)}")
            for s in STATUSES if total and counts.of(s)]


def _group_rows(groups: tuple[GroupCounts, ...], language: str) -> list[dict[str, Any]]:
    return [{"key": g.key, "title": g.title, "cells": [count(g.counts.of(s), language) for s in STATUSES],
             "total": count(g.counts.total, language), "bar": _bar(g.counts, language)} for g in groups[:ROWS_CAP]]


def _title(report: ReviewReport, language: str) -> str:
    programme = report.letterhead.says("programme_title", language)
    return say(f"kind_{report.round.kind}", language, programme=programme, year=report.round.period_to.year)


def _summary_lines(report: ReviewReport, language: str) -> list[str]:
    s = report.summary
    lines = [say("s1_text", language, bodies=count(s.bodies_asked, language), items=count(s.items_asked, language),
                 answered=count(s.items_answered, language), on_time=count(s.answered_on_time, language),
                 late=count(s.answered_late, language), missing=count(s.items_missing, language),
                 complete=count(s.bodies_complete, language), partial=count(s.bodies_partial, language),
                 silent=count(len(s.bodies_silent), language))]
    if s.bodies_silent:
        known = body_names(report, language)
        names = ", ".join(known.get(code, code) for code in s.bodies_silent[:SILENT_CAP])
        if len(s.bodies_silent) > SILENT_CAP:
            names += " " + WORDS[language]["silent_more"].format(n=count(len(s.bodies_silent) - SILENT_CAP, language))
        lines.append(say("silent", language, names=names))
    return lines


def _targets(report: ReviewReport, language: str) -> list[dict[str, Any]]:
    rows = []
    for t in report.targets[:ROWS_CAP]:
        baseline = t.baseline_text or (number(t.baseline, language) if t.baseline is not None else "-")
        rows.append({
            "key": t.item_key, "name": t.name, "baseline": baseline,
            "value": f"{number(t.value, language)} {t.unit}" if t.value is not None else "-",
            "expected": f"{number(t.expected, language)} {t.unit}" if t.expected is not None else "-",
            "share": f"{number(round(100 * t.share, 1), language)}%" if t.share is not None else "-",
            "target": target_text(t.comparator, t.target, t.target_max, t.unit, t.year, language),
            "verdict": verdict_word(t.verdict, language), "colour": VERDICT_COLOURS[t.verdict],
        })
    return rows


def _bodies(report: ReviewReport, language: str) -> list[dict[str, Any]]:
    ordered: list[BodyRow] = sorted(report.bodies, key=lambda b: (-b.missing, b.code))
    return [{"code": b.code, "name": b.name(language), "asked": count(b.asked, language),
             "answered": count(b.answered, language), "late": count(b.late, language),
             "missing": count(b.missing, language), "bar": _bar(b.counts, language)} for b in ordered[:ROWS_CAP]]


def _attention(report: ReviewReport, language: str) -> list[dict[str, Any]]:
    names = body_names(report, language)
    return [{"key": a.item_key, "text": a.text, "body": names.get(a.body, a.body), "reason": reason_word(a.reason, language),
             "status": status_word(a.status, language), "due": show_date(a.due),
             "note": a.note or say("no_words", language)} for a in report.attention[:ATTENTION_CAP]]


def _more(shown: int, total: int, language: str, key: str = "more") -> str:
    return WORDS[language][key].format(n=count(total - shown, language)) if total > shown else ""


def context(report: ReviewReport, language: str) -> dict[str, Any]:
    """What the template shows, every number already written the reader's way."""
    r, head, words = report.round, report.letterhead, WORDS[language]
    whole = report.by_status.total
    return {
        "page_lang": language, "w": words, "subject": f"{say('title', language)} {_title(report, language)}",
        "committee": head.says("committee", language), "office": head.says("office", language),
        "party": head.says("party", language), "number": say("number", language),
        "date_line": date_line(head.says("city", language), r.closed_on or r.as_of, language),
        "draft": r.draft, "draft_note": say("draft_note", language, day=show_date(r.as_of)),
        "title": say("title", language), "subtitle": _title(report, language),
        "intro": say("intro", language, programme=head.says("programme_title", language), opened=show_date(r.opened_on),
                     what=say(f"what_{r.kind}", language, year=r.period_to.year), start=show_date(r.period_from),
                     end=show_date(r.period_to), due=show_date(r.due)),
        "summary": _summary_lines(report, language),
        "status_names": [status_word(s, language) for s in STATUSES],
        "status_legend": [Segment(0, STATUS_COLOURS[s], status_word(s, language)) for s in STATUSES],
        "overall": [{"name": status_word(s, language), "count": count(report.by_status.of(s), language),
                     "share": percent(report.by_status.of(s), whole, language)} for s in STATUSES],
        "overall_total": count(whole, language), "overall_bar": _bar(report.by_status, language),
        "parts": _group_rows(report.by_part, language), "sections": _group_rows(report.by_section, language),
        "sections_more": _more(min(len(report.by_section), ROWS_CAP), len(report.by_section), language),
        "targets_text": targets_text(report, language) if report.targets else say("none_targets", language),
        "targets": _targets(report, language),
        "targets_more": _more(min(len(report.targets), ROWS_CAP), len(report.targets), language),
        "bodies": _bodies(report, language),
        "bodies_more": _more(min(len(report.bodies), ROWS_CAP), len(report.bodies), language, "more_bodies"),
        "attention_text": say("s4_text", language) if report.attention else say("none_attention", language),
        "attention": _attention(report, language),
        "attention_more": _more(min(len(report.attention), ATTENTION_CAP), len(report.attention), language),
        "head": {k: say(k, language) for k in ("no", "body", "asked", "answered", "late", "missing", "status", "count",
                                                "share", "part", "section", "total", "indicator", "baseline", "value",
                                                "target", "verdict", "key", "content", "reason", "words")},
    }


def render_html(report: ReviewReport, language: str) -> str:
    """The report as an HTML page in ``language`` (``vi`` or ``en``)."""
    language = "en" if language == "en" else "vi"
    return environment().get_template("common/review_report.html").render(**context(report, language))
