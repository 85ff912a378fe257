"""Applications, scoring results, queue entries and decisions.

Each table keeps the domain value whole in `record` (what the one converter wrote) and, beside
it, the columns the database filters, sorts, joins or constrains on. The indexes follow the
list screens: every filter and sort of `ApplicationQuery` and `QueueQuery` is served by an index
that starts with the tenant, so a page is an index range scan however large the table grows.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from adapters.sql.schema.base import metadata, of_application, one_of, partial
from adapters.sql.types import Amount, Document, Id, Key, RowId, UtcDateTime
from domain.credit.decisions import DecisionStatus, DecisionType
from domain.credit.queue import QueueStatus
from domain.credit.routing import RoutingOutcome
from domain.credit.status import ApplicationStatus

_PATTERN_OPS = "varchar_pattern_ops"  # LIKE 'prefix%' uses the index in any collation

applications = Table(
    "applications",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("id", Id, nullable=False),
    Column("external_id", Key, nullable=False),
    Column("external_id_key", Key, nullable=False),
    Column("first_name_key", Key, nullable=False),
    Column("last_name_key", Key, nullable=False),
    Column("status", String(16), nullable=False),
    Column("amount", Amount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # The latest model score, kept here by ScoringResultRepository.add so that a list sorted
    # by score is an index scan rather than a join with every result.
    Column("score", Float, nullable=True),
    Column("scored_at", UtcDateTime, nullable=True),
    Column("latest_result_id", RowId, nullable=True),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    one_of("status", ApplicationStatus),
    CheckConstraint("amount > 0", name="amount_positive"),
    Index("ux_applications_tenant_external_id", "tenant_id", "external_id", unique=True),
    Index("ix_applications_tenant_status_submitted", "tenant_id", "status", "submitted_at", "id"),
    Index("ix_applications_tenant_submitted", "tenant_id", "submitted_at", "id"),
    Index("ix_applications_tenant_amount", "tenant_id", "amount", "id"),
    Index("ix_applications_tenant_score", "tenant_id", "score", "id"),
    Index("ix_applications_tenant_status_score", "tenant_id", "status", "score", "id"),
    Index("ix_applications_tenant_status_amount", "tenant_id", "status", "amount", "id"),
    Index("ix_applications_tenant_scored", "tenant_id", "scored_at", "score"),  # analytics
    *(
        Index(
            f"ix_applications_tenant_{name}",
            "tenant_id",
            name,
            postgresql_ops={name: _PATTERN_OPS},
        )
        for name in ("external_id_key", "first_name_key", "last_name_key")
    ),
)

scoring_results = Table(
    "scoring_results",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("tenant_id", Id, nullable=False),
    Column("application_id", Id, nullable=False),
    Column("model_version", Key, nullable=False),
    Column("policy_version", Integer, nullable=False),
    Column("scored_at", UtcDateTime, nullable=False),
    Column("score", Float, nullable=False),
    Column("probability_of_default", Float, nullable=False),
    Column("routing_outcome", String(16), nullable=False),
    # The features `similar` measures distance over.
    Column("debt_to_income", Float, nullable=False),
    Column("payment_to_income", Float, nullable=False),
    Column("loan_to_income", Float, nullable=False),
    Column("savings_ratio", Float, nullable=False),
    Column("existing_debt_ratio", Float, nullable=False),
    Column("employment_stability", Float, nullable=False),
    Column("record", Document, nullable=False),
    of_application(),
    one_of("routing_outcome", RoutingOutcome),
    CheckConstraint(
        "probability_of_default >= 0 AND probability_of_default <= 1", name="pd_is_probability"
    ),
    Index("ix_scoring_results_latest", "tenant_id", "application_id", "scored_at", "id"),
    Index("ix_scoring_results_model", "tenant_id", "application_id", "model_version"),
    Index("ix_scoring_results_tenant_scored", "tenant_id", "scored_at"),  # analytics
)

queue_entries = Table(
    "queue_entries",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("application_id", Id, nullable=False),
    Column("status", String(16), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("analyst_id", Id, nullable=True),
    Column("amount", Amount, nullable=False),
    Column("entered_at", UtcDateTime, nullable=False),
    Column("sla_deadline", UtcDateTime, nullable=False),
    # What the SLA check did (domain.credit.sla): it looks only at open entries not yet breached.
    Column("sla_warned_at", UtcDateTime, nullable=True),
    Column("sla_breached_at", UtcDateTime, nullable=True),
    Column("escalated_to", Id, nullable=True),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    of_application(),
    one_of("status", QueueStatus),
    CheckConstraint("priority BETWEEN 1 AND 100", name="priority_range"),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
    Index(
        "ux_queue_entries_one_open_per_application",
        "tenant_id",
        "application_id",
        unique=True,
        **partial(f"status <> '{QueueStatus.COMPLETED}'"),
    ),
    Index("ix_queue_entries_tenant_status_priority", "tenant_id", "status", "priority", "id"),
    Index("ix_queue_entries_tenant_sla_deadline", "tenant_id", "sla_deadline"),
    Index("ix_queue_entries_tenant_application", "tenant_id", "application_id", "entered_at"),
    Index("ix_queue_entries_tenant_analyst_status", "tenant_id", "analyst_id", "status"),
    Index("ix_queue_entries_tenant_entered", "tenant_id", "entered_at"),  # analytics
    # The open queue is what analysts page through; completed history only grows.
    *(
        Index(
            f"ix_queue_entries_open_by_{name}",
            "tenant_id",
            name,
            "id",
            **partial(f"status <> '{QueueStatus.COMPLETED}'"),
        )
        for name in ("priority", "entered_at", "sla_deadline")
    ),
    # Everything the queue summary counts by, so it is an index-only scan of the open queue.
    Index(
        "ix_queue_entries_open_summary",
        "tenant_id",
        "status",
        "sla_deadline",
        "priority",
        **partial(f"status <> '{QueueStatus.COMPLETED}'"),
    ),
    # The SLA check's every-minute read: open entries whose breach is not yet marked.
    Index(
        "ix_queue_entries_sla_watch",
        "tenant_id",
        "sla_deadline",
        "id",
        **partial(f"status <> '{QueueStatus.COMPLETED}' AND sla_breached_at IS NULL"),
    ),
)

decisions = Table(
    "decisions",
    metadata,
    Column("tenant_id", Id, nullable=False),
    Column("id", Id, nullable=False),
    Column("application_id", Id, nullable=False),
    Column("decision_type", String(40), nullable=False),
    Column("status", String(32), nullable=False),
    Column("decided_by", Id, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("approved_amount", Amount, nullable=True),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    of_application(),
    one_of("status", DecisionStatus),
    one_of("decision_type", DecisionType),
    CheckConstraint(
        "approved_amount IS NULL OR approved_amount > 0", name="approved_amount_positive"
    ),
    Index(
        "ux_decisions_one_final_per_application",
        "tenant_id",
        "application_id",
        unique=True,
        **partial(f"status = '{DecisionStatus.FINAL}'"),
    ),
    Index("ix_decisions_tenant_application", "tenant_id", "application_id", "decided_at", "id"),
    Index(  # analytics: final decisions by when they were made
        "ix_decisions_tenant_final_decided",
        "tenant_id",
        "decided_at",
        **partial(f"status = '{DecisionStatus.FINAL}'"),
    ),
    Index(
        "ix_decisions_awaiting_override",
        "tenant_id",
        "decided_at",
        "id",
        **partial(f"status = '{DecisionStatus.AWAITING_OVERRIDE_APPROVAL}'"),
    ),
)
