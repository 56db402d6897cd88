"""``dondoc serve`` (the scheduler) and ``dondoc demo`` (the main job: a replay with --as-of dates)."""

import logging
from datetime import date, timedelta
from typing import Annotated

import typer

from config.errors import DondocError
from workflows.cli import app, fail, settings_or_fail


@app.command()
def serve(
    orchestrate: Annotated[bool, typer.Option("--orchestrate/--direct", help="Chạy các luồng Prefect / trigger the Prefect flows")] = True,
) -> None:
    """Chạy lịch nhắc việc, đôn đốc, tổng hợp và gửi thư / run the schedule until SIGTERM."""
    from workflows.ingest import load_configuration
    from workflows.scheduler import serve as run_scheduler

    settings = settings_or_fail()
    try:
        configuration = load_configuration(settings)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        for noisy in ("apscheduler", "alembic", "httpx", "prefect"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        run_scheduler(settings, configuration.policy, orchestrate=orchestrate)
    except DondocError as error:
        fail(error, settings.language)


@app.command()
def demo(
    start: Annotated[str, typer.Option(help="Ngày đầu / first day")] = "2021-02-22",
    days: Annotated[int, typer.Option(min=1, max=2000, help="Số ngày / how many days")] = 60,
) -> None:
    """Chạy lại một quãng của chương trình / replay a stretch of the programme day by day.

    Ingests the bundled sample, then for each day runs the sweeps with --as-of, submits a few
    progress reports and an extension as bodies would, dispatches the outbox (to the local
    Maildir unless SMTP is configured) and prints what each day produced.
    """
    from datetime import UTC, datetime

    from models.db import session_scope
    from models.outbox import counts
    from models.queries import find_document
    from models.tracking import submit_report
    from notifications.dispatch import make_mailer, run
    from workflows import sweeps
    from workflows.ingest import load_configuration, parse_file, sample_path, store

    settings = settings_or_fail()
    try:
        first = date.fromisoformat(start)
        configuration = load_configuration(settings)
        programme = parse_file(sample_path(), settings=settings, configuration=configuration)
        store(programme, source=sample_path().name, settings=settings, configuration=configuration)
        from models.db import open_database

        engine = open_database(settings.url)
        mailer = make_mailer(settings)
        typer.echo(f"dondoc demo: {first.isoformat()} + {days} ngày/days → {mailer.describe()}")
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
                typer.echo(f"{day}  báo cáo / reports: " + ", ".join(f"{k} {v}" for k, v in reporters.items()))
            results = [
                step(engine, settings=settings, configuration=configuration, as_of=day)
                for step in (sweeps.remind, sweeps.escalate, sweeps.digest)
            ]
            sent = run(engine, mailer, policy=configuration.policy, now=datetime.now(UTC))
            made = [f"{r.kind} {r.queued}" for r in results if r.queued]
            if made:
                typer.echo(f"{day}  " + ", ".join(made) + f"  → gửi/sent {sent.sent}")
                for r in results:
                    for email in r.emails[:2]:
                        typer.echo(f"            {email.subject}  → {', '.join(email.to)}")
                    if len(r.emails) > 2:
                        typer.echo(f"            … {len(r.emails) - 2} more")
        with session_scope(engine) as session:
            totals = counts(session)
        engine.dispose()
        typer.echo("outbox: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items())))
        typer.echo(f"mail: {mailer.describe()}")
    except DondocError as error:
        fail(error, settings.language)
