"""``dondoc review form`` and ``dondoc review import``: a body's XLSX form, out and back in.

``form`` writes the form of one body in one open round; ``import`` stores a filled one, all of it
or nothing. A refused form prints every problem, one line each (sheet, row, reason), and exits 6;
a file that is not a form at all (not an XLSX, too large) exits 2 with one line.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from config.errors import ConfigError, DocumentError, NotFoundError
from workflows.cli.app import AsOf, UsageProblem, as_of_date, review_app, with_runtime
from workflows.cli.bounds import check_day, document_window

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime

RoundId = Annotated[int, typer.Argument(help="Số đợt / the review round's number", min=1)]


def _say(language: str, vi: str, en: str) -> str:
    return en if language == "en" else vi


@review_app.command("form")
def form(
    round_id: RoundId,
    body: Annotated[str, typer.Option("--body", help="Cơ quan (mã hoặc tên) / the body, code or name")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp XLSX ghi ra / the XLSX file to write", dir_okay=False)],
    as_of: AsOf = None,
) -> None:
    """Ghi phiếu trả lời XLSX của một cơ quan / write a body's XLSX answer form for an open round."""
    from models.db import session_scope
    from workflows.orchestration.review_import import form_for

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        try:
            found = runtime.configuration.registry.resolve(body)
        except ConfigError as error:  # an unknown body is "not found" here, not a settings fault
            raise NotFoundError(str(error), said=error.said) from None
        with session_scope(runtime.engine) as session:
            data = form_for(session, round_id=round_id, body=found, language=lang)
        try:
            output.write_bytes(data)
        except OSError as error:
            raise UsageProblem(_say(lang, f"không ghi được {output}: {error.strerror}",
                                    f"cannot write {output}: {error.strerror}")) from None
        typer.echo(_say(lang, f"đã ghi phiếu đợt {round_id} của {found.code} vào {output}",
                        f"wrote round {round_id}'s form for {found.code} to {output}"))

    as_of_date(as_of)  # a form is the same on any day; --as-of is taken like every review command
    with_runtime(action)


@review_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="Phiếu XLSX đã điền / the filled XLSX form", dir_okay=False)],
    as_of: AsOf = None,
    by: Annotated[str | None, typer.Option("--by", help="Người nhập / who imports it (default: the settings' actor)")] = None,
) -> None:
    """Nhập phiếu đã điền: lưu tất cả hoặc không lưu gì / store a filled form, all of it or nothing."""
    from models.db import session_scope
    from models.tables import Document
    from workflows.orchestration.review_import import FormRefused, import_form
    from workflows.reading.review_form import MAX_BYTES, NotAForm, read_review_form

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        day = as_of_date(as_of)
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)  # never more than the cap into memory
        except OSError as error:
            raise NotFoundError(_say(lang, f"không mở được {file}: {error.strerror}", f"cannot open {file}: {error.strerror}")) from None
        try:
            filled = read_review_form(data, language=lang)
        except NotAForm as error:
            raise DocumentError(f"{file}: {error}") from None
        try:
            with session_scope(runtime.engine) as session:
                if filled.round_id:
                    from models.reviews import find_round

                    try:
                        document = session.get(Document, find_round(session, filled.round_id).document_id)
                    except NotFoundError:
                        document = None
                    if document is not None:
                        check_day("--as-of", as_of, document_window(document), lang)
                done = import_form(session, form=filled, on=day, actor=by or runtime.settings.actor,
                                   now=datetime.now(UTC), language=lang)
        except FormRefused as refused:
            _refused(file, refused.lines, lang)
        typer.echo(_say(lang, f"đã lưu {done.stored} trả lời của {done.body} cho đợt {done.round_id} "
                              f"({done.replaced} thay trả lời trước)",
                        f"stored {done.stored} answers of {done.body} for round {done.round_id} "
                        f"({done.replaced} replacing earlier ones)"))

    with_runtime(action)


def _refused(file: Path, lines: list[str], lang: str) -> None:
    """Every problem on its own line, then exit 6: nothing was stored."""
    typer.echo(_say(lang, f"dondoc: lỗi: phiếu {file} bị từ chối, không lưu gì ({len(lines)} lỗi):",
                    f"dondoc: error: form {file} refused, nothing stored ({len(lines)} problems):"), err=True)
    for line in lines:
        typer.echo(f"  {' '.join(line.split())}", err=True)
    raise typer.Exit(6)
