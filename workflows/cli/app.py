"""The Typer application and what every command shares: settings, errors, dates, output.

Every command module registers its commands on :data:`app`; none imports another command
module. Heavy modules (SQLAlchemy, Prefect) are imported inside the commands that use them, so
that a read answers quickly.
"""

import json
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from config.errors import DondocError
from config.settings import Settings, load_settings
from workflows.cli.messages import say

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime

app = typer.Typer(
    name="dondoc",
    help="dondoc: theo dõi, đôn đốc thực hiện chương trình hành động / track and urge an action programme.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

T = TypeVar("T")

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Ngày dd/mm/yyyy hoặc YYYY-MM-DD (mặc định: hôm nay) / the day, default today in Vietnam"),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Chỉ xem, không ghi / show what would be sent, write nothing")]
Orchestrate = Annotated[bool, typer.Option("--orchestrate/--direct", help="Chạy như luồng Prefect / run as a Prefect flow")]
DocumentKey = Annotated[str | None, typer.Option("--document", help="Mã văn bản / document key (default: the last ingested)")]
AsJson = Annotated[bool, typer.Option("--json", help="In JSON / print JSON")]


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Kind(StrEnum):
    target = "target"
    task = "task"
    directive = "directive"


def fail(error: DondocError, language: str = "vi") -> NoReturn:
    """One line on standard error, and the error's exit code."""
    typer.echo(f"dondoc: {say('error', language)}: {error}", err=True)
    raise typer.Exit(error.exit_code)


def settings_or_fail() -> Settings:
    try:
        return load_settings()
    except DondocError as error:
        fail(error)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def parse_date(text: str, option: str) -> date:
    """A date a person typed: dd/mm/yyyy (as written here) or YYYY-MM-DD."""
    from datetime import datetime

    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    raise DondocError(f"{option} takes a date as dd/mm/yyyy or YYYY-MM-DD, not {text!r}")


def as_of_date(text: str | None) -> date:
    from workflows.orchestration.runtime import today

    return today() if text is None else parse_date(text, "--as-of")


def with_settings(action: Callable[[Settings], T]) -> T:
    """Run ``action(settings)``, turning a DondocError into one line and an exit code."""
    settings = settings_or_fail()
    try:
        return action(settings)
    except DondocError as error:
        fail(error, settings.language)


def with_runtime(action: Callable[["Runtime"], T]) -> T:
    """Run ``action(runtime)`` with settings, configuration and an open database, turning a
    DondocError into one line and an exit code; the engine is closed after."""
    from workflows.orchestration.runtime import process_runtime

    def opened(settings: Settings) -> T:
        runtime = process_runtime(settings)
        try:
            return action(runtime)
        finally:
            runtime.engine.dispose()

    return with_settings(opened)
