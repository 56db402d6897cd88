"""The ``dondoc`` command.

Commands that only read (``parse``, ``items``, ``bodies``) never import Prefect; heavy modules
are imported inside the commands that use them, so that a read answers quickly.
"""

import csv
import json
import sys
from collections import Counter
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from config.errors import DondocError
from config.settings import Settings, load_settings
from workflows.messages import say

app = typer.Typer(
    name="dondoc",
    help="dondoc: theo dõi, đôn đốc thực hiện chương trình hành động / track and urge an action programme.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Kind(StrEnum):
    target = "target"
    task = "task"
    directive = "directive"


def fail(error: DondocError, language: str = "vi") -> NoReturn:
    typer.echo(f"dondoc: {say('error', language)}: {error}", err=True)
    raise typer.Exit(error.exit_code)


def settings_or_fail() -> Settings:
    try:
        return load_settings()
    except DondocError as error:
        fail(error)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="Văn bản chương trình (UTF-8) / the programme document")],
    as_json: Annotated[bool, typer.Option("--json", help="In JSON / print JSON")] = False,
) -> None:
    """Phân tích văn bản, không ghi cơ sở dữ liệu / parse a document; the database is not touched."""
    from workflows.ingest import load_configuration, parse_file
    from workflows.programme import programme_json

    settings = settings_or_fail()
    try:
        programme = parse_file(file, settings=settings, configuration=load_configuration(settings))
    except DondocError as error:
        fail(error, settings.language)
    if as_json:
        print_json(programme_json(programme))
        return
    lang = settings.language
    typer.echo(f"{programme.title}\n{programme.term.first_year} - {programme.term.last_year}, {len(programme.items)}")
    _summary(programme_json(programme)["items"], lang)


def _summary(items: list[dict[str, Any]], lang: str) -> None:
    kinds = Counter(say(f"kind_{i['kind']}", lang) for i in items)
    leads = Counter(i["lead"] for i in items)
    typer.echo(f"{say('by_kind', lang)}: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    typer.echo(f"{say('by_lead', lang)}: " + ", ".join(f"{k} {n}" for k, n in leads.most_common()))


@app.command()
def ingest(
    file: Annotated[Path | None, typer.Argument(help="Văn bản chương trình / the programme document")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="Nạp văn bản mẫu kèm theo / ingest the bundled sample")] = False,
    orchestrate: Annotated[
        bool, typer.Option("--orchestrate/--direct", help="Chạy như luồng Prefect / run as a Prefect flow")
    ] = False,
) -> None:
    """Nạp văn bản vào cơ sở dữ liệu / ingest a document (a second run of the same file changes nothing)."""
    from workflows.ingest import load_configuration, parse_file, sample_path, store

    settings = settings_or_fail()
    lang = settings.language
    if file is None and not sample:
        fail(DondocError("give a FILE, or --sample for the bundled programme"), lang)
    path = sample_path() if file is None else file
    try:
        if orchestrate:
            from workflows.flows import ingest_flow

            programme, changes = ingest_flow(str(path), settings)
        else:
            configuration = load_configuration(settings)
            programme = parse_file(path, settings=settings, configuration=configuration)
            changes = store(programme, source=path.name, settings=settings, configuration=configuration)
    except DondocError as error:
        fail(error, lang)
    from workflows.programme import programme_json

    values = {"title": programme.title, "items": len(programme.items)}
    if changes.any:
        typer.echo(say("ingested", lang, added=len(changes.added), updated=len(changes.updated),
                       retired=len(changes.retired), reassigned=len(changes.reassigned), **values))
    else:
        typer.echo(say("unchanged", lang, **values))
    _summary(programme_json(programme)["items"], lang)
    typer.echo(say("database", lang, url=_safe_url(settings.url)))


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _open(settings: Settings) -> Any:
    from models.db import open_database

    return open_database(settings.url)


