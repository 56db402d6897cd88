"""How ``dondoc items`` shows the items: a table for people, CSV for spreadsheets.

Kept apart from the command so that what a spreadsheet receives (formulas neutralised, UTF-8
with a byte-order mark) is one small module to read. An item its lead delegated to a unit
(``dondoc delegate``) is listed under the lead and under the unit, marked "UBND (giao: STC)"
in the table and with ``delegated_to`` in JSON and CSV.
"""

import csv
import io
import sys
from datetime import date
from typing import Any

from models.db import Session
from models.tables import Document
from workflows.cli.messages import say
from workflows.rules.delegation import REPORT_NAME

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")."""


def _csv_cell(value: object) -> str:
    """A cell as text that Excel and LibreOffice show and never run: one starting like a formula
    gets a leading apostrophe, as OWASP recommends."""
    cell = "" if value is None else str(value)
    return "'" + cell if cell.startswith(CSV_FORMULA_STARTS) else cell


def items_csv(rows: list[dict[str, Any]]) -> None:
    """The items as CSV in UTF-8 with a byte-order mark (Excel on Windows reads UTF-8 only with
    one), written as bytes whatever the terminal's encoding."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["key", "kind", "section", "lead", "cooperating", "rule", "due", "document_due", "recurrence", "text",
                     "delegated_to"])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in (
            row["key"], row["kind"], row["section"], row["lead"], " ".join(row["cooperating"]), row["rule"], row["due"],
            row["document_due"], row["recurrence"], row["text"], row.get("delegated_to"))])
    sys.stdout.flush()
    sys.stdout.buffer.write(out.getvalue().encode("utf-8-sig"))
    sys.stdout.buffer.flush()


def items_table(rows: list[dict[str, Any]], lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from config.words import show_date, word

    table = Table(show_lines=False)
    columns = ("col_key", "col_kind", "col_lead", "col_cooperating", "col_due", "col_document_due", "col_recurrence", "col_text")
    for column in columns:
        table.add_column(say(column, lang), overflow="fold")
    for row in rows:
        text = row["text"] if len(row["text"]) <= 90 else row["text"][:89] + "…"
        due, document_due = (show_date(date.fromisoformat(row[k])) for k in ("due", "document_due"))
        lead = row["lead"] or ""
        if row.get("delegated_to"):
            lead = REPORT_NAME[lang == "en"].format(lead=lead, unit=row["delegated_to"])
        table.add_row(row["key"], word("item_kind", row["kind"], lang), lead, ", ".join(row["cooperating"]),
                      due, document_due, word("recurrence", row["recurrence"], lang), text)
    Console(width=200, markup=False).print(table)


def with_delegations(session: Session, document: Document, rows: list[dict[str, Any]], *, body: str | None,
                     section: str | None, kind: str | None, due_before: date | None) -> list[dict[str, Any]]:
    """``rows`` (``models.queries.list_items``) each with ``delegated_to``, the unit its lead
    delegated it to (None: the lead holds it); with ``body``, also the items a lead delegated to
    that body, which the assignments alone do not list, in the document's order."""
    from models.delegations import held_by_key, positions
    from models.queries import ItemFilter, list_items

    held = held_by_key(session)
    listed = {row["key"] for row in rows}
    wanted = {key for key, h in held.items() if body is not None and h.unit == body and key not in listed}
    if wanted:
        for lead in sorted({held[key].lead for key in wanted}):  # the few leads that delegated to the unit
            found = list_items(session, document=document, where=ItemFilter(lead, section, kind, due_before))
            rows = rows + [row for row in found if row["key"] in wanted]
        order = positions(session, document_id=document.id or 0, keys=[row["key"] for row in rows])
        rows = sorted(rows, key=lambda row: order.get(row["key"], 0))
    for row in rows:
        row["delegated_to"] = held[row["key"]].unit if row["key"] in held else None
    return rows


WORDS = {
    "no_number": ("không số", "no number"),
    "version": ("bản {v}", "version {v}"),
    "items": ("{n} mục", "{n} items"),
    "key": ("mã", "key"),
    "document": ("Văn bản", "Document"),
    "latest": ("nạp sau cùng; văn bản khác: --document SỐ", "ingested last; another one: --document NUMBER"),
}
"""The few words of the documents list and the items header, Vietnamese first."""
GENRES = (("chương trình", "Chương trình", "Programme"), ("kế hoạch", "Kế hoạch", "Plan"),
          ("nghị quyết", "Nghị quyết", "Resolution"))


def _word(name: str, lang: str, **values: object) -> str:
    vi, en = WORDS[name]
    return (en if lang == "en" else vi).format(**values)


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` first), 80 when there is none (a pipe)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def documents_lines(described: list[Any], lang: str, width: int) -> list[str]:
    """Three lines a document: its number, issuer and issue date; its title, cut with "…" to fit
    ``width``; its version, count of items and, last, its whole key (the number serves as well)."""
    from config.words import show_date
    from models.document_names import short_title

    lines = []
    for d in described:
        lines.append(" · ".join([d.number or _word("no_number", lang), d.issuer or "—",
                                 show_date(d.issued_on) if d.issued_on else "—"]))
        lines.append("    " + short_title(d.document.title, max(width - 4, 12)))
        lines.append("    " + " · ".join([_word("version", lang, v=d.document.version), _word("items", lang, n=d.items),
                                          f"{_word('key', lang)}: {d.document.key}"]))
    return lines


def document_header(described: Any, lang: str) -> str:
    """The line naming the document a command shows when none was asked for and several are
    stored: "Chương trình 58/NQ-CP (CHÍNH PHỦ, 21/04/2026) — 13 mục (nạp sau cùng; ...)"."""
    from config.folding import fold
    from config.words import show_date
    from models.document_names import short_title

    title = described.document.title
    genre = next((g[2 if lang == "en" else 1] for g in GENRES if fold(title).startswith(g[0])), _word("document", lang))
    facts = [f for f in (described.issuer, show_date(described.issued_on) if described.issued_on else None) if f]
    name = described.number or f"«{short_title(title, 60)}»"
    told = f" ({', '.join(facts)})" if facts and described.number else ""
    return f"{genre} {name}{told} — {_word('items', lang, n=described.items)} ({_word('latest', lang)})"
