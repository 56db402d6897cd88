"""A body's answers and the coordinator's decisions: report, extend, extension list|approve|refuse|revoke."""

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from config.errors import ConflictError
from workflows.cli.app import (
    AsJson,
    AsOf,
    DocumentKey,
    ExtensionStatus,
    ReportStatus,
    UsageProblem,
    app,
    as_of_date,
    date_option,
    fail,
    language,
    print_json,
    with_runtime,
)
from workflows.cli.bounds import check_day, document_window, show_window
from workflows.cli.messages import say
from workflows.rules.window import within

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime

extension_app = typer.Typer(help="Gia hạn / extension requests: list, approve, refuse, revoke.", no_args_is_help=True)
app.add_typer(extension_app, name="extension")


@app.command()
def report(
    key: Annotated[str, typer.Argument(help="Mã mục / item key")],
    status: Annotated[ReportStatus, typer.Option(help="Tình trạng; done đóng mục / the state; done closes the item")],
    percent: Annotated[int | None, typer.Option(min=0, max=100, help="Phần trăm hoàn thành / percent done")] = None,
    note: Annotated[str | None, typer.Option(help="Ghi chú / note")] = None,
    value: Annotated[list[str] | None, typer.Option(help="Chỉ số: TÊN=GIÁ TRỊ / INDICATOR=VALUE, repeatable")] = None,
    body: Annotated[str | None, typer.Option(help="Cơ quan báo cáo (mặc định: chủ trì) / reporting body")] = None,
    as_of: AsOf = None,
    document: DocumentKey = None,
    reopen: Annotated[bool, typer.Option("--reopen", help="Mở lại mục đã hoàn thành / reopen an item that is done")] = False,
) -> None:
    """Báo cáo tiến độ / submit a progress report; status done closes the item, --reopen opens it again."""
    from config.words import show_date, word
    from models.db import session_scope
    from models.queries import find_document
    from workflows.orchestration.delegation import queue_done_notice
    from workflows.orchestration.reports import AlreadyDone, submit_report

    values = _values(value or [])  # before any database is opened
    if reopen and status is ReportStatus.done:
        lang = language()
        fail(UsageProblem(say("reopen_done", lang)), lang)

    def action(runtime: "Runtime") -> None:
        day = as_of_date(as_of)
        with session_scope(runtime.engine) as session:
            doc = find_document(session, document)
            check_day("--as-of", as_of, document_window(doc), runtime.settings.language)  # 1900 or 2099: a slip
            code = runtime.configuration.registry.resolve(body).code if body else None
            try:
                submitted = submit_report(session, policy=runtime.configuration.policy, document=doc,
                                          key=key, body=code, status=status.value, percent=percent, note=note, values=values,
                                          on=day, actor=runtime.settings.actor, now=datetime.now(UTC), reopen=reopen)
                queue_done_notice(session, report=submitted.report, settings=runtime.settings,  # a unit's "done" to its lead
                                  configuration=runtime.configuration, now=datetime.now(UTC))
            except AlreadyDone as done:  # exit 6, in the reader's language
                raise ConflictError(say("already_done", runtime.settings.language, key=key, day=show_date(done.done_on))) from done
        lang, stored = runtime.settings.language, submitted.report
        assert stored is not None  # only a replay's `once` stores nothing
        typer.echo(say("reported", lang, key=key, status=word("report", status.value, lang), period=show_date(stored.period),
                       body=stored.body_code))
        if submitted.reopened is not None:
            typer.echo(say("reopened", lang, key=key, day=show_date(submitted.reopened)))
        elif reopen:
            typer.echo(say("reopen_not_done", lang, key=key))

    with_runtime(action)


def _values(pairs: list[str]) -> dict[str, float | str]:
    """``--value NAME=VALUE`` pairs, as numbers where they read as numbers; a pair without ``=`` is
    a usage error."""
    from workflows.reading.numbers import NotFinite, parse_number

    values: dict[str, float | str] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            lang = language()
            fail(UsageProblem(say("value_pair", lang, pair=pair)), lang)
        try:
            values[name.strip()] = parse_number(raw)
        except NotFinite:  # 1/0, nan, inf: no number to store, and not words either
            lang = language()
            fail(UsageProblem(say("value_not_finite", lang, name=name.strip(), value=raw.strip())), lang)
        except ValueError:
            values[name.strip()] = raw.strip()
    return values


@app.command()
def extend(
    key: Annotated[str, typer.Argument(help="Mã mục / item key")],
    to: Annotated[date, date_option("--to", "Hạn mới dd/mm/yyyy / the new due date")],
    reason: Annotated[str, typer.Option(help="Lý do / reason")],
    body: Annotated[str | None, typer.Option(help="Cơ quan đề nghị (mặc định: chủ trì) / requesting body")] = None,
    as_of: AsOf = None,
    document: DocumentKey = None,
) -> None:
    """Đề nghị gia hạn / ask for a deadline extension; a coordinator approves or refuses it."""
    from config.words import show_date
    from models.db import session_scope
    from models.item_states import item_states
    from models.queries import find_document
    from models.reports import active_item, request_extension
    from workflows.rules import reporting

    def action(runtime: "Runtime") -> None:
        new_due = to
        rule = reporting.rule(runtime.configuration.policy.reporting_cadence)
        with session_scope(runtime.engine) as session:
            doc = find_document(session, document)
            window = document_window(doc)
            check_day("--to", new_due, window, runtime.settings.language)
            check_day("--as-of", as_of, window, runtime.settings.language)
            item = active_item(session, document=doc, key=key)
            (state,) = item_states(session, reporting=rule, document=doc, keys=[key])
            code = runtime.configuration.registry.resolve(body).code if body else state.lead
            request = request_extension(session, item=item, body=code, current_due=state.due, to=new_due, reason=reason,
                                        on=as_of_date(as_of), actor=runtime.settings.actor, now=datetime.now(UTC))
        typer.echo(say("extension_requested", runtime.settings.language, id=request.id, key=key,
                       old=show_date(state.due), new=show_date(new_due)))

    with_runtime(action)


