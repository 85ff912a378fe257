"""Where CSV batches live: the batch, the chunks it is read in, which application each
accepted row became, and the problems of each rejected row.

Rows, chunks and errors are written a chunk at a time, in bulk: a batch of 100,000 rows must
not cost 100,000 round trips to the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.credit.batches import Batch, BatchChunk, RowError


class BatchRepository(Protocol):
    """Batches, one per (tenant, id) and at most one per (tenant, idempotency key)."""

    def add(self, batch: Batch) -> None:
        """Store a new batch; `AlreadyExists` if its id or its idempotency key is taken."""
        ...

    def get(self, tenant_id: str, batch_id: str) -> Batch | None:
        """The tenant's batch with this id, or None."""
        ...

    def lock(self, tenant_id: str, batch_id: str) -> Batch | None:
        """Like `get`, but holds the batch until the unit of work ends.

        Every job that moves a batch on (a chunk read, a chunk scored) locks it first, so two
        deliveries of one job, or the jobs of two chunks, take turns on its counts.
        """
        ...

    def by_idempotency_key(self, tenant_id: str, key: str) -> Batch | None:
        """The batch the tenant uploaded under this key, or None."""
        ...

    def update(self, batch: Batch) -> None:
        """Replace the stored batch; `RecordNotFound` if the tenant has none with its id."""
        ...

    def recent(self, tenant_id: str, *, limit: int) -> list[Batch]:
        """The tenant's latest `limit` batches, newest `created_at` first (ties: greater id)."""
        ...

    def add_chunks(self, chunks: Sequence[BatchChunk]) -> None:
        """Store the planned chunks of a batch; `AlreadyExists` (and none stored) if the batch
        has one from any of their first rows already."""
        ...

    def chunk(self, tenant_id: str, batch_id: str, first_row: int) -> BatchChunk | None:
        """The chunk of the batch that starts at row `first_row`, or None."""
        ...

    def chunk_at(self, tenant_id: str, batch_id: str, offset: int) -> BatchChunk | None:
        """The chunk of the batch that starts at byte `offset` of its file, or None."""
        ...

    def update_chunk(self, chunk: BatchChunk) -> None:
        """Replace the stored chunk's progress; `RecordNotFound` if there is no such chunk."""
        ...

    def add_rows(self, tenant_id: str, batch_id: str, rows: Sequence[tuple[int, str]]) -> None:
        """Record which application each accepted row (row number, application id) became.

        `AlreadyExists` if a row of the batch is already recorded (and then none is): a row
        becomes an application once. `RecordNotFound` if the batch or an application is not
        stored.
        """
        ...

    def applications_in_rows(
        self, tenant_id: str, batch_id: str, first_row: int, last_row: int
    ) -> list[str]:
        """The ids of the applications rows `first_row` to `last_row` became, by row."""
        ...

    def count_settled(self, tenant_id: str, batch_id: str, first_row: int, last_row: int) -> int:
        """How many applications of those rows have left scoring behind: scored and routed
        (to a decision or the queue), or cancelled before anyone scored them."""
        ...

    def add_errors(self, tenant_id: str, batch_id: str, errors: Sequence[RowError]) -> None:
        """Record rejected rows' problems, kept in the given order within each row (all of a
        row's problems are recorded by one call)."""
        ...

    def errors(
        self, tenant_id: str, batch_id: str, first_row: int, last_row: int
    ) -> list[RowError]:
        """The problems of rows `first_row` to `last_row`, by row, each row's in their order."""
        ...
