"""The console's users: add, list, disable, check a password, and the sign-in throttle.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults, RFC 9106's second recommended
set); only the hash is stored. A check against an unknown or disabled login still hashes once, so
that the time of an answer does not tell whether the login exists.

The throttle (:func:`retry_after`): after :data:`MAX_FAILURES_PER_LOGIN` failed sign-ins for one
login, or :data:`MAX_FAILURES_PER_ADDRESS` from one address, within :data:`WINDOW`, every further
attempt is refused without checking the password until the oldest counted failure is
:data:`WINDOW` old. A refused attempt is not itself counted (a person who waits gets in on time);
a successful sign-in clears its login's failures.
"""

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from config.errors import ConflictError, NotFoundError
from models.audit import audit
from models.console_tables import ROLES, ConsoleUser, LoginFailure

MIN_PASSWORD = 10
"""The shortest password accepted (characters)."""
MAX_PASSWORD = 1024
"""The longest: argon2 would hash more, but no person types it and it would cost the server."""
MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_ADDRESS = 20
"""Higher than per login: an office signs in from behind one address."""
WINDOW = timedelta(minutes=15)
LOGIN_SHAPE = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("dondoc: a password nobody has")


class UserProblem(ValueError):
    """What the caller asked cannot be a user (bad login, short password, role without body)."""


def fold_login(login: str) -> str:
    """The login as stored: trimmed and lower case (people type ``Nguyen.A`` and ``nguyen.a``)."""
    return login.strip().lower()


def check_login(login: str) -> str:
    folded = fold_login(login)
    if not LOGIN_SHAPE.fullmatch(folded):
        raise UserProblem(f"login {login!r}: use 2 to 64 letters a-z, digits, '.', '_', '-' or '@'")
    return folded


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserProblem(f"the password is too short: give {MIN_PASSWORD} characters or more")
    if len(password) > MAX_PASSWORD:
        raise UserProblem(f"the password is too long: {MAX_PASSWORD} characters at most")


def add_user(session: Session, *, login: str, role: str, body: str | None, password: str, actor: str,
             now: datetime) -> ConsoleUser:
    """Store a new user (its password hashed) and audit it; a login already taken is a conflict."""
    folded = check_login(login)
    if role not in ROLES:
        raise UserProblem(f"role {role!r}: use one of {', '.join(ROLES)}")
    if (role == "body") != (body is not None):
        raise UserProblem("the role 'body' needs --body CODE" if role == "body" else f"the role {role!r} takes no --body")
    check_password(password)
    if find_user(session, folded) is not None:
        raise ConflictError(f"the login {folded!r} exists already")
    user = ConsoleUser(login=folded, role=role, body_code=body, password_hash=_hasher.hash(password),
                       created_by=actor, created_at=now)
    session.add(user)
    session.flush()
    audit(session, actor=actor, action="user.add", entity="console_user", key=folded, at=now, role=role, body=body)
    return user


def find_user(session: Session, login: str) -> ConsoleUser | None:
    return session.exec(select(ConsoleUser).where(ConsoleUser.login == fold_login(login))).first()


def list_users(session: Session) -> Sequence[ConsoleUser]:
    return session.exec(select(ConsoleUser).order_by(col(ConsoleUser.login))).all()


def disable_user(session: Session, *, login: str, actor: str, now: datetime) -> bool:
    """Disable ``login`` (its sessions stop at their next request); False when it already was."""
    user = find_user(session, login)
    if user is None:
        raise NotFoundError(f"no console user {fold_login(login)!r}")
    if user.disabled_at is not None:
        return False
    user.disabled_at, user.disabled_by = now, actor
    user.session_generation += 1
    session.add(user)
    audit(session, actor=actor, action="user.disable", entity="console_user", key=user.login, at=now)
    return True


def end_sessions(session: Session, *, login: str) -> None:
    """Sign out: every session cookie of this user (on any device) stops working."""
    user = find_user(session, login)
    if user is not None:
        user.session_generation += 1
        session.add(user)


def retry_after(session: Session, *, login: str, address: str, now: datetime) -> datetime | None:
    """When the next attempt for ``login`` from ``address`` may be made, or None when it may now."""
    since = now - WINDOW
    session.execute(delete(LoginFailure).where(col(LoginFailure.at) < since))
    waits = []
    for column, value, most in ((LoginFailure.login, fold_login(login)[:64], MAX_FAILURES_PER_LOGIN),
                                (LoginFailure.address, address[:64], MAX_FAILURES_PER_ADDRESS)):
        times = session.exec(select(LoginFailure.at).where(column == value, col(LoginFailure.at) >= since)
                             .order_by(col(LoginFailure.at).desc()).limit(most)).all()
        if len(times) >= most:
            waits.append(min(times) + WINDOW)
    return max(waits) if waits else None


def sign_in(session: Session, *, login: str, password: str, address: str, now: datetime) -> ConsoleUser | None:
    """The active user whose password this is, or None (the failure is counted). Call
    :func:`retry_after` first: a throttled attempt must not reach here."""
    user = find_user(session, login) if len(password) <= MAX_PASSWORD else None
    stored = user.password_hash if user is not None and user.disabled_at is None else _DUMMY
    try:
        good = _hasher.verify(stored, password[:MAX_PASSWORD]) and stored is not _DUMMY
    except (VerificationError, InvalidHashError):
        good = False
    if not good or user is None:
        session.add(LoginFailure(login=fold_login(login)[:64], address=address[:64], at=now))
        return None
    session.execute(delete(LoginFailure).where(col(LoginFailure.login) == user.login))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        session.add(user)
    audit(session, actor=f"console:{user.login}", action="user.sign_in", entity="console_user", key=user.login,
          at=now, address=address)
    return user


def failures(session: Session, *, login: str) -> int:
    """How many failures are counted for ``login`` now (for the tests and ``dondoc user list``)."""
    return session.exec(select(func.count()).select_from(LoginFailure)
                        .where(LoginFailure.login == fold_login(login))).one()
