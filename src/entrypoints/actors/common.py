"""What every actor shares: who a job acts as, which errors are final, and how a job that lost
a race for its tenant's audit chain runs again."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from application.ports import RecordNotFound
from domain.audit import ChainMismatch
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Permission, Principal, Role

#: Errors that retrying cannot cure: the job fails at once and is recorded as dead.
PERMANENT = (RecordNotFound, PermissionDenied, ValidationFailed)
WORKER_USER = "system:worker"


def worker_principal(
    tenant_id: str, grants: frozenset[Permission] = frozenset({Permission.APPLICATION_SCORE})
) -> Principal:
    """Who a job acts as in its tenant: a system user with only the permissions it needs
    (by default: to score)."""
    return Principal(WORKER_USER, tenant_id, Role.READONLY, extra_grants=grants)


def again_on_race(call: Callable[[], object], attempts: int = 8) -> None:
    """Run `call`, again at once when it lost a race for the tenant's audit chain.

    Every change in a tenant appends to one hash chain, so two jobs of a tenant committing at
    the same moment conflict and one is rolled back whole (`ChainMismatch`). Running it again
    right away is safe (use cases are idempotent) and much cheaper than a broker retry with
    backoff; a job that keeps losing is left to those retries.
    """
    for attempt in range(attempts):
        try:
            call()
            return
        except ChainMismatch:
            if attempt == attempts - 1:
                raise
            time.sleep(0.002 * (attempt + 1) * random.random())  # noqa: S311 - jitter only
