"""Running the ``dondoc`` command: every way it can stop becomes one line and an exit code.

Typer (on its copy of Click) prints a boxed usage screen and exits 2 for a bad option value, a
missing argument or an unknown command. Here the app runs with ``standalone_mode=False``, so those
errors come back to us as exceptions, and each is worded in one line, in the settings' language,
with the exit code :data:`EX_USAGE` (64, "the command was used incorrectly" in BSD's sysexits.h,
and distinct from the codes 2 to 7 that name what went wrong with the data).
"""

import re
import sys
from typing import Any

import typer
import typer.main
from typer._click.exceptions import (  # Typer 0.29 ships Click inside; these are the classes it raises
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)

from workflows.cli.app import DateProblem, language
from workflows.cli.messages import say

EX_USAGE = 64
EX_SOFTWARE = 70  # sysexits.h: "an internal software error has been detected"
INTERRUPTED = 130


def run(app: typer.Typer, args: list[str] | None = None) -> int:
    """Run ``app`` and return its exit code; a usage error or an interrupt is one line on stderr."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="dondoc", standalone_mode=False)
    except NoArgsIsHelpError as error:  # `dondoc` or `dondoc outbox` alone: the menu, as asked
        if error.message:
            typer.echo(error.message)
        return 0
    except UsageError as error:
        return complain(explain(error, language()), EX_USAGE)
    except (typer.Abort, KeyboardInterrupt):
        return interrupted()
    except Exception as error:  # a fault of dondoc's own: one line for the user, the traceback to a file
        return crashed(error)
    if result == INTERRUPTED:  # Typer turned a Ctrl-C into Exit(130), silently
        return interrupted()
    return result if isinstance(result, int) else 0


def complain(line: str, code: int) -> int:
    sys.stderr.write(f"dondoc: {say('error', language())}: {line}\n")
    return code


def crashed(error: Exception) -> int:
    """A fault no command foresaw (a bug): the user reads one line naming it and where its
    traceback was written for the report, never the traceback itself; what a command stored
    before it stays stored (each command writes in transactions of its own)."""
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="dondoc-error-", suffix=".txt", delete=False,
                                     encoding="utf-8") as report:
        traceback.print_exception(error, file=report)
    name = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return complain(say("internal_error", language(), error=name, path=report.name), EX_SOFTWARE)


def interrupted() -> int:
    sys.stderr.write(f"dondoc: {say('interrupted', language())}\n")
    return INTERRUPTED


def explain(error: UsageError, lang: str) -> str:
    """One line saying what is wrong, without Click's usage screen."""
    if isinstance(error, MissingParameter):
        return say("usage_missing", lang, name=_name(error.param))
    if isinstance(error, BadParameter):
        return _bad_value(error, lang)
    if isinstance(error, NoSuchOption):
        near = f" ({say('usage_near', lang)} {', '.join(sorted(error.possibilities))})" if error.possibilities else ""
        return say("usage_no_option", lang, name=error.option_name) + near
    if isinstance(error, BadOptionUsage):
        return say("usage_needs_value", lang, name=error.option_name)
    return _by_message(error, lang)


def _name(param: Any) -> str:
    """An option by its flag (``--status``), an argument by its placeholder (``FILE``)."""
    if param is None:
        return "?"
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.name).upper()
    return str(max(param.opts, key=len))


def _bad_value(error: BadParameter, lang: str) -> str:
    name = _name(error.param)
    cause = error.__cause__
    detail = cause.errors()[0] if cause is not None and hasattr(cause, "errors") and cause.errors() else {}
    given, kind, limits = detail.get("input"), detail.get("type"), detail.get("ctx") or {}
    if isinstance(limits.get("error"), DateProblem):
        problem = limits["error"]
        return say("usage_not_a_day" if problem.shaped else "usage_date", lang, name=name, value=problem.text)
    choices = _choices(error.param)
    if choices:
        return say("usage_choice", lang, name=name, value=given, choices=", ".join(choices))
    if kind == "int_parsing":
        return say("usage_integer", lang, name=name, value=given)
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return say("usage_range", lang, name=name, value=given, range=_range(error.param))
    return say("usage_bad_value", lang, name=name, value=given, detail=error.message)


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice:
        return []
    return [str(getattr(c, "value", c)) for c in descriptor.choices or ()]


def _range(param: Any) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"{low}..{high}"
    return f">= {low}" if low is not None else f"<= {high}"


def _by_message(error: UsageError, lang: str) -> str:
    """The usage errors Click raises with a sentence only: an unknown command, extra arguments."""
    message = error.format_message()
    unknown = re.fullmatch(r"No such command '(.*)'\.", message)
    if unknown:
        known = error.ctx.command.list_commands(error.ctx) if error.ctx is not None else []  # type: ignore[attr-defined]
        return say("usage_no_command", lang, name=unknown.group(1), known=", ".join(known))
    extra = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return say("usage_extra", lang, args=extra.group(1))
    return message
