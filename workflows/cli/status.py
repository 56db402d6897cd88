"""``dondoc status``: the items by lead body in the categories of government task tracking."""

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from workflows.cli.app import AsJson, AsOf, Kind, app, as_of_date, print_json, with_runtime
from workflows.cli.bounds import check_as_of
from workflows.cli.messages import say

if TYPE_CHECKING:
    from config.bodies import Registry
    from workflows.orchestration.runtime import Runtime


@app.command()
def status(
    as_of: AsOf = None,
    body: Annotated[str | None, typer.Option(help="Cơ quan chủ trì (mã hoặc tên) / lead body, code or name")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Loại mục / item kind")] = None,
    as_json: AsJson = False,
) -> None:
    """Tình hình thực hiện theo cơ quan / status of the items by lead body, as of a day."""
    from models.db import session_scope
    from models.item_states import item_states
    from workflows.rules import reporting
    from workflows.rules.status import status as item_status

    def action(runtime: "Runtime") -> None:
        check_as_of(as_of, runtime.engine, runtime.settings.language)
        day = as_of_date(as_of)
        policy = runtime.configuration.policy
        code = runtime.configuration.registry.resolve(body).code if body else None
        with session_scope(runtime.engine) as session:
            states = item_states(session, reporting=reporting.rule(policy.reporting_cadence))
        per_body: dict[str, Counter[str]] = defaultdict(Counter)
        items: list[dict[str, Any]] = []
        for s in states:
            if (code and code != s.lead) or (kind and s.kind != kind.value):
                continue
            category = item_status(s, day, policy)
            per_body[s.lead][category] += 1
            items.append({"key": s.key, "lead": s.lead, "due": s.due.isoformat(), "extended": s.extended,
                          "document_due": s.document_due.isoformat(), "status": category})
        if as_json:
            print_json({"as_of": day.isoformat(), "by_body": {b: dict(c) for b, c in sorted(per_body.items())}, "items": items})
        elif not states:
            typer.echo(say("status_empty", runtime.settings.language))
        elif not items:
            typer.echo(say("no_items", runtime.settings.language))
        else:
            _table(per_body, day, runtime.configuration.registry, runtime.settings.language)

    with_runtime(action, read_only=True)


def _table(per_body: dict[str, Counter[str]], day: Any, registry: "Registry", lang: str) -> None:
    """A row per lead body, a column per category, and a total row and column."""
    from rich.console import Console
    from rich.table import Table

    from config.words import names, show_date

    categories = names("category", lang)
    table = Table(title=say("status_title", lang, day=show_date(day)), show_footer=True)
    table.add_column(say("col_body", lang), footer=say("total_row", lang))
    totals: Counter[str] = Counter()
    for counter in per_body.values():
        totals.update(counter)
    for code, name in categories.items():
        table.add_column(name, justify="right", footer=str(totals[code]))
    table.add_column(say("col_total", lang), justify="right", footer=str(sum(totals.values())))
    for lead, counter in sorted(per_body.items()):
        known = registry.bodies.get(lead)
        title = (known.name_en if lang == "en" else known.name_vi) if known else ""
        table.add_row(f"{lead} {title}".strip(), *(str(counter[c]) for c in categories), str(sum(counter.values())))
    Console(width=200, markup=False).print(table)
