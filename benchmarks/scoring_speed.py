"""Live scoring speed: the XGBoostScorer against raw xgboost on the same rows, in the same run.

    uv run python -m benchmarks.scoring_speed [--calls 2000] [--batch 10000] [--batch-runs 10]
                                              [--threads 1,0] [--tuned]

Trains one model on credit_data: by default with one fixed configuration, the one the tuned
search tends to pick there (depth 2, learning rate 0.03, 700 trees, averaged half and half with
the WOE scorecard), so the run is quick; `--tuned` runs the full search instead. Then it times:

* one application: `XGBoostScorer.score(form)`, which returns the calibrated probability, the
  score and the exact per-feature contributions in one call (the Explainer's `explain(form)` is
  that call's contributions), p50 and p99 over `--calls` calls after a warm-up;
* a batch of `--batch` applications (credit_data's forms, repeated to make up the number)
  through `XGBoostScorer.score_batch(forms)`, median and fastest of `--batch-runs` runs;

against raw xgboost on the same rows already built as a float matrix: `DMatrix` +
`predict(pred_contribs=True)` (the probability is the logistic of the row's sum), and
`inplace_predict` for the probability + `DMatrix` + `pred_contribs`; the faster of the two is
the reference. Raw xgboost does not build features from forms, average with the scorecard,
calibrate or make result objects: our figure pays for all of that. Building the features is
also timed alone, and our figure less that time is printed beside it.

All variants are timed interleaved (one call of each in turn, in a fresh random order each
turn), so a busy machine slows them alike, and each variant follows every other equally often:
what ran just before a call changes its time (the state xgboost's threads, the allocator and
the CPU caches are left in), and a fixed or merely rotating order would give one variant the
same neighbour most of the time. Threads are set for ours and raw alike, for xgboost and OpenMP,
once per value of `--threads` (0 = all cores). Goal (issue 4): ours / raw at most 1.2.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import xgboost as xgb
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from adapters.ml.datasets import credit_data
from adapters.ml.features import FeatureSchema, feature_list, feature_matrix
from adapters.ml.model import TrainedModel, load_booster
from adapters.ml.scorer import XGBoostScorer
from adapters.ml.training import TrainingConfig, train_model
from adapters.ml.tuning import SearchSpace
from domain.credit.application import ApplicationForm

GOAL = 1.2
SEED = 20261123
FIXED = SearchSpace(
    max_depths=(2,), learning_rates=(0.03,), tree_counts=(700,), blend_weights=(0.5,)
)
Timed = dict[str, Callable[[], object]]


@contextmanager
def _threads(count: int) -> Iterator[None]:
    """`count` threads (0: all cores) for xgboost and for the OpenMP runtime it runs on."""
    with (
        threadpool_limits(limits=count or None, user_api="openmp"),
        xgb.config_context(nthread=count),
    ):
        yield


def _interleaved(calls: Timed, runs: int, warmup: int) -> dict[str, list[float]]:
    """Seconds per call of each, all of them run once per turn in a fresh random order (seeded,
    so a run can be repeated)."""
    names = list(calls)
    samples: dict[str, list[float]] = {name: [] for name in names}
    order = random.Random(SEED)
    for i in range(warmup + runs):
        turn = names[:]
        order.shuffle(turn)
        for name in turn:
            call = calls[name]
            began = time.perf_counter()
            call()
            took = time.perf_counter() - began
            if i >= warmup:
                samples[name].append(took)
    return samples


def _raw(booster: xgb.Booster, rows: NDArray[np.float64]) -> Timed:
    def contribs_only() -> object:
        contributions = booster.predict(xgb.DMatrix(rows, missing=np.nan), pred_contribs=True)
        return 1.0 / (1.0 + np.exp(-contributions.sum(axis=1))), contributions

    def with_predict() -> object:
        pd = booster.inplace_predict(rows, missing=np.nan)
        contributions = booster.predict(xgb.DMatrix(rows, missing=np.nan), pred_contribs=True)
        return pd, contributions

    return {
        "raw xgboost: DMatrix + pred_contribs": contribs_only,
        "raw xgboost: inplace_predict + DMatrix + pred_contribs": with_predict,
    }


def _table(
    title: str,
    samples: dict[str, list[float]],
    *,
    ours: str,
    features: str,
    columns: tuple[
        tuple[str, Callable[[list[float]], float]], tuple[str, Callable[[list[float]], float]]
    ],
    unit: float,
) -> None:
    """Print each row with both figures and their ratios to the faster raw variant."""
    less = f"{ours}, less feature building (paired)"
    samples[less] = [a - b for a, b in zip(samples[ours], samples[features], strict=True)]
    raws = [name for name in samples if name.startswith("raw")]
    (first_name, first), (second_name, second) = columns
    reference = min(raws, key=lambda name: first(samples[name]))
    ref_first, ref_second = first(samples[reference]), second(samples[reference])
    symbol = "µs" if unit == 1e6 else "ms"
    print(f"\n{title}")
    print(
        f"{'what':66} {first_name + ' ' + symbol:>10} {second_name + ' ' + symbol:>10} "
        f"{first_name + '/raw':>9} {second_name + '/raw':>9}"
    )
    for name in [*raws, ours, less, features]:
        a, b = first(samples[name]), second(samples[name])
        label = f"{name} (reference)" if name == reference else name
        ratios = "" if name == features else f" {a / ref_first:9.2f} {b / ref_second:9.2f}"
        print(f"{label:66} {a * unit:10.1f} {b * unit:10.1f}{ratios}")
    for name in (ours, less):
        ratio = first(samples[name]) / ref_first
        verdict = "met" if ratio <= GOAL else "not met"
        print(f"goal {first_name} ours / raw <= {GOAL}: {name}: {ratio:.2f}, {verdict}")


def _p50(values: list[float]) -> float:
    return statistics.median(values)


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def train_on_credit_data(
    forms: Sequence[ApplicationForm], defaulted: Sequence[bool], tuned: bool = False
) -> TrainedModel:
    """The benchmarks' model: the fixed configuration (`FIXED`) unless `tuned`, no
    cross-validation report (it is timed, not judged)."""
    config = TrainingConfig() if tuned else TrainingConfig(search=FIXED)
    model, _ = train_model(forms, defaulted, config, version="benchmark", cross_validation=False)
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--batch-runs", type=int, default=10)
    parser.add_argument("--threads", default="1,0", help="thread counts to run with; 0 = all")
    parser.add_argument("--tuned", action="store_true", help="tune instead of the fixed config")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]

    records = credit_data()
    forms = [r.form for r in records]
    began = time.perf_counter()
    print("training on credit_data ...", file=sys.stderr, flush=True)
    model = train_on_credit_data(forms, [r.defaulted for r in records], args.tuned)
    trained_in = time.perf_counter() - began
    scorer = XGBoostScorer(model)
    booster = load_booster(model.booster)
    schema: FeatureSchema = model.schema
    p = model.params
    print(
        f"model: credit_data ({len(forms):,} applications), {len(schema.names)} features, depth "
        f"{p.max_depth}, learning rate {p.learning_rate}, {p.n_trees} trees, XGBoost share "
        f"{model.blend_weight} (rest WOE scorecard), {model.calibrator.method.value} calibration "
        f"({'tuned' if args.tuned else 'fixed config'}, trained in {trained_in:.0f} s)"
    )
    if model.woe is not None and model.blend_weight < 1.0:
        print(
            f"ours: the blended model, XGBoost averaged in log-odds with the WOE scorecard "
            f"({model.blend_weight:g} / {1 - model.blend_weight:g}): features from forms, xgboost "
            f"pred_contribs, the scorecard's terms, the average, calibration, one ModelScore per "
            f"application; raw xgboost: the XGBoost half alone on the same pre-built rows"
        )
    else:
        print(
            "ours: XGBoost alone: features from forms, xgboost pred_contribs, calibration, one "
            "ModelScore per application; raw xgboost: the same booster on the same pre-built rows"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} logical CPUs, load average {load}; xgboost {xgb.__version__}")

    form = forms[0]
    row = feature_matrix([form], schema)
    batch = [forms[i % len(forms)] for i in range(args.batch)]
    rows = feature_matrix(batch, schema)
    ours_one, ours_batch = "XGBoostScorer.score(form)", "XGBoostScorer.score_batch(forms)"
    features_one = "of which: feature building, feature_list(form)"
    features_batch = f"of which: feature building, feature_matrix({args.batch:,} forms)"
    for threads in thread_counts:
        described = "all cores" if threads == 0 else str(threads)
        with _threads(threads):
            print(f"  single, threads={described} ...", file=sys.stderr, flush=True)
            single = _interleaved(
                {
                    **_raw(booster, row),
                    ours_one: lambda: scorer.score(form),
                    features_one: lambda: feature_list(form, schema),
                },
                runs=args.calls,
                warmup=max(args.calls // 10, 20),
            )
            _table(
                f"one application, score + explain; {args.calls:,} calls after warm-up, "
                f"threads={described}",
                single,
                ours=ours_one,
                features=features_one,
                columns=(("p50", _p50), ("p99", _p99)),
                unit=1e6,
            )
            print(f"  batch, threads={described} ...", file=sys.stderr, flush=True)
            batched = _interleaved(
                {
                    **_raw(booster, rows),
                    ours_batch: lambda: scorer.score_batch(batch),
                    features_batch: lambda: feature_matrix(batch, schema),
                },
                runs=args.batch_runs,
                warmup=1,
            )
            _table(
                f"batch of {args.batch:,} applications, score + explain; "
                f"{args.batch_runs} runs after a warm-up, threads={described}",
                batched,
                ours=ours_batch,
                features=features_batch,
                columns=(("p50", _p50), ("min", min)),
                unit=1e3,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
