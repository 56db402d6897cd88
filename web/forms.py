"""Reading the two forms of the answer page, and naming what is wrong with them.

Pure functions of the submitted fields: every value is bounded (length, characters, range) before
anything reaches the database, and each problem is one sentence naming the field, shown again
above the form (HTTP 422). The bounds: a note or a reason of at most 2,000 characters, an
indicator value of at most 200; no control characters (a note or reason may hold line breaks and
tabs); a percent from 0 to 100; a date written dd/mm/yyyy inside the programme's window.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from config.words import show_date
from models.review_tables import ANSWER_STATUSES
from models.tables import REPORT_STATUSES
from web.words import text
from workflows.reading.numbers import NotFinite, parse_number
from workflows.reading.review_values import ValueProblem, read_number
from workflows.rules.window import Window, within

MAX_TEXT = 2000
MAX_VALUE = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass
class Problems:
    """What is wrong with a form, in the reader's language."""

    language: str
    found: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    """The names of the form's fields that are wrong (marked when the form is shown again)."""

    def add(self, sentence: str, /, *, name: str | None = None, **values: object) -> None:
        self.found.append(text(sentence, self.language, **values))
        if name is not None:
            self.fields.add(name)


@dataclass(frozen=True)
class Report:
    status: str
    percent: int | None
    note: str | None
    values: dict[str, float | str]


@dataclass(frozen=True)
class ReviewEntry:
    """One item's answer to a review round, read and checked: a status of the list, a short
    account, and the value reached per indicator position."""

    key: str
    status: str
    note: str | None
    values: dict[str, float]


@dataclass(frozen=True)
class Extension:
    to: date
    reason: str


def _clean(raw: Any, name: str, problems: Problems, *, limit: int, multiline: bool) -> str:
    """The field's text, stripped and in NFC; a problem when too long or with control characters."""
    value = unicodedata.normalize("NFC", raw if isinstance(raw, str) else "").strip()
    if len(value) > limit:
        problems.add("too_long", field=name, n=limit)
        return ""
    value = value.replace("\r\n", "\n")
    if (_CONTROL if multiline else _CONTROL_ONE_LINE).search(value):
        problems.add("control", field=name)
        return ""
    return value


def read_report(form: Mapping[str, Any], indicators: list[str], language: str) -> Report | Problems:
    """The report form: ``status``, ``percent``, ``note`` and one ``v<N>`` per indicator (its
    position among the item's indicators, which names it)."""
    problems = Problems(language)
    status = form.get("status")
    if status not in REPORT_STATUSES:
        problems.add("bad_status")
    percent: int | None = None
    raw_percent = _clean(form.get("percent"), text("percent", language), problems, limit=10, multiline=False)
    if raw_percent:
        if re.fullmatch(r"\d{1,3}", raw_percent) and 0 <= int(raw_percent) <= 100:
            percent = int(raw_percent)
        else:
            problems.add("bad_percent")
    note = _clean(form.get("note"), text("note", language), problems, limit=MAX_TEXT, multiline=True) or None
    values: dict[str, float | str] = {}
    for position, name in enumerate(indicators):
        raw = _clean(form.get(f"v{position}"), name, problems, limit=MAX_VALUE, multiline=False)
        if not raw:
            continue
        try:
            values[name] = parse_number(raw)
        except NotFinite:
            problems.add("not_finite", field=name)
        except ValueError:
            values[name] = raw  # words, as `dondoc report --value` keeps them
    if problems.found:
        return problems
    return Report(str(status), percent, note, values)


def read_extension(form: Mapping[str, Any], window: Window, language: str) -> Extension | Problems:
    """The extension form: ``to`` (dd/mm/yyyy, inside the programme's window) and ``reason``."""
    problems = Problems(language)
    raw = _clean(form.get("to"), text("new_due", language), problems, limit=20, multiline=False)
    to: date | None = None
    if not raw:
        if not problems.found:
            problems.add("required", field=text("new_due", language))
    else:
        try:
            to = datetime.strptime(raw, "%d/%m/%Y").date()
        except ValueError:
            problems.add("bad_date", value=raw)
    if to is not None and not within(to, window):
        problems.add("outside_window", value=show_date(to), window=f"({show_date(window[0])} - {show_date(window[1])})")
    reason = _clean(form.get("reason"), text("reason", language), problems, limit=MAX_TEXT, multiline=True)
    if not reason and not any(text("reason", language) in p for p in problems.found):
        problems.add("required", field=text("reason", language))
    if problems.found or to is None:
        return problems
    return Extension(to, reason)


def review_field(what: str, key: str, position: str | None = None) -> str:
    """The name of a field of the round's form: ``status:KEY``, ``note:KEY``, ``v3:KEY`` (an
    item key holds dots, never a colon, so the name reads back without ambiguity)."""
    return f"{what}{position or ''}:{key}"


def read_review(form: Mapping[str, Any], asked: Mapping[str, list[tuple[str, str]]], language: str,
                *, note_limit: int) -> list[ReviewEntry] | Problems:
    """The round's form for the items ``asked`` (key -> its indicators' (position, name)): an item
    with a status is an answer; one with none is left as it is, unless the clerk wrote an account
    or a value for it. A value must be a number (``12,5`` and ``1.234`` as the documents write
    them); one problem anywhere stores nothing."""
    problems, entries = Problems(language), []
    for key, indicators in asked.items():
        status = form.get(review_field("status", key)) or ""
        note = _clean(form.get(review_field("note", key)), f"{key}: {text('note', language)}", problems,
                      limit=note_limit, multiline=True)
        values: dict[str, float] = {}
        for position, name in indicators:
            field_name = review_field("v", key, position)
            raw = _clean(form.get(field_name), f"{key}: {name}", problems, limit=MAX_VALUE, multiline=False)
            if not raw:
                continue
            try:
                values[position] = read_number(name, raw)  # what the command and the XLSX form accept
            except ValueProblem:
                problems.add("review_not_number", name=field_name, key=key, field=name, value=raw)
        if status == "":
            if note or values:
                problems.add("review_need_status", name=review_field("status", key), key=key)
            continue
        if status not in ANSWER_STATUSES:
            problems.add("review_bad_status", name=review_field("status", key), key=key)
            continue
        entries.append(ReviewEntry(key, str(status), note or None, values))
    if not entries and not problems.found:
        problems.add("review_nothing")
    return problems if problems.found else entries
