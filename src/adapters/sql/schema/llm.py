"""LLM calls: the cache of good answers by input hash, and the ledger of every call.

The ledger keeps no prompt, only its hash, and no foreign key to `tenants`: a call is booked
for whoever asked, including a command-line run that has no tenant row behind it. Rows are
found by (tenant, instant): a budget check reads today's rows of one tenant before each call.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, Numeric, String, Table, Text

from adapters.sql.schema.base import metadata, one_of
from adapters.sql.types import Id, Key, RowId, UtcDateTime
from application.llm.ports import CallOutcome, FailureCause

#: Costs are exact to 10 decimal places (a token costs millionths) up to 10**8 a row.
COST = Numeric(18, 10)

llm_cache = Table(
    "llm_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("content", Text, nullable=False),
    Column("model", Key, nullable=False),
    Column("stored_at", UtcDateTime, nullable=False),
)

llm_calls = Table(
    "llm_calls",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("tenant_id", Id, nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("input_hash", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("cause", String(32), nullable=True),
    Column("model", Key, nullable=False),
    Column("prompt_version", String(64), nullable=False),
    Column("input_tokens", Integer, nullable=False),
    Column("output_tokens", Integer, nullable=False),
    Column("cost", COST, nullable=False),
    Column("latency_ms", Float, nullable=False),
    one_of("outcome", CallOutcome),
    one_of("cause", FailureCause),
    Index("ix_llm_calls_tenant_id_at", "tenant_id", "at"),
)
