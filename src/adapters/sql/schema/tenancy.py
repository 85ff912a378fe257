"""Tenants, their users and their routing-policy versions.

Each table keeps the domain value whole in `record` (what the one converter wrote) and, beside
it, the columns the database filters, sorts, joins or constrains on.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from adapters.sql.schema.base import metadata, one_of
from adapters.sql.types import Document, Id, UtcDateTime
from domain.credit.policy_versions import VersionStatus
from domain.identity import Role

tenants = Table(
    "tenants",
    metadata,
    Column("id", Id, primary_key=True),
    Column("slug", String(63), nullable=False, unique=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("record", Document, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("id", Id, nullable=False),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False),
    Column("role", String(32), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    one_of("role", Role),
    Index("ux_users_tenant_email", "tenant_id", "email_key", unique=True),
)

policy_versions = Table(
    "policy_versions",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("proposed_by", Id, nullable=False),
    Column("proposed_at", UtcDateTime, nullable=False),
    Column("record", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "version"),
    one_of("status", VersionStatus),
    CheckConstraint("version >= 1", name="version_positive"),
)

active_policies = Table(
    "active_policies",
    metadata,
    Column("tenant_id", Id, ForeignKey("tenants.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    ForeignKeyConstraint(
        ["tenant_id", "version"], ["policy_versions.tenant_id", "policy_versions.version"]
    ),
)
