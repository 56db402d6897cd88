"""The outbox by hand: outbox list, dispatch, retry."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from workflows.cli.app import AsJson, DryRun, Orchestrate, OutboxStatus, app, print_json, with_runtime
from workflows.cli.messages import say

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime

outbox_app = typer.Typer(help="Hộp thư đi / the outbox: list, dispatch, retry.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")


@outbox_app.command("list")
def outbox_list(
    status: Annotated[OutboxStatus | None, typer.Option(help="Trạng thái / only messages in this state")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Nhiều nhất / show at most this many")] = 50,
    item: Annotated[str | None, typer.Option(help="Các lần thư nhắc một mục / each reminder and escalation of this item, by letter")] = None,
    as_json: AsJson = False,
) -> None:
    """Thư trong hộp thư đi / messages in the outbox, newest first."""
    from models.db import session_scope
    from models.outbox import counts, list_messages

    def action(runtime: "Runtime") -> None:
        if item is not None:
            from workflows.cli.letter_parts import print_item_parts

            print_item_parts(runtime, item, limit, as_json)
            return
        with session_scope(runtime.engine) as session:
            rows: list[dict[str, Any]] = [
                {"id": m.id, "key": m.key, "kind": m.kind, "status": m.status, "attempts": m.attempts,
                 "to": list(m.recipients), "subject": m.subject, "next_attempt_at": m.next_attempt_at.isoformat(),
                 "sent_at": m.sent_at.isoformat() if m.sent_at else None, "last_error": m.last_error}
                for m in list_messages(session, status=status.value if status else None, limit=limit)
            ]
            totals = counts(session)
        matching = totals.get(status.value, 0) if status else sum(totals.values())
        if as_json:
            print_json({"counts": totals, "messages": rows, "left_out": matching - len(rows)})
            return
        _print_list(rows, totals, matching, status, runtime.settings.language)

    with_runtime(action, read_only=True)


def _print_list(rows: list[dict[str, Any]], totals: dict[str, int], matching: int, status: OutboxStatus | None,
                lang: str) -> None:
    """The counts by state, a table of the rows shown, and how many were left out."""
    from rich.console import Console
    from rich.table import Table

    from config.words import show_moment, word

    if not totals:
        typer.echo(say("outbox_empty", lang))
        return
    typer.echo(f"{say('outbox_totals', lang)}: " + ", ".join(f"{word('outbox', k, lang)} {v}" for k, v in sorted(totals.items())))
    if not rows:
        typer.echo(say("outbox_none", lang, status=word("outbox", status.value if status else "", lang)))
        return
    table = Table()
    for column in ("col_id", "col_status", "col_attempts", "col_to", "col_subject", "col_when", "col_error"):
        table.add_column(say(column, lang), overflow="fold")
    for r in rows:
        when = r["sent_at"] or r["next_attempt_at"]
        table.add_row(str(r["id"]), word("outbox", r["status"], lang), str(r["attempts"]), ", ".join(r["to"]), r["subject"],
                      show_moment(datetime.fromisoformat(when)), r["last_error"] or "")
    Console(width=200, markup=False).print(table)
    if matching > len(rows):
        typer.echo(say("outbox_more", lang, n=matching - len(rows), total=matching))


@outbox_app.command("dispatch")
def outbox_dispatch(
    limit: Annotated[int | None, typer.Option(min=1, help="Gửi nhiều nhất / send at most this many")] = None,
    dry_run: DryRun = False,
    orchestrate: Orchestrate = False,
) -> None:
    """Gửi thư đến hạn gửi / send the due messages (SMTP, or the local Maildir)."""
    from notifications.dispatch import make_mailer, run

    def action(runtime: "Runtime") -> None:
        mailer = make_mailer(runtime.settings)
        lang = runtime.settings.language
        if dry_run:
            from models.db import session_scope
            from models.outbox import list_messages

            with session_scope(runtime.engine) as session:
                pending = list_messages(session, status="pending", limit=limit or 10_000)
            for m in pending:
                typer.echo(f"  · {', '.join(m.recipients)}: {m.subject}")
            typer.echo(say("dispatch_dry", lang, n=len(pending), where=mailer.describe()))
            return
        if orchestrate:
            from workflows.orchestration.flows import dispatch_flow

            result = dispatch_flow(limit)
        else:
            result = run(runtime.engine, mailer, policy=runtime.configuration.policy, now=datetime.now(UTC), limit=limit)
        typer.echo(say("dispatched", lang, sent=result.sent, retrying=result.retrying, dead=result.dead,
                       uncertain=result.uncertain, where=mailer.describe()))
        for error in result.errors[:10]:
            typer.echo(f"  ! {error}", err=True)
        if result.errors and not result.sent:
            raise typer.Exit(7)

    with_runtime(action)


@outbox_app.command("retry")
def outbox_retry() -> None:
    """Cho thư đang chờ, thư hỏng và thư chưa rõ gửi lại ngay / make waiting, dead and uncertain messages due now."""
    from models.db import session_scope
    from models.outbox import retry

    def action(runtime: "Runtime") -> None:
        with session_scope(runtime.engine) as session:
            n = retry(session, now=datetime.now(UTC))
        typer.echo(say("retried", runtime.settings.language, n=n))

    with_runtime(action)
