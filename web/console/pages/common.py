"""What every console page needs: the runtime, the day (in Vietnam), the statuses' calendar, the
document shown, names of bodies, and rendering a page in the console's frame."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from config.errors import NotFoundError
from config.words import show_date, show_moment, word
from models.console_queries import Day, tune
from models.db import Session, session_scope
from models.queries import find_document
from models.tables import Document
from notifications.links import vietnam_day
from web.console.auth import ConsoleRefused, Viewer
from web.console.layout import console_page
from web.console.words import say
from workflows.orchestration.runtime import Runtime
from workflows.rules.workdays import on_or_after

PAGE_SIZE = 50


@dataclass(frozen=True)
class Here:
    """The request's runtime, language and day."""

    runtime: Runtime
    language: str
    today: date

    @property
    def registry(self) -> Any:
        return self.runtime.configuration.registry

    @property
    def policy(self) -> Any:
        return self.runtime.configuration.policy

    def name(self, code: str | None) -> str:
        """A body's name in the reader's language (its code when the registry does not know it)."""
        known = self.registry.bodies.get(code) if code else None
        if known is None:
            return code or ""
        return str(known.name_en if self.language == "en" else known.name_vi)


def here(request: Request) -> Here:
    runtime: Runtime = request.app.state.runtime
    return Here(runtime, runtime.settings.language, vietnam_day(request.app.state.clock()))


@contextmanager
def reading(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.runtime.engine) as session:
        tune(session.connection())
        yield session


def document_of(session: Session) -> Document:
    """The programme shown: the one ingested last (404 page when there is none)."""
    try:
        return find_document(session)
    except NotFoundError:
        raise ConsoleRefused(404, "not_found") from None


@lru_cache(maxsize=16)
def _shifts(first: int, last: int) -> str:
    """One character per day of the years ``first`` to ``last``: ``"0"`` plus the days a due date
    on that day moves to reach a working day."""
    day, end, marks = date(first, 1, 1), date(last, 12, 31), []
    while day <= end:
        marks.append(chr(48 + min((on_or_after(day) - day).days, 70)))
        day += timedelta(days=1)
    return "".join(marks)


def day_of(where: Here, document: Document, session: Session) -> Day:
    """The statuses' day: ``today``, with the days off of the programme's years (and a year either
    side, for extensions) when the policy counts working days."""
    dialect = session.get_bind().dialect.name
    if not where.policy.working_days:
        return Day(where.today, dialect=dialect)
    first, last = document.first_year - 1, document.last_year + 1
    return Day(where.today, date(first, 1, 1), _shifts(first, last), dialect)


def render(request: Request, who: Viewer, template: str, *, here: str = "", status: int = 200, **context: Any) -> HTMLResponse:
    """A console page: ``template`` under ``web/templates/console`` in the console's frame
    (``web.console.layout``), with the page words (``w``) and the date helpers."""
    where = globals()["here"](request)
    return console_page(request, f"console/{template}", who=who, here=here, status=status, w=say, word=word,
                        day=show_date, moment=show_moment, name=where.name, today=where.today, **context)


def parse_day(value: str | None) -> date | None:
    """A date typed dd/mm/yyyy or given yyyy-mm-dd (the date picker's form); None when empty,
    ValueError when it is neither."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if "/" in text:
        d, m, y = text.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text)