@app.command()
def items(
    body: Annotated[str | None, typer.Option(help="Cơ quan (mã hoặc tên) / body code or name")] = None,
    section: Annotated[str | None, typer.Option(help="Mục, ví dụ C.II.1 / section key, e.g. C.II.1")] = None,
    kind: Annotated[Kind | None, typer.Option(help="target | task | directive")] = None,
    due_before: Annotated[str | None, typer.Option(help="Hạn trước ngày YYYY-MM-DD / due before")] = None,
    output: Annotated[Format, typer.Option("--format", help="table | json | csv")] = Format.table,
    document: Annotated[str | None, typer.Option(help="Mã văn bản / document key (default: the last ingested)")] = None,
) -> None:
    """Liệt kê các mục công việc / list the work items."""
    from config.bodies import load_registry
    from config.policy import load_policy
    from models.db import session_scope
    from models.queries import ItemFilter, find_document, list_items
    from workflows.deadlines import reporting_dates

    settings = settings_or_fail()
    lang = settings.language
    try:
        before = _date(due_before, "--due-before") if due_before else None
        code = load_registry(settings.bodies_file).resolve(body).code if body else None
        policy = load_policy(settings.policy_file)
        engine = _open(settings)
        with session_scope(engine) as session:
            doc = find_document(session, document)
            rows = list_items(session, document=doc, where=ItemFilter(code, section, kind.value if kind else None, before))
        engine.dispose()
    except DondocError as error:
        fail(error, lang)
    for row in rows:
        row["reporting_dates"] = [
            d.isoformat() for d in reporting_dates(doc.start, date.fromisoformat(row["due"]), policy.reporting_cadence)
        ]
    if output is Format.json:
        print_json({"document": {"key": doc.key, "title": doc.title}, "items": rows})
    elif output is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["key", "kind", "section", "lead", "cooperating", "rule", "due", "recurrence", "text"])
        for row in rows:
            writer.writerow([row["key"], row["kind"], row["section"], row["lead"], " ".join(row["cooperating"]),
                             row["rule"], row["due"], row["recurrence"], row["text"]])
    elif not rows:
        typer.echo(say("no_items", lang))
    else:
        _items_table(rows, lang)


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DondocError(f"{option} takes a date as YYYY-MM-DD, not {text!r}") from None


def _items_table(rows: list[dict[str, Any]], lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("col_key", "col_kind", "col_lead", "col_cooperating", "col_due", "col_recurrence", "col_text"):
        table.add_column(say(column, lang), overflow="fold")
    for row in rows:
        text = row["text"] if len(row["text"]) <= 90 else row["text"][:89] + "…"
        table.add_row(row["key"], say(f"kind_{row['kind']}", lang), row["lead"], ", ".join(row["cooperating"]),
                      row["due"], say(f"rec_{row['recurrence']}", lang), text)
    Console(width=200).print(table)


@app.command()
def bodies(as_json: Annotated[bool, typer.Option("--json", help="In JSON / print JSON")] = False) -> None:
    """Các cơ quan, đơn vị / the bodies registry."""
    from config.bodies import load_registry

    settings = settings_or_fail()
    lang = settings.language
    try:
        registry = load_registry(settings.bodies_file)
    except DondocError as error:
        fail(error, lang)
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
        table.add_row(b["code"], b["name_en" if lang == "en" else "name_vi"], b["kind"], ", ".join(b["emails"]), b["escalates_to"] or "")
    Console(width=200).print(table)


@app.command()
def assign(
    key: Annotated[str, typer.Argument(help="Mã mục, ví dụ C.I.1.1.2 / item key")],
    body: Annotated[str, typer.Argument(help="Cơ quan (mã hoặc tên) / body code or name")],
    cooperating: Annotated[bool, typer.Option("--cooperating", help="Thêm cơ quan phối hợp / add as cooperating")] = False,
    document: Annotated[str | None, typer.Option(help="Mã văn bản / document key")] = None,
) -> None:
    """Giao lại mục cho cơ quan khác; giữ nguyên khi nạp lại / reassign an item; survives re-ingest."""
    from config.bodies import load_registry
    from models.db import session_scope
    from models.queries import assign_manually, find_document
    from models.store import sync_bodies
    from workflows.ingest import actor

    settings = settings_or_fail()
    lang = settings.language
    role = "cooperating" if cooperating else "lead"
    try:
        registry = load_registry(settings.bodies_file)
        code = registry.resolve(body).code
        engine = _open(settings)
        with session_scope(engine) as session:
            sync_bodies(session, registry=registry)
            doc = find_document(session, document)
            old, new = assign_manually(session, document=doc, key=key, body=code, role=role, actor=actor(), now=datetime.now(UTC))
        engine.dispose()
    except DondocError as error:
        fail(error, lang)
    typer.echo(say("assigned", lang, key=key, role=say(f"role_{role}", lang), body=new, old=old or "-"))


@app.command()
def documents(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Các văn bản đã nạp / the documents stored."""
    from models.db import session_scope
    from models.queries import list_documents

    settings = settings_or_fail()
    try:
        engine = _open(settings)
        with session_scope(engine) as session:
            docs = list_documents(session)
        engine.dispose()
    except DondocError as error:
        fail(error, settings.language)
    rows = [{"key": d.key, "title": d.title, "version": d.version, "sha256": d.sha256,
             "ingested_at": d.ingested_at.isoformat()} for d in docs]
    if as_json:
        print_json({"documents": rows})
    else:
        for r in rows:
            typer.echo(f"{r['key']}  v{r['version']}  {r['ingested_at']}  {r['title']}")


def main() -> None:
    import workflows.cli_chase
    import workflows.cli_serve  # noqa: F401  (registers serve and demo)

    app()
