"""Delegation's rules: which unit a lead may hand an item to, and who the chase writes to.

A lead body may delegate one of its open items to a unit under it: a body of the registry whose
``escalates_to`` is the lead (a department of the People's Committee under UBND). The unit then
gets the item's reminders in its own daily letter (the lead gets none: it gave the work away) and
answers on its page or with ``dondoc report --body``; the lead stays accountable, reads the
unit's answers on its page, and gets every rung of the ladder (the unit too). A review round asks
the unit about the item (``models.reviews.open_round``); the report counts that question in a row
of its own, the lead named first (:func:`report_names`). Pure: the registry and the states in,
decisions out.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from config.bodies import Registry
from config.errors import ConflictError
from models.states import ItemState, Reminder, Rung

REFUSALS: dict[str, tuple[str, str]] = {
    "itself": ("{lead} không thể giao mục {key} cho chính mình.", "{lead} cannot delegate {key} to itself."),
    "not_under": ("{unit} không trực thuộc {lead} (trong danh mục cơ quan, {unit} báo cáo lên {above}): không thể giao mục {key}.",
                  "{unit} is not under {lead} (the bodies registry has {unit} answer to {above}): {key} cannot be delegated to it."),
    "not_lead": ("{body} không chủ trì mục {key} (cơ quan chủ trì: {lead}): chỉ cơ quan chủ trì được giao đơn vị thực hiện.",
                 "{body} does not lead {key} (its lead is {lead}): only the lead may delegate it."),
    "done": ("Mục {key} đã hoàn thành ngày {day}: không giao đơn vị thực hiện.", "{key} was done on {day}: it cannot be delegated."),
    "not_delegated": ("Mục {key} chưa được giao cho đơn vị nào.", "{key} is not delegated to any unit."),
}
"""Why a delegation is refused, Vietnamese first: the command (exit 6) and the console (409) say these."""


class Refusal(ConflictError):
    """A delegation the rules refuse: ``reason`` a key of :data:`REFUSALS`, ``values`` its blanks
    (a conflict with what is stored: exit 6 on the command line, 409 on a page)."""

    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(REFUSALS[reason][1].format(**values))
        self.reason, self.values = reason, values

    def says(self, language: str) -> str:
        vi, en = REFUSALS[self.reason]
        return (en if language == "en" else vi).format(**self.values)


def check(*, key: str, lead: str, unit: str, body: str | None, done_on: str | None, registry: Registry) -> None:
    """Raise :class:`Refusal` unless ``body`` (the body delegating; None: the Office, on the lead's
    behalf) may hand item ``key``, led by ``lead`` and done on ``done_on`` (shown date, or None),
    to ``unit``: a registered body under the lead, not the lead itself."""
    if body is not None and body != lead:
        raise Refusal("not_lead", key=key, body=body, lead=lead)
    if done_on is not None:
        raise Refusal("done", key=key, day=done_on)
    if unit == lead:
        raise Refusal("itself", key=key, lead=lead)
    above = registry.bodies[unit].escalates_to if unit in registry.bodies else None
    if above != lead:
        raise Refusal("not_under", key=key, unit=unit, lead=lead, above=above or "-")


def units_under(lead: str, registry: Registry) -> list[str]:
    """The bodies a lead may delegate to (the form's choices), by code."""
    return sorted(code for code, body in registry.bodies.items() if body.escalates_to == lead)


def chased_body(item: ItemState) -> str:
    """Who the chase writes to about ``item``: its unit when delegated, else its lead."""
    return item.unit or item.lead


Owed = TypeVar("Owed", Reminder, Rung)


def delegated(owed: Iterable[Owed], units: Mapping[int, str]) -> list[Owed]:
    """The reminders or rungs with their item's unit set (those of items not delegated unchanged)."""
    if not units:
        return list(owed)
    return [o._replace(item=o.item._replace(unit=units[o.item.id])) if o.item.id in units else o for o in owed]


REPORT_NAME = ("{lead} (giao: {unit})", "{lead} (delegated to {unit})")
"""A review report's row of the questions a unit answered for its lead: the lead first (accountable)."""


def report_code(lead: str, unit: str) -> str:
    """The code of that row (``UBND/STC``): apart from the lead's own row and the unit's own."""
    return f"{lead}/{unit}"


def report_names(names: Mapping[str, tuple[str, str]], held: Iterable[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """``names`` (code -> Vietnamese, English name) with the rows of each (lead, unit) in ``held``
    named by :data:`REPORT_NAME`: "Ủy ban nhân dân tỉnh (giao: Sở Tài chính)"."""
    named = dict(names)
    for lead, unit in set(held):
        (lead_vi, lead_en), (unit_vi, unit_en) = names.get(lead, (lead, lead)), names.get(unit, (unit, unit))
        named[report_code(lead, unit)] = (REPORT_NAME[0].format(lead=lead_vi, unit=unit_vi),
                                          REPORT_NAME[1].format(lead=lead_en, unit=unit_en))
    return named
