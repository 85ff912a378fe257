"""Test generation: specs, their suites, reviews with history, gate runs and deliveries.

A suite's cases are not stored: the spec's document (pinned by its hash) generates them again,
deterministically. Stored is what people and the gate added to them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from adapters.sql.schema.base import metadata, one_of
from adapters.sql.types import Document, Id, UtcDateTime
from application.testgen.views import SpecOrigin
from domain.testgen.review import ReviewState

#: A sha256 in lowercase hex, or a case id (a shorter digest).
Digest = String(64)


def _of_suite() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", "suite_id"], ["testgen_suites.tenant_id", "testgen_suites.id"]
    )


testgen_specs = Table(
    "testgen_specs",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("spec_hash", Digest, nullable=False),
    Column("title", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("document", Document, nullable=False),
    Column("origin", String(16), nullable=False),
    Column("source", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", Id, nullable=False),
    PrimaryKeyConstraint("tenant_id", "spec_hash"),
    one_of("origin", SpecOrigin),
)

testgen_suites = Table(
    "testgen_suites",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("spec_hash", Digest, nullable=False),
    Column("title", Text, nullable=False),
    Column("api_version", Text, nullable=False),
    Column("previous_id", Id, nullable=True),
    Column("changes", Document, nullable=True),
    Column("cases", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", Id, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "spec_hash"),
    ForeignKeyConstraint(
        ["tenant_id", "spec_hash"], ["testgen_specs.tenant_id", "testgen_specs.spec_hash"]
    ),
    ForeignKeyConstraint(
        ["tenant_id", "previous_id"], ["testgen_suites.tenant_id", "testgen_suites.id"]
    ),
    Index("ix_testgen_suites_tenant_title", "tenant_id", "title", "created_at", "id"),
    Index("ix_testgen_suites_tenant_created", "tenant_id", "created_at", "id"),
)

testgen_suite_reviews = Table(
    "testgen_suite_reviews",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("suite_id", Id, nullable=False),
    Column("state", String(16), nullable=False),
    PrimaryKeyConstraint("tenant_id", "suite_id"),
    _of_suite(),
    one_of("state", ReviewState),
)

testgen_test_reviews = Table(
    "testgen_test_reviews",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("suite_id", Id, nullable=False),
    Column("case_id", Digest, nullable=False),
    Column("state", String(16), nullable=False),
    Column("suspect", Boolean, nullable=False),
    PrimaryKeyConstraint("tenant_id", "suite_id", "case_id"),
    _of_suite(),
    one_of("state", ReviewState),
)

#: Every move of a suite's review (case_id "") and of its tests' reviews, in order.
testgen_review_history = Table(
    "testgen_review_history",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("suite_id", Id, nullable=False),
    Column("case_id", Digest, nullable=False),
    Column("position", Integer, nullable=False),
    Column("from_state", String(16), nullable=False),
    Column("to_state", String(16), nullable=False),
    Column("reviewer", Id, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("comment", Text, nullable=True),
    PrimaryKeyConstraint("tenant_id", "suite_id", "case_id", "position"),
    _of_suite(),
    one_of("from_state", ReviewState),
    one_of("to_state", ReviewState),
)

testgen_gate_runs = Table(
    "testgen_gate_runs",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("suite_id", Id, nullable=False),
    Column("base_url", Text, nullable=True),
    Column("passed", Boolean, nullable=False),
    Column("report", Document, nullable=False),
    Column("ran_at", UtcDateTime, nullable=False),
    Column("ran_by", Id, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    _of_suite(),
    Index("ix_testgen_gate_runs_tenant_suite", "tenant_id", "suite_id", "ran_at", "id"),
)

testgen_deliveries = Table(
    "testgen_deliveries",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("suite_id", Id, nullable=False),
    Column("repository", Text, nullable=False),
    Column("branch", Text, nullable=False),
    Column("directory", Text, nullable=False),
    Column("commit", String(64), nullable=False),
    Column("committed", Boolean, nullable=False),
    Column("files", Document, nullable=False),
    Column("case_ids", Document, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=False),
    Column("delivered_by", Id, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    _of_suite(),
    Index("ix_testgen_deliveries_tenant_suite", "tenant_id", "suite_id", "delivered_at", "id"),
)
