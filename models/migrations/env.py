"""Alembic environment: runs on the connection dondoc passes in, or on the configured URL.

Autogenerate (and so ``python -m models.check``) compares our tables only, not APScheduler's
``apscheduler_jobs`` (made by 0003 for APScheduler, absent from our models), and compares the
named CHECK constraints too (an opt-in Alembic plugin): every CHECK of ours has a name.
"""

from collections.abc import MutableMapping
from typing import Any

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import models.console_tables
import models.delegation_tables
import models.outbound_tables
import models.review_tables
import models.tables  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata
NOT_OURS = {"apscheduler_jobs"}


def include_name(name: str | None, type_: str, _parent_names: MutableMapping[Any, str | None]) -> bool:
    return not (type_ == "table" and name in NOT_OURS)


def configure(connection: Any) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True, include_name=include_name,
        autogenerate_plugins=["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"],
    )


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()


run()
