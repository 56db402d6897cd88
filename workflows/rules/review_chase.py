"""The review chase: what an open review round owes, on a day, about the questions not answered yet.

Pure functions of a round, a date, the policy and the registry, like the reminder rule and the
ladder of items (:mod:`workflows.rules.reminders`, :mod:`workflows.rules.escalation`), whose
offsets, thresholds and recipients they reuse:

- Before the round's due date (moved to a working day), a reminder at each of the policy's
  reminder offsets, to the body asked. The opening day is the request letter's day, so nothing
  more goes out on it, and an offset whose day fell on or before it is skipped (the request stood
  for it): a round opened ten working days before its due is reminded at 7, 1 and 0.
- After the due date, the ladder: level 1 ``escalation.level_1_after`` working days late (the body
  again, its supervising body and the coordinator in copy), level 2 ``level_2_after`` working days
  later (the top of the ladder, the others in copy).

What a round owes is decided once per round (:func:`owed_on`); each unanswered question then
carries it (:func:`chases`), one per item, so that the letters' parts and the ``escalation`` rows
stay per item like the others: a question answered stops at once, the rest go on.
"""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from config.bodies import Registry
from config.policy import Policy
from models.states import ItemState, RoundRef, Unanswered
from workflows.rules import workdays
from workflows.rules.escalation import level_reached, recipients
from workflows.rules.reminders import _offset_reached


class RoundOwed(NamedTuple):
    """What ``round`` owes on a day: a ``reminder`` at offset ``level`` with ``days`` working days
    left, or an ``escalation`` rung of ``level`` with ``days`` working days late; ``since`` is the
    due date as chased (moved to a working day)."""

    round: RoundRef
    kind: str
    level: int
    days: int
    since: date


class ReviewChase(NamedTuple):
    """One unanswered question's share of what its round owes: to ``body`` (the body asked), and
    for a rung to the bodies the ladder names (``to``, ``cc``)."""

    owed: RoundOwed
    body: str
    item: ItemState
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The part's key; ``item:ID`` third, as every part key has it, and the round in it, since
        an item is asked about in more than one round."""
        return f"{self.owed.kind}:item:{self.item.id}:review:{self.owed.round.id}:{self.owed.level}"

    @property
    def reason(self) -> str:
        round_ = self.owed.round
        return (f"answer to {round_.kind} review round {round_.id} due {round_.due.isoformat()} "
                f"missing, {self.owed.days} working days late")


def owed_on(round_: RoundRef, as_of: date, policy: Policy) -> RoundOwed | None:
    """The reminder or rung ``round_`` owes on ``as_of``; None on a day that owes nothing (a day
    off, the opening day or before, between two offsets that have both gone, before level 1)."""
    if as_of <= round_.opened_on or not workdays.is_sending_day(as_of, policy):
        return None
    due = workdays.effective(round_.due, policy)
    if as_of <= due:
        offset = _offset_reached(due, as_of, policy.reminder_offsets, policy.working_days)
        if offset is None or _sending_day(due, offset, policy) <= round_.opened_on:
            return None
        return RoundOwed(round_, "reminder", offset, workdays.late_by(as_of, due, policy), due)
    late = workdays.late_by(due, as_of, policy)
    level = level_reached(late, policy)
    return RoundOwed(round_, "escalation", level, late, due) if level else None


def _sending_day(due: date, offset: int, policy: Policy) -> date:
    """The day the reminder at ``offset`` before ``due`` is written (as the item reminders count it)."""
    if policy.working_days:
        return workdays.minus_working_days(due, offset)
    return date.fromordinal(due.toordinal() - offset)


def chases(owed: dict[int, RoundOwed], questions: Iterable[Unanswered], policy: Policy, registry: Registry) -> list[ReviewChase]:
    """Each unanswered question of a round that owes something, with its recipients on the ladder
    (worked out once per body and level, not per question)."""
    ladder: dict[tuple[str, int], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    found = []
    for question in questions:
        due = owed.get(question.round_id)
        if due is None:
            continue
        to: tuple[str, ...] = ()
        cc: tuple[str, ...] = ()
        if due.kind == "escalation":
            if (question.body, due.level) not in ladder:
                to_, cc_, _ = recipients(question.body, due.level, registry, policy)
                ladder[(question.body, due.level)] = (to_, cc_)
            to, cc = ladder[(question.body, due.level)]
        found.append(ReviewChase(due, question.body, question.item, to, cc))
    return found
