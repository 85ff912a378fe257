"""A form scored in a batch gets exactly what it gets scored alone, whatever the batch holds.

`score_batch` encodes a large batch column by column (`feature_columns`), predicts in numpy
and builds its results in C (`named_rows`), with only young collections of its own meanwhile
(`built_with_young_collections`); `score` takes one form through plain Python. Hypothesis
picks the forms, odd amounts, rates, terms and attributes included, and mixes them into
batches large enough for the column path: every row must carry the same probability, score,
contributions, base value, and so the same adverse-action reasons, as its form scored alone.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.ml.features import ROWS_BUILT_ONE_BY_ONE
from adapters.ml.model import TrainedModel
from adapters.ml.scorer import XGBoostScorer, built_with_young_collections, named_rows
from domain.credit.application import ApplicationForm
from domain.credit.reasons import DEFAULT_REASON_CODES, adverse_action_reasons
from domain.credit.scoring import ModelScore
from tests.unit.ml.conftest import History
from tests.unit.ml.test_feature_columns import ORDINARY_AMOUNTS, ORDINARY_RATES
from tests.unit.ml.test_feature_columns import forms as drawn_forms


def bits(value: float) -> str:
    """A float as stored: -0.0 is not 0.0."""
    return "nan" if math.isnan(value) else value.hex()


def assert_the_same_score(batched: ModelScore, alone: ModelScore) -> None:
    assert batched.model_version == alone.model_version
    assert bits(batched.probability_of_default) == bits(alone.probability_of_default)
    assert bits(batched.score) == bits(alone.score)
    assert bits(batched.base_value) == bits(alone.base_value)
    assert [(n, bits(v)) for n, v in batched.contributions] == [
        (n, bits(v)) for n, v in alone.contributions
    ]
    assert adverse_action_reasons(
        batched.contribution_map(), DEFAULT_REASON_CODES
    ) == adverse_action_reasons(alone.contribution_map(), DEFAULT_REASON_CODES)
    assert batched == alone


ANY_FORMS = st.lists(
    drawn_forms() | drawn_forms(amounts=ORDINARY_AMOUNTS, rates=ORDINARY_RATES),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(drawn=ANY_FORMS, at=st.integers(min_value=0, max_value=ROWS_BUILT_ONE_BY_ONE))
def test_every_row_of_a_batch_is_its_form_scored_alone(
    blended_model: TrainedModel, history: History, drawn: list[ApplicationForm], at: int
) -> None:
    scorer = XGBoostScorer(blended_model)
    ordinary = history[0][: ROWS_BUILT_ONE_BY_ONE + 1]  # enough for the column path
    batch = [*ordinary[:at], *drawn, *ordinary[at:]]
    scores = scorer.score_batch(batch)
    assert len(scores) == len(batch)
    for form, batched in zip(batch, scores, strict=True):
        assert_the_same_score(batched, scorer.score(form))


@pytest.mark.parametrize("model_name", ["blended_model", "xgb_model"])
def test_a_large_batch_gives_each_form_its_own_score(
    model_name: str, request: pytest.FixtureRequest, history: History
) -> None:
    model: TrainedModel = request.getfixturevalue(model_name)
    forms, _ = history
    scorer = XGBoostScorer(model)
    scores = scorer.score_batch(forms)
    assert len({s.probability_of_default for s in scores}) > 1  # not one row repeated
    for form, batched in zip(forms, scores, strict=True):
        assert_the_same_score(batched, scorer.score(form))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.integers(min_value=0, max_value=30),
    width=st.integers(min_value=0, max_value=30),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_named_rows_pairs_each_value_with_its_column_s_name(
    rows: int, width: int, seed: int
) -> None:
    values = np.random.default_rng(seed).normal(size=(rows, width))
    values[values > 1.5] = -0.0
    names = tuple(f"column_{j}" for j in range(width))
    expected = [tuple(zip(names, row, strict=True)) for row in values.tolist()]
    built = list(named_rows(names, values))
    assert built == expected
    assert [[bits(v) for _, v in row] for row in built] == [
        [bits(v) for _, v in row] for row in expected
    ]
    assert all(type(v) is float for row in built for _, v in row)


def test_named_rows_refuses_names_that_do_not_fit_the_columns() -> None:
    with pytest.raises(ValueError, match="rows of 2 values"):
        named_rows(("a", "b"), np.zeros((4, 3)))


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each collection started while the test runs; the collector's state
    is restored afterwards."""
    was = gc.isenabled()
    started: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        yield started
    finally:
        gc.callbacks.remove(seen)
        (gc.enable if was else gc.disable)()


def new_tuples(count: int) -> Iterator[tuple[str, float]]:
    return ((str(i), float(i)) for i in range(count))


@pytest.mark.parametrize("count", [0, 499, 500, 2_300])
def test_a_build_collects_only_the_young_generation_every_few_hundred_results(
    collections: list[int], count: int
) -> None:
    gc.enable()
    built = built_with_young_collections(new_tuples(count), rows_per_collection=500)
    during = collections.copy()
    assert during == [0] * (count // 500)  # ours, one per 500 results, and nothing older
    assert built == list(new_tuples(count))
    assert gc.isenabled()


def test_left_to_itself_the_collector_would_have_collected_older_generations(
    collections: list[int],
) -> None:
    """What the build spares: the same tuples made in the open start collections of gen 1."""
    gc.enable()
    kept = list(new_tuples(50_000))
    assert len(kept) == 50_000
    assert 1 in collections


def test_a_disabled_collector_stays_disabled_and_collects_nothing(
    collections: list[int],
) -> None:
    gc.disable()
    assert len(built_with_young_collections(new_tuples(5_000), 100)) == 5_000
    assert collections == []
    assert not gc.isenabled()


def test_the_collector_is_enabled_again_when_the_build_fails(collections: list[int]) -> None:
    def failing() -> Iterator[int]:
        yield from range(1_000)
        assert not gc.isenabled()  # held off while building
        raise RuntimeError("broken row")

    gc.enable()
    with pytest.raises(RuntimeError, match="broken row"):
        built_with_young_collections(failing(), 300)
    assert gc.isenabled()
    with pytest.raises(ValueError, match="at least 1"):
        built_with_young_collections([], 0)
