"""Registered model versions as live models: the `ModelLoader` and `ServingModel` ports.

`ArtifactModelLoader` reads a version's artifact from the object store, checks it is the model
the registry says it is, and keeps it loaded: artifacts are content-addressed and never change,
so a model is read and its booster built once per process, whichever use case asks first. A
promotion changes which version the registry names as champion; the next scoring asks for that
version and loads it then, so no message has to reach every worker to switch models.

`ServedXGBoostModel` is the XGBoost scorer plus what the serving surface, the factor statements
and monitoring read from a model: its feature names, the importance of each, what it reads from
a form (with each number's percentile among the applicants it was trained on) and each
feature's training profile.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence

from adapters.ml.features import feature_matrix, feature_row
from adapters.ml.model import TrainedModel
from adapters.ml.scorer import XGBoostScorer
from application.credit.ports import ModelLoader, ServingModel
from application.errors import ModelUnavailable
from application.ports import ApplicationError, ObjectStore
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.factors import FeatureReading
from domain.credit.model_monitoring import FeatureProfile
from domain.credit.model_registry import ModelVersion
from domain.credit.scorecard import ScoreScale
from domain.credit.scoring import ModelScore


class ServedXGBoostModel:
    """One trained model, loaded, behind `ServingModel` (and so `Scorer`)."""

    def __init__(self, model: TrainedModel, scale: ScoreScale = DEFAULT_SCALE) -> None:
        self._model = model
        self._scorer = XGBoostScorer(model, scale)
        self._names = model.schema.names
        self._categories = {c.name: c.categories for c in model.schema.categorical}
        by_name = {p.feature: p for p in model.profiles}
        self._profiles = tuple(by_name[n] for n in self._names if n in by_name)
        self._profile_of = by_name

    @property
    def model_version(self) -> str:
        return self._scorer.model_version

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self._names

    def score(self, form: ApplicationForm) -> ModelScore:
        return self._scorer.score(form)

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        return self._scorer.score_batch(forms)

    def feature_importance(self) -> dict[str, float]:
        """Each feature's share of the trees' total gain."""
        gains = self._scorer.feature_importance()
        total = math.fsum(gains.values())
        return {name: (gain / total if total > 0 else 0.0) for name, gain in gains.items()}

    def readings(self, form: ApplicationForm) -> dict[str, FeatureReading]:
        row = feature_row(form, self._model.schema).tolist()
        readings: dict[str, FeatureReading] = {}
        for name, value in zip(self._names, row, strict=True):
            if math.isnan(value):
                readings[name] = FeatureReading(None)
            elif name in self._categories:
                category = self._categories[name][int(value)]
                readings[name] = FeatureReading(value, category=category)
            else:
                profile = self._profile_of.get(name)
                percentile = profile.percentile(value) if profile is not None else None
                readings[name] = FeatureReading(value, percentile=percentile)
        return readings

    def profiles(self) -> tuple[FeatureProfile, ...]:
        return self._profiles

    def columns(self, forms: Sequence[ApplicationForm]) -> dict[str, list[float]]:
        matrix = feature_matrix(forms, self._model.schema)
        return {name: matrix[:, j].tolist() for j, name in enumerate(self._names)}


class ArtifactModelLoader:
    """Loads versions from the object store, once each; safe to share between threads."""

    def __init__(self, store: ObjectStore, scale: ScoreScale = DEFAULT_SCALE) -> None:
        self._store = store
        self._scale = scale
        self._loaded: dict[str, ServedXGBoostModel] = {}
        self._lock = threading.Lock()

    def load(self, version: ModelVersion) -> ServedXGBoostModel:
        key = version.artifact_key
        with self._lock:
            served = self._loaded.get(key)
            if served is None:
                served = ServedXGBoostModel(self._read(version), self._scale)
                self._loaded[key] = served
        if served.model_version != version.version:
            raise ModelUnavailable(
                version.version, f"its artifact holds model {served.model_version}"
            )
        return served

    @property
    def loaded(self) -> int:
        """How many artifacts this loader holds (each read once)."""
        return len(self._loaded)

    def _read(self, version: ModelVersion) -> TrainedModel:
        try:
            data = self._store.get(version.artifact_key)
        except ApplicationError as error:
            raise ModelUnavailable(version.version, str(error)) from error
        try:
            return TrainedModel.from_bytes(data)
        except Exception as error:  # whatever fails to parse is unreadable
            raise ModelUnavailable(version.version, "its artifact is not a readable model") from (
                error
            )


def _conforms(store: ObjectStore) -> tuple[ModelLoader, ServingModel]:
    """mypy checks here that the adapters satisfy their ports."""
    loader = ArtifactModelLoader(store)
    return loader, ServedXGBoostModel.__new__(ServedXGBoostModel)
