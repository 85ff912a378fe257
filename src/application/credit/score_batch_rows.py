"""Score one chunk of a CSV batch, all its rows at once, and count the batch's progress.

The job `batch.score` names a chunk's rows; the applications they became are scored together
by `ScoreApplications` (one call of the model for the whole chunk, bulk writes), which skips
those no longer pending, so a replay scores nothing twice. The batch's `scored` count is then
counted again from the database, not incremented: the chunk's rows that have left scoring
behind are counted and stored as the chunk's own figure, and the batch's count moves by the
difference. Counting twice gives the same figure, so the job may run any number of times, and
a crash between the scoring and the count is mended by the next run. When the file is read
and every accepted row is scored, the batch is completed and `batch.completed` goes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.credit.batches import Batch, BatchStatus, chunk_scored
from domain.credit.scoring import ScoringResult
from domain.identity import Permission, Principal, authorize


class ScoresApplications(Protocol):
    """Scores many pending applications in one go (`application.credit.score_applications`)."""

    def __call__(
        self, principal: Principal, application_ids: Sequence[str]
    ) -> Sequence[ScoringResult]: ...


@frozen
class ScoreBatchRows:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    score: ScoresApplications

    def __call__(self, principal: Principal, batch_id: str, first_row: int, last_row: int) -> Batch:
        authorize(principal, Permission.APPLICATION_SCORE)
        with self.uow:
            batch = self.uow.batches.get(principal.tenant_id, batch_id)
            if batch is None:
                raise NotFound("batch", batch_id)
            application_ids = self.uow.batches.applications_in_rows(
                principal.tenant_id, batch_id, first_row, last_row
            )
        if application_ids:
            self.score(principal, application_ids)
        return CountScoredRows(self.uow, self.clock, self.ids)(principal, batch_id, first_row)


@frozen
class CountScoredRows:
    """Bring the batch's `scored` count up to date for the chunk that starts at `first_row`."""

    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, principal: Principal, batch_id: str, first_row: int) -> Batch:
        authorize(principal, Permission.APPLICATION_SCORE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            batch = self.uow.batches.lock(tenant_id, batch_id)
            if batch is None:
                raise NotFound("batch", batch_id)
            chunk = self.uow.batches.chunk(tenant_id, batch_id, first_row)
            if chunk is None:
                raise NotFound("chunk of batch", f"{batch_id} from row {first_row}")
            settled = self.uow.batches.count_settled(
                tenant_id, batch_id, chunk.first_row, chunk.last_row
            )
            if settled <= chunk.scored:  # counted already
                return batch
            counted, chunk = chunk_scored(batch, chunk, settled, now)
            self.uow.batches.update_chunk(chunk)
            self.uow.batches.update(counted)
            if counted.status is BatchStatus.COMPLETED and batch.status is not counted.status:
                journal = Journal.of(self.uow, principal, now)
                journal.audit("batch.completed", "batch", batch_id, new=counted.counts())
                journal.emit(self.ids, Topic.BATCH_COMPLETED, {"batch_id": batch_id})
            self.uow.commit()
        return counted
