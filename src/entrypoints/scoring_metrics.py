"""The scoring-duration histogram, observed where scoring runs and served by `/metrics`.

It lives outside `entrypoints.http` so the worker, which scores, does not import Litestar, and
outside the application layer, which knows nothing of Prometheus: the worker's actors time the
use case call (`timed_scoring`). The histogram belongs to no registry of its own; each HTTP app
registers it into the registry its `/metrics` serves (`AppMetrics`).

A histogram lives in the memory of one process. Durations are therefore exposed by the process
that scores: with the embedded worker (`creditdesk serve` without a broker) that is the serve
process and its `/metrics`; a separate `creditdesk worker` process keeps its own figures, which
no `/metrics` of another process shows.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Histogram

#: Seconds to score: one application, or one slice of a batch (`scope` says which).
SCORING_SECONDS = Histogram(
    "creditdesk_scoring_duration_seconds",
    "Time to score one application, or one slice of a batch",
    ["scope"],
    registry=None,
)


@contextmanager
def timed_scoring(scope: str) -> Iterator[None]:
    """Observes the time the block takes into `SCORING_SECONDS` when it completes; a failed
    attempt is retried, and its time would only blur what scoring costs."""
    started = time.perf_counter()
    yield
    SCORING_SECONDS.labels(scope).observe(time.perf_counter() - started)
