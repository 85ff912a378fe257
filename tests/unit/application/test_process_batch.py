"""A batch from upload to completion: read in chunks, valid rows created and scored a chunk at a
time, every other row in the error report, and every job safe to run twice."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from application.credit.recording import Topic
from application.errors import NotFound
from domain.credit.application import ApplicationForm
from domain.credit.batches import BatchStatus
from domain.credit.scoring import ModelScore
from domain.credit.status import ApplicationStatus
from tests.batch_builders import a_row, csv_file, rows_for
from tests.builders import TENANT
from tests.fakes import FakeScorer
from tests.unit.application.batch_desk import READER, BatchDesk
from tests.unit.application.helpers import LENDER, REVIEW_PD, scorer_giving

#: Rows 2, 5 and 6 are refused; the other four are valid.
ROWS = [
    a_row("LND-1"),
    a_row("LND-2", email="nobody", loan_amount="lots"),
    a_row("LND-3", street="Bulevar 73,\r\nstan 4"),
    a_row("LND-4"),
    a_row("LND-1"),
    a_row("LND-6", term_months="", purpose="yacht"),
    a_row("LND-7"),
]


class CountingScorer(FakeScorer):
    """The desk's model, noting how many forms each call scores: how a test sees that rows
    are scored a chunk per call (a chunk of one takes the single-form path)."""

    def __init__(self) -> None:
        base = scorer_giving(REVIEW_PD)
        super().__init__(base_value=base.explainer.base_value, model_version=base.model_version)
        self.calls: list[int] = []

    def score(self, form: ApplicationForm) -> ModelScore:
        self.calls.append(1)
        return super().score(form)

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        self.calls.append(len(forms))
        return [FakeScorer.score(self, form) for form in forms]


def test_a_batch_is_read_scored_and_completed_with_nothing_dropped() -> None:
    model = CountingScorer()
    desk = BatchDesk(chunk_rows=3, model=model)
    batch = desk.upload(csv_file(ROWS)).batch
    assert desk.work() == 3 + 3  # three chunks read, each with rows to score
    done = desk.batch(batch.id)
    assert done.status is BatchStatus.COMPLETED
    assert (done.rows_read, done.accepted, done.rejected, done.scored) == (7, 4, 3, 4)
    assert model.calls == [2, 1, 1]
    assert desk.pending({Topic.SCORE_APPLICATION}) == []
    assert [m.payload for m in desk.pending({Topic.BATCH_COMPLETED})] == [{"batch_id": batch.id}]
    first = desk.read(lambda uow: uow.batches.applications_in_rows(TENANT, batch.id, 1, 1))
    assert desk.error_report(LENDER, batch.id) == (
        "row,column,message\n"
        "2,email,must be an email address such as name@example.com\n"
        "2,loan_amount,\"must be a number like 12000, with '.' for decimals\"\n"
        f"5,external_id,is already used by application {first[0]}\n"  # read by an earlier chunk
        "6,term_months,is required\n"
        '6,purpose,"must be one of: personal, car, home_improvement, debt_consolidation, '
        'education, medical, business, travel, other"\n'
    )


def test_each_accepted_row_becomes_one_application_scored_and_routed() -> None:
    desk = BatchDesk(chunk_rows=3)
    batch = desk.upload(csv_file(ROWS)).batch
    desk.work()
    with desk.uow:
        ids = desk.uow.batches.applications_in_rows(TENANT, batch.id, 1, 7)
    applications = [desk.application(application_id) for application_id in ids]
    assert [a.form.external_id for a in applications if a is not None] == [
        "LND-1",
        "LND-3",
        "LND-4",
        "LND-7",
    ]
    assert {a.status for a in applications if a is not None} == {ApplicationStatus.REVIEW}
    street = applications[1].form.applicant.address.street if applications[1] else ""
    assert street == "Bulevar 73,\r\nstan 4"
    actions = [event.action for event in desk.events()]
    assert actions.count("batch.rows_read") == 3  # one event per chunk, not per row
    assert actions.count("batch.completed") == 1


def test_progress_can_be_polled_chunk_by_chunk() -> None:
    desk = BatchDesk(chunk_rows=3)
    batch = desk.upload(csv_file(ROWS)).batch
    first, *_others = desk.pending()
    after_one = desk.run(first)
    assert (after_one.status, after_one.rows_read, after_one.accepted) == (
        BatchStatus.PROCESSING,
        3,
        2,
    )
    assert desk.batch(batch.id) == after_one
    assert after_one.total_rows == 7
    assert [m.topic for m in desk.pending() if m.id != first.id] == [
        Topic.PROCESS_BATCH,  # every chunk's job was queued by the upload
        Topic.PROCESS_BATCH,
        Topic.SCORE_BATCH,
    ]


def test_a_chunk_job_delivered_twice_reads_its_rows_once() -> None:
    desk = BatchDesk(chunk_rows=3)
    desk.upload(csv_file(ROWS))
    first, *_others = desk.pending()
    desk.run(first)
    before = desk.stored()
    again = desk.run(first)
    assert desk.stored() == before
    assert again.rows_read == 3


def test_a_scoring_job_delivered_twice_scores_and_counts_once() -> None:
    desk = BatchDesk(chunk_rows=10)
    batch = desk.upload(csv_file(rows_for(4))).batch
    (read,) = desk.pending()
    desk.run(read)
    scoring = [m for m in desk.pending() if m.topic == Topic.SCORE_BATCH]
    done = desk.run(scoring[0])
    before = desk.stored()
    assert desk.run(scoring[0]) == done
    assert desk.stored() == before
    assert (done.status, done.scored) == (BatchStatus.COMPLETED, 4)
    assert desk.batch(batch.id).completed_at is not None


def test_rows_whose_external_id_the_tenant_already_uses_are_rejected() -> None:
    desk = BatchDesk()
    earlier = desk.submitted("LND-000002")
    batch = desk.upload(csv_file(rows_for(3))).batch
    desk.work()
    done = desk.batch(batch.id)
    assert (done.accepted, done.rejected) == (2, 1)
    assert desk.error_report(LENDER, batch.id).splitlines()[1:] == [
        f"2,external_id,is already used by application {earlier.id}"
    ]


def test_a_batch_whose_file_is_gone_fails_with_the_reason() -> None:
    desk = BatchDesk()
    batch = desk.upload(csv_file(rows_for(3))).batch
    desk.store.delete(batch.object_key)
    (message,) = desk.pending()
    failed = desk.run(message)
    assert failed.status is BatchStatus.FAILED
    assert failed.failure == f"no object under {batch.object_key!r}"
    assert desk.run(message) == failed  # and stays so


def test_chunks_are_read_in_any_order_with_their_planned_row_numbers() -> None:
    desk = BatchDesk(chunk_rows=3)
    batch = desk.upload(csv_file(ROWS)).batch
    for message in reversed(desk.pending()):
        desk.run(message)
    assert desk.batch(batch.id).counts() == {
        "total_rows": 7,
        "rows_read": 7,
        "accepted": 4,
        "rejected": 3,
        "scored": 0,
    }
    report = desk.error_report(LENDER, batch.id).splitlines()
    later = desk.read(lambda uow: uow.batches.applications_in_rows(TENANT, batch.id, 5, 5))
    assert report[1:] == [  # row 5 was read first, so it keeps the external id both use
        f"1,external_id,is already used by application {later[0]}",
        "2,email,must be an email address such as name@example.com",
        "2,loan_amount,\"must be a number like 12000, with '.' for decimals\"",
        "6,term_months,is required",
        '6,purpose,"must be one of: personal, car, home_improvement, debt_consolidation, '
        'education, medical, business, travel, other"',
    ]


def test_a_job_for_a_batch_or_offset_the_tenant_does_not_have_finds_nothing() -> None:
    desk = BatchDesk()
    batch = desk.upload(csv_file(rows_for(1))).batch
    with pytest.raises(NotFound):
        desk.process(READER, "no-such-batch", 0)
    with pytest.raises(NotFound, match="at byte 1"):
        desk.process(READER, batch.id, 1)
