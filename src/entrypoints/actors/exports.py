"""Exports too large to write while their requester waited (`application.credit.exports`)."""

from __future__ import annotations

import dramatiq

from adapters.queue.broker import QUEUE
from application.credit.exports import RunExport
from application.credit.recording import Topic
from domain.identity import Permission
from entrypoints.actors.common import PERMANENT, again_on_race, worker_principal
from entrypoints.composition import Deps

#: An export job reads the tenant's applications and their analytics.
EXPORTING = frozenset({Permission.ANALYTICS_VIEW})


def register(broker: dramatiq.Broker, deps: Deps) -> frozenset[str]:
    def run_export(tenant_id: str, export_id: str) -> None:
        run = RunExport(deps.uow(), deps.store, deps.export_files, deps.clock)
        again_on_race(lambda: run(worker_principal(tenant_id, EXPORTING), export_id))

    dramatiq.actor(actor_name=Topic.RUN_EXPORT, queue_name=QUEUE, broker=broker, throws=PERMANENT)(
        run_export
    )
    return frozenset({Topic.RUN_EXPORT})
