"""The sweeps by hand: chase (the daily letters), remind, escalate, digest (``--as-of`` a day, ``--dry-run`` to look first)."""

from datetime import date
from typing import TYPE_CHECKING

import typer

from workflows.cli.app import AsOf, DryRun, Orchestrate, app, as_of_date, with_runtime
from workflows.cli.bounds import check_as_of
from workflows.cli.messages import say

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


def _sweep(kind: str, as_of: date | None, dry_run: bool, orchestrate: bool) -> None:
    from config.words import show_date

    def action(runtime: "Runtime") -> None:
        check_as_of(as_of, runtime.engine, runtime.settings.language)  # 31/12/9999 ran 94 s and queued 1,328 emails
        day = as_of_date(as_of)
        if orchestrate:
            from workflows.orchestration.flows import SWEEP_FLOWS

            result = SWEEP_FLOWS[kind](day, dry_run)
        else:
            from workflows.orchestration.sweeps import SWEEPS

            result = SWEEPS[kind](runtime.engine, settings=runtime.settings, configuration=runtime.configuration,
                                  as_of=day, dry_run=dry_run)
        for email in result.emails:
            typer.echo(f"  {'→' if not dry_run else '·'} {', '.join(email.to)}: {email.subject}")
        message = "sweep_dry" if dry_run else "sweep_done"
        typer.echo(say(message, runtime.settings.language, kind=say(f"sweep_{kind}", runtime.settings.language),
                       day=show_date(day), owed=result.owed, new=len(result.emails), queued=result.queued))

    with_runtime(action)


@app.command()
def chase(as_of: AsOf = None, dry_run: DryRun = False, orchestrate: Orchestrate = False) -> None:
    """Thư đôn đốc hằng ngày, mỗi cơ quan một thư / the day's reminders and escalations, one letter per body."""
    _sweep("chase", as_of, dry_run, orchestrate)


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
