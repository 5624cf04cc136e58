"""Quiz answers and FSRS review cards.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_answer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("learner.id"), nullable=False, index=True),
        sa.Column("item_id", sa.String(200), nullable=False, index=True),
        sa.Column("stage_id", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("response", sa.Text, nullable=False),
    )
    op.create_table(
        "review_card",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("learner.id"), nullable=False, index=True),
        sa.Column("item_id", sa.String(200), nullable=False),
        sa.Column("due", sa.DateTime, nullable=False, index=True),
        sa.Column("card", sa.Text, nullable=False),
        sa.UniqueConstraint("learner_id", "item_id"),
    )


def downgrade() -> None:
    op.drop_table("review_card")
    op.drop_table("quiz_answer")
