"""a document's number, issuer and issue date, as its heading gives them ("58/NQ-CP", "CHÍNH
PHỦ", 21/04/2026): how a person names a document (``--document 58/NQ-CP``, ``dondoc documents``)

Filled at each ingest. A database ingested by the dondoc that kept them only in the audit trail's
``document.ingested``/``document.described`` events gets them from the latest such event here;
others get them at their next ingest.

Revision ID: 0012
Revises: 0011
"""

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("number", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("issuer", sa.Text(), nullable=True))
        batch.add_column(sa.Column("issued_on", sa.Date(), nullable=True))
    connection = op.get_bind()
    events = connection.execute(sa.text(
        "SELECT entity_key, detail FROM audit_event WHERE entity = 'document' "
        "AND action IN ('document.ingested', 'document.described') ORDER BY id"
    )).all()
    latest: dict[str, dict[str, object]] = {}
    for key, detail in events:
        facts = detail if isinstance(detail, dict) else json.loads(detail or "{}")
        if "number" in facts:
            latest[key] = facts
    document = sa.table("document", sa.column("key", sa.String), sa.column("number", sa.String),
                        sa.column("issuer", sa.Text), sa.column("issued_on", sa.Date))
    for key, facts in latest.items():
        issued = facts.get("issued_on")
        connection.execute(document.update().where(document.c.key == key).values(
            number=facts.get("number"), issuer=facts.get("issuer"),
            issued_on=date.fromisoformat(str(issued)) if issued else None))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("issued_on")
        batch.drop_column("issuer")
        batch.drop_column("number")
