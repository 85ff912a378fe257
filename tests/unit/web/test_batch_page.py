"""How far a batch is, for its progress bar: a refused row is done once read, an accepted one
once scored, and a completed batch is done whole."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.credit.batches import Batch, BatchStatus
from entrypoints.web.batch_page import rows_done

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def a_batch(**counts: int | BatchStatus) -> Batch:
    return Batch("b-1", "t-1", "f.csv", "k", "ab" * 32, 10, "u-1", NOW, **counts)  # type: ignore[arg-type]


def test_a_batch_not_yet_read_has_nothing_done() -> None:
    assert rows_done(a_batch(total_rows=10)) == 0


def test_refused_rows_and_scored_rows_are_done_but_accepted_unscored_ones_are_not() -> None:
    batch = a_batch(total_rows=10, status=BatchStatus.PROCESSING, rows_read=6, accepted=4,
                    rejected=2, scored=1)  # fmt: skip
    assert rows_done(batch) == 3


def test_a_completed_batch_is_done_whole() -> None:
    batch = a_batch(total_rows=10, status=BatchStatus.COMPLETED, rows_read=10, accepted=7,
                    rejected=3, scored=7)  # fmt: skip
    assert rows_done(batch) == 10
