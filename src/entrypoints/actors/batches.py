"""CSV batches: reading a chunk of rows, and scoring a chunk's applications together."""

from __future__ import annotations

import dramatiq

from adapters.queue.broker import QUEUE
from application.credit.batch_files import BatchFiles
from application.credit.process_batch import ProcessBatch
from application.credit.recording import Topic
from application.credit.score_applications import ScoreApplications
from application.credit.score_batch_rows import ScoreBatchRows
from domain.identity import Permission
from entrypoints.actors.common import PERMANENT, again_on_race, worker_principal
from entrypoints.composition import Deps
from entrypoints.scoring_metrics import timed_scoring
from entrypoints.second_opinion_wiring import scoring_adviser

#: A chunk job creates applications; a scoring job scores them.
READING = frozenset({Permission.APPLICATION_CREATE})


def register(broker: dramatiq.Broker, deps: Deps) -> frozenset[str]:
    files = BatchFiles(deps.store)  # this process's recently read batch files

    def process_batch(tenant_id: str, batch_id: str, offset: int) -> None:
        process = ProcessBatch(deps.uow(), files, deps.clock, deps.ids)
        again_on_race(lambda: process(worker_principal(tenant_id, READING), batch_id, offset))

    def score_batch(tenant_id: str, batch_id: str, first_row: int, last_row: int) -> None:
        score = ScoreApplications(
            deps.uow(),
            deps.clock,
            deps.ids,
            deps.models,
            shadow_share=deps.settings.shadow_share,
            adviser=scoring_adviser(deps),
        )
        count = ScoreBatchRows(deps.uow(), deps.clock, deps.ids, score)
        with timed_scoring("batch_slice"):
            again_on_race(lambda: count(worker_principal(tenant_id), batch_id, first_row, last_row))

    for name, function in ((Topic.PROCESS_BATCH, process_batch), (Topic.SCORE_BATCH, score_batch)):
        dramatiq.actor(actor_name=name, queue_name=QUEUE, broker=broker, throws=PERMANENT)(function)
    return frozenset({Topic.PROCESS_BATCH, Topic.SCORE_BATCH})
