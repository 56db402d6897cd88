"""``dondoc serve`` (the scheduler) and ``dondoc demo`` (the main job: a replay with --as-of dates)."""

import logging
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from workflows.cli.app import app, date_option, with_runtime

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


@app.command()
def serve(
    orchestrate: Annotated[bool, typer.Option("--orchestrate/--direct", help="Chạy các luồng Prefect / trigger the Prefect flows")] = True,
) -> None:
    """Chạy lịch nhắc việc, đôn đốc, tổng hợp và gửi thư / run the schedule until SIGTERM."""
    from workflows.orchestration.scheduler import serve as run_scheduler

    def action(runtime: "Runtime") -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        for noisy in ("apscheduler", "alembic", "httpx", "prefect"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        run_scheduler(runtime, orchestrate=orchestrate)

    with_runtime(action)


@app.command()
def demo(
    start: Annotated[date, date_option("--start", "Ngày đầu dd/mm/yyyy / first day", show_default="22/02/2021")] = date(2021, 2, 22),
    days: Annotated[int, typer.Option(min=1, max=2000, help="Số ngày / how many days")] = 60,
) -> None:
    """Chạy lại một quãng của chương trình / replay a stretch of the programme day by day.

    Ingests the bundled sample, then for each day runs the sweeps with --as-of, submits a few
    progress reports and an extension as bodies would, dispatches the outbox (to the local
    Maildir unless SMTP is configured) and prints what each day produced.
    """
    from config.words import show_date
    from models.db import session_scope
    from models.outbox import counts
    from models.queries import find_document
    from notifications.dispatch import make_mailer, run
    from workflows.orchestration.ingest import parse_file, sample_path, store
    from workflows.orchestration.reports import submit_report
    from workflows.orchestration.sweeps import SWEEPS

    def action(runtime: "Runtime") -> None:
        first = start
        settings, configuration, engine = runtime.settings, runtime.configuration, runtime.engine
        programme = parse_file(sample_path(), settings=settings, configuration=configuration)
        _check_span(first, days, programme.term.first_year, programme.term.last_year, settings.language)  # before storing
        store(engine, programme, source=sample_path().name, configuration=configuration, actor=settings.actor)
        mailer = make_mailer(settings)
        typer.echo(f"dondoc demo: {show_date(first)} + {days} ngày/days → {mailer.describe()}")
        reporters = {"C.II.1.1.1": "done", "C.I.7.1": "in_progress", "B.II.3.1": "blocked"}
        for offset in range(days):
            day = first + timedelta(days=offset)
            if offset == 3:
                with session_scope(engine) as session:
                    doc = find_document(session)
                    for key, state_name in reporters.items():
                        submit_report(session, policy=configuration.policy, document=doc, key=key, body=None,
                                      status=state_name, percent=None, note="demo", values={}, on=day, actor="demo",
                                      now=datetime.now(UTC))
                typer.echo(f"{show_date(day)}  báo cáo / reports: " + ", ".join(f"{k} {v}" for k, v in reporters.items()))
            results = [
                SWEEPS[kind](engine, settings=settings, configuration=configuration, as_of=day)
                for kind in ("remind", "escalate", "digest")
            ]
            sent = run(engine, mailer, policy=configuration.policy, now=datetime.now(UTC))
            made = [f"{r.kind} {r.queued}" for r in results if r.queued]
            if made:
                typer.echo(f"{show_date(day)}  " + ", ".join(made) + f"  → gửi/sent {sent.sent}")
                for r in results:
                    for email in r.emails[:2]:
                        typer.echo(f"            {email.subject}  → {', '.join(email.to)}")
                    if len(r.emails) > 2:
                        typer.echo(f"            … {len(r.emails) - 2} more")
        with session_scope(engine) as session:
            totals = counts(session)
        typer.echo("outbox: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items())))
        typer.echo(f"mail: {mailer.describe()}")

    with_runtime(action)


def _check_span(first: date, days: int, first_year: int, last_year: int, language: str) -> None:
    """Every day the demo replays must be a day of the sample's programme (its window)."""
    from workflows.cli.bounds import check_day
    from workflows.rules.window import date_window

    window = date_window(first_year, last_year)
    check_day("--start", first, window, language)
    check_day("--start + --days", first + timedelta(days=days - 1), window, language)
