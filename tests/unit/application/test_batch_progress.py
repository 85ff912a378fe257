"""Scoring a batch's chunks and reading its progress: counts that mend themselves, and a tenant
that sees its own batches only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from application.credit.recording import Topic
from application.errors import NoChampion, NotFound
from domain.credit.batches import BatchStatus
from domain.credit.model_registry import ModelStage
from domain.errors import PermissionDenied, ValidationFailed
from tests.batch_builders import csv_file, rows_for
from tests.builders import TENANT
from tests.unit.application.batch_desk import SCORER, BatchDesk
from tests.unit.application.helpers import LENDER, OUTSIDER, READONLY, WORKER


def test_scoring_that_fails_leaves_the_count_and_a_retry_completes_the_batch() -> None:
    desk = BatchDesk(chunk_rows=10)
    batch = desk.upload(csv_file(rows_for(3))).batch
    (read,) = desk.pending()
    desk.run(read)
    with desk.uow:
        champion = desk.uow.models.champion(TENANT)
        assert champion is not None
        desk.uow.models.update(evolve(champion, stage=ModelStage.RETIRED))  # none for a while
        desk.uow.commit()
    (scoring,) = [m for m in desk.pending() if m.topic == Topic.SCORE_BATCH]
    with pytest.raises(NoChampion):
        desk.run(scoring)
    assert desk.batch(batch.id).scored == 0
    with desk.uow:
        desk.uow.models.update(champion)
        desk.uow.commit()
    done = desk.run(scoring)
    assert (done.status, done.scored) == (BatchStatus.COMPLETED, 3)


def test_a_count_after_a_crash_between_scoring_and_counting_is_mended_by_the_replay() -> None:
    desk = BatchDesk(chunk_rows=10)
    batch = desk.upload(csv_file(rows_for(2))).batch
    (read,) = desk.pending()
    desk.run(read)
    with desk.uow:
        ids = desk.uow.batches.applications_in_rows(TENANT, batch.id, 1, 2)
    desk.score_rows.score(SCORER, ids)  # scored, then the worker died before counting
    assert desk.batch(batch.id).scored == 0
    (scoring,) = [m for m in desk.pending() if m.topic == Topic.SCORE_BATCH]
    assert desk.run(scoring).scored == 2


def test_progress_and_reports_are_the_tenants_own() -> None:
    desk = BatchDesk()
    batch = desk.upload(csv_file(rows_for(1))).batch
    assert desk.get_batch(READONLY, batch.id) == batch
    with pytest.raises(NotFound):
        desk.get_batch(OUTSIDER, batch.id)
    with pytest.raises(NotFound):
        desk.error_report(OUTSIDER, batch.id)
    assert desk.list_batches(OUTSIDER) == []


def test_batches_are_listed_newest_first() -> None:
    desk = BatchDesk()
    first = desk.upload(csv_file(rows_for(1))).batch
    desk.clock.advance(timedelta(minutes=1))
    second = desk.upload(csv_file(rows_for(2))).batch
    assert [b.id for b in desk.list_batches(LENDER)] == [second.id, first.id]
    assert [b.id for b in desk.list_batches(LENDER, limit=1)] == [second.id]
    with pytest.raises(ValidationFailed, match="limit"):
        desk.list_batches(LENDER, limit=0)


def test_a_report_without_rejected_rows_is_just_its_header() -> None:
    desk = BatchDesk()
    batch = desk.upload(csv_file(rows_for(2))).batch
    desk.work()
    assert desk.error_report(LENDER, batch.id) == "row,column,message\n"


def test_scoring_a_chunk_needs_the_permission_to_score() -> None:
    desk = BatchDesk()
    batch = desk.upload(csv_file(rows_for(1))).batch
    with pytest.raises(PermissionDenied):
        desk.score_rows(LENDER, batch.id, 1, 1)
    assert desk.score_rows(WORKER, batch.id, 1, 1) == batch  # not read yet: nothing to score
    with pytest.raises(NotFound):
        desk.score_rows(WORKER, batch.id, 2, 2)  # no chunk starts there
