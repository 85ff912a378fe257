"""The pure parts of benchmarks.http_load: percentiles, the printed ratio line, the bodies and
requests the load generator sends, and the profile summary. The run itself needs servers and
minutes, so it is a benchmark, not a test; these parts decide whether its figures are right."""

from __future__ import annotations

import json
import os
import time

from benchmarks.load_generator import (
    HEALTH,
    INTAKE,
    LoadSpec,
    Measured,
    intake_bodies,
    merged,
    percentile,
    ratio_line,
    requests_for,
)
from benchmarks.server_profile import children_of, cpu_seconds, cpu_used, parent_of, top_costs
from hypothesis import given
from hypothesis import strategies as st

from adapters.serialization import structure
from domain.credit.application import ApplicationForm
from domain.credit.validation import problems
from tests.builders import TODAY


def a_measurement(
    latencies: list[float], seconds: float = 10.0, unexpected: tuple[int, ...] = ()
) -> Measured:
    return Measured(HEALTH, tuple(sorted(latencies)), unexpected, seconds, 1.0, 8)


def test_percentiles_are_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert [percentile(samples, q) for q in (1, 50, 95, 99, 100)] == [1, 50, 95, 99, 100]
    assert percentile([7.0], 99) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 51) == 3.0


@given(st.lists(st.floats(0, 1e4), min_size=1), st.floats(0.01, 100))
def test_a_percentile_has_at_least_its_share_of_samples_at_or_below_it(
    samples: list[float], q: float
) -> None:
    ordered = sorted(samples)
    found = percentile(ordered, q)
    assert found in ordered
    assert sum(s <= found for s in ordered) >= q / 100 * len(ordered)
    assert sum(s < found for s in ordered) < q / 100 * len(ordered)


def test_the_rate_counts_answers_over_the_window_and_merging_pools_processes() -> None:
    one = a_measurement([3.0, 1.0], seconds=2.0, unexpected=(500, 429))
    other = a_measurement([2.0, 4.0], seconds=2.0, unexpected=(429,))
    both = merged([one, other])
    assert (one.rate, both.rate, both.errors, both.concurrency) == (1.0, 2.0, 3, 16)
    assert both.unexpected_statuses() == "429 x2, 500 x1"
    assert other.unexpected_statuses() == "429 x1"
    assert a_measurement([1.0]).unexpected_statuses() == "none"
    assert both.latencies_ms == (1.0, 2.0, 3.0, 4.0)
    assert both.generator_share == 1.0


def test_the_ratio_line_sets_each_figure_beside_healths() -> None:
    health = a_measurement([1.0] * 98 + [2.0, 4.0], seconds=1.0)
    intake = a_measurement([10.0] * 49 + [30.0], seconds=1.0)
    line = ratio_line("POST", intake, health, (50, 99))
    assert line == (
        "POST: 50 req/s (health 100, 0.50); p50 10.0 ms (health 1.0, 10.0x); "
        "p99 30.0 ms (health 2.0, 15.0x)"
    )


def test_every_intake_body_is_a_valid_form_of_its_own() -> None:
    body = intake_bodies("t")
    forms = [structure(json.loads(body(n)), ApplicationForm) for n in range(40)]
    assert all(problems(form, TODAY) == () for form in forms)
    assert len({form.external_id for form in forms}) == 40
    assert len({form.loan.amount for form in forms}) > 20


def test_an_intake_request_carries_its_own_key_and_its_exact_length() -> None:
    spec = LoadSpec(INTAKE, (8001, 8002), 2, 1.0, 1.0, credentials=("ck_w", "ck_x"))
    request = requests_for(spec, 8002, 1)
    first, second = request(0), request(1)
    head, _, body = first.partition(b"\r\n\r\n")
    assert head.startswith(b"POST /api/v1/applications HTTP/1.1\r\nHost: 127.0.0.1:8002")
    assert b"Authorization: Bearer ck_x" in head
    assert f"Content-Length: {len(body)}".encode() in head
    assert b"Idempotency-Key: g0-1-0\r\n" in head
    assert b"Idempotency-Key: g0-1-1\r\n" in second


def test_the_profile_ranks_functions_inclusively_and_by_own_time() -> None:
    lines = [
        "thread (1);run (app.py:3);submit (api.py:10);wait (db.py:5) 6",
        "thread (1);run (app.py:3);submit (api.py:12) 2",
        "thread (2);run (app.py:3);render (api.py:20) 2",
    ]
    total, costs = top_costs(lines)
    shares = {cost.function: (cost.inclusive, cost.own) for cost in costs}
    assert total == 10
    assert shares["run (app.py)"] == (1.0, 0.0)
    assert shares["submit (api.py)"] == (0.8, 0.2)
    assert shares["wait (db.py)"] == (0.6, 0.6)


def test_cpu_is_counted_per_process_and_a_process_that_started_counts_whole() -> None:
    before = {1: 2.0, 2: 5.0}
    after = {1: 2.5, 3: 0.25}  # 2 ended (its share is gone), 3 started
    assert cpu_used(before, after) == 0.75


def test_this_process_is_charged_the_cpu_it_burns_and_is_its_parents_child() -> None:
    me = os.getpid()
    first = cpu_seconds([me])[me]
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:
        pass
    assert cpu_seconds([me])[me] > first
    assert cpu_seconds([me], ended_children=True)[me] >= cpu_seconds([me])[me]
    assert me in children_of(parent_of(me))
