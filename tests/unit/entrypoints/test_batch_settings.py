"""The CSV batch settings: 50 MiB and 1,000 rows a chunk by default, and bad values named."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from entrypoints.settings import BatchSettings, load


def test_the_defaults() -> None:
    assert load({}).batches == BatchSettings(max_bytes=52_428_800, chunk_rows=1_000)


def test_both_can_be_set() -> None:
    env = {"CREDITDESK_BATCH_MAX_BYTES": "1_000_000", "CREDITDESK_BATCH_CHUNK_ROWS": " 250 "}
    assert load(env).batches == BatchSettings(max_bytes=1_000_000, chunk_rows=250)


def test_bad_values_are_named_together() -> None:
    env = {"CREDITDESK_BATCH_MAX_BYTES": "50MB", "CREDITDESK_BATCH_CHUNK_ROWS": "0"}
    with pytest.raises(ValidationFailed) as refused:
        load(env)
    assert [str(problem) for problem in refused.value.problems] == [
        "CREDITDESK_BATCH_MAX_BYTES: must be a whole number from 1 to 1,073,741,824",
        "CREDITDESK_BATCH_CHUNK_ROWS: must be a whole number from 1 to 100,000",
    ]
