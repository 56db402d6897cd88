"""``dondoc review report ROUND --format docx|xlsx|html -o FILE``: a round's report, at any time.

While the round is open (on the ``--as-of`` day) the report is a draft and says so (DỰ THẢO);
answers given after that day are not counted, so a replayed round reports as it stood then.
"""

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from workflows.cli.app import AsOf, UsageProblem, as_of_date, review_app, with_runtime
from workflows.cli.bounds import check_day, document_window

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


class ReportFormat(StrEnum):
    docx = "docx"
    xlsx = "xlsx"
    html = "html"


def _say(language: str, vi: str, en: str) -> str:
    return en if language == "en" else vi


@review_app.command("report")
def report(
    round_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="Số đợt / the review round's number")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Định dạng / the file format")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp ghi ra / the file to write", dir_okay=False)],
    as_of: AsOf = None,
) -> None:
    """Ghi báo cáo sơ kết, tổng kết (dự thảo khi đợt chưa đóng) / write a round's report (a draft while it is open)."""
    from models.db import session_scope
    from models.review_figures import round_document
    from models.reviews import find_round
    from workflows.orchestration.review_report import report_bytes

    def action(runtime: "Runtime") -> None:
        lang = runtime.settings.language
        day: date = as_of_date(as_of)
        with session_scope(runtime.engine) as session:
            check_day("--as-of", as_of, document_window(round_document(session, review=find_round(session, round_id))), lang)
            compiled, data = report_bytes(session, round_id=round_id, configuration=runtime.configuration,
                                          fmt=fmt.value, language=lang, as_of=day)
        try:
            output.write_bytes(data)
        except OSError as error:
            raise UsageProblem(_say(lang, f"không ghi được {output}: {error.strerror}",
                                    f"cannot write {output}: {error.strerror}")) from None
        draft = _say(lang, " (dự thảo: đợt chưa đóng)", " (a draft: the round is open)") if compiled.round.draft else ""
        typer.echo(_say(lang, f"đã ghi báo cáo đợt {round_id} vào {output}{draft}",
                        f"wrote round {round_id}'s report to {output}{draft}"))

    with_runtime(action, read_only=True)
