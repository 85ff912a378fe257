"""A bounded HTTP/1.1 load generator for benchmarks.http_load, and the figures it reports.

Bounded: a fixed number of keep-alive connections, each sending its next request as soon as the
previous answer is read (a closed loop), so the load is exactly `concurrency` requests in
flight. Every request is timed from its first byte written to its last byte read; only those
that start after the warm-up and finish before the window closes count.

The client is a few lines over asyncio streams rather than an HTTP library: a request is bytes
prepared up front (an intake body is one `str.format` away from the next), and an answer is
read by its Content-Length, so a request costs the generator tens of microseconds where a
general client costs hundreds. It runs in processes of its own (`measure`), started with
`spawn` so they share nothing with the caller; they start loading together once all are ready
(importing takes seconds on a busy machine), and each reports the CPU it used: the caller can
show that the generator was not what limited the rate.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import multiprocessing
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from attrs import evolve, frozen

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "applications.json"
HEALTH, INTAKE, QUEUE = "health", "intake", "queue"
EXPECTED = {HEALTH: 200, INTAKE: 201, QUEUE: 200}
PATHS = {HEALTH: "/health", INTAKE: "/api/v1/applications", QUEUE: "/api/v1/queue"}


@frozen
class LoadSpec:
    """One run of the generator: which requests, against which server ports, how hard, and
    for how long (a warm-up, then the measured window)."""

    kind: str
    ports: tuple[int, ...]
    concurrency: int
    warmup: float
    duration: float
    #: Bearer credentials, connection c using the c-th (round robin); none for /health.
    credentials: tuple[str, ...] = ()
    tag: str = "g0"


@frozen
class Measured:
    """What a window produced: latencies (ms, sorted) of the answers with the expected status,
    the statuses of the others, the window's length and the generator's own CPU seconds."""

    kind: str
    latencies_ms: tuple[float, ...]
    unexpected: tuple[int, ...]
    seconds: float
    generator_cpu: float
    concurrency: int
    #: Every answer, the warm-up's included; the CPU seconds the servers and the database were
    #: charged and the database sessions opened over the same time (set by the caller, which
    #: knows their processes).
    answered: int = 0
    server_cpu: float = 0.0
    database_cpu: float = 0.0
    database_sessions: int = 0

    @property
    def errors(self) -> int:
        return len(self.unexpected)

    def unexpected_statuses(self) -> str:
        """'none', or each unexpected status with its count: '429 x3, 500 x1'."""
        counts = Counter(self.unexpected)
        return ", ".join(f"{s} x{n}" for s, n in sorted(counts.items())) or "none"

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    def cpu_ms_per_answer(self) -> tuple[float, float]:
        """The servers' and the database's CPU milliseconds per answer."""
        answered = max(self.answered, 1)
        return self.server_cpu * 1000 / answered, self.database_cpu * 1000 / answered

    @property
    def generator_share(self) -> float:
        """The generator's CPU as a share of one core over the window (1.0: one core busy)."""
        return self.generator_cpu / self.seconds


