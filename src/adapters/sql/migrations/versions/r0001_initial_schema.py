"""Tenants, users, routing-policy versions, applications, scoring results, the analyst queue
and decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import (
    AMOUNT,
    DOCUMENT,
    ID,
    INSTANT,
    KEY,
    ROW_ID,
    application_fk,
    check,
    col,
    fk,
    index,
    one_of,
    pk,
    tenant_fk,
)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status <> 'completed'"


def _tenancy() -> None:
    op.create_table(
        "tenants",
        col("id", ID),
        col("slug", sa.String(63)),
        col("active", sa.Boolean()),
        col("created_at", INSTANT),
        col("record", DOCUMENT),
        pk("tenants", "id"),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
    )
    roles = ("admin", "senior_analyst", "analyst", "readonly", "api_consumer")
    op.create_table(
        "users",
        col("tenant_id", ID),
        col("id", ID),
        col("email", sa.String(320)),
        col("email_key", sa.String(320)),
        col("role", sa.String(32)),
        col("active", sa.Boolean()),
        col("record", DOCUMENT),
        one_of("users", "role", *roles),
        tenant_fk("users"),
        pk("users", "tenant_id", "id"),
    )
    index("users", "ux_users_tenant_email", "tenant_id", "email_key", unique=True)
    op.create_table(
        "policy_versions",
        col("tenant_id", ID),
        col("version", sa.Integer()),
        col("status", sa.String(16)),
        col("proposed_by", ID),
        col("proposed_at", INSTANT),
        col("record", DOCUMENT),
        one_of("policy_versions", "status", "proposed", "approved", "rejected"),
        check("policy_versions", "version_positive", "version >= 1"),
        tenant_fk("policy_versions"),
        pk("policy_versions", "tenant_id", "version"),
    )
    op.create_table(
        "active_policies",
        col("tenant_id", ID),
        col("version", sa.Integer()),
        fk(
            "active_policies", ["tenant_id", "version"], "policy_versions", ["tenant_id", "version"]
        ),
        tenant_fk("active_policies"),
        pk("active_policies", "tenant_id"),
    )


def _applications() -> None:
    statuses = ("pending", "scoring", "review", "approved", "declined", "cancelled")
    op.create_table(
        "applications",
        col("tenant_id", ID),
        col("id", ID),
        col("external_id", KEY),
        col("external_id_key", KEY),
        col("first_name_key", KEY),
        col("last_name_key", KEY),
        col("status", sa.String(16)),
        col("amount", AMOUNT),
        col("currency", sa.String(3)),
        col("submitted_at", INSTANT),
        col("updated_at", INSTANT),
        col("score", sa.Float(), null=True),
        col("scored_at", INSTANT, null=True),
        col("latest_result_id", ROW_ID, null=True),
        col("record", DOCUMENT),
        one_of("applications", "status", *statuses),
        check("applications", "amount_positive", "amount > 0"),
        tenant_fk("applications"),
        pk("applications", "tenant_id", "id"),
    )
    table = "applications"
    index(table, "ux_applications_tenant_external_id", "tenant_id", "external_id", unique=True)
    index(
        table,
        "ix_applications_tenant_status_submitted",
        "tenant_id",
        "status",
        "submitted_at",
        "id",
    )
    index(table, "ix_applications_tenant_submitted", "tenant_id", "submitted_at", "id")
    index(table, "ix_applications_tenant_amount", "tenant_id", "amount", "id")
    index(table, "ix_applications_tenant_score", "tenant_id", "score", "id")
    for name in ("external_id_key", "first_name_key", "last_name_key"):
        ops = {name: "varchar_pattern_ops"}
        index(table, f"ix_applications_tenant_{name}", "tenant_id", name, postgresql_ops=ops)


def _scoring_results() -> None:
    features = (
        "debt_to_income",
        "payment_to_income",
        "loan_to_income",
        "savings_ratio",
        "existing_debt_ratio",
        "employment_stability",
    )
    table = "scoring_results"
    op.create_table(
        table,
        col("id", ROW_ID, autoincrement=True),
        col("tenant_id", ID),
        col("application_id", ID),
        col("model_version", KEY),
        col("policy_version", sa.Integer()),
        col("scored_at", INSTANT),
        col("score", sa.Float()),
        col("probability_of_default", sa.Float()),
        col("routing_outcome", sa.String(16)),
        *(col(name, sa.Float()) for name in features),
        col("record", DOCUMENT),
        one_of(table, "routing_outcome", "auto_decline", "human_review", "auto_approve"),
        check(
            table,
            "pd_is_probability",
            "probability_of_default >= 0 AND probability_of_default <= 1",
        ),
        application_fk(table),
        pk(table, "id"),
    )
    index(table, "ix_scoring_results_latest", "tenant_id", "application_id", "scored_at", "id")
    index(table, "ix_scoring_results_model", "tenant_id", "application_id", "model_version")


def _queue_entries() -> None:
    table = "queue_entries"
    op.create_table(
        table,
        col("tenant_id", ID),
        col("id", ID),
        col("application_id", ID),
        col("status", sa.String(16)),
        col("priority", sa.Integer()),
        col("analyst_id", ID, null=True),
        col("amount", AMOUNT),
        col("entered_at", INSTANT),
        col("sla_deadline", INSTANT),
        col("record", DOCUMENT),
        one_of(table, "status", "pending", "assigned", "in_progress", "completed"),
        check(table, "priority_range", "priority BETWEEN 1 AND 100"),
        check(table, "amount_not_negative", "amount >= 0"),
        application_fk(table),
        pk(table, "tenant_id", "id"),
    )
    index(
        table,
        "ux_queue_entries_one_open_per_application",
        "tenant_id",
        "application_id",
        unique=True,
        where=OPEN,
    )
    index(table, "ix_queue_entries_tenant_status_priority", "tenant_id", "status", "priority", "id")
    index(table, "ix_queue_entries_tenant_sla_deadline", "tenant_id", "sla_deadline")
    index(table, "ix_queue_entries_tenant_analyst_status", "tenant_id", "analyst_id", "status")
    for name in ("priority", "entered_at", "sla_deadline"):
        index(table, f"ix_queue_entries_open_by_{name}", "tenant_id", name, "id", where=OPEN)


def _decisions() -> None:
    table = "decisions"
    types = (
        "auto_approve",
        "auto_decline",
        "analyst_approve",
        "analyst_decline",
        "analyst_approve_with_conditions",
    )
    op.create_table(
        table,
        col("tenant_id", ID),
        col("id", ID),
        col("application_id", ID),
        col("decision_type", sa.String(40)),
        col("status", sa.String(32)),
        col("decided_by", ID),
        col("decided_at", INSTANT),
        col("approved_amount", AMOUNT, null=True),
        col("record", DOCUMENT),
        one_of(table, "status", "final", "awaiting_override_approval", "reverted"),
        one_of(table, "decision_type", *types),
        check(table, "approved_amount_positive", "approved_amount IS NULL OR approved_amount > 0"),
        application_fk(table),
        pk(table, "tenant_id", "id"),
    )
    index(
        table,
        "ux_decisions_one_final_per_application",
        "tenant_id",
        "application_id",
        unique=True,
        where="status = 'final'",
    )
    index(
        table, "ix_decisions_tenant_application", "tenant_id", "application_id", "decided_at", "id"
    )
    index(
        table,
        "ix_decisions_awaiting_override",
        "tenant_id",
        "decided_at",
        "id",
        where="status = 'awaiting_override_approval'",
    )


def upgrade() -> None:
    _tenancy()
    _applications()
    _scoring_results()
    _queue_entries()
    _decisions()


def downgrade() -> None:
    for table in (
        "decisions",
        "queue_entries",
        "scoring_results",
        "applications",
        "active_policies",
        "policy_versions",
        "users",
        "tenants",
    ):
        op.drop_table(table)
