"""How ``dondoc items`` shows the items: a table for people, CSV for spreadsheets.

Kept apart from the command so that what a spreadsheet receives (formulas neutralised, UTF-8
with a byte-order mark) is one small module to read.
"""

import csv
import io
import sys
from datetime import date
from typing import Any

from workflows.cli.messages import say

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
    writer.writerow(["key", "kind", "section", "lead", "cooperating", "rule", "due", "document_due", "recurrence", "text"])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in (
            row["key"], row["kind"], row["section"], row["lead"], " ".join(row["cooperating"]), row["rule"], row["due"],
            row["document_due"], row["recurrence"], row["text"])])
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
        table.add_row(row["key"], word("item_kind", row["kind"], lang), row["lead"], ", ".join(row["cooperating"]),
                      due, document_due, word("recurrence", row["recurrence"], lang), text)
    Console(width=200, markup=False).print(table)
