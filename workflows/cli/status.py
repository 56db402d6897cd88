"""``dondoc status``: the items by lead body in the categories of government task tracking."""

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from workflows.cli.app import AsJson, AsOf, Kind, app, as_of_date, print_json, with_runtime

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


@app.command()
def status(
    as_of: AsOf = None,
    body: Annotated[str | None, typer.Option(help="Cơ quan / body")] = None,
    kind: Annotated[Kind | None, typer.Option(help="target | task | directive")] = None,
    as_json: AsJson = False,
) -> None:
    """Tình hình thực hiện theo cơ quan / status of the items by lead body, as of a day."""
    from config.words import names
    from models.db import session_scope
    from models.item_states import item_states
    from workflows.rules import reporting
    from workflows.rules.status import status as item_status

    def action(runtime: "Runtime") -> None:
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
            return
        category_names = names("category", runtime.settings.language)
        for lead, counter in sorted(per_body.items()):
            typer.echo(f"{lead:<10} " + ", ".join(f"{category_names[k]} {counter[k]}" for k in category_names if counter[k]))

    with_runtime(action)
