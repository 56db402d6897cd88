"""links can be revoked: a generation per body, carried in every signed link of that body

``dondoc link revoke BODY`` raises the body's generation; a link signed with an older one is
refused by the answer page. A body with no row is at generation 0. No foreign key to ``body``:
the registry (bodies.yaml) is the reference, and a link may be revoked before any document (and
so any ``body`` row) is stored.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_generation",
        sa.Column("body_code", sa.String(length=32), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint("generation >= 1", name="ck_link_generation_generation"),
        sa.PrimaryKeyConstraint("body_code"),
    )


def downgrade() -> None:
    op.drop_table("link_generation")
