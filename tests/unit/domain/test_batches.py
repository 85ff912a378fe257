"""A batch's progress: accepted + rejected = rows read after every step, whatever order the
chunks are read in; scored counts are idempotent; and a batch completes exactly when every row
is read and every accepted row scored."""

from __future__ import annotations

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.batches import (
    Batch,
    BatchChunk,
    BatchProgressError,
    BatchStatus,
    chunk_read,
    chunk_scored,
    failed,
    new_batch,
    plan_chunks,
)
from domain.errors import IllegalTransition
from tests.builders import NOW, TENANT


def a_batch(total_rows: int = 10) -> Batch:
    return new_batch(
        batch_id="batch-1",
        tenant_id=TENANT,
        file_name="march.csv",
        object_key=f"{TENANT}/batches/abc.csv",
        sha256="abc",
        size=5_000,
        uploaded_by="svc-lender",
        total_rows=total_rows,
        now=NOW,
    )


def test_chunks_are_planned_from_where_each_starts_and_how_many_rows_it_holds() -> None:
    assert plan_chunks(TENANT, "batch-1", [(100, 3), (400, 3), (700, 1)]) == (
        BatchChunk(TENANT, "batch-1", 1, 3, 100),
        BatchChunk(TENANT, "batch-1", 4, 6, 400),
        BatchChunk(TENANT, "batch-1", 7, 7, 700),
    )
    with pytest.raises(BatchProgressError):
        plan_chunks(TENANT, "batch-1", [(100, 0)])


def test_a_new_batch_waits_and_a_header_without_rows_is_complete_at_once() -> None:
    assert a_batch().status is BatchStatus.PENDING
    empty = a_batch(total_rows=0)
    assert (empty.status, empty.rows_read, empty.completed_at) == (BatchStatus.COMPLETED, 0, NOW)


def test_counts_that_do_not_add_up_cannot_make_a_batch() -> None:
    with pytest.raises(BatchProgressError, match="must add up to the rows read"):
        evolve(a_batch(), rows_read=3, accepted=1, rejected=1)
    with pytest.raises(BatchProgressError, match="more rows scored than accepted"):
        evolve(a_batch(), rows_read=1, accepted=1, scored=2)
    with pytest.raises(BatchProgressError, match="cannot read more"):
        evolve(a_batch(total_rows=1), rows_read=2, accepted=2)


def test_a_chunk_is_read_once_and_the_batch_completes_when_all_is_read_and_scored() -> None:
    first, second = plan_chunks(TENANT, "batch-1", [(100, 6), (900, 4)])
    batch, first = chunk_read(a_batch(), first, accepted=5, now=NOW)
    assert (batch.status, batch.rows_read, batch.rejected, first.read) == (
        BatchStatus.PROCESSING,
        6,
        1,
        True,
    )
    with pytest.raises(IllegalTransition, match="read already"):
        chunk_read(batch, first, accepted=5, now=NOW)
    batch, first = chunk_scored(batch, first, 5, NOW)
    batch, second = chunk_read(batch, second, accepted=0, now=NOW)
    assert (batch.status, batch.completed_at, batch.rows_read) == (BatchStatus.COMPLETED, NOW, 10)
    with pytest.raises(BatchProgressError, match="cannot have 5 accepted"):
        chunk_read(a_batch(), evolve(second, read=False), accepted=5, now=NOW)


def test_reporting_the_same_or_a_lower_scored_count_changes_nothing() -> None:
    (chunk,) = plan_chunks(TENANT, "batch-1", [(100, 10)])
    batch, chunk = chunk_read(a_batch(), chunk, accepted=3, now=NOW)
    once, chunk_once = chunk_scored(batch, chunk, 2, NOW)
    twice, chunk_twice = chunk_scored(once, chunk_once, 2, NOW)
    assert (once, chunk_once) == (twice, chunk_twice)
    assert twice.scored == 2
    assert chunk_scored(once, chunk_once, 1, NOW) == (once, chunk_once)  # never goes back
    with pytest.raises(BatchProgressError, match="so 4 cannot be scored"):
        chunk_scored(once, chunk_once, 4, NOW)


def test_a_chunk_of_another_batch_is_refused() -> None:
    (chunk,) = plan_chunks(TENANT, "batch-2", [(100, 10)])
    with pytest.raises(BatchProgressError, match="are not of batch-1"):
        chunk_read(a_batch(), chunk, accepted=1, now=NOW)


def test_a_batch_fails_with_its_reason_unless_it_is_complete() -> None:
    given_up = failed(a_batch(), "object gone", NOW)
    assert (given_up.status, given_up.failure) == (BatchStatus.FAILED, "object gone")
    with pytest.raises(IllegalTransition):
        chunk_read(given_up, plan_chunks(TENANT, "batch-1", [(1, 1)])[0], accepted=1, now=NOW)
    with pytest.raises(IllegalTransition):
        failed(a_batch(total_rows=0), "too late", NOW)


@st.composite
def _runs(draw: st.DrawFn) -> tuple[list[int], list[tuple[str, int, int]]]:
    sizes = draw(st.lists(st.integers(1, 30), min_size=1, max_size=8))
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(["read", "score"]), st.integers(0, 7), st.integers(0, 30)),
            max_size=40,
        )
    )
    return sizes, steps


@given(_runs())
def test_accepted_plus_rejected_is_always_the_rows_read(
    run: tuple[list[int], list[tuple[str, int, int]]],
) -> None:
    sizes, steps = run
    chunks = list(plan_chunks(TENANT, "batch-1", [(n * 100, size) for n, size in enumerate(sizes)]))
    batch = a_batch(total_rows=sum(sizes))
    for kind, pick, count in steps:
        index = pick % len(chunks)
        chunk = chunks[index]
        if kind == "read" and not chunk.read:
            accepted = min(count, chunk.rows)
            batch, chunks[index] = chunk_read(batch, chunk, accepted=accepted, now=NOW)
        elif kind == "score" and chunk.read:
            batch, chunks[index] = chunk_scored(batch, chunk, min(count, chunk.accepted), NOW)
        read = [c for c in chunks if c.read]
        assert batch.accepted + batch.rejected == batch.rows_read == sum(c.rows for c in read)
        assert batch.accepted == sum(c.accepted for c in read)
        assert batch.scored == sum(c.scored for c in read) <= batch.accepted
        finished = len(read) == len(chunks) and batch.scored == batch.accepted
        assert (batch.status is BatchStatus.COMPLETED) == finished
