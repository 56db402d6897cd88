"""``dondoc delegate KEY UNIT``: a lead body hands an item to a unit under it; ``--end`` takes it back.

The unit must be a body of the registry whose ``escalates_to`` is the item's lead (a department
under the People's Committee). Refused with one line and exit 6: a unit not under the lead, the
lead itself, an item that is done, taking back an item not delegated; exit 4 for an unknown item
or body.
"""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from config.errors import ConfigError, ConflictError, NotFoundError
from workflows.cli.app import AsOf, DocumentKey, UsageProblem, app, as_of_date, fail, language, with_runtime
from workflows.cli.bounds import check_day, document_window

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime

WORDS: dict[str, tuple[str, str]] = {
    "delegated": ("Đã giao mục {key} cho {unit} thực hiện; {lead} vẫn chủ trì, nhận các thư đôn đốc khi quá hạn.",
                  "Delegated {key} to {unit}; {lead} still leads it and gets the escalations."),
    "moved": ("(trước đó giao {before})", "(was delegated to {before})"),
    "unchanged": ("Mục {key} đã được giao cho {unit}: không thay đổi.", "{key} is already delegated to {unit}: nothing changed."),
    "ended": ("Đã thu hồi mục {key} từ {unit}: {lead} trực tiếp thực hiện và nhận thư đôn đốc.",
              "Took {key} back from {unit}: {lead} holds it again and gets its letters."),
    "unit_needed": ("thiếu đơn vị: dondoc delegate KEY UNIT, hoặc dondoc delegate KEY --end để thu hồi",
                    "a unit is needed: dondoc delegate KEY UNIT, or dondoc delegate KEY --end to take it back"),
    "both": ("--end không đi cùng đơn vị: dondoc delegate KEY --end", "--end takes no unit: dondoc delegate KEY --end"),
    "unknown_unit": ("không có cơ quan {unit} trong danh mục cơ quan (dondoc bodies liệt kê)",
                     "no body {unit} in the bodies registry ('dondoc bodies' lists them)"),
}


def _say(name: str, lang: str, **values: str) -> str:
    vi, en = WORDS[name]
    return (en if lang == "en" else vi).format(**values)


@app.command()
def delegate(
    key: Annotated[str, typer.Argument(help="Mã mục / item key")],
    unit: Annotated[str | None, typer.Argument(help="Đơn vị trực thuộc cơ quan chủ trì (mã hoặc tên) / a unit under the lead")] = None,
    end: Annotated[bool, typer.Option("--end", help="Thu hồi, cơ quan chủ trì trực tiếp thực hiện / take it back")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Người quyết định (mặc định: DONDOC_ACTOR) / who decided")] = None,
    as_of: AsOf = None,
    document: DocumentKey = None,
) -> None:
    """Giao đơn vị trực thuộc thực hiện một mục / delegate an item to a unit under its lead (--end takes it back)."""
    lang = language()
    if end == (unit is not None):
        fail(UsageProblem(_say("both" if end else "unit_needed", lang)), lang)

    def action(runtime: "Runtime") -> None:
        from models.db import session_scope
        from models.queries import find_document
        from workflows.orchestration.delegation import delegate_item, take_back
        from workflows.rules.delegation import Refusal

        lang, day, now = runtime.settings.language, as_of_date(as_of), datetime.now(UTC)
        registry, policy, actor = runtime.configuration.registry, runtime.configuration.policy, by or runtime.settings.actor
        code = None
        if unit is not None:
            try:
                code = registry.resolve(unit).code
            except ConfigError:
                raise NotFoundError(_say("unknown_unit", lang, unit=unit)) from None
        with session_scope(runtime.engine) as session:
            doc = find_document(session, document)
            check_day("--as-of", as_of, document_window(doc), lang)
            try:
                if code is None:
                    held = take_back(session, policy=policy, document=doc, key=key, body=None, actor=actor, on=day, now=now)
                    typer.echo(_say("ended", lang, key=key, unit=held.unit, lead=held.lead))
                    return
                done = delegate_item(session, policy=policy, registry=registry, document=doc, key=key, unit=code,
                                     body=None, actor=actor, on=day, now=now)
            except Refusal as refused:
                raise ConflictError(refused.says(lang)) from None
        said = _say("delegated" if done.changed else "unchanged", lang, key=key, unit=done.unit, lead=done.lead)
        if done.changed and done.before is not None:
            said += " " + _say("moved", lang, before=done.before.unit)
        typer.echo(said)

    with_runtime(action)
