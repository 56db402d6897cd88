"""Compile a review round's report from the database: who was asked, who answered, how the
targets stand against their paths, what needs the Standing Committee's attention.

Set-based: one streamed pass over the round's questions (``models.review_figures.question_rows``)
counts everything at once, so a round over 100,000 items is one query and one loop, and the
indicators, sections and bodies are read whole (they are few). ``render_report`` then writes the
result as DOCX, XLSX or HTML; this module chooses no words.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from config.loading import Configuration
from models.db import Session
from models.review_figures import (
    QuestionRow,
    body_names,
    question_rows,
    round_document,
    round_indicators,
    section_titles,
)
from models.review_tables import ReviewRound
from models.reviews import delegated_questions, find_round
from models.tables import Indicator
from notifications.review_report.model import (
    ATTENTION_REASONS,
    STATUSES,
    AttentionRow,
    BodyRow,
    GroupCounts,
    ReviewReport,
    RoundInfo,
    StatusCounts,
    Summary,
    TargetRow,
    TaskRow,
)
from workflows.rules.delegation import report_code, report_names
from workflows.rules.verdicts import baseline_number, elapsed_share, judge

_INDEX = {status: n for n, status in enumerate(STATUSES)}


def _counts(tally: list[int]) -> StatusCounts:
    return StatusCounts(*tally)


def _part_of(section_key: str) -> str:
    return section_key.split(".", 1)[0]


def _section_of(section_key: str) -> str:
    return ".".join(section_key.split(".")[:2])


def attention_reason(status: str, due: date, as_of: date) -> str | None:
    """Why an item needs the Standing Committee's attention, if it does: past its due date and not
    done (answered or not), else blocked, else behind."""
    if status != "done" and due < as_of:
        return "overdue"
    if status in ("blocked", "behind"):
        return status
    return None


@dataclass
class _Tally:
    """Everything counted in the one pass over a round's questions."""

    due: date
    as_of: date
    wanted: set[int]
    """The items with indicators, whose key, body and values the targets need."""
    overall: list[int] = field(default_factory=lambda: [0] * len(STATUSES))
    parts: dict[str, list[int]] = field(default_factory=dict)
    sections: dict[str, list[int]] = field(default_factory=dict)
    bodies: dict[str, list[int]] = field(default_factory=dict)
    answered: Counter[str] = field(default_factory=Counter)
    late: Counter[str] = field(default_factory=Counter)
    tasks: list[TaskRow] = field(default_factory=list)
    attention: list[AttentionRow] = field(default_factory=list)
    targets: dict[int, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)

    def add(self, row: QuestionRow) -> None:
        status = row.status or "unanswered"
        index = _INDEX[status]
        self.overall[index] += 1
        for groups, key in ((self.parts, _part_of(row.section_key)), (self.sections, _section_of(row.section_key)),
                            (self.bodies, row.body)):
            tally = groups.get(key)
            if tally is None:
                tally = groups[key] = [0] * len(STATUSES)
            tally[index] += 1
        late = row.answered_on is not None and row.answered_on > self.due
        if row.status is not None:
            self.answered[row.body] += 1
            self.late[row.body] += late
        self.tasks.append(TaskRow(row.key, row.kind, row.section_key, row.text, row.body, row.due, status, row.note,
                                  row.answered_on, row.channel, late))
        reason = attention_reason(status, row.due, self.as_of)
        if reason is not None:
            self.attention.append(AttentionRow(row.key, row.text, row.body, reason, status, row.due, row.note,
                                               row.answered_on))
        if row.item_id in self.wanted:
            self.targets[row.item_id] = (row.key, row.body, row.values or {})


