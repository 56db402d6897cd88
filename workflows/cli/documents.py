"""Commands about documents and their items: parse, ingest, items, assign, documents.

``parse`` and ``items`` only read, and never import Prefect.
"""

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from config.settings import Settings
from workflows.cli.app import (
    AsJson,
    DocumentKey,
    Format,
    Kind,
    UsageProblem,
    app,
    date_option,
    fail,
    language,
    print_json,
    with_runtime,
    with_settings,
)
from workflows.cli.listing import (
    document_header,
    documents_lines,
    items_csv,
    items_table,
    terminal_width,
    with_delegations,
)
from workflows.cli.messages import say

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="Văn bản chương trình (UTF-8) / the programme document")],
    as_json: AsJson = False,
) -> None:
    """Phân tích văn bản, không ghi cơ sở dữ liệu / parse a document; the database is not touched."""
    from config.loading import load_configuration
    from workflows.orchestration.ingest import parse_file
    from workflows.reading.body_suggestions import unknown_bodies
    from workflows.reading.programme import programme_json

    def action(settings: Settings) -> None:
        configuration = load_configuration(settings)
        programme = parse_file(file, settings=settings, configuration=configuration)
        unknown = unknown_bodies(programme.items, configuration.registry)
        if as_json:
            print_json({**programme_json(programme), "unknown_bodies": unknown})
            return
        lang = settings.language
        typer.echo(say("parsed", lang, title=programme.title, first=programme.term.first_year,
                       last=programme.term.last_year, items=len(programme.items)))
        _summary(programme_json(programme)["items"], lang)
        if unknown:
            typer.echo(say("unknown_bodies", lang, count=len(unknown), file=file))
            for name in unknown:
                typer.echo(f"  - {name}")

    with_settings(action)


def _stored_items(runtime: "Runtime", document_key: str) -> list[dict[str, Any]]:
    """The kind and lead of each item of the document as the database holds them after an ingest."""
    from models.db import session_scope
    from models.queries import stored_kinds_and_leads

    with session_scope(runtime.engine) as session:
        return list(stored_kinds_and_leads(session, document_key=document_key))


def _summary(items: list[dict[str, Any]], lang: str) -> None:
    from config.words import word

    kinds = Counter(word("item_kind", i["kind"], lang) for i in items)
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
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Đồng ý loại bỏ quá nửa số mục / allow retiring most of the items")
    ] = False,
) -> None:
    """Nạp văn bản vào cơ sở dữ liệu / ingest a document (a second run of the same file changes nothing)."""
    from config.errors import ConflictError
    from models.documents import MostItemsRetired
    from workflows.orchestration.ingest import parse_file, sample_path, store

    if file is None and not sample:  # before any database is opened
        lang = language()
        fail(UsageProblem(say("give_file", lang)), lang)

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        path = sample_path() if file is None else file
        try:
            if orchestrate:
                from workflows.orchestration.flows import ingest_flow

                programme, changes = ingest_flow(str(path), confirm=confirm)
            else:
                programme = parse_file(path, settings=runtime.settings, configuration=runtime.configuration)
                changes = store(runtime.engine, programme, source=path.name, configuration=runtime.configuration,
                                actor=runtime.settings.actor, confirm=confirm)
        except MostItemsRetired as refused:  # said in the reader's language, exit 6
            raise ConflictError(say("confirm_retire", lang, key=refused.key, retired=refused.retired,
                                    total=refused.total)) from refused
        values = {"title": programme.title, "items": len(programme.items)}
        if changes.any:
            typer.echo(say("ingested", lang, added=len(changes.added), updated=len(changes.updated),
                           retired=len(changes.retired), reassigned=len(changes.reassigned), **values))
        else:
            typer.echo(say("unchanged", lang, **values))
        if changes.restored:
            typer.echo(say("restored", lang, count=len(changes.restored), keys=", ".join(changes.restored)))
        _summary(_stored_items(runtime, programme.key), lang)  # as stored: a manual assignment counts
        typer.echo(say("database", lang, url=_safe_url(runtime.settings.url)))

    with_runtime(action)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command()
