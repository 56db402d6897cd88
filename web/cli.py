"""``dondoc web`` and ``dondoc link``: the commands of the top floor, registered on the one Typer app.

The command line (``workflows.cli``) is a floor below and may not import this package, so the
``dondoc`` console script starts here (:func:`main`): importing this module registers the two
commands, then the command line runs as before. Nothing heavy is imported until a command runs.
"""

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from config.errors import ConfigError
from web.users_cli import user_app  # noqa: F401  (importing it registers ``dondoc user``)
from web.words import text
from workflows.cli.app import UsageProblem, app, date_option, fail, language, settings_or_fail, with_runtime

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime


@app.command()
def web() -> None:
    """Trang trả lời của các cơ quan / serve the answer page (DONDOC_WEB_HOST, DONDOC_WEB_PORT)."""
    settings = settings_or_fail()
    lang = settings.language
    try:
        from notifications.links import signing_key

        signing_key(settings)  # made or checked now: a weak key stops the start (exit 3), not the first visitor
    except ConfigError as error:
        fail(error, lang)

    def serve(runtime: "Runtime") -> None:
        import logging

        import uvicorn

        from web.app import create_app

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        typer.echo(text("web_listening", lang, url=f"http://{settings.web_host}:{settings.web_port}"))
        uvicorn.run(create_app(runtime), host=settings.web_host, port=settings.web_port, access_log=False,
                    log_level="info", server_header=False)

    with_runtime(serve)


@app.command()
def link(
    what: Annotated[str, typer.Argument(metavar="BODY | revoke", help="Cơ quan, hoặc 'revoke' / the body, or 'revoke'")],
    body: Annotated[str | None, typer.Argument(metavar="[BODY]", help="Cơ quan cần thu hồi link / the body whose links to revoke")] = None,
    expires: Annotated[date | None, date_option("--expires", "Ngày cuối còn dùng được / last day the link works")] = None,
) -> None:
    """In đường link trang trả lời của một cơ quan; 'link revoke BODY' thu hồi mọi link đã cấp /
    print a fresh link to a body's answer page; 'link revoke BODY' makes every earlier link invalid."""
    revoking = what == "revoke"
    if (revoking and (body is None or expires is not None)) or (not revoking and body is not None):
        lang = language()
        fail(UsageProblem(text("link_usage", lang)), lang)
    name = body if revoking and body is not None else what

    def action(runtime: "Runtime") -> None:
        from config.words import show_date
        from models.db import session_scope
        from models.links import link_generation, revoke_links
        from notifications.links import link_for, vietnam_day

        lang, settings, policy = runtime.settings.language, runtime.settings, runtime.configuration.policy
        code = runtime.configuration.registry.resolve(name).code
        now = datetime.now(UTC)
        if revoking:
            with session_scope(runtime.engine) as session:
                revoke_links(session, body=code, actor=settings.actor, now=now)
            typer.echo(text("link_revoked", lang, body=code))
            return
        today, longest = vietnam_day(now), 366
        if expires is not None and expires < today:
            raise UsageProblem(text("link_past", lang, day=show_date(expires)))
        if expires is not None and expires > today + timedelta(days=longest):
            raise UsageProblem(text("link_far", lang, day=show_date(expires), n=longest))
        with session_scope(runtime.engine) as session:
            generation = link_generation(session, body=code)
        made = link_for(code, settings=settings, policy=policy, now=now, generation=generation, expires=expires)
        last = expires or today + timedelta(days=policy.link_valid_days)
        typer.echo(text("link_made", lang, body=code, expires=show_date(last)), err=True)
        typer.echo(made)

    with_runtime(action)


def main() -> None:
    """The ``dondoc`` console script: the command line with the web commands registered."""
    from workflows.cli import main as run

    run()
