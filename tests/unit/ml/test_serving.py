"""Registered versions as live models: loaded once, checked, and able to describe themselves."""

from __future__ import annotations

import json
import math
import threading

import numpy as np
import pytest
from attrs import evolve

from adapters.ml.features import feature_matrix
from adapters.ml.model import DOCUMENT_FILE, TrainedModel
from adapters.ml.scorer import XGBoostScorer
from adapters.ml.serving import ArtifactModelLoader, ServedXGBoostModel
from application.errors import ModelUnavailable
from domain.credit.model_registry import ModelVersion
from tests.builders import a_model_version
from tests.fakes import InMemoryObjectStore
from tests.unit.ml.conftest import History


class CountingStore(InMemoryObjectStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get(self, key: str) -> bytes:
        self.reads += 1
        return super().get(key)


def _registered(store: InMemoryObjectStore, model: TrainedModel) -> ModelVersion:
    version = a_model_version(model.version)
    store.put(version.artifact_key, model.to_bytes(), "application/zip")
    return version


def test_a_version_is_read_once_and_served_to_every_caller(xgb_model: TrainedModel) -> None:
    store = CountingStore()
    version = _registered(store, xgb_model)
    loader = ArtifactModelLoader(store)

    served = [loader.load(version) for _ in range(5)]

    assert store.reads == 1
    assert all(s is served[0] for s in served)
    assert served[0].model_version == xgb_model.version


def test_threads_racing_for_one_version_share_one_load(xgb_model: TrainedModel) -> None:
    store = CountingStore()
    version = _registered(store, xgb_model)
    loader = ArtifactModelLoader(store)
    got: list[ServedXGBoostModel] = []

    threads = [threading.Thread(target=lambda: got.append(loader.load(version))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert store.reads == 1
    assert len({id(s) for s in got}) == 1


def test_a_missing_corrupt_or_mislabelled_artifact_is_unavailable(
    xgb_model: TrainedModel,
) -> None:
    store = InMemoryObjectStore()
    loader = ArtifactModelLoader(store)
    with pytest.raises(ModelUnavailable, match="no object under"):
        loader.load(a_model_version("xgb-missing"))
    corrupt = a_model_version("xgb-corrupt")
    store.put(corrupt.artifact_key, b"PK\x03\x04 not a zip at all", "application/zip")
    with pytest.raises(ModelUnavailable, match="not a readable model"):
        loader.load(corrupt)
    mislabelled = evolve(_registered(store, xgb_model), version="xgb-other")
    with pytest.raises(ModelUnavailable, match=f"holds model {xgb_model.version}"):
        loader.load(mislabelled)


def test_a_served_model_scores_exactly_as_the_scorer(
    xgb_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    served = ServedXGBoostModel(xgb_model)
    assert served.score_batch(forms[:20]) == XGBoostScorer(xgb_model).score_batch(forms[:20])
    assert served.score(forms[0]) == XGBoostScorer(xgb_model).score(forms[0])


def test_importance_is_a_share_of_the_total_gain(xgb_model: TrainedModel) -> None:
    importance = ServedXGBoostModel(xgb_model).feature_importance()
    gains = XGBoostScorer(xgb_model).feature_importance()
    assert set(importance) == set(xgb_model.schema.names)
    assert math.fsum(importance.values()) == pytest.approx(1.0)
    total = math.fsum(gains.values())
    for name, share in importance.items():
        assert share == pytest.approx(gains[name] / total)


def test_profiles_come_from_training_and_columns_read_as_scoring_does(
    xgb_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    served = ServedXGBoostModel(xgb_model)
    matrix = feature_matrix(forms, xgb_model.schema)
    profiles = served.profiles()
    assert [p.feature for p in profiles] == list(xgb_model.schema.names)
    for j, profile in enumerate(profiles):
        present = matrix[:, j][~np.isnan(matrix[:, j])]
        assert profile.missing_rate == pytest.approx(1 - present.size / len(forms))
        if present.size:
            assert profile.quantiles[0] == present.min()
            assert profile.quantiles[-1] == present.max()
    columns = served.columns(forms[:30])
    assert list(columns) == list(xgb_model.schema.names)
    np.testing.assert_array_equal(
        np.array([columns[n] for n in xgb_model.schema.names]).T, matrix[:30]
    )


def test_readings_name_categories_and_place_numbers_among_training(
    xgb_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    served = ServedXGBoostModel(xgb_model)
    form = forms[3]
    readings = served.readings(form)
    row = feature_matrix([form], xgb_model.schema)[0]
    categorical = {c.name: c for c in xgb_model.schema.categorical}
    profile_of = {p.feature: p for p in served.profiles()}
    assert list(readings) == list(xgb_model.schema.names)
    for name, value in zip(xgb_model.schema.names, row.tolist(), strict=True):
        reading = readings[name]
        if math.isnan(value):
            assert reading.value is None
        elif name in categorical:
            assert reading.category == categorical[name].categories[int(value)]
            assert reading.percentile is None
        else:
            assert reading.value == value
            assert reading.percentile == profile_of[name].percentile(value)
    assert any(r.category is not None for r in readings.values())


def test_a_model_stored_before_profiles_existed_still_serves(
    xgb_model: TrainedModel, history: History
) -> None:
    forms, _ = history
    files = xgb_model.to_files()
    document = json.loads(files[DOCUMENT_FILE])
    del document["profiles"]  # as written before models kept their training profiles
    files[DOCUMENT_FILE] = json.dumps(document).encode("utf-8")
    served = ServedXGBoostModel(TrainedModel.from_files(files))
    assert served.profiles() == ()
    assert all(r.percentile is None for r in served.readings(forms[0]).values())
    assert served.score(forms[0]) == ServedXGBoostModel(xgb_model).score(forms[0])