def items(
    body: Annotated[str | None, typer.Option(help="Cơ quan (mã hoặc tên) / body code or name")] = None,
    section: Annotated[str | None, typer.Option(help="Mục, ví dụ C.II.1 / section key, e.g. C.II.1")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Loại mục / item kind")] = None,
    due_before: Annotated[date | None, date_option("--due-before", "Hạn trước ngày dd/mm/yyyy / due before")] = None,
    output: Annotated[Format, typer.Option("--format", help="Dạng in ra / output format")] = Format.table,
    document: DocumentKey = None,
) -> None:
    """Liệt kê các mục công việc / list the work items."""
    from models.db import session_scope
    from models.queries import ItemFilter, find_document, list_items
    from workflows.rules.reporting import reporting_dates

    def action(runtime: "Runtime") -> None:
        code = runtime.configuration.registry.resolve(body).code if body else None
        with session_scope(runtime.engine) as session:
            doc = find_document(session, document)
            rows = list_items(session, document=doc, where=ItemFilter(code, section, kind.value if kind else None, due_before))
            rows = with_delegations(session, doc, rows, body=code, section=section, kind=kind.value if kind else None,
                                    due_before=due_before)
            header = None if document else _default_header(session, doc, runtime.settings.language)
        if header:  # several stored, none asked for: say which one this is (beside JSON and CSV, not in them)
            typer.echo(header, err=output is not Format.table)
        cadence = runtime.configuration.policy.reporting_cadence
        for row in rows:
            due = datetime.fromisoformat(row["due"]).date()
            row["reporting_dates"] = [d.isoformat() for d in reporting_dates(doc.start, due, cadence)]
        if output is Format.json:
            print_json({"document": {"key": doc.key, "title": doc.title}, "items": rows})
        elif output is Format.csv:
            items_csv(rows)
        elif not rows:
            typer.echo(say("no_items", runtime.settings.language))
        else:
            items_table(rows, runtime.settings.language)

    with_runtime(action, read_only=True)


def _default_header(session: Any, doc: Any, lang: str) -> str | None:
    """The line naming the document a command shows by default, when more than one is stored."""
    from models.document_names import describe_documents

    described = describe_documents(session)
    shown = next((d for d in described if d.document.id == doc.id), None)
    return document_header(shown, lang) if len(described) > 1 and shown else None


@app.command()
def assign(
    key: Annotated[str, typer.Argument(help="Mã mục, ví dụ C.I.1.1.2 / item key")],
    body: Annotated[str, typer.Argument(help="Cơ quan (mã hoặc tên) / body code or name")],
    cooperating: Annotated[bool, typer.Option("--cooperating", help="Thêm cơ quan phối hợp / add as cooperating")] = False,
    document: DocumentKey = None,
) -> None:
    """Giao lại mục cho cơ quan khác; giữ nguyên khi nạp lại / reassign an item; survives re-ingest."""
    from models.bodies import sync_bodies
    from models.db import session_scope
    from models.queries import assign_manually, find_document

    role = "cooperating" if cooperating else "lead"

    def action(runtime: "Runtime") -> None:
        registry = runtime.configuration.registry
        code = registry.resolve(body).code
        with session_scope(runtime.engine) as session:
            sync_bodies(session, registry=registry)
            doc = find_document(session, document)
            done = assign_manually(session, document=doc, key=key, body=code, role=role,
                                   actor=runtime.settings.actor, now=datetime.now(UTC))
        lang = runtime.settings.language
        if not done.changed:
            typer.echo(say("assign_unchanged", lang, key=key, role=say(f"role_{role}", lang), body=code))
        elif role == "cooperating":
            typer.echo(say("assigned_cooperating", lang, key=key, body=code, bodies=", ".join(done.cooperating),
                           lead=done.lead or "-"))
        elif done.previous_lead == code:
            typer.echo(say("assigned_pinned", lang, key=key, body=code))
        else:
            typer.echo(say("assigned", lang, key=key, role=say("role_lead", lang), body=code, old=done.previous_lead or "-"))

    with_runtime(action)


@app.command()
def documents(as_json: AsJson = False) -> None:
    """Các văn bản đã nạp: số, cơ quan ban hành, ngày, tên, mã / the documents stored, by number and key."""
    from models.db import session_scope
    from models.document_names import describe_documents

    def action(runtime: "Runtime") -> None:
        with session_scope(runtime.engine) as session:
            described = describe_documents(session)
        rows = [{"key": d.document.key, "title": d.document.title, "version": d.document.version,
                 "sha256": d.document.sha256, "ingested_at": d.document.ingested_at.isoformat(), **d.facts(),
                 "items": d.items} for d in described]
        if as_json:
            print_json({"documents": rows})
        elif not described:
            typer.echo(say("no_documents", runtime.settings.language))
        else:
            typer.echo("\n".join(documents_lines(described, runtime.settings.language, terminal_width())))

    with_runtime(action, read_only=True)
