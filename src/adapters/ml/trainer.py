"""The `ModelTrainer` port over XGBoost: train, cross-validate, write the report, pack it all.

`XGBoostTrainer.train` runs `training.train_model` (nested cross-validation, then the model on
every row) with the configuration it was built with and the seed it is given, writes the
evaluation report (`report.write_report`) into a temporary folder and reads its files back, so
nothing of a run is left on disk: what to keep is the caller's to store.

The version it names the model (inside the artifact, so every score the model gives names it)
is derived from what determines the model: the training-data hash, the whole configuration
(seed included), the model format and the XGBoost release. Training the same data the same way
again gives the same name, which is how `TrainModel` recognises a retry.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

import xgboost as xgb
from attrs import evolve

from adapters.ml.model import FORMAT_VERSION, training_data_hash
from adapters.ml.report import mean_abs_contributions, write_report
from adapters.ml.training import TrainingConfig, train_model
from adapters.serialization import unstructure
from application.credit.ports import ModelTrainer, TrainedArtifact
from domain.credit.application import ApplicationForm
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.scorecard import ScoreScale

VERSION_PREFIX = "xgb-"


def version_name(data_hash: str, config: TrainingConfig) -> str:
    """`xgb-` and 16 hex digits of a SHA-256 over everything that determines the model."""
    settings = unstructure(config)
    settings["protected"] = sorted(config.protected)
    document = {
        "training_data": data_hash,
        "config": settings,
        "format": FORMAT_VERSION,
        "xgboost": xgb.__version__,
    }
    text = json.dumps(document, sort_keys=True, default=str)
    return VERSION_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class XGBoostTrainer:
    """Trains with one `TrainingConfig` (its seed replaced by the one each call gives)."""

    def __init__(
        self, config: TrainingConfig | None = None, *, scale: ScoreScale = DEFAULT_SCALE
    ) -> None:
        self._config = config or TrainingConfig()
        self._scale = scale

    def train(
        self, forms: Sequence[ApplicationForm], defaulted: Sequence[bool], seed: int
    ) -> TrainedArtifact:
        config = evolve(self._config, seed=seed)
        version = version_name(training_data_hash(forms, defaulted), config)
        model, evaluation = train_model(forms, defaulted, config, version=version)
        if evaluation is None or model.metrics is None:
            raise RuntimeError("train_model returned no cross-validation")
        contributions = mean_abs_contributions(model, forms)
        with tempfile.TemporaryDirectory(prefix="creditdesk-report-") as folder:
            paths = write_report(Path(folder), model, evaluation, contributions, scale=self._scale)
            files = {name: path.read_bytes() for name, path in paths.items()}
        metrics = model.metrics
        return TrainedArtifact(
            model=model.to_bytes(),
            report_files=files,
            metrics=(
                ("auc", metrics.auc),
                ("gini", metrics.gini),
                ("ks", metrics.ks),
                ("brier", metrics.brier),
                ("default_rate", metrics.default_rate),
                ("rows", float(metrics.count)),
            ),
            training_data_hash=model.training_data_hash,
            version=version,
        )


def _conforms() -> ModelTrainer:
    """mypy checks here that XGBoostTrainer satisfies its port."""
    return XGBoostTrainer()
