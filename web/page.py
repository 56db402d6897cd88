"""What a body's answer page shows: its open items, read with the queries the sweeps and the
``items`` command use (``models.item_states``, ``models.queries``).

Delegation (``dondoc delegate``): a unit's page lists the items delegated to it, with their lead,
and lets it report and ask for more time as the lead would; the lead's page keeps the items it
delegated (it stays accountable, and may still report) with the unit that holds each and the
latest report on it."""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from config.bodies import Registry
from config.policy import Policy
from config.words import comparator_sign, label, show_date, show_number, show_value, word
from models.answers import indicators_of, latest_report
from models.db import Session
from models.delegations import delegations_of, latest_reports
from models.item_states import item_states
from models.queries import ItemFilter, list_documents, list_items
from models.states import ItemState
from models.tables import Document, ProgressReport
from workflows.rules import reporting


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
    delegation: tuple[str, str] | None = None
    """(label, what): the unit holding an item the lead delegated, with the latest report on it."""


def _number(value: float | None, language: str = "vi") -> str:
    """A number as the page's reader writes it; a value put back into an input keeps the
    Vietnamese marks (``12,5``, ``1.234``), which the form reads back the same."""
    return "" if value is None else show_number(value, language)


def target_of(indicator: dict[str, Any], language: str = "vi") -> str:
    """``≥ 95 %`` or ``20 - 25 %``, with the year when the document gives one."""
    if indicator["comparator"] == "between":
        shown = f"{_number(indicator['value'], language)} - {_number(indicator['value_max'], language)}"
    else:
        shown = f"{comparator_sign(indicator['comparator'])} {_number(indicator['value'], language)}".strip()
    unit = f" {indicator['unit']}" if indicator["unit"] else ""
    year = f" ({indicator['year']})" if indicator.get("year") else ""
    return f"{shown}{unit}{year}"


DELEGATION_WORDS = {
    "unit_role": ("Đơn vị được giao thực hiện", "Delegated to your unit"),
    "delegated": ("Giao thực hiện", "Delegated to"),
    "latest": ("{unit} · báo cáo gần nhất ({body}, {day}): {status}{percent}", "{unit} · latest report ({body}, {day}): {status}{percent}"),
    "silent": ("{unit} · chưa có báo cáo", "{unit} · no report yet"),
}


def _said(name: str, language: str, **values: Any) -> str:
    vi, en = DELEGATION_WORDS[name]
    return (en if language == "en" else vi).format(**values)


def open_states(session: Session, *, policy: Policy, document: Document, body: str,
                held: frozenset[int] = frozenset()) -> dict[str, ItemState]:
    """The open items of ``document`` that ``body`` leads or cooperates on, or holds as the unit
    they were delegated to (``held``: item ids), by key."""
    states = item_states(session, reporting=reporting.rule(policy.reporting_cadence), document=document, open_only=True)
    return {s.key: s for s in states if s.lead == body or body in s.cooperating or s.id in held}


def body_items(session: Session, *, policy: Policy, registry: Registry, body: str, today: date, language: str) -> list[ItemView]:
    """Every open item of ``body`` across the stored programmes, in document order."""
    views: list[ItemView] = []
    delegations = delegations_of(session, body=body)
    held = frozenset(h.item_id for h in delegations if h.unit == body)
    given = {h.item_id: h.unit for h in delegations if h.lead == body}
    latest = latest_reports(session, item_ids=given)
    for document in list_documents(session):
        states = open_states(session, policy=policy, document=document, body=body, held=held)
        if not states:
            continue
        shapes = list_items(session, document=document, where=ItemFilter(body=body))
        for lead in sorted({h.lead for h in delegations if h.unit == body}):  # the leads' items the unit holds
            shapes += [s for s in list_items(session, document=document, where=ItemFilter(body=lead))
                       if s["key"] in states and states[s["key"]].id in held]
        seen: set[str] = set()
        for shaped in shapes:
            state = states.get(shaped["key"])
            if state is not None and state.key not in seen:
                seen.add(state.key)
                view = _view(document, shaped, state, registry=registry, body=body, today=today, language=language)
                if state.id in held:
                    view = replace(view, role=_said("unit_role", language))
                elif state.id in given:
                    view = replace(view, delegation=_delegation(given[state.id], latest.get(state.id), registry, language))
                views.append(view)
    return views


def _delegation(unit: str, report: ProgressReport | None, registry: Registry, language: str) -> tuple[str, str]:
    """What the lead reads of an item it delegated: the unit, and the latest report on it."""
    name = _name(registry, unit, language)
    if report is None:
        return _said("delegated", language), _said("silent", language, unit=name)
    percent = f", {report.percent} %" if report.percent is not None else ""
    note = f" — {report.note}" if report.note else ""
    return _said("delegated", language), _said(
        "latest", language, unit=name, body=_name(registry, report.body_code, language), day=show_date(report.submitted_on),
        status=word("report", report.status, language), percent=percent) + note


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
        indicators=[IndicatorView(i["name"], i["unit"] or "", target_of(i, language)) for i in shaped["indicators"]],
    )


def report_echo(session: Session, *, body: str, key: str, language: str) -> str | None:
    """What the body's latest progress report on ``key`` recorded, as it reads it back after
    sending it: the status, the percent and each indicator's value by its name and unit
    ("Hoàn thành · 80 % · Tốc độ tăng trưởng GRDP: 7,1 %"); None when it sent none."""
    report = latest_report(session, body=body, key=key)
    if report is None:
        return None
    units = {i.name: i.unit for i in indicators_of(session, item_ids=[report.item_id]).get(report.item_id, [])}
    said = [label("report", report.status, language)]
    if report.percent is not None:
        said.append(f"{show_number(report.percent, language)} %")
    said += [show_value(name, value, units.get(name), language) for name, value in report.values.items()]
    return " · ".join(said)
