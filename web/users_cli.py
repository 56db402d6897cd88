"""``dondoc user add|list|disable``: the console's accounts, from the command line only.

The password of ``user add`` is read from standard input: typed twice without echo at a
terminal, or the first line of a pipe (``printf '%s\\n' "$PW" | dondoc user add ...``), never from
an argument (it would show in the shell's history and in ``ps``). A password shorter than
``models.users.MIN_PASSWORD`` characters is refused (exit 64). Every change is audited with the
``DONDOC_ACTOR`` of the person running the command.
"""

import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from web.console.auth_words import say
from workflows.cli.app import UsageProblem, app, fail, language, print_json, with_runtime

if TYPE_CHECKING:
    from workflows.orchestration.runtime import Runtime

user_app = typer.Typer(name="user", no_args_is_help=True,
                       help="Tài khoản bảng điều hành: thêm, liệt kê, khóa / console accounts: add, list, disable.")
app.add_typer(user_app, name="user")


class Role(StrEnum):
    coordinator = "coordinator"
    standing = "standing"
    inspection = "inspection"
    body = "body"


def read_password(login: str, lang: str) -> str:
    """The password from standard input: twice without echo at a terminal, else one line."""
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass(say("password_prompt", lang, login=login) + ": ")
        if getpass.getpass(say("password_again", lang) + ": ") != first:
            raise UsageProblem(say("password_mismatch", lang))
        return first
    line = sys.stdin.readline()
    if not line:
        raise UsageProblem(say("password_none", lang))
    return line.rstrip("\r\n")


@user_app.command("add")
def add(
    login: Annotated[str, typer.Argument(help="Tên đăng nhập / the login")],
    role: Annotated[Role, typer.Option("--role", help="Vai trò / the role")],
    body: Annotated[str | None, typer.Option("--body", metavar="CODE", help="Cơ quan (vai trò body) / the body (role body)")] = None,
) -> None:
    """Thêm tài khoản; mật khẩu đọc từ đầu vào chuẩn / add an account; the password comes from standard input."""
    from models.users import UserProblem, check_login, check_password

    lang = language()
    try:
        check_login(login)
        if (role is Role.body) != (body is not None):
            raise UserProblem("the role 'body' needs --body CODE" if role is Role.body else f"the role {role.value!r} takes no --body")
        password = read_password(login, lang)
        check_password(password)
    except UserProblem as problem:
        fail(UsageProblem(str(problem)), lang)
    except UsageProblem as problem:
        fail(problem, lang)

    def action(runtime: "Runtime") -> None:
        from models.db import session_scope
        from models.users import add_user

        code = runtime.configuration.registry.resolve(body).code if body is not None else None
        with session_scope(runtime.engine) as session:
            user = add_user(session, login=login, role=role.value, body=code, password=password,
                            actor=runtime.settings.actor, now=datetime.now(UTC))
        typer.echo(say("user_added", runtime.settings.language, login=user.login, role=role.value + (f" {code}" if code else "")))

    with_runtime(action)


@user_app.command("list")
def list_(json: Annotated[bool, typer.Option("--json", help="In JSON / print JSON")] = False) -> None:
    """Liệt kê tài khoản / list the accounts."""

    def action(runtime: "Runtime") -> None:
        from config.words import show_date
        from models.db import session_scope
        from models.users import list_users

        lang = runtime.settings.language
        with session_scope(runtime.engine) as session:
            users = list_users(session)
        if json:
            print_json([{"login": u.login, "role": u.role, "body": u.body_code, "created_at": u.created_at.isoformat(),
                         "created_by": u.created_by, "disabled_at": u.disabled_at.isoformat() if u.disabled_at else None}
                        for u in users])
            return
        if not users:
            typer.echo(say("no_users", lang))
        for u in users:
            state = say("disabled", lang, day=show_date(u.disabled_at.date())) if u.disabled_at else say("active", lang)
            typer.echo(f"{u.login:<24} {u.role:<12} {u.body_code or '-':<12} {state}")

    with_runtime(action, read_only=True)


@user_app.command("disable")
def disable(login: Annotated[str, typer.Argument(help="Tên đăng nhập / the login")]) -> None:
    """Khóa tài khoản; các phiên đăng nhập hết hiệu lực ngay / disable an account; its sessions stop at once."""

    def action(runtime: "Runtime") -> None:
        from models.db import session_scope
        from models.users import disable_user, fold_login

        with session_scope(runtime.engine) as session:
            changed = disable_user(session, login=login, actor=runtime.settings.actor, now=datetime.now(UTC))
        key = "user_disabled" if changed else "user_was_disabled"
        typer.echo(say(key, runtime.settings.language, login=fold_login(login)))

    with_runtime(action)
