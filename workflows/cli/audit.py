"""``dondoc audit``: the audit trail by hand. ``verify`` walks the chain of hashes and names the
first row that breaks it; ``list`` shows the newest events.

The trail is append-only in the database, and each row carries the hash of the row before it
(``models.audit``): someone who went around the database's guards (the owner, who may drop a
trigger) shows up as a row that no longer matches its hash, or no longer follows the row before.
"""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from workflows.cli.app import AsJson, app, print_json, with_runtime

if TYPE_CHECKING:
    from models.audit import Break
    from workflows.orchestration.runtime import Runtime

audit_app = typer.Typer(help="Nhật ký thay đổi / the audit trail: verify, list.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")

WORDS = {  # what only this command says (the shared phrases are in workflows.cli.messages)
    "intact": ("Nhật ký nguyên vẹn: {rows} dòng (dấu băm dòng cuối: {head}).",
               "The audit trail is intact: {rows} rows (hash of the last row: {head})."),
    "broken": ("nhật ký đã bị can thiệp từ dòng số {id} ({at}, {action}): {how}",
               "the audit trail was tampered with from row {id} ({at}, {action}): {how}"),
    "altered": ("nội dung của dòng không khớp dấu băm của nó (dòng đã bị sửa)",
                "the row does not match its own hash (the row was altered)"),
    "unlinked": ("dòng không nối tiếp dòng số {before} (một dòng ở giữa đã bị xóa, chèn thêm hoặc sửa)",
                 "the row does not follow row {before} (a row between them was deleted, added or altered)"),
    "unlinked_first": ("dòng đầu tiên không mở đầu chuỗi (các dòng trước nó đã bị xóa)",
                       "the first row does not start the chain (the rows before it were deleted)"),
    "empty": ("Nhật ký trống.", "The audit trail is empty."),
    "more": ("… và {n} dòng cũ hơn (dùng --limit {total} để xem hết).",
             "… and {n} older rows (use --limit {total} to see them all)."),
    "col_when": ("Thời điểm", "When"),
    "col_actor": ("Người thực hiện", "Actor"),
    "col_action": ("Việc", "Action"),
    "col_key": ("Đối tượng", "Key"),
}


def _word(key: str, lang: str, **values: object) -> str:
    vi, en = WORDS[key]
    return (en if lang == "en" else vi).format(**values)


def _broken(broken: "Break", lang: str) -> str:
    from config.words import show_moment

    if broken.altered:
        how = _word("altered", lang)
    elif broken.follows is None:
        how = _word("unlinked_first", lang)
    else:
        how = _word("unlinked", lang, before=broken.follows)
    return _word("broken", lang, id=broken.id, at=show_moment(broken.at), action=broken.action, how=how)


@audit_app.command("verify")
def audit_verify() -> None:
    """Kiểm tra chuỗi dấu băm của nhật ký / check the chain of hashes; exit 6 names the first row that breaks it."""
    from config.errors import ConflictError
    from models.audit import verify_trail
    from models.db import session_scope

    def action(runtime: "Runtime") -> None:
        with session_scope(runtime.engine) as session:
            verdict = verify_trail(session)
        lang = runtime.settings.language
        if verdict.broken is not None:
            raise ConflictError(_broken(verdict.broken, lang))
        typer.echo(_word("intact", lang, rows=verdict.rows, head=verdict.head))

    with_runtime(action, read_only=True)


@audit_app.command("list")
def audit_list(
    limit: Annotated[int, typer.Option(min=1, help="Nhiều nhất / show at most this many")] = 50,
    as_json: AsJson = False,
) -> None:
    """Các thay đổi mới nhất / the newest events, newest first."""
    from models.audit import recent_events
    from models.db import session_scope

    def action(runtime: "Runtime") -> None:
        with session_scope(runtime.engine) as session:
            events, total = recent_events(session, limit=limit)
            rows = [{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action, "entity": e.entity,
                     "key": e.entity_key, "detail": e.detail} for e in events]
        if as_json:
            print_json({"events": rows, "left_out": total - len(rows)})
        else:
            _print_list(rows, total, runtime.settings.language)

    with_runtime(action, read_only=True)


def _print_list(rows: list[dict[str, Any]], total: int, lang: str) -> None:
    from datetime import datetime

    from rich.console import Console
    from rich.table import Table

    from config.words import show_moment

    if not rows:
        typer.echo(_word("empty", lang))
        return
    table = Table()
    for column in ("col_when", "col_actor", "col_action", "col_key"):
        table.add_column(_word(column, lang), overflow="fold")
    for r in rows:
        table.add_row(show_moment(datetime.fromisoformat(r["at"])), r["actor"], r["action"], r["key"])
    Console(width=200, markup=False).print(table)
    if total > len(rows):
        typer.echo(_word("more", lang, n=total - len(rows), total=total))