def percentile(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank percentile `q` (0 < q <= 100) of `ordered` (sorted ascending): the
    smallest sample with at least q% of the samples at or below it."""
    if not ordered:
        return math.nan
    rank = max(math.ceil(q / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def merged(parts: Sequence[Measured]) -> Measured:
    """Several processes' measurements of the same window as one."""
    first = parts[0]
    return evolve(
        first,
        latencies_ms=tuple(sorted(itertools.chain.from_iterable(p.latencies_ms for p in parts))),
        unexpected=tuple(itertools.chain.from_iterable(p.unexpected for p in parts)),
        seconds=max(p.seconds for p in parts),
        generator_cpu=sum(p.generator_cpu for p in parts),
        concurrency=sum(p.concurrency for p in parts),
        answered=sum(p.answered for p in parts),
    )


def ratio_line(name: str, measured: Measured, reference: Measured, quantiles: Sequence[int]) -> str:
    """One printed line: the rate and latency percentiles, each beside /health's and the
    ratio (for the rate: ours / health's, a share; for latencies: ours / health's, a factor)."""
    parts = [f"{name}: {measured.rate:,.0f} req/s (health {reference.rate:,.0f}, "
             f"{measured.rate / reference.rate:.2f})"]  # fmt: skip
    for q in quantiles:
        ours, theirs = measured.percentile(q), reference.percentile(q)
        parts.append(f"p{q} {ours:.1f} ms (health {theirs:.1f}, {ours / theirs:.1f}x)")
    return "; ".join(parts)


def intake_bodies(tag: str) -> Callable[[int], bytes]:
    """Request `n`'s JSON body: one of the sample forms, under its own external id, with the
    amount, term and income varied so no two neighbouring requests are alike."""
    forms = json.loads(SAMPLES.read_text(encoding="utf-8"))
    templates = []
    for form in forms:
        form["external_id"] = "@EXT@"
        form["loan"]["amount"] = "@AMOUNT@ EUR"
        form["loan"]["term_months"] = "@TERM@"
        form["financials"]["net_monthly_income"] = "@INCOME@ EUR"
        templates.append(
            json.dumps(form, ensure_ascii=False)
            .replace('"@TERM@"', "@TERM@")
            .replace("{", "{{").replace("}", "}}")
            .replace("@EXT@", "{ext}").replace("@AMOUNT@", "{amount}")
            .replace("@TERM@", "{term}").replace("@INCOME@", "{income}")
        )  # fmt: skip

    def body(n: int) -> bytes:
        spread = n * 7919 % 1000
        return (
            templates[n % len(templates)]
            .format(
                ext=f"LOAD-{tag}-{n}",
                amount=f"{1_000 + spread * 47}.00",
                term=12 * (1 + n % 8),
                income=f"{900 + spread * 6}.00",
            )
            .encode()
        )

    return body


def requests_for(spec: LoadSpec, port: int, connection: int) -> Callable[[int], bytes]:
    """Request `n` of one connection, as the bytes sent on the wire."""
    head = f"Host: 127.0.0.1:{port}\r\n"
    if spec.credentials:
        credential = spec.credentials[connection % len(spec.credentials)]
        head += f"Authorization: Bearer {credential}\r\n"
    if spec.kind != INTAKE:
        fixed = f"GET {PATHS[spec.kind]} HTTP/1.1\r\n{head}\r\n".encode()
        return lambda _n: fixed
    tag = f"{spec.tag}-{connection}"
    body = intake_bodies(tag)

    def intake(n: int) -> bytes:
        data = body(n)
        return (
            f"POST {PATHS[INTAKE]} HTTP/1.1\r\n{head}Idempotency-Key: {tag}-{n}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        ).encode() + data

    return intake


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status of the next answer on the connection, and whether the server closes it."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection") == "close"


class _Tally:
    """What the connections of one process have seen so far (one event loop: no locks)."""

    def __init__(self, warmup: float, duration: float) -> None:
        now = time.perf_counter()
        self.begins, self.ends = now + warmup, now + warmup + duration
        self.latencies: list[float] = []
        self.unexpected: list[int] = []
        self.answered = 0


async def _connection(spec: LoadSpec, connection: int, tally: _Tally) -> None:
    port = spec.ports[connection % len(spec.ports)]
    request = requests_for(spec, port, connection)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for n in itertools.count():
        began = time.perf_counter()
        if began >= tally.ends:
            break
        writer.write(request(n))
        status, closing = await _answer(reader)
        done = time.perf_counter()
        tally.answered += 1
        if began >= tally.begins and done <= tally.ends:
            if status == EXPECTED[spec.kind]:
                tally.latencies.append((done - began) * 1000)
            else:
                tally.unexpected.append(status)
        if closing:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


async def _load(spec: LoadSpec) -> Measured:
    tally = _Tally(spec.warmup, spec.duration)
    cpu = os.times()
    await asyncio.gather(*(_connection(spec, c, tally) for c in range(spec.concurrency)))
    used = os.times()
    # The warm-up's CPU is in the figure too: the share is an upper bound.
    cpu_seconds = (
        (used.user - cpu.user + used.system - cpu.system)
        * spec.duration
        / (spec.warmup + spec.duration)
    )
    return Measured(spec.kind, tuple(sorted(tally.latencies)), tuple(tally.unexpected),
                    spec.duration, cpu_seconds, spec.concurrency, tally.answered)  # fmt: skip


def _generator(spec: LoadSpec, ready: Barrier, results: Queue[Measured]) -> None:
    """One generator process: once every process is ready, load, then report."""
    ready.wait()
    results.put(asyncio.run(_load(spec)))


def measure(spec: LoadSpec, processes: int) -> Measured:
    """`spec` spread over `processes` generator processes (connections split evenly) that
    start together; their results merged."""
    shares = [spec.concurrency // processes + (i < spec.concurrency % processes)
              for i in range(processes)]  # fmt: skip
    run = uuid.uuid4().hex[:8]  # keys unique across runs against the same database
    specs = [evolve(spec, concurrency=share, tag=f"{spec.tag}{run}p{i}")
             for i, share in enumerate(shares) if share]  # fmt: skip
    context = multiprocessing.get_context("spawn")
    ready, results = context.Barrier(len(specs)), context.Queue()
    children = [context.Process(target=_generator, args=(s, ready, results)) for s in specs]
    for child in children:
        child.start()
    try:
        # Imports may take a while on a busy machine; the load itself is bounded.
        return merged([results.get(timeout=spec.warmup + spec.duration + 300) for _ in specs])
    finally:
        for child in children:
            child.join(timeout=30)
