"""``dondoc outbox list --item KEY``: an item's history of reminders and escalations, letter by letter.

Since the daily chase, a reminder or a rung is a part of a body's letter (``models.letters``),
not an email of its own; this lists each part under the letter that carried it and that letter's
state, so that the Office can still answer "was this body told, and when?".
"""

from typing import TYPE_CHECKING

import typer

from workflows.cli.app import print_json
from workflows.cli.messages import say

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


def print_item_parts(runtime: "Runtime", key: str, limit: int, as_json: bool) -> None:
    """The parts that carried item ``key`` (of the newest document), newest first."""
    from rich.console import Console
    from rich.table import Table

    from config.words import show_date, show_moment, word
    from models.db import session_scope
    from models.letters import parts_of
    from models.queries import find_document
    from models.reports import active_item

    lang = runtime.settings.language
    with session_scope(runtime.engine) as session:
        found = active_item(session, document=find_document(session), key=key)
        assert found.id is not None
        parts = parts_of(session, item_id=found.id, limit=limit)
    if as_json:
        print_json({"item": key, "parts": [
            {"key": p.key, "letter": p.letter, "body": p.body, "kind": p.kind, "role": p.role, "subject": p.subject,
             "due_date": p.due_date.isoformat(), "level": p.level, "status": p.status, "created_at": p.created_at.isoformat()}
            for p in parts]})
        return
    if not parts:
        typer.echo(say("item_parts_none", lang, key=key))
        return
    table = Table()
    for column in ("col_letter", "col_body", "col_part", "col_due", "col_status", "col_when"):
        table.add_column(say(column, lang), overflow="fold")
    for p in parts:
        what = f"{p.kind} {p.subject}" + (f" {p.level}" if p.kind == "escalation" else f" -{p.level}") + f" ({p.role})"
        table.add_row(p.letter, p.body, what, show_date(p.due_date), word("outbox", p.status, lang), show_moment(p.created_at))
    Console(width=200, markup=False).print(table)
