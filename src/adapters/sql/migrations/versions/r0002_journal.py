"""The audit chain (append-only, enforced by triggers), the outbox and the idempotency keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import (
    DOCUMENT,
    ID,
    INSTANT,
    KEY,
    ROW_ID,
    application_fk,
    check,
    col,
    index,
    pk,
    tenant_fk,
)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "audit_events is append-only"

POSTGRESQL_TRIGGERS = (
    f"""
    CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()
    """,
    # Fire even under session_replication_role = replica, which skips ordinary triggers.
    "ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only",
    "ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_truncate",
)
SQLITE_TRIGGERS = tuple(
    f"""
    CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events
    BEGIN
        SELECT RAISE(ABORT, '{APPEND_ONLY}');
    END
    """
    for verb in ("UPDATE", "DELETE")
)


def _audit_events() -> None:
    table = "audit_events"
    op.create_table(
        table,
        col("tenant_id", ID),
        col("sequence", sa.Integer()),
        col("occurred_at", INSTANT),
        col("actor", ID),
        col("action", KEY),
        col("entity_type", sa.String(64)),
        col("entity_id", ID),
        col("previous_hash", sa.String(64)),
        col("hash", sa.String(64)),
        col("record", DOCUMENT),
        check(table, "sequence_positive", "sequence >= 1"),
        tenant_fk(table),
        pk(table, "tenant_id", "sequence"),
    )
    index(table, "ix_audit_events_tenant_entity", "tenant_id", "entity_type", "entity_id")
    index(table, "ix_audit_events_tenant_actor", "tenant_id", "actor")
    index(table, "ix_audit_events_tenant_occurred_at", "tenant_id", "occurred_at")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        op.execute(statement)


def _outbox_messages() -> None:
    table = "outbox_messages"
    op.create_table(
        table,
        col("seq", ROW_ID, autoincrement=True),
        col("id", ID),
        col("tenant_id", ID),
        col("topic", KEY),
        col("created_at", INSTANT),
        col("sent", sa.Boolean()),
        col("record", DOCUMENT),
        tenant_fk(table),
        pk(table, "seq"),
        sa.UniqueConstraint("id", name=op.f("uq_outbox_messages_id")),
    )
    index(table, "ix_outbox_messages_sent_created", "sent", "created_at", "seq")


def _idempotency_keys() -> None:
    table = "idempotency_keys"
    op.create_table(
        table,
        col("tenant_id", ID),
        col("key", KEY),
        col("fingerprint", sa.String(64)),
        col("application_id", ID),
        col("created_at", INSTANT),
        col("record", DOCUMENT),
        application_fk(table),
        pk(table, "tenant_id", "key"),
    )


def upgrade() -> None:
    _audit_events()
    _outbox_messages()
    _idempotency_keys()


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("outbox_messages")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_refuse_change()")
    op.drop_table("audit_events")  # on SQLite its triggers go with it
