"""The CSV batch use cases over the credit desk's fakes, and a worker that runs their jobs.

`BatchDesk.work()` plays the background worker: it takes the pending outbox messages of the
batch topics, oldest first, and runs the use case each names, until none is left, so a test
can follow a batch from upload to completion without a broker.
"""

from __future__ import annotations

from collections.abc import Iterable

from application.credit.batch_files import BatchFiles
from application.credit.batch_queries import BatchErrorReport, GetBatch, ListBatches
from application.credit.ports import OutboxMessage
from application.credit.process_batch import ProcessBatch
from application.credit.recording import Topic
from application.credit.score_applications import ScoreApplications
from application.credit.score_batch_rows import ScoreBatchRows
from application.credit.upload_batch import UploadBatch, Uploaded
from domain.credit.batches import Batch
from domain.identity import Permission, Principal, Role
from tests.batch_builders import in_pieces
from tests.builders import TENANT
from tests.fakes import FakeScorer, InMemoryObjectStore
from tests.unit.application.helpers import LENDER, REVIEW_PD, Desk, OneModelLoader, scorer_giving

BATCH_TOPICS = frozenset({Topic.PROCESS_BATCH, Topic.SCORE_BATCH})
READER = Principal(
    "system:worker", TENANT, Role.READONLY, extra_grants=frozenset({Permission.APPLICATION_CREATE})
)
SCORER = Principal(
    "system:worker", TENANT, Role.READONLY, extra_grants=frozenset({Permission.APPLICATION_SCORE})
)


class BatchDesk(Desk):
    """The credit desk with batch uploads, chunks of `chunk_rows` and files up to `max_bytes`."""

    def __init__(
        self, *, chunk_rows: int = 3, max_bytes: int = 1_000_000, model: FakeScorer | None = None
    ) -> None:
        super().__init__()
        self.store = InMemoryObjectStore()
        self.model = model or scorer_giving(REVIEW_PD)
        self.upload_batch = UploadBatch(
            self.uow, self.store, self.clock, self.ids, max_bytes, chunk_rows
        )
        self.process = ProcessBatch(self.uow, BatchFiles(self.store), self.clock, self.ids)
        score = ScoreApplications(self.uow, self.clock, self.ids, OneModelLoader(self.model))
        self.score_rows = ScoreBatchRows(self.uow, self.clock, self.ids, score)
        self.get_batch = GetBatch(self.uow)
        self.list_batches = ListBatches(self.uow)
        self.error_report = BatchErrorReport(self.uow, rows_per_read=2)

    def upload(self, data: bytes, key: str | None = None) -> Uploaded:
        return self.upload_batch(LENDER, in_pieces(data, 7), idempotency_key=key)

    def pending(self, topics: Iterable[str] = BATCH_TOPICS) -> list[OutboxMessage]:
        return self.read(lambda uow: uow.outbox.pending(10_000, topics=set(topics)))

    def run(self, message: OutboxMessage) -> Batch:
        """Run the job `message` asks for, as the worker would."""
        payload = message.payload
        batch_id = str(payload["batch_id"])
        if message.topic == Topic.PROCESS_BATCH:
            return self.process(READER, batch_id, int(payload["offset"]))
        first, last = int(payload["first_row"]), int(payload["last_row"])
        return self.score_rows(SCORER, batch_id, first, last)

    def work(self) -> int:
        """Run every pending batch job (and those they queue) once; how many ran."""
        ran = 0
        while pending := self.pending():
            for message in pending:
                self.run(message)
                with self.uow:
                    self.uow.outbox.mark_sent(message.id)
                    self.uow.commit()
                ran += 1
        return ran

    def batch(self, batch_id: str) -> Batch:
        return self.get_batch(LENDER, batch_id)
