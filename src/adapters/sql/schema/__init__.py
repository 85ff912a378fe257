"""The database schema as SQLAlchemy Core tables: one `metadata`, tables grouped by topic."""

from adapters.sql.schema.auth import api_keys, refresh_tokens, token_denylist
from adapters.sql.schema.base import metadata
from adapters.sql.schema.batches import batch_chunks, batch_errors, batch_rows, batches
from adapters.sql.schema.case_flags import case_flags, case_help_requests
from adapters.sql.schema.credit import applications, decisions, queue_entries, scoring_results
from adapters.sql.schema.dead_jobs import dead_jobs
from adapters.sql.schema.exports import exports
from adapters.sql.schema.history import loan_outcomes
from adapters.sql.schema.journal import audit_events, idempotency_keys, outbox_messages
from adapters.sql.schema.llm import llm_cache, llm_calls
from adapters.sql.schema.monitoring import monitoring_reports, shadow_scores
from adapters.sql.schema.notifications import deliveries, inbox_messages, webhook_endpoints
from adapters.sql.schema.registry import model_versions
from adapters.sql.schema.schedules import schedule_claims
from adapters.sql.schema.second_opinions import second_opinions
from adapters.sql.schema.tenancy import active_policies, policy_versions, tenants, users
from adapters.sql.schema.testgen import (
    testgen_deliveries,
    testgen_gate_runs,
    testgen_review_history,
    testgen_specs,
    testgen_suite_reviews,
    testgen_suites,
    testgen_test_reviews,
)

__all__ = [
    "active_policies",
    "api_keys",
    "applications",
    "audit_events",
    "batch_chunks",
    "batch_errors",
    "batch_rows",
    "batches",
    "case_flags",
    "case_help_requests",
    "dead_jobs",
    "decisions",
    "deliveries",
    "exports",
    "idempotency_keys",
    "inbox_messages",
    "llm_cache",
    "llm_calls",
    "loan_outcomes",
    "metadata",
    "model_versions",
    "monitoring_reports",
    "outbox_messages",
    "policy_versions",
    "queue_entries",
    "refresh_tokens",
    "schedule_claims",
    "scoring_results",
    "second_opinions",
    "shadow_scores",
    "tenants",
    "testgen_deliveries",
    "testgen_gate_runs",
    "testgen_review_history",
    "testgen_specs",
    "testgen_suite_reviews",
    "testgen_suites",
    "testgen_test_reviews",
    "token_denylist",
    "users",
    "webhook_endpoints",
]
