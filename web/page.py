"""What a body's answer page shows: its open items, read with the queries the sweeps and the
``items`` command use (``models.item_states``, ``models.queries``)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from config.bodies import Registry
from config.policy import Policy
from config.words import show_date, word
from models.db import Session
from models.item_states import item_states
from models.queries import ItemFilter, list_documents, list_items
from models.states import ItemState
from models.tables import Document
from workflows.rules import reporting

COMPARATOR_SIGNS = {"equal": "=", "at_least": "≥", "more_than": ">", "below": "<", "at_most": "≤", "times_baseline": "×"}


@dataclass(frozen=True)
class IndicatorView:
    name: str
    unit: str
    target: str


@dataclass(frozen=True)
class ItemView:
    """One open item as the page shows it, with the names a person reads."""

    document: str
    key: str
    kind: str
    section: str
    text: str
    role: str
    lead: str
    cooperating: list[str]
    due: str
    document_due: str | None
    days: int
    report_for: str | None
    indicators: list[IndicatorView] = field(default_factory=list)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:g}".replace(".", ",")


def target_of(indicator: dict[str, Any]) -> str:
    """``≥ 95 %`` or ``20 - 25 %``, with the year when the document gives one."""
    if indicator["comparator"] == "between":
        shown = f"{_number(indicator['value'])} - {_number(indicator['value_max'])}"
    else:
        shown = f"{COMPARATOR_SIGNS.get(indicator['comparator'], '')} {_number(indicator['value'])}".strip()
    unit = f" {indicator['unit']}" if indicator["unit"] else ""
    year = f" ({indicator['year']})" if indicator.get("year") else ""
    return f"{shown}{unit}{year}"


def open_states(session: Session, *, policy: Policy, document: Document, body: str) -> dict[str, ItemState]:
    """The open items of ``document`` that ``body`` leads or cooperates on, by key."""
    states = item_states(session, reporting=reporting.rule(policy.reporting_cadence), document=document, open_only=True)
    return {s.key: s for s in states if s.lead == body or body in s.cooperating}


def body_items(session: Session, *, policy: Policy, registry: Registry, body: str, today: date, language: str) -> list[ItemView]:
    """Every open item of ``body`` across the stored programmes, in document order."""
    views: list[ItemView] = []
    for document in list_documents(session):
        states = open_states(session, policy=policy, document=document, body=body)
        if not states:
            continue
        for shaped in list_items(session, document=document, where=ItemFilter(body=body)):
            state = states.get(shaped["key"])
            if state is not None:
                views.append(_view(document, shaped, state, registry=registry, body=body, today=today, language=language))
    return views


def _name(registry: Registry, code: str, language: str) -> str:
    known = registry.bodies.get(code)
    return known.name(language) if known else code


def _view(document: Document, shaped: dict[str, Any], state: ItemState, *, registry: Registry, body: str,
          today: date, language: str) -> ItemView:
    report_for = next((p for p in state.reporting_dates if p not in state.reported_periods), None)
    return ItemView(
        document=document.key, key=state.key, kind=word("item_kind", state.kind, language),
        section=" › ".join(shaped["section_titles"][-2:]), text=state.text,
        role=word("role", "lead" if state.lead == body else "cooperating", language),
        lead=_name(registry, state.lead, language),
        cooperating=[_name(registry, code, language) for code in state.cooperating],
        due=show_date(state.due), document_due=show_date(state.document_due) if state.extended else None,
        days=(state.due - today).days, report_for=show_date(report_for) if report_for else None,
        indicators=[IndicatorView(i["name"], i["unit"] or "", target_of(i)) for i in shaped["indicators"]],
    )
