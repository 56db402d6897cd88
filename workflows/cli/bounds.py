"""Dates a user gives, held to the programme's window (:mod:`workflows.rules.window`).

A date option is parsed by Typer before any database opens, but its window is the stored
programme's term, so the check runs once the command has found its document, before anything is
written: a date outside is a usage error (exit 64) naming the option, the date and the window.
A date the user did not give (today, by default) is not checked: it is a fact, not a slip.
"""

from datetime import date
from typing import TYPE_CHECKING

from workflows.cli.app import UsageProblem
from workflows.cli.messages import say
from workflows.rules.window import Window, date_window, union, within

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from models.db import Session
    from models.tables import Document


def document_window(document: "Document") -> Window:
    return date_window(document.first_year, document.last_year)


def stored_window(session: "Session") -> Window | None:
    """The days any stored programme covers (None when none is stored): a sweep and ``status`` act
    on the items of every document at once, so a day within any one of them is a day to act on."""
    from models.queries import list_documents

    return union(document_window(d) for d in list_documents(session))


def show_window(window: Window) -> str:
    from config.words import show_date

    return f"({show_date(window[0])} - {show_date(window[1])})"


def check_day(name: str, day: date | None, window: Window | None, language: str) -> None:
    """Refuse ``day``, given as option ``name``, when it falls outside ``window`` (nothing to check
    when the user gave no date, or no programme is stored)."""
    if day is None or window is None or within(day, window):
        return
    from config.words import show_date

    raise UsageProblem(say("outside_window", language, name=name, value=show_date(day), window=show_window(window)))


def check_as_of(day: date | None, engine: "Engine", language: str) -> None:
    """``--as-of`` of a command that acts on every stored programme (a sweep, ``status``)."""
    if day is None:
        return  # today: no query, nothing to check
    from models.db import session_scope

    with session_scope(engine) as session:
        window = stored_window(session)
    check_day("--as-of", day, window, language)
