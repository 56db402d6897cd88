"""Commands that keep the work moving: reports, extensions, sweeps, the outbox, status, serve."""

from datetime import UTC, date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from config.errors import DondocError
from config.settings import Settings
from workflows.cli import Kind, app, fail, print_json, settings_or_fail
from workflows.messages import say

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
AsOf = Annotated[str | None, typer.Option("--as-of", help="Ngày YYYY-MM-DD (mặc định: hôm nay) / the day, default today in Vietnam")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Chỉ xem, không ghi / show what would be sent, write nothing")]
Orchestrate = Annotated[bool, typer.Option("--orchestrate/--direct", help="Chạy như luồng Prefect / run as a Prefect flow")]
Document = Annotated[str | None, typer.Option(help="Mã văn bản / document key (default: the last ingested)")]

outbox_app = typer.Typer(help="Hộp thư đi / the outbox: list, dispatch, retry.", no_args_is_help=True)
extension_app = typer.Typer(help="Gia hạn / extension requests: list, approve, refuse.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")
app.add_typer(extension_app, name="extension")


def today() -> date:
    return datetime.now(VIETNAM).date()


def as_of_date(text: str | None) -> date:
    if text is None:
        return today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DondocError(f"--as-of takes a date as YYYY-MM-DD, not {text!r}") from None


class _Context:
    """Settings, configuration and an engine, opened once per command and closed after it."""

    def __init__(self) -> None:
        from models.db import open_database
        from workflows.ingest import load_configuration

        self.settings: Settings = settings_or_fail()
        self.configuration = load_configuration(self.settings)
        self.engine = open_database(self.settings.url)

    def close(self) -> None:
        self.engine.dispose()


def _run(action: Any) -> Any:
    """Run ``action(context)``, turning a DondocError into one line and an exit code."""
    context: _Context | None = None
    try:
        context = _Context()
        return action(context)
    except DondocError as error:
        fail(error, context.settings.language if context else "vi")
    finally:
        if context is not None:
            context.close()


def _item_and_state(ctx: _Context, session: Any, key: str, document: str | None) -> tuple[Any, Any]:
    from models.queries import find_document
    from models.tracking import active_item, item_states

    doc = find_document(session, document)
    item = active_item(session, document=doc, key=key)
    (state,) = item_states(session, policy=ctx.configuration.policy, document=doc, keys=[key])
    return item, state


@app.command()
def report(
    key: Annotated[str, typer.Argument(help="Mã mục / item key")],
    status: Annotated[str, typer.Option(help="not_started | in_progress | done | blocked")],
    percent: Annotated[int | None, typer.Option(min=0, max=100, help="Phần trăm hoàn thành / percent done")] = None,
    note: Annotated[str | None, typer.Option(help="Ghi chú / note")] = None,
    value: Annotated[list[str] | None, typer.Option(help="Chỉ số: TÊN=GIÁ TRỊ / INDICATOR=VALUE, repeatable")] = None,
    body: Annotated[str | None, typer.Option(help="Cơ quan báo cáo (mặc định: chủ trì) / reporting body")] = None,
    as_of: AsOf = None,
    document: Document = None,
) -> None:
    """Báo cáo tiến độ / submit a progress report; status done closes the item."""
    from models.db import session_scope
    from models.queries import find_document
    from models.tracking import submit_report
    from workflows.chase import STATUSES
    from workflows.ingest import actor

    if status not in STATUSES:
        fail(DondocError(f"--status must be one of {', '.join(STATUSES)}, not {status!r}"))

    def action(ctx: _Context) -> None:
        values = _values(value or [])
        with session_scope(ctx.engine) as session:
            code = ctx.configuration.registry.resolve(body).code if body else None
            report = submit_report(session, policy=ctx.configuration.policy, document=find_document(session, document),
                                   key=key, body=code, status=status, percent=percent, note=note, values=values,
                                   on=as_of_date(as_of), actor=actor(), now=datetime.now(UTC))
        typer.echo(say("reported", ctx.settings.language, key=key, status=status, period=report.period.isoformat(),
                       body=report.body_code))

    _run(action)


def _values(pairs: list[str]) -> dict[str, float | str]:
    from workflows.numbers import parse_number

    values: dict[str, float | str] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise DondocError(f"--value takes INDICATOR=VALUE, not {pair!r}")
        try:
            values[name.strip()] = parse_number(raw)
        except ValueError:
            values[name.strip()] = raw.strip()
    return values


@app.command()
def extend(
    key: Annotated[str, typer.Argument(help="Mã mục / item key")],
    to: Annotated[str, typer.Option("--to", help="Hạn mới YYYY-MM-DD / the new due date")],
    reason: Annotated[str, typer.Option(help="Lý do / reason")],
    body: Annotated[str | None, typer.Option(help="Cơ quan đề nghị (mặc định: chủ trì) / requesting body")] = None,
    as_of: AsOf = None,
    document: Document = None,
) -> None:
    """Đề nghị gia hạn / ask for a deadline extension; a coordinator approves or refuses it."""
    from models.db import session_scope
    from models.tracking import request_extension
    from workflows.ingest import actor

    def action(ctx: _Context) -> None:
        try:
            new_due = date.fromisoformat(to)
        except ValueError:
            raise DondocError(f"--to takes a date as YYYY-MM-DD, not {to!r}") from None
        with session_scope(ctx.engine) as session:
            item, state = _item_and_state(ctx, session, key, document)
            code = ctx.configuration.registry.resolve(body).code if body else state.lead
            request = request_extension(session, item=item, body=code, current_due=state.due, to=new_due, reason=reason,
                                        on=as_of_date(as_of), actor=actor(), now=datetime.now(UTC))
        typer.echo(say("extension_requested", ctx.settings.language, id=request.id, key=key,
                       old=state.due.isoformat(), new=new_due.isoformat()))

    _run(action)


@extension_app.command("list")
def extension_list(
    status: Annotated[str | None, typer.Option(help="pending | approved | refused")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Các đề nghị gia hạn / extension requests."""
    from models.db import session_scope
    from models.tracking import list_extensions

    def action(ctx: _Context) -> None:
        with session_scope(ctx.engine) as session:
            rows = [
                {"id": r.id, "item": k, "body": r.body_code, "previous_due": r.previous_due.isoformat(),
                 "requested_due": r.requested_due.isoformat(), "reason": r.reason, "status": r.status,
                 "decided_by": r.decided_by, "note": r.decision_note}
                for r, k in list_extensions(session, status=status)
            ]
        if as_json:
            print_json({"extensions": rows})
        for r in [] if as_json else rows:
            typer.echo(f"{r['id']:>4}  {r['status']:<9} {r['item']:<14} {r['previous_due']} -> {r['requested_due']}  {r['body']}: {r['reason']}")

    _run(action)


def _decide(request_id: int, approve: bool, note: str | None, as_of: str | None) -> None:
    from models.db import session_scope
    from models.tracking import decide_extension
    from workflows.ingest import actor

    def action(ctx: _Context) -> None:
        with session_scope(ctx.engine) as session:
            request, item = decide_extension(session, request_id=request_id, approve=approve, note=note,
                                             on=as_of_date(as_of), actor=actor(), now=datetime.now(UTC))
        typer.echo(say("extension_decided", ctx.settings.language, id=request_id, key=item.key, status=request.status,
                       due=(request.requested_due if approve else request.previous_due).isoformat()))

    _run(action)


@extension_app.command("approve")
def extension_approve(
    request_id: Annotated[int, typer.Argument(help="Số đề nghị / request id")],
    note: Annotated[str | None, typer.Option(help="Ghi chú / note")] = None,
    as_of: AsOf = None,
) -> None:
    """Chấp thuận gia hạn: hạn mới có hiệu lực ngay / approve: reminders and escalation follow the new date."""
    _decide(request_id, True, note, as_of)


@extension_app.command("refuse")
def extension_refuse(
    request_id: Annotated[int, typer.Argument(help="Số đề nghị / request id")],
    note: Annotated[str, typer.Option(help="Lý do / why")],
    as_of: AsOf = None,
) -> None:
    """Không chấp thuận gia hạn / refuse an extension."""
    _decide(request_id, False, note, as_of)


def _sweep(kind: str, as_of: str | None, dry_run: bool, orchestrate: bool) -> None:
    def action(ctx: _Context) -> None:
        day = as_of_date(as_of)
        if orchestrate:
            from workflows import flows

            flow = {"remind": flows.remind_flow, "escalate": flows.escalate_flow, "digest": flows.digest_flow}[kind]
            result = flow(day, ctx.settings, dry_run)
        else:
            from workflows import sweeps

            step = {"remind": sweeps.remind, "escalate": sweeps.escalate, "digest": sweeps.digest}[kind]
            result = step(ctx.engine, settings=ctx.settings, configuration=ctx.configuration, as_of=day, dry_run=dry_run)
        lang = ctx.settings.language
        for email in result.emails:
            typer.echo(f"  {'→' if not dry_run else '·'} {', '.join(email.to)}: {email.subject}")
        message = "sweep_dry" if dry_run else "sweep_done"
        typer.echo(say(message, lang, kind=kind, day=day.isoformat(), owed=result.owed, new=len(result.emails), queued=result.queued))

    _run(action)


@app.command()
def remind(as_of: AsOf = None, dry_run: DryRun = False, orchestrate: Orchestrate = False) -> None:
    """Xếp thư nhắc hạn vào hộp thư đi / queue the reminders owed on a day."""
    _sweep("remind", as_of, dry_run, orchestrate)


@app.command()
def escalate(as_of: AsOf = None, dry_run: DryRun = False, orchestrate: Orchestrate = False) -> None:
    """Đôn đốc việc quá hạn / escalate what is overdue on a day."""
    _sweep("escalate", as_of, dry_run, orchestrate)


@app.command()
def digest(as_of: AsOf = None, dry_run: DryRun = False, orchestrate: Orchestrate = False) -> None:
    """Thư tổng hợp tuần cho Văn phòng / queue the coordinators' weekly digest."""
    _sweep("digest", as_of, dry_run, orchestrate)


@outbox_app.command("list")
def outbox_list(
    status: Annotated[str | None, typer.Option(help="pending | sending | sent | dead | uncertain")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Thư trong hộp thư đi / messages in the outbox, newest first."""
    from models.db import session_scope
    from models.outbox import counts, list_messages

    def action(ctx: _Context) -> None:
        with session_scope(ctx.engine) as session:
            rows = [
                {"id": m.id, "key": m.key, "kind": m.kind, "status": m.status, "attempts": m.attempts,
                 "to": list(m.recipients), "subject": m.subject, "next_attempt_at": m.next_attempt_at.isoformat(),
                 "sent_at": m.sent_at.isoformat() if m.sent_at else None, "last_error": m.last_error}
                for m in list_messages(session, status=status, limit=limit)
            ]
            totals = counts(session)
        if as_json:
            print_json({"counts": totals, "messages": rows})
            return
        typer.echo("  ".join(f"{k}: {v}" for k, v in sorted(totals.items())) or say("outbox_empty", ctx.settings.language))
        for r in rows:
            error = f"  [{r['last_error']}]" if r["last_error"] else ""
            typer.echo(f"{r['id']:>6} {r['status']:<9} {r['attempts']}  {r['subject']}{error}")

    _run(action)


@outbox_app.command("dispatch")
def outbox_dispatch(
    limit: Annotated[int | None, typer.Option(min=1, help="Gửi nhiều nhất / send at most this many")] = None,
    dry_run: DryRun = False,
    orchestrate: Orchestrate = False,
) -> None:
    """Gửi thư đến hạn gửi / send the due messages (SMTP, or the local Maildir)."""
    from notifications.dispatch import make_mailer, run

    def action(ctx: _Context) -> None:
        mailer = make_mailer(ctx.settings)
        lang = ctx.settings.language
        if dry_run:
            from models.db import session_scope
            from models.outbox import list_messages

            with session_scope(ctx.engine) as session:
                pending = list_messages(session, status="pending", limit=limit or 10_000)
            for m in pending:
                typer.echo(f"  · {', '.join(m.recipients)}: {m.subject}")
            typer.echo(say("dispatch_dry", lang, n=len(pending), where=mailer.describe()))
            return
        if orchestrate:
            from workflows.flows import dispatch_flow

            result = dispatch_flow(ctx.settings, limit)
        else:
            result = run(ctx.engine, mailer, policy=ctx.configuration.policy, now=datetime.now(UTC), limit=limit)
        typer.echo(say("dispatched", lang, sent=result.sent, retrying=result.retrying, dead=result.dead,
                       uncertain=result.uncertain, where=mailer.describe()))
        for error in result.errors[:10]:
            typer.echo(f"  ! {error}", err=True)
        if result.errors and not result.sent:
            raise typer.Exit(7)

    _run(action)


@outbox_app.command("retry")
def outbox_retry() -> None:
    """Cho thư đang chờ, thư hỏng và thư chưa rõ gửi lại ngay / make waiting, dead and uncertain messages due now."""
    from models.db import session_scope
    from models.outbox import retry

    def action(ctx: _Context) -> None:
        with session_scope(ctx.engine) as session:
            n = retry(session, now=datetime.now(UTC))
        typer.echo(say("retried", ctx.settings.language, n=n))

    _run(action)


@app.command()
def status(
    as_of: AsOf = None,
    body: Annotated[str | None, typer.Option(help="Cơ quan / body")] = None,
    kind: Annotated[Kind | None, typer.Option(help="target | task | directive")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Tình hình thực hiện theo cơ quan / status of the items by lead body, as of a day."""
    from collections import Counter, defaultdict

    from models.db import session_scope
    from models.tracking import item_states
    from workflows.chase import status as item_status
    from workflows.notices import STATUS_NAMES

    def action(ctx: _Context) -> None:
        day = as_of_date(as_of)
        code = ctx.configuration.registry.resolve(body).code if body else None
        with session_scope(ctx.engine) as session:
            states = item_states(session, policy=ctx.configuration.policy)
        per_body: dict[str, Counter[str]] = defaultdict(Counter)
        items = []
        for s in states:
            if (code and code != s.lead) or (kind and s.kind != kind.value):
                continue
            category = item_status(s, day, ctx.configuration.policy)
            per_body[s.lead][category] += 1
            items.append({"key": s.key, "lead": s.lead, "due": s.due.isoformat(), "extended": s.extended,
                          "document_due": s.document_due.isoformat(), "status": category})
        if as_json:
            print_json({"as_of": day.isoformat(), "by_body": {b: dict(c) for b, c in sorted(per_body.items())}, "items": items})
            return
        names = STATUS_NAMES[ctx.settings.language]
        for lead, counter in sorted(per_body.items()):
            typer.echo(f"{lead:<10} " + ", ".join(f"{names[k]} {counter[k]}" for k in names if counter[k]))

    _run(action)
