"""``dondoc bodies``: the bodies registry, and stanzas for the bodies a document names that it lacks.

Both only read (the registry and, for ``suggest``, a document); neither touches the database.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from config.settings import Settings
from workflows.cli.app import AsJson, app, print_json, with_settings
from workflows.cli.messages import say

bodies_app = typer.Typer(
    name="bodies",
    help="Các cơ quan, đơn vị / the bodies registry: list, suggest.",
    invoke_without_command=True,
)
app.add_typer(bodies_app, name="bodies")


@bodies_app.callback()
def bodies(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Các cơ quan, đơn vị / the bodies registry."""
    if ctx.invoked_subcommand is not None:
        return
    from config.bodies import load_registry
    from config.words import word

    def action(settings: Settings) -> None:
        lang = settings.language
        registry = load_registry(settings.bodies_file)
        listed: list[dict[str, Any]] = [
            {"code": b.code, "name_vi": b.name_vi, "name_en": b.name_en, "kind": b.kind, "emails": list(b.emails),
             "escalates_to": b.escalates_to, "coordinator": b.code == registry.coordinator}
            for b in registry.bodies.values()
        ]
        if as_json:
            print_json({"bodies": listed})
            return
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for column in ("col_code", "col_name", "col_body_kind", "col_emails", "col_escalates"):
            table.add_column(say(column, lang))
        for b in listed:
            table.add_row(b["code"], b["name_en" if lang == "en" else "name_vi"], word("body_kind", b["kind"], lang),
                          ", ".join(b["emails"]), b["escalates_to"] or "")
        Console(width=200, markup=False).print(table)

    with_settings(action)


@bodies_app.command()
def suggest(
    file: Annotated[Path, typer.Argument(help="Văn bản chương trình / the programme document")],
) -> None:
    """Mục bodies.yaml cho cơ quan danh mục chưa có / bodies.yaml stanzas for bodies the registry lacks.

    Prints one stanza per body the document names that bodies.yaml does not know, to paste at its
    end and complete where it says TODO."""
    from config.loading import load_configuration
    from workflows.orchestration.ingest import parse_file
    from workflows.reading.body_suggestions import suggest as stanzas
    from workflows.reading.body_suggestions import unknown_bodies

    def action(settings: Settings) -> None:
        configuration = load_configuration(settings)
        programme = parse_file(file, settings=settings, configuration=configuration)
        names = unknown_bodies(programme.items, configuration.registry)
        if not names:
            typer.echo(say("no_unknown_bodies", settings.language), err=True)
            return
        typer.echo(f"# {say('suggest_head', settings.language, file=file.name, count=len(names))}")
        typer.echo(stanzas(names, configuration.registry), nl=False)

    with_settings(action)
