"""The console's tables: who may sign in (``console_user``) and the failed sign-ins that slow the
next ones (``login_failure``).

A user is never deleted: ``dondoc user disable`` sets ``disabled_at`` and the console checks the
row on every request, so a disabled user's open session stops at once, and the audit trail's
actor names stay meaningful. The password is stored as an argon2 hash only. A body user
(``role = 'body'``) names its body (``body_code``); the other roles name none
(``ck_console_user_body``).

``login_failure`` keeps one row per failed attempt (the login as typed, folded to lower case, and
the client address), so the throttle holds across restarts and across server processes; old rows
are deleted when a sign-in is checked (``models.users.forget_old_failures``).
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, String
from sqlmodel import Field, SQLModel

from models.tables import one_of
from models.types import UTCDateTime, utcnow

ROLES = ("coordinator", "standing", "inspection", "body")


class ConsoleUser(SQLModel, table=True):
    """A person who signs in to the console, with one role (and a body for the role ``body``)."""

    __tablename__ = "console_user"
    __table_args__ = (
        one_of("console_user", "role", ROLES),
        CheckConstraint("(role = 'body') = (body_code IS NOT NULL)", name="ck_console_user_body"),
    )
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    """Lower case, as typed at sign-in after folding (``models.users.fold_login``)."""
    role: str = Field(sa_column=Column(String(16), nullable=False))
    body_code: str | None = Field(default=None, sa_column=Column(String(32)))
    """A code of the bodies registry (checked there when the user is added: no foreign key, so that
    accounts can be made before the first ingest stores the bodies)."""
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    created_by: str = Field(sa_column=Column(String(120), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    session_generation: int = Field(default=0, nullable=False)
    """Raised by a sign-out: every session cookie of an earlier generation stops working."""
    disabled_by: str | None = Field(default=None, sa_column=Column(String(120)))
    disabled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class LoginFailure(SQLModel, table=True):
    """One failed sign-in: counted per login and per address over the throttle's window."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_login", "login", "at"),
        Index("ix_login_failure_address", "address", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(sa_column=Column(String(64), nullable=False))
    address: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
