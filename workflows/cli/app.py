"""The Typer application and what every command shares: settings, errors, dates, output.

Every command module registers its commands on :data:`app`; none imports another command
module. Heavy modules (SQLAlchemy, Prefect) are imported inside the commands that use them, so
that a read answers quickly.
"""

import json
import os
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from config.errors import DondocError
from config.settings import Settings, load_settings
from workflows.cli.messages import say

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


def _flags_show_as_flags() -> None:
    """Typer 0.29 prints a flag's type in the help box (``--json <bool>``), as if it took a value;
    0.28 printed none. Show a flag bare again; any other option keeps its type."""
    from typer.core import TyperOption

    typed = getattr(TyperOption, "display_type_rich", None)
    if typed is None or getattr(typed, "flags_bare", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else typed(self, ctx)

    display_type_rich.flags_bare = True  # type: ignore[attr-defined]
    setattr(TyperOption, "display_type_rich", display_type_rich)  # noqa: B010


_flags_show_as_flags()

app = typer.Typer(
    name="dondoc",
    help="dondoc: theo dõi, đôn đốc thực hiện chương trình hành động / track and urge an action programme.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

review_app = typer.Typer(
    name="review",
    help="Sơ kết, tổng kết: mở đợt, trả lời, đóng đợt, báo cáo / review rounds: open, answer, close, report.",
    no_args_is_help=True,
)
"""``dondoc review ...``: each review command module registers its commands here."""
app.add_typer(review_app, name="review")

T = TypeVar("T")


class DateProblem(ValueError):
    """A date option's value that is not a day: raised by :func:`day_option`, worded by ``usage``."""

    def __init__(self, text: str, shaped: bool) -> None:
        super().__init__(text)
        self.text = text
        self.shaped = shaped
        """True when ``text`` is written like a date but names no day (31/02/2025)."""


DATE_LAYOUTS = ("%d/%m/%Y", "%Y-%m-%d")


def day_option(value: str | date) -> date:
    """Typer's parser for every date option: dd/mm/yyyy (as written here) or YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    text = value.strip()
    for layout in DATE_LAYOUTS:
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    shaped = re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}", text) is not None
    raise DateProblem(text, shaped)


def date_option(name: str, help: str, **extra: Any) -> Any:
    """A ``typer.Option`` taking a date: parsed (and refused) by Typer, before any database opens."""
    return typer.Option(name, parser=day_option, metavar="DD/MM/YYYY", help=help, **extra)


AsOf = Annotated[
    date | None,
    date_option("--as-of", "Ngày dd/mm/yyyy hoặc YYYY-MM-DD (mặc định: hôm nay) / the day, default today in Vietnam"),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Chỉ xem, không ghi / show what would be sent, write nothing")]
Orchestrate = Annotated[bool, typer.Option("--orchestrate/--direct", help="Chạy như luồng Prefect / run as a Prefect flow")]
DocumentKey = Annotated[str | None, typer.Option(
    "--document", help="Số (58/NQ-CP) hoặc mã văn bản / document number or key, or a start of the key (default: the last ingested)")]
AsJson = Annotated[bool, typer.Option("--json", help="In JSON / print JSON")]


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Kind(StrEnum):
    target = "target"
    task = "task"
    directive = "directive"


class ReportStatus(StrEnum):
    """What a body may report (``workflows.rules.status.STATUSES``), so that --help lists them."""

    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    blocked = "blocked"


class ExtensionStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    dead = "dead"
    uncertain = "uncertain"


class UsageProblem(DondocError):
    """The command was given something it cannot take (a usage error: ``usage.EX_USAGE``)."""

    exit_code = 64


def fail(error: DondocError, language: str = "vi") -> NoReturn:
    """One line on standard error, and the error's exit code."""
    typer.echo(f"dondoc: {say('error', language)}: {' '.join(error.say(language).split())}", err=True)  # one line, always
    raise typer.Exit(error.exit_code)


def language() -> str:
    """The language the settings ask for, or Vietnamese when they cannot be read (a command that
    needs them reports their own error)."""
    try:
        return load_settings().language
    except Exception:  # any fault here is reported where the settings are used
        return "vi"


def settings_or_fail() -> Settings:
    try:
        return load_settings()
    except DondocError as error:  # the settings are wrong: the language asked for, if that much is clear
        fail(error, "en" if os.environ.get("DONDOC_LANGUAGE", "").strip() == "en" else "vi")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def as_of_date(day: date | None) -> date:
    from workflows.orchestration.runtime import today

    return today() if day is None else day


def with_settings(action: Callable[[Settings], T]) -> T:
    """Run ``action(settings)``, turning a DondocError into one line and an exit code."""
    settings = settings_or_fail()
    try:
        return action(settings)
    except DondocError as error:
        fail(error, settings.language)


def with_runtime(action: Callable[["Runtime"], T], *, read_only: bool = False) -> T:
    """Run ``action(runtime)`` with settings, configuration and an open database, turning a
    DondocError into one line and an exit code; the engine is closed after. A command that only
    reads passes ``read_only=True``: where there is no database yet it says so (exit 4) and
    creates nothing."""
    from workflows.orchestration.runtime import process_runtime

    def opened(settings: Settings) -> T:
        runtime = process_runtime(settings, create=not read_only)
        try:
            return action(runtime)
        finally:
            runtime.engine.dispose()

    return with_settings(opened)
