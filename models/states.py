"""An item as the chase sees it, and what the chase owes it: plain named tuples.

The sweep's query (:mod:`models.item_states`) builds :class:`ItemState`; the rules
(``workflows.rules``) turn states into :class:`Reminder` and :class:`Rung`; the letters
(``notifications.letters``) are written from them. They live here, on the lowest floor that
needs them.

Named tuples, not dataclasses: a sweep builds one per item in reach, tens of thousands at a
time, and a tuple is built in under half the time.
"""

from datetime import date
from typing import NamedTuple


class ItemState(NamedTuple):
    """An item with its bodies, dates and report history."""

    id: int
    key: str
    kind: str
    text: str
    section: str
    lead: str
    cooperating: tuple[str, ...]
    document_due: date
    due: date
    reporting_dates: tuple[date, ...]
    done_on: date | None = None
    blocked: bool = False
    reported_periods: frozenset[date] = frozenset()
    reports_on: tuple[date, ...] = ()
    unit: str = ""
    """The unit the lead delegated the item to (``models.delegations``; "" when the lead holds it):
    the chase writes to it, the lead still gets the rungs. Set by the chase, not the sweep's query."""
    deadline_sequence: int = 0
    """How far the deadline's calendar event has been revised (its SEQUENCE, never lower than an
    earlier letter's): see ``models.item_states.deadline_sequences``."""

    @property
    def extended(self) -> bool:
        return self.due != self.document_due


class Reminder(NamedTuple):
    """A reminder owed: ``subject`` ("deadline" or "report") falls due on ``day`` (a working day),
    ``offset`` working days from now."""

    item: ItemState
    subject: str
    day: date
    offset: int

    @property
    def key(self) -> str:
        return f"reminder:item:{self.item.id}:{self.subject}:{self.day.isoformat()}:{self.offset}"


class Rung(NamedTuple):
    """An escalation that is due: ``level`` 1 or 2 for something overdue since ``since``, with
    the bodies it goes to (``to``), those in copy (``cc``) and the lead's supervising body."""

    item: ItemState
    subject: str
    since: date
    level: int
    working_days_late: int
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    supervisor: str = ""

    @property
    def key(self) -> str:
        return f"escalation:item:{self.item.id}:{self.subject}:{self.since.isoformat()}:{self.level}"

    @property
    def reason(self) -> str:
        what = "deadline" if self.subject == "deadline" else "progress report"
        return f"{what} of {self.since.isoformat()} overdue by {self.working_days_late} working days"


class RoundRef(NamedTuple):
    """An open review round as the chase and its letter name it ("Đợt sơ kết giữa nhiệm kỳ số 1");
    read by :mod:`models.review_states`, chased by :mod:`workflows.rules.review_chase`."""

    id: int
    kind: str
    due: date
    opened_on: date
    period_from: date
    period_to: date


class Unanswered(NamedTuple):
    """A question of round ``round_id`` (due ``due``) that ``body``, the body asked, has not answered.

    ``item`` is an :class:`ItemState` with what a letter shows of it (key, kind, text, section,
    ``lead`` the body asked); it carries no report history: the round's due is the date chased."""

    round_id: int
    due: date
    body: str
    item: ItemState
