"""Which routing policy applies: the tenant's active version, or the shipped default.

A tenant that has not yet approved a policy of its own routes by
`domain.credit.defaults.DEFAULT_ROUTING_POLICY`, which is version 1 of every tenant's history;
the tenant's own versions are numbered after it, so a result that records version 1 without a
stored version 1 was routed by the default, and never by a tenant version of the same number.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.errors import NotFound
from domain.credit.defaults import DEFAULT_ROUTING_POLICY
from domain.credit.policy_versions import PolicyVersion
from domain.credit.routing import RoutingPolicy


@frozen
class PolicyInForce:
    policy: RoutingPolicy
    is_default: bool


def policy_in_force(uow: UnitOfWork, tenant_id: str) -> PolicyInForce:
    """The tenant's active policy; the default only when the tenant has activated none."""
    active = uow.policies.active(tenant_id)
    if active is None:
        return PolicyInForce(DEFAULT_ROUTING_POLICY, is_default=True)
    return PolicyInForce(active, is_default=False)


def policy_of_version(uow: UnitOfWork, tenant_id: str, version: int) -> RoutingPolicy:
    """The policy a scoring result was routed by, from the version it recorded."""
    stored = uow.policies.get(tenant_id, version)
    if stored is not None:
        return stored.policy
    if version == DEFAULT_ROUTING_POLICY.version:
        return DEFAULT_ROUTING_POLICY
    raise NotFound("routing policy version", str(version))


def next_version_number(versions: Iterable[PolicyVersion]) -> int:
    """One past the newest version the tenant has, counting the default as version 1."""
    return max((v.version for v in versions), default=DEFAULT_ROUTING_POLICY.version) + 1
