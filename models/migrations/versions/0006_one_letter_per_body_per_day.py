"""one letter per body per day: the outbox holds chase letters (and extension decisions), and
``letter_part`` records each reminder and rung a letter carried

The daily chase writes one letter per body, an outbox row of kind ``chase``; what used to be the
unique key of one email per reminder or rung is now the unique key of a ``letter_part`` row
pointing to the letter that carried it, so no reminder or rung goes out in two letters. The
outbox's kind CHECK grows ``chase`` and ``extension`` (the letter that says what was decided on
a request for more time). Rows already stored are kept as they are: the per-item emails of
earlier revisions stay in the outbox under their keys, and the chase skips what they carried.

On SQLite the outbox is copied to change its CHECK (Alembic's batch mode), with foreign keys off
(``models.db.migrate`` does it); nothing refers to the outbox before this revision.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('reminder', 'escalation', 'digest')"
NEW_KINDS = "kind IN ('reminder', 'escalation', 'digest', 'chase', 'extension')"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_kind", type_="check")
        batch.create_check_constraint("ck_outbox_kind", NEW_KINDS)
    op.create_table(
        "letter_part",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(220), nullable=False),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=False),
        sa.Column("body_code", sa.String(32), sa.ForeignKey("body.code"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("item.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key"),
        sa.CheckConstraint("kind IN ('reminder', 'escalation')", name="ck_letter_part_kind"),
        sa.CheckConstraint("role IN ('lead', 'escalated', 'cooperating')", name="ck_letter_part_role"),
        sa.CheckConstraint("subject IN ('deadline', 'report')", name="ck_letter_part_subject"),
    )
    op.create_index("ix_letter_part_outbox_id", "letter_part", ["outbox_id"])
    op.create_index("ix_letter_part_item_id", "letter_part", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_letter_part_item_id", table_name="letter_part")
    op.drop_index("ix_letter_part_outbox_id", table_name="letter_part")
    op.drop_table("letter_part")
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM outbox WHERE kind IN ('chase', 'extension')"))
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_kind", type_="check")
        batch.create_check_constraint("ck_outbox_kind", OLD_KINDS)