def _number(value: Any) -> float | None:
    """A reported value as a number; anything else (missing, text) is no value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _target_rows(indicators: list[tuple[int, Indicator]], tally: _Tally, start: date, review: ReviewRound,
                 configuration: Configuration) -> tuple[TargetRow, ...]:
    policy = configuration.policy
    rows = []
    for item_id, indicator in indicators:
        key, body, values = tally.targets.get(item_id, ("", "", {}))
        value = _number(values.get(str(indicator.position)))
        baseline = baseline_number(indicator.baseline, indicator.comparator)
        judgement = judge(
            comparator=indicator.comparator, target=indicator.value, target_max=indicator.value_max, baseline=baseline,
            value=value, elapsed=elapsed_share(start, indicator.year, review.period_to),
            on_track=policy.verdict_on_track, at_risk=policy.verdict_at_risk,
        )
        rows.append(TargetRow(
            key, indicator.position, indicator.name, indicator.unit, indicator.comparator, baseline, indicator.baseline,
            indicator.value, indicator.value_max, indicator.year, body, value, judgement.expected, judgement.share,
            judgement.verdict,
        ))
    return tuple(rows)


def _groups(tallies: dict[str, list[int]], titles: dict[str, str]) -> tuple[GroupCounts, ...]:
    return tuple(GroupCounts(key, titles.get(key, key), _counts(tally)) for key, tally in tallies.items())


def _bodies(tally: _Tally, names: dict[str, tuple[str, str]]) -> tuple[BodyRow, ...]:
    rows = []
    for code in sorted(tally.bodies):
        vi, en = names.get(code, (code, code))
        counts = _counts(tally.bodies[code])
        rows.append(BodyRow(code, vi, en, counts.total, tally.answered[code], tally.late[code], counts))
    return tuple(rows)


def _summary(bodies: tuple[BodyRow, ...]) -> Summary:
    answered = sum(b.answered for b in bodies)
    late = sum(b.late for b in bodies)
    asked = sum(b.asked for b in bodies)
    return Summary(
        bodies_asked=len(bodies), items_asked=asked, items_answered=answered, answered_on_time=answered - late,
        answered_late=late, items_missing=asked - answered,
        bodies_complete=sum(1 for b in bodies if b.answered == b.asked),
        bodies_partial=sum(1 for b in bodies if 0 < b.answered < b.asked),
        bodies_silent=tuple(b.code for b in bodies if b.answered == 0),
    )


def _round_info(review: ReviewRound, as_of: date) -> RoundInfo:
    """The round as it stood on ``as_of``: closed only if it was closed by then."""
    closed = review.closed_on is not None and review.closed_on <= as_of
    return RoundInfo(review.id or 0, review.kind, review.period_from, review.period_to, review.due, review.opened_by,
                     review.opened_on, review.closed_by if closed else None, review.closed_on if closed else None, as_of)


def compile_report(session: Session, review: ReviewRound, configuration: Configuration, *, as_of: date) -> ReviewReport:
    """The report of ``review`` as it stands on ``as_of`` (a draft while the round is open then)."""
    document = round_document(session, review=review)
    indicators = round_indicators(session, review=review)
    tally = _Tally(due=review.due, as_of=as_of, wanted={item_id for item_id, _ in indicators})
    delegated = delegated_questions(session, review=review)  # asked of a unit: counted as "LEAD/UNIT"
    for row in question_rows(session, review=review, as_of=as_of):
        held = delegated.get(row.item_id)
        tally.add(row if held is None else replace(row, body=report_code(*held)))
    titles = section_titles(session, document=document)
    names = report_names(body_names(session), delegated.values())
    bodies = _bodies(tally, names)
    order = {reason: n for n, reason in enumerate(ATTENTION_REASONS)}
    return ReviewReport(
        round=_round_info(review, as_of), document_key=document.key, programme_title=document.title,
        programme_start=document.start, letterhead=configuration.policy.letterhead, summary=_summary(bodies),
        by_status=_counts(tally.overall), by_part=_groups(tally.parts, titles),
        by_section=_groups(tally.sections, titles),
        by_body=tuple(GroupCounts(b.code, b.name_vi, b.counts) for b in bodies),
        targets=_target_rows(indicators, tally, document.start, review, configuration),
        attention=tuple(sorted(tally.attention, key=lambda row: order[row.reason])),
        bodies=bodies, tasks=tuple(tally.tasks),
        verdict_on_track=configuration.policy.verdict_on_track, verdict_at_risk=configuration.policy.verdict_at_risk,
    )


def report_bytes(
    session: Session, *, round_id: int, configuration: Configuration, fmt: str, language: str, as_of: date,
) -> tuple[ReviewReport, bytes]:
    """The report of round ``round_id`` on ``as_of``, compiled and written as ``fmt`` (docx, xlsx
    or html); a round that does not exist is a NotFoundError."""
    from notifications.review_report import render_report

    report = compile_report(session, find_round(session, round_id), configuration, as_of=as_of)
    return report, render_report(report, fmt, language)
