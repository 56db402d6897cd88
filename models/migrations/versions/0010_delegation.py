"""delegation: a lead body hands an item to a unit under it (at most one active per item)

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lead_code", sa.String(length=32), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("delegated_by", sa.String(length=120), nullable=False),
        sa.Column("delegated_on", sa.Date(), nullable=False),
        sa.Column("delegated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_by", sa.String(length=120), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("unit_code <> lead_code", name="ck_delegation_not_itself"),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.ForeignKeyConstraint(["lead_code"], ["body.code"]),
        sa.ForeignKeyConstraint(["unit_code"], ["body.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("delegation", schema=None) as batch:
        batch.create_index("ix_delegation_unit", ["unit_code"], unique=False)
        batch.create_index("uq_delegation_active", ["item_id"], unique=True,
                           sqlite_where=sa.text("ended_at IS NULL"), postgresql_where=sa.text("ended_at IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table("delegation", schema=None) as batch:
        batch.drop_index("uq_delegation_active", sqlite_where=sa.text("ended_at IS NULL"),
                         postgresql_where=sa.text("ended_at IS NULL"))
        batch.drop_index("ix_delegation_unit")
    op.drop_table("delegation")
