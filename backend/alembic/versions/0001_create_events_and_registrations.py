"""Create events and registrations.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('confirmed', 'waitlisted')")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title_ka", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("venue_ka", sa.Text(), nullable=False),
        sa.Column("venue_en", sa.Text(), nullable=False),
        sa.Column("registration_open", sa.Boolean(), nullable=False),
        sa.Column("registration_deadline", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("confirmation_code", sa.String(length=8), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("municipality", sa.String(length=100), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("language IN ('ka', 'en')", name="ck_registrations_language"),
        sa.CheckConstraint(
            "status IN ('confirmed', 'waitlisted', 'cancelled', 'erased')",
            name="ck_registrations_status",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_registrations_event_id_events"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_registrations"),
        sa.UniqueConstraint("confirmation_code", name="uq_registrations_confirmation_code"),
        sa.UniqueConstraint("idempotency_key", name="uq_registrations_idempotency_key"),
    )
    op.create_index(
        "ix_registrations_event_status", "registrations", ["event_id", "status"], unique=False
    )
    # One active (confirmed or waitlisted) registration per event and email.
    op.create_index(
        "uq_registrations_event_email_active",
        "registrations",
        ["event_id", "email"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_registrations_event_email_active", table_name="registrations")
    op.drop_index("ix_registrations_event_status", table_name="registrations")
    op.drop_table("registrations")
    op.drop_table("events")
