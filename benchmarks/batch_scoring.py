"""Batch scoring with storage: ScoreApplications on PostgreSQL against raw xgboost, same rows.

    uv run python -m benchmarks.batch_scoring [--applications 5000] [--chunk 1000]
                                              [--sqlite] [--profile]

Trains one model on credit_data with the fixed configuration of benchmarks/scoring_speed.py,
registers it as the tenant's champion, starts a throwaway PostgreSQL server (the system's
binaries, as the tests do; SQLite when there are none, or with `--sqlite`), migrates it and
stores `--applications` pending applications (credit_data's forms, repeated). Then it scores
them through `ScoreApplications` in chunks of `--chunk`, as a CSV batch's workers do: read the
chunk, score it with one `score_batch` call, route every application, and write the results,
decisions, queue entries, status changes, audit events and outbox messages, committed once
per chunk.

The reference is the raw model limit on the same rows: xgboost `inplace_predict` +
`predict(pred_contribs=True)` (exact contributions) on each chunk's rows already built as a
float matrix, no I/O; also timed, the scorer alone (`XGBoostScorer.score_batch` on the chunk's
forms). Each chunk is timed in turn with both, so a busy machine slows them alike; a first
chunk warms everything up and is not counted. It prints applications per second for each and
the ratio of ours to raw. Goal (the CSV batch issue): at least 0.6. `--profile` prints where
the use case spends its time (cProfile, the 25 costliest functions by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import xgboost as xgb
from attrs import evolve
from numpy.typing import NDArray
from sqlalchemy import Engine, create_engine, insert
from tests.builders import NOW, TENANT, a_model_version, a_tenant
from tests.services.postgres import PostgresUnavailable, running_postgres

from adapters.ml.datasets import credit_data
from adapters.ml.features import feature_matrix
from adapters.ml.model import TrainedModel, load_booster
from adapters.ml.serving import ServedXGBoostModel
from adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from adapters.sql.repositories.applications import to_row
from adapters.sql.schema import applications
from application.credit.score_applications import ScoreApplications
from benchmarks.scoring_speed import train_on_credit_data
from domain.credit.application import Application, ApplicationForm
from domain.credit.model_registry import ModelStage, ModelVersion
from domain.credit.status import ApplicationStatus
from entrypoints.actors.common import worker_principal
from entrypoints.composition import SystemClock, UuidIds

GOAL = 0.6


class OneModel:
    """The `ModelLoader` of a benchmark: the trained model, loaded once, whatever the version."""

    def __init__(self, model: TrainedModel) -> None:
        self.served = ServedXGBoostModel(model)

    def load(self, version: ModelVersion) -> ServedXGBoostModel:
        return self.served


@contextmanager
def _database(sqlite: bool) -> Iterator[tuple[Engine, str]]:
    """A migrated, empty database: on a throwaway PostgreSQL server unless told or forced
    otherwise (no server binaries), else an SQLite file."""
    if not sqlite:
        try:
            with running_postgres() as server:
                admin = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
                with admin.connect() as connection:
                    connection.exec_driver_sql("CREATE DATABASE bench")
                admin.dispose()
                upgrade(server.url("bench"))
                engine = create_engine_for(server.url("bench"))
                yield engine, "PostgreSQL (throwaway server, fsync off)"
                engine.dispose()
                return
        except PostgresUnavailable as error:
            print(f"no PostgreSQL ({error}); SQLite instead", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        upgrade(path)
        engine = create_engine_for(path)
        yield engine, "SQLite (WAL file)"
        engine.dispose()


def _submitted(engine: Engine, forms: Sequence[ApplicationForm], model_version: str) -> list[str]:
    """The tenant, its champion and the pending applications, stored directly (not timed)."""
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.tenants.add(a_tenant())
        champion = a_model_version(model_version, stage=ModelStage.CHAMPION)
        uow.models.add(champion)
        uow.commit()
    pending = [
        Application(
            id=f"app-{n:07d}",
            tenant_id=TENANT,
            form=evolve(form, external_id=f"EXT-{n:07d}"),
            status=ApplicationStatus.PENDING,
            submitted_at=NOW,
            updated_at=NOW,
        )
        for n, form in enumerate(forms)
    ]
    with engine.begin() as connection:
        connection.execute(insert(applications), [to_row(a) for a in pending])
    return [application.id for application in pending]


def _timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:10,.0f} applications/s ({seconds * 1e6 / count:7.1f} µs each)"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--chunk", type=int, default=1_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite rather than PostgreSQL")
    parser.add_argument("--profile", action="store_true", help="cProfile the use case")
    args = parser.parse_args()

    records = credit_data()
    print("training on credit_data ...", file=sys.stderr, flush=True)
    model = train_on_credit_data([r.form for r in records], [r.defaulted for r in records])
    loader = OneModel(model)
    booster = load_booster(model.booster)
    total = args.chunk + args.applications  # the first chunk warms up
    forms = [records[n % len(records)].form for n in range(total)]
    profile = cProfile.Profile() if args.profile else None

    with _database(args.sqlite) as (engine, described):
        ids = _submitted(engine, forms, model.version)
        score = ScoreApplications(SqlUnitOfWork(engine), SystemClock(), UuidIds(), loader)
        principal = worker_principal(TENANT)
        times: dict[str, float] = {"ours": 0.0, "scorer": 0.0, "raw": 0.0}
        for start in range(0, total, args.chunk):
            chunk = ids[start : start + args.chunk]
            chunk_forms = forms[start : start + args.chunk]
            rows = feature_matrix(chunk_forms, model.schema)

            def raw(rows: NDArray[np.float64] = rows) -> object:
                probabilities = booster.inplace_predict(rows, missing=np.nan)
                dmatrix = xgb.DMatrix(rows, missing=np.nan)
                return probabilities, booster.predict(dmatrix, pred_contribs=True)

            def ours(chunk: list[str] = chunk, profiling: bool = start > 0) -> object:
                if profile is not None and profiling:
                    profile.enable()
                scored = score(principal, chunk)
                if profile is not None:
                    profile.disable()
                return scored

            def scorer(forms: list[ApplicationForm] = chunk_forms) -> object:
                return loader.served.score_batch(forms)

            measured = {"raw": _timed(raw), "scorer": _timed(scorer), "ours": _timed(ours)}
            if start > 0:
                for name, seconds in measured.items():
                    times[name] += seconds

    count = args.applications
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} logical CPUs, load average {load}; xgboost {xgb.__version__}")
    print(
        f"{count:,} applications in chunks of {args.chunk:,} on {described}, after a warm-up "
        f"chunk; model: {len(model.schema.names)} features, {model.params.n_trees} trees of depth "
        f"{model.params.max_depth}, XGBoost share {model.blend_weight}"
    )
    print(f"raw xgboost: inplace_predict + pred_contribs  {_rate(count, times['raw'])} (reference)")
    print(f"XGBoostScorer.score_batch (model alone)       {_rate(count, times['scorer'])}")
    print(f"ScoreApplications (score, route, store)       {_rate(count, times['ours'])}")
    ratio = times["raw"] / times["ours"]
    verdict = "met" if ratio >= GOAL else "not met"
    print(f"goal ours / raw applications per second >= {GOAL}: {ratio:.2f}, {verdict}")
    if profile is not None:
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
