"""review rounds: the round, what it asks of each body and item, and each body's answers

Also widens two code lists: the outbox carries review request letters and review reports, and an
escalation (and a letter part) may be about a review answer that is late.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_KINDS = "'reminder', 'escalation', 'digest', 'chase', 'extension'"
NEW_KINDS = OLD_KINDS + ", 'review_request', 'review_report'"
OLD_SUBJECTS = "'deadline', 'report'"
NEW_SUBJECTS = OLD_SUBJECTS + ", 'review'"
WIDENED = [
    ("outbox", "ck_outbox_kind", "kind", OLD_KINDS, NEW_KINDS),
    ("escalation", "ck_escalation_subject", "subject", OLD_SUBJECTS, NEW_SUBJECTS),
    ("letter_part", "ck_letter_part_subject", "subject", OLD_SUBJECTS, NEW_SUBJECTS),
]


def upgrade() -> None:
    op.create_table(
        "review_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_by", sa.String(length=120), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=120), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('midterm', 'yearly', 'final')", name="ck_review_round_kind"),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_review_round_status"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "kind", "period_from", "period_to", name="uq_review_round_period"),
    )
    op.create_table(
        "review_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("body_code", sa.String(length=32), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["body_code"], ["body.code"]),
        sa.ForeignKeyConstraint(["round_id"], ["review_round.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "body_code", name="uq_review_request_body"),
    )
    op.create_table(
        "review_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("body_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["body_code"], ["body.code"]),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["review_round.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "item_id", name="uq_review_question_item"),
    )
    op.create_index("ix_review_question_body", "review_question", ["round_id", "body_code"], unique=False)
    op.create_table(
        "review_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("body_code", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "status IN ('done', 'on_track', 'behind', 'not_started', 'blocked')", name="ck_review_answer_status"
        ),
        sa.CheckConstraint("channel IN ('page', 'command', 'form', 'console')", name="ck_review_answer_channel"),
        sa.ForeignKeyConstraint(["body_code"], ["body.code"]),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["review_round.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "item_id", name="uq_review_answer_item"),
    )
    op.create_index("ix_review_answer_body", "review_answer", ["round_id", "body_code"], unique=False)
    for table, name, column, _old, new in WIDENED:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_="check")
            batch.create_check_constraint(name, f"{column} IN ({new})")


def downgrade() -> None:
    for table, name, column, old, _new in WIDENED:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(name, type_="check")
            batch.create_check_constraint(name, f"{column} IN ({old})")
    op.drop_index("ix_review_answer_body", table_name="review_answer")
    op.drop_table("review_answer")
    op.drop_index("ix_review_question_body", table_name="review_question")
    op.drop_table("review_question")
    op.drop_table("review_request")
    op.drop_table("review_round")
