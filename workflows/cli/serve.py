"""``dondoc serve`` (the scheduler) and ``dondoc demo`` (the main job: a replay with --as-of dates)."""

import logging
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from workflows.cli.app import app, date_option, with_runtime
from workflows.cli.messages import say

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime
    from workflows.orchestration.sweeps import SweepResult


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


DEMO_REPORTS = {"C.II.1.1.1": "done", "C.I.7.1": "in_progress", "B.II.3.1": "blocked"}
"""The reports bodies send on the demo's fourth day."""


@app.command()
def demo(
    start: Annotated[date, date_option("--start", "Ngày đầu dd/mm/yyyy / first day", show_default="22/02/2021")] = date(2021, 2, 22),
    days: Annotated[int, typer.Option(min=1, max=2000, help="Số ngày / how many days")] = 60,
) -> None:
    """Chạy lại một quãng của chương trình / replay a stretch of the programme day by day.

    Ingests the bundled sample, then for each day runs the daily chase (one letter per body) and
    the digest with --as-of, submits a few progress reports as bodies would, dispatches the outbox (to the local Maildir unless SMTP is
    configured) and prints what each day produced. Run again, it adds nothing (the sweeps and the
    outbox are idempotent, and a report is stored once per item and reporting date), and its last
    line says what this run did, beside what the outbox holds.
    """
    from config.words import show_date, word
    from models.db import session_scope
    from models.outbox import counts
    from notifications.dispatch import make_mailer, run
    from workflows.orchestration.ingest import parse_file, sample_path, store
    from workflows.orchestration.sweeps import SWEEPS

    def action(runtime: "Runtime") -> None:
        settings, configuration, engine, lang = runtime.settings, runtime.configuration, runtime.engine, runtime.settings.language
        programme = parse_file(sample_path(), settings=settings, configuration=configuration)
        _check_span(start, days, programme.term.first_year, programme.term.last_year, lang)  # before storing
        store(engine, programme, source=sample_path().name, configuration=configuration, actor=settings.actor)
        mailer = make_mailer(settings)
        typer.echo(say("demo_start", lang, first=show_date(start), days=days, where=mailer.describe()))
        queued = sent = 0
        for offset in range(days):
            day = start + timedelta(days=offset)
            if offset == 3:
                _demo_reports(runtime, day)
            results = [SWEEPS[kind](engine, settings=settings, configuration=configuration, as_of=day)
                       for kind in ("chase", "digest")]
            dispatched = run(engine, mailer, policy=configuration.policy, now=datetime.now(UTC))
            queued, sent = queued + sum(r.queued for r in results), sent + dispatched.sent
            _demo_day(results, day, dispatched.sent, lang)
        with session_scope(engine) as session:
            totals = counts(session)
        outbox = ", ".join(f"{n} {word('outbox', status, lang)}" for status, n in sorted(totals.items())) or "0"
        typer.echo(say("demo_totals", lang, queued=queued, sent=sent, outbox=outbox))
        typer.echo(say("demo_mail", lang, where=mailer.describe()))
        _demo_page(runtime)

    with_runtime(action)


def _demo_page(runtime: "Runtime") -> None:
    """How to open one body's answer page from here: the replayed days' letters carry links that
    expired on those days, so a fresh one is printed, made as ``dondoc link`` makes it."""
    from config.words import show_date
    from models.db import session_scope
    from models.links import link_generation
    from notifications.links import link_for, vietnam_day

    settings, policy, bodies = runtime.settings, runtime.configuration.policy, runtime.configuration.registry.bodies
    code = "UBND" if "UBND" in bodies else next(iter(bodies))
    now = datetime.now(UTC)
    with session_scope(runtime.engine) as session:
        generation = link_generation(session, body=code)
    link = link_for(code, settings=settings, policy=policy, now=now, generation=generation)
    expires = show_date(vietnam_day(now) + timedelta(days=policy.link_valid_days))
    typer.echo(say("demo_page", settings.language))
    typer.echo(say("demo_link", settings.language, body=code, expires=expires, link=link))


def _demo_reports(runtime: "Runtime", day: date) -> None:
    """The bodies' reports of the demo, each stored once per item and reporting date (a second run
    finds them and stores nothing; an item a report of an earlier run closed is left as it is)."""
    from config.words import show_date, word
    from models.db import session_scope
    from models.queries import find_document
    from workflows.orchestration.reports import AlreadyDone, submit_report

    lang, stored = runtime.settings.language, []
    with session_scope(runtime.engine) as session:
        document = find_document(session)
        for key, state_name in DEMO_REPORTS.items():
            try:
                submitted = submit_report(
                    session, policy=runtime.configuration.policy, document=document, key=key, body=None, status=state_name,
                    percent=None, note="demo", values={}, on=day, actor="demo", now=datetime.now(UTC), once=True,
                )
            except AlreadyDone:
                continue
            if submitted.report is not None:
                stored.append(f"{key} {word('report', state_name, lang)}")
    if stored:
        typer.echo(say("demo_reports", lang, day=show_date(day), reports=", ".join(stored)))
    else:
        typer.echo(say("demo_reports_known", lang, day=show_date(day)))


def _demo_day(results: "list[SweepResult]", day: date, sent: int, lang: str) -> None:
    """What one day of the demo queued and sent, with the first two subjects of each sweep."""
    from config.words import show_date

    made = [f"{say(f'sweep_{r.kind}', lang)} {r.queued}" for r in results if r.queued]
    if not made:
        return
    typer.echo(say("demo_day", lang, day=show_date(day), made=", ".join(made), sent=sent))
    for r in results:
        for email in r.emails[:2]:
            typer.echo(f"            {email.subject}  → {', '.join(email.to)}")
        if len(r.emails) > 2:
            typer.echo("            " + say("demo_more", lang, n=len(r.emails) - 2))


def _check_span(first: date, days: int, first_year: int, last_year: int, language: str) -> None:
    """Every day the demo replays must be a day of the sample's programme (its window)."""
    from workflows.cli.bounds import check_day
    from workflows.rules.window import date_window

    window = date_window(first_year, last_year)
    check_day("--start", first, window, language)
    check_day("--start + --days", first + timedelta(days=days - 1), window, language)