@extension_app.command("list")
def extension_list(
    status: Annotated[ExtensionStatus | None, typer.Option(help="Trạng thái / only requests in this state")] = None,
    as_json: AsJson = False,
) -> None:
    """Các đề nghị gia hạn / extension requests."""
    from config.words import show_date, word
    from models.db import session_scope
    from models.reports import list_extensions

    def action(runtime: "Runtime") -> None:
        with session_scope(runtime.engine) as session:
            found = list_extensions(session, status=status.value if status else None)
        rows: list[dict[str, Any]] = [
            {"id": r.id, "item": k, "body": r.body_code, "previous_due": r.previous_due.isoformat(),
             "requested_due": r.requested_due.isoformat(), "reason": r.reason, "status": r.status,
             "decided_by": r.decided_by, "note": r.decision_note}
            for r, k in found
        ]
        if as_json:
            print_json({"extensions": rows})
            return
        lang = runtime.settings.language
        for r, k in found:
            typer.echo(f"{r.id:>4}  {word('extension', r.status, lang):<17} {k:<14} {show_date(r.previous_due)} -> "
                       f"{show_date(r.requested_due)}  {r.body_code}: {r.reason}")

    with_runtime(action, read_only=True)


RequestId = Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số đề nghị / request id")]
"""What a database's key can hold (a bigger number was an OverflowError in the driver)."""


def _decide(request_id: int, approve: bool, note: str | None, as_of: date | None) -> None:
    from config.words import show_date, word
    from models.db import session_scope
    from models.reports import decide_extension, extension_request
    from workflows.orchestration.decisions import queue_decision_letter

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        with session_scope(runtime.engine) as session:
            request, _, doc = extension_request(session, request_id=request_id)
            window = document_window(doc)
            check_day("--as-of", as_of, window, lang)
            if approve and request.status == "pending" and not within(request.requested_due, window):
                raise ConflictError(say("extension_beyond_window", lang, id=request_id,
                                        due=show_date(request.requested_due), window=show_window(window)))
            request, item = decide_extension(session, request_id=request_id, approve=approve, note=note,
                                             on=as_of_date(as_of), actor=runtime.settings.actor, now=datetime.now(UTC))
            queue_decision_letter(session, request_id=request_id, decision=request.status, settings=runtime.settings,
                                  configuration=runtime.configuration, on=as_of_date(as_of), now=datetime.now(UTC))
        due = request.requested_due if approve else request.previous_due
        typer.echo(say("extension_decided", lang, id=request_id, key=item.key, status=word("extension", request.status, lang),
                       due=show_date(due)))

    with_runtime(action)


@extension_app.command("approve")
def extension_approve(
    request_id: RequestId,
    note: Annotated[str | None, typer.Option(help="Ghi chú / note")] = None,
    as_of: AsOf = None,
) -> None:
    """Chấp thuận gia hạn: hạn mới có hiệu lực ngay / approve: reminders and escalation follow the new date."""
    _decide(request_id, True, note, as_of)


@extension_app.command("refuse")
def extension_refuse(
    request_id: RequestId,
    note: Annotated[str, typer.Option(help="Lý do / why")],
    as_of: AsOf = None,
) -> None:
    """Không chấp thuận gia hạn / refuse an extension."""
    _decide(request_id, False, note, as_of)


@extension_app.command("revoke")
def extension_revoke(
    request_id: RequestId,
    note: Annotated[str, typer.Option(help="Lý do / why")],
    as_of: AsOf = None,
) -> None:
    """Thu hồi gia hạn đã chấp thuận / take back an approval: the request becomes refused, the item
    is due as before (the audit trail keeps both decisions)."""
    from config.words import show_date
    from models.db import session_scope
    from models.item_states import item_states
    from models.reports import extension_request, revoke_extension
    from workflows.orchestration.decisions import queue_decision_letter
    from workflows.rules import reporting

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        with session_scope(runtime.engine) as session:
            _, _, doc = extension_request(session, request_id=request_id)
            check_day("--as-of", as_of, document_window(doc), lang)
            request, item = revoke_extension(session, request_id=request_id, note=note, on=as_of_date(as_of),
                                             actor=runtime.settings.actor, now=datetime.now(UTC))
            queue_decision_letter(session, request_id=request_id, decision="revoked", settings=runtime.settings,
                                  configuration=runtime.configuration, on=as_of_date(as_of), now=datetime.now(UTC))
            rule = reporting.rule(runtime.configuration.policy.reporting_cadence)
            (state,) = item_states(session, reporting=rule, document=doc, keys=[item.key])
        typer.echo(say("extension_revoked", lang, id=request.id, key=item.key, due=show_date(state.due)))

    with_runtime(action)
