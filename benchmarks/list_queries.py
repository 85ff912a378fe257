"""List and queue queries on PostgreSQL at 100,000 and 1,000,000 applications.

    uv run python -m benchmarks.list_queries [--sizes 100000,1000000] [--runs 300]

Starts a throwaway PostgreSQL server (the system's binaries, as the tests do), migrates it, and
fills it by COPY with applications and what a working desk accumulates around them: a scoring
result for every scored application, decisions for the decided ones, completed queue entries for
those an analyst decided, and open queue entries for those in review. Then it times the queries
of the list screens through the real repositories (SqlUnitOfWork, rows read back into domain
values) and prints p50 and p95 of each, beside the same figures for the reference measured in
the same run: fetching one application by id through the same repository.

The goal (issue 3): p95 under 10 ms at 1,000,000 applications.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, create_engine, text
from tests.builders import (
    NOW,
    TENANT,
    a_decision,
    a_queue_entry,
    a_scoring_result,
    a_tenant,
    an_application,
)
from tests.services.postgres import running_postgres

from adapters.sql import SqlUnitOfWork, upgrade
from adapters.sql.repositories import applications, decisions, queue, scoring
from application.credit.queries import (
    ApplicationQuery,
    ApplicationSort,
    Cursor,
    PriorityBandBounds,
    QueueQuery,
    SortOrder,
)
from domain.credit.decisions import DecisionStatus
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus

START = datetime(2024, 11, 22, tzinfo=UTC)
FIRST = ["Ana", "Marko", "Jelena", "Nikola", "Milica", "Stefan", "Ivana", "Luka", "Maja", "Petar"]
LAST = [
    "Marković", "Petrović", "Jovanović", "Nikolić", "Ilić", "Đorđević", "Stojanović", "Pavlović",
    "Milošević", "Popović", "Kostić", "Lazić", "Mitrović", "Živković", "Savić", "Tomić",
]  # fmt: skip
#: Where a year-old desk's applications stand: most decided, a few in flight.
STATUSES = [
    (ApplicationStatus.APPROVED, 0.62),
    (ApplicationStatus.DECLINED, 0.325),
    (ApplicationStatus.CANCELLED, 0.023),
    (ApplicationStatus.REVIEW, 0.015),
    (ApplicationStatus.PENDING, 0.012),
    (ApplicationStatus.SCORING, 0.005),
]
#: A production-sized server for this machine (24 GiB, SSD), not the tests' small one.
SERVER_SETTINGS = {
    "shared_buffers": "4GB",
    "effective_cache_size": "12GB",
    "work_mem": "16MB",
    "random_page_cost": "1.1",
}
OPEN_QUEUE = [QueueStatus.PENDING, QueueStatus.ASSIGNED, QueueStatus.IN_PROGRESS]


def _fill(engine: Engine, start: int, stop: int, rng: random.Random) -> None:
    """COPY applications start..stop-1 and everything that hangs on them."""
    app_row = applications.to_row(an_application(id="@ID@", external_id="@EXT@"))
    app_record = (
        json.dumps(app_row["record"], ensure_ascii=False)
        .replace("@ID@", "{ID}")
        .replace("@EXT@", "{EXT}")
        .replace('"status": "pending"', '"status": "{STATUS}"')
        .replace(json.dumps(NOW.isoformat()), '"{AT}"')
    )
    score_row = scoring.to_row(a_scoring_result(application_id="@ID@"))
    score_record = json.dumps(score_row["record"], ensure_ascii=False).replace("@ID@", "{ID}")
    decision_record = (
        json.dumps(decisions.to_row(a_decision(id="@DID@", application_id="@ID@"))["record"])
        .replace("@DID@", "{DID}")
        .replace("@ID@", "{ID}")
    )
    entry_record = (
        json.dumps(queue.to_row(a_queue_entry(id="@QID@", application_id="@ID@"))["record"])
        .replace("@QID@", "{QID}")
        .replace("@ID@", "{ID}")
    )

    app_cols = [*sorted(c for c in app_row if c != "record"), "score", "scored_at",
                "latest_result_id", "record"]  # fmt: skip
    score_cols = ["id", *sorted(c for c in score_row if c != "record"), "record"]
    decision_cols = ["tenant_id", "id", "application_id", "status", "decision_type",
                     "decided_by", "decided_at", "approved_amount", "record"]  # fmt: skip
    entry_cols = ["tenant_id", "id", "application_id", "status", "priority", "analyst_id",
                  "amount", "entered_at", "sla_deadline", "record"]  # fmt: skip
    weights = [w for _s, w in STATUSES]
    statuses = [s for s, _w in STATUSES]

    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()  # psycopg's: COPY ... FROM STDIN
        apps, scores, decided, entries = [], [], [], []
        for i in range(start, stop):
            app_id, ext = f"a{i:08d}", f"EXT-{i:08d}"
            status = rng.choices(statuses, weights)[0]
            at = START + timedelta(seconds=60 * i + rng.randint(0, 59))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            amount = Decimal(rng.randint(10, 800) * 100)
            scored = status not in (ApplicationStatus.PENDING, ApplicationStatus.CANCELLED)
            score = round(rng.uniform(380, 820), 2) if scored else None
            record = (
                app_record.replace("{ID}", app_id).replace("{EXT}", ext)
                .replace("{STATUS}", status.value).replace("{AT}", at.isoformat())
            )  # fmt: skip
            values = {
                **app_row, "id": app_id, "external_id": ext, "external_id_key": ext.lower(),
                "first_name_key": first.lower(), "last_name_key": last.lower(),
                "status": status.value, "amount": amount, "submitted_at": at, "updated_at": at,
            }  # fmt: skip
            apps.append([*(values[c] for c in app_cols[:-4]), score,
                         at if scored else None, i + 1 if scored else None, record])  # fmt: skip
            if scored:
                values = {**score_row, "application_id": app_id, "scored_at": at, "score": score}
                scores.append([i + 1, *(values[c] for c in score_cols[1:-1]),
                               score_record.replace("{ID}", app_id)])  # fmt: skip
            if status in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED):
                decision_id = f"d{i:08d}"
                decided.append([TENANT, decision_id, app_id, DecisionStatus.FINAL.value,
                                "auto_approve" if status is ApplicationStatus.APPROVED
                                else "auto_decline", "system", at + timedelta(minutes=5),
                                amount if status is ApplicationStatus.APPROVED else None,
                                decision_record.replace("{DID}", decision_id)
                                .replace("{ID}", app_id)])  # fmt: skip
            in_review = status is ApplicationStatus.REVIEW
            if in_review or (status is ApplicationStatus.APPROVED and i % 3 == 0):
                entry_status = rng.choice(OPEN_QUEUE) if in_review else QueueStatus.COMPLETED
                analyst = None if entry_status is QueueStatus.PENDING else f"u{i % 40:02d}"
                entries.append([TENANT, f"q{i:08d}", app_id, entry_status.value,
                                rng.randint(1, 100), analyst, amount, at,
                                at + timedelta(hours=8),
                                entry_record.replace("{QID}", f"q{i:08d}")
                                .replace("{ID}", app_id)])  # fmt: skip
        for table, columns, rows in (
            ("applications", app_cols, apps),
            ("scoring_results", score_cols, scores),
            ("decisions", decision_cols, decided),
            ("queue_entries", entry_cols, entries),
        ):
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def _timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    for _ in range(max(runs // 10, 5)):
        call()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return statistics.median(samples), cuts[94]


def _queries(uow: SqlUnitOfWork, size: int) -> Iterator[tuple[str, Callable[[], object]]]:
    def search(query: ApplicationQuery) -> Callable[[], object]:
        def run() -> object:
            with uow:
                return uow.applications.search(TENANT, query)

        return run

    middle = f"a{size // 2:08d}"
    with uow:
        deep_at = uow.applications.get(TENANT, middle)
    if deep_at is None:
        raise RuntimeError(f"application {middle} was not filled")
    deep = Cursor(deep_at.submitted_at.isoformat(), middle)

    yield "get one application by id (reference)", lambda: _get(uow, middle)
    yield (
        "list approved, newest first, page 1",
        search(ApplicationQuery(statuses=frozenset({ApplicationStatus.APPROVED}))),
    )
    yield "list all, newest first, page 1", search(ApplicationQuery())
    yield (
        "list in review, by score desc, page 1",
        search(
            ApplicationQuery(
                statuses=frozenset({ApplicationStatus.REVIEW}), sort=ApplicationSort.SCORE
            )
        ),
    )
    yield (
        "list all, by amount asc, page 1",
        search(ApplicationQuery(sort=ApplicationSort.AMOUNT, order=SortOrder.ASC)),
    )
    yield "search name prefix 'pet', newest first", search(ApplicationQuery(search="pet"))
    yield "deep page by cursor (middle of the table)", search(ApplicationQuery(cursor=deep))
    yield "queue list, open, by priority, page 1", lambda: _queue(uow)
    yield "queue summary", lambda: _summary(uow)


def _get(uow: SqlUnitOfWork, application_id: str) -> object:
    with uow:
        return uow.applications.get(TENANT, application_id)


def _queue(uow: SqlUnitOfWork) -> object:
    with uow:
        return uow.queue.search(TENANT, QueueQuery())


def _summary(uow: SqlUnitOfWork) -> object:
    now = datetime.now(UTC)
    with uow:
        return uow.queue.counts(
            TENANT, now=now, approaching_before=now + timedelta(hours=2), bands=PriorityBandBounds()
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(20261122)
    with running_postgres(SERVER_SETTINGS) as server:
        admin = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('CREATE DATABASE "bench"'))
        url = server.url("bench")
        upgrade(url)
        engine = create_engine(url, pool_size=2)
        maintenance = create_engine(url, isolation_level="AUTOCOMMIT")
        uow = SqlUnitOfWork(engine)
        with uow:
            uow.tenants.add(a_tenant())
            uow.commit()
        filled = 0
        for size in sizes:
            began = time.perf_counter()
            step = 100_000
            while filled < size:
                upto = min(filled + step, size)
                _fill(engine, filled, upto, rng)
                filled = upto
                print(f"  filled {filled:,} applications", file=sys.stderr, flush=True)
            with maintenance.connect() as connection:
                # What autovacuum does on a live server: statistics and the visibility map.
                connection.execute(text("VACUUM ANALYZE"))
            print(f"\n{size:,} applications (filled in {time.perf_counter() - began:.0f} s)")
            print("server: " + ", ".join(f"{k}={v}" for k, v in SERVER_SETTINGS.items()))
            print(f"{'query':48} {'p50 ms':>8} {'p95 ms':>8} {'p95 / ref':>10}")
            reference = None
            for name, call in _queries(uow, size):
                p50, p95 = _timed(call, args.runs)
                reference = reference or p95
                print(f"{name:48} {p50:8.2f} {p95:8.2f} {p95 / reference:10.1f}")
        for each in (engine, maintenance, admin):
            each.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
