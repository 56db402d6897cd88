"""delegation notices: the outbox carries the letter that tells a lead its unit reported a
delegated item done (kind ``delegation``, until now queued as a ``digest``)

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_KINDS = "'reminder', 'escalation', 'digest', 'chase', 'extension', 'review_request', 'review_report'"
NEW_KINDS = OLD_KINDS + ", 'delegation'"


def _kinds(kinds: str) -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_kind", type_="check")
        batch.create_check_constraint("ck_outbox_kind", f"kind IN ({kinds})")


def upgrade() -> None:
    _kinds(NEW_KINDS)
    op.execute("UPDATE outbox SET kind = 'delegation' WHERE kind = 'digest' AND key LIKE 'delegation:%'")


def downgrade() -> None:
    op.execute("UPDATE outbox SET kind = 'digest' WHERE kind = 'delegation'")
    _kinds(OLD_KINDS)
