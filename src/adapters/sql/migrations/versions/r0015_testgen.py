"""Test generation: specs, suites, reviews with history, gate runs and deliveries; and the
qa_engineer role allowed to users and API keys.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from adapters.sql.migrations.ddl import DOCUMENT, ID, INSTANT, col, fk, index, one_of, pk, tenant_fk

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPECS = "testgen_specs"
SUITES = "testgen_suites"
SUITE_REVIEWS = "testgen_suite_reviews"
TEST_REVIEWS = "testgen_test_reviews"
HISTORY = "testgen_review_history"
GATE_RUNS = "testgen_gate_runs"
DELIVERIES = "testgen_deliveries"

DIGEST = sa.String(64)
STATES = ("pending", "approved", "rejected")


def _of_suite(table: str) -> Any:
    return fk(table, ["tenant_id", "suite_id"], SUITES, ["tenant_id", "id"])


def upgrade() -> None:
    op.create_table(
        SPECS,
        col("tenant_id", ID),
        col("spec_hash", DIGEST),
        col("title", sa.Text()),
        col("version", sa.Text()),
        col("document", DOCUMENT),
        col("origin", sa.String(16)),
        col("source", sa.Text(), null=True),
        col("created_at", INSTANT),
        col("created_by", ID),
        one_of(SPECS, "origin", "cli", "upload", "webhook", "url"),
        tenant_fk(SPECS),
        pk(SPECS, "tenant_id", "spec_hash"),
    )
    op.create_table(
        SUITES,
        col("tenant_id", ID),
        col("id", ID),
        col("spec_hash", DIGEST),
        col("title", sa.Text()),
        col("api_version", sa.Text()),
        col("previous_id", ID, null=True),
        col("changes", DOCUMENT, null=True),
        col("cases", sa.Integer()),
        col("created_at", INSTANT),
        col("created_by", ID),
        fk(SUITES, ["tenant_id", "spec_hash"], SPECS, ["tenant_id", "spec_hash"]),
        fk(SUITES, ["tenant_id", "previous_id"], SUITES, ["tenant_id", "id"]),
        pk(SUITES, "tenant_id", "id"),
        sa.UniqueConstraint(
            "tenant_id", "spec_hash", name=op.f("uq_testgen_suites_tenant_id_spec_hash")
        ),
    )
    index(SUITES, "ix_testgen_suites_tenant_title", "tenant_id", "title", "created_at", "id")
    index(SUITES, "ix_testgen_suites_tenant_created", "tenant_id", "created_at", "id")
    op.create_table(
        SUITE_REVIEWS,
        col("tenant_id", ID),
        col("suite_id", ID),
        col("state", sa.String(16)),
        one_of(SUITE_REVIEWS, "state", *STATES),
        _of_suite(SUITE_REVIEWS),
        pk(SUITE_REVIEWS, "tenant_id", "suite_id"),
    )
    op.create_table(
        TEST_REVIEWS,
        col("tenant_id", ID),
        col("suite_id", ID),
        col("case_id", DIGEST),
        col("state", sa.String(16)),
        col("suspect", sa.Boolean()),
        one_of(TEST_REVIEWS, "state", *STATES),
        _of_suite(TEST_REVIEWS),
        pk(TEST_REVIEWS, "tenant_id", "suite_id", "case_id"),
    )
    op.create_table(
        HISTORY,
        col("tenant_id", ID),
        col("suite_id", ID),
        col("case_id", DIGEST),
        col("position", sa.Integer()),
        col("from_state", sa.String(16)),
        col("to_state", sa.String(16)),
        col("reviewer", ID),
        col("at", INSTANT),
        col("comment", sa.Text(), null=True),
        one_of(HISTORY, "from_state", *STATES),
        one_of(HISTORY, "to_state", *STATES),
        _of_suite(HISTORY),
        pk(HISTORY, "tenant_id", "suite_id", "case_id", "position"),
    )
    op.create_table(
        GATE_RUNS,
        col("tenant_id", ID),
        col("id", ID),
        col("suite_id", ID),
        col("base_url", sa.Text(), null=True),
        col("passed", sa.Boolean()),
        col("report", DOCUMENT),
        col("ran_at", INSTANT),
        col("ran_by", ID),
        _of_suite(GATE_RUNS),
        pk(GATE_RUNS, "tenant_id", "id"),
    )
    index(GATE_RUNS, "ix_testgen_gate_runs_tenant_suite", "tenant_id", "suite_id", "ran_at", "id")
    op.create_table(
        DELIVERIES,
        col("tenant_id", ID),
        col("id", ID),
        col("suite_id", ID),
        col("repository", sa.Text()),
        col("branch", sa.Text()),
        col("directory", sa.Text()),
        col("commit", sa.String(64)),
        col("committed", sa.Boolean()),
        col("files", DOCUMENT),
        col("case_ids", DOCUMENT),
        col("delivered_at", INSTANT),
        col("delivered_by", ID),
        _of_suite(DELIVERIES),
        pk(DELIVERIES, "tenant_id", "id"),
    )
    index(
        DELIVERIES,
        "ix_testgen_deliveries_tenant_suite",
        "tenant_id",
        "suite_id",
        "delivered_at",
        "id",
    )

    _roles_allowed((*ROLES_BEFORE, "qa_engineer"))


#: The roles users and API keys could hold before test generation; it adds qa_engineer.
ROLES_BEFORE = ("admin", "senior_analyst", "analyst", "readonly", "api_consumer")


def _roles_allowed(roles: tuple[str, ...]) -> None:
    """Widen (or, going down, narrow) the role checks of users and API keys: PostgreSQL
    alters them in place; SQLite by `_sqlite_check`."""
    listed = ", ".join(f"'{role}'" for role in roles)
    for table in ("users", "api_keys"):
        if op.get_bind().dialect.name == "sqlite":
            _sqlite_check(table, f"role IN ({listed})")
            continue
        name = op.f(f"ck_{table}_role_known")
        op.drop_constraint(name, table, type_="check")
        op.create_check_constraint(name, table, sa.text(f"role IN ({listed})"))


def _sqlite_check(table: str, condition: str) -> None:
    """Rewrite the role check in the table's stored definition, as SQLite's documentation
    describes for changes that leave every stored row as it is. Copying the table instead
    would drop it, which other tables' foreign keys (inbox, refresh tokens) forbid, and
    foreign keys cannot be switched off inside the migration's transaction."""
    bind = op.get_bind()
    found = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"
    old = bind.exec_driver_sql(found, (table,)).scalar_one()
    new, count = re.subn(r"CHECK \(role IN \([^)]*\)\)", f"CHECK ({condition})", old)
    if count != 1:
        raise RuntimeError(f"{table}: expected one role check, found {count}")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (new, table)
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def downgrade() -> None:
    _roles_allowed(ROLES_BEFORE)
    for table in (DELIVERIES, GATE_RUNS, HISTORY, TEST_REVIEWS, SUITE_REVIEWS, SUITES, SPECS):
        op.drop_table(table)  # their indexes go with them
