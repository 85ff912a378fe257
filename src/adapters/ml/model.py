"""A trained credit model as one storable value, and the one code path that predicts with it.

`TrainedModel` holds everything scoring needs and everything an examiner asks about: the XGBoost
booster (its own binary format, `Booster.save_raw`), the feature schema, the WOE scorecard it may
be averaged with, the calibrator, the hyper-parameters chosen, the cross-validated metrics and a
hash of the training data. It is stored as two files, the booster and a JSON document written by
the one cattrs converter, so nothing is pickled and a stored model can be read without Python.

`LoadedModel` turns the booster bytes into a live booster once and predicts: raw log-odds of
default, exact per-feature contributions (XGBoost's TreeSHAP, `pred_contribs`) and the calibrated
probability. When the model averages XGBoost with the WOE scorecard, both are additive in
log-odds, so the weighted average of their contributions still adds up, with the averaged base
value, to the averaged log-odds: the explanation stays exact.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy as np
import xgboost as xgb
from attrs import field, frozen
from numpy.typing import NDArray

from adapters.ml.calibration import Calibrator
from adapters.ml.evaluation import Metrics
from adapters.ml.features import FeatureSchema
from adapters.ml.woe import WoeScorecard
from adapters.serialization import structure, unstructure
from domain.credit.application import ApplicationForm, form_fingerprint

FORMAT_VERSION = 1
BOOSTER_FILE = "booster.ubj"
DOCUMENT_FILE = "model.json"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@frozen
class XGBParams:
    """The tuned hyper-parameters of the gradient-boosted trees."""

    max_depth: int = 3
    learning_rate: float = 0.05
    n_trees: int = 400
    subsample: float = 0.8
    colsample_bytree: float = 0.8
    min_child_weight: float = 1.0
    reg_lambda: float = 1.0

    def booster_params(self, seed: int) -> dict[str, Any]:
        return {
            "objective": "binary:logistic",
            "tree_method": "hist",
            "max_depth": self.max_depth,
            "eta": self.learning_rate,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "min_child_weight": self.min_child_weight,
            "lambda": self.reg_lambda,
            "seed": seed,
        }


def _check_blend(model: TrainedModel, _attribute: object, weight: float) -> None:
    if not 0.0 <= weight <= 1.0:
        raise ValueError("the blend weight is the share of XGBoost, between 0 and 1")
    if weight < 1.0 and model.woe is None:
        raise ValueError("a model that averages with the WOE scorecard needs the scorecard")


@frozen
class TrainedModel:
    """A versioned credit model; equal after a round trip through `to_bytes`/`from_bytes`."""

    version: str
    booster: bytes = field(repr=False)
    schema: FeatureSchema
    params: XGBParams
    woe: WoeScorecard | None
    calibrator: Calibrator
    training_data_hash: str
    training_rows: int
    seed: int
    metrics: Metrics | None = None
    blend_weight: float = field(default=1.0, validator=_check_blend)

    def to_files(self) -> dict[str, bytes]:
        """The booster in XGBoost's own format and the rest as JSON."""
        document = unstructure(self)
        del document["booster"]
        document["format_version"] = FORMAT_VERSION
        text = json.dumps(document, sort_keys=True, indent=1, allow_nan=False)
        return {BOOSTER_FILE: self.booster, DOCUMENT_FILE: text.encode("utf-8")}

    @classmethod
    def from_files(cls, files: dict[str, bytes]) -> TrainedModel:
        document = json.loads(files[DOCUMENT_FILE].decode("utf-8"))
        version = document.pop("format_version", None)
        if version != FORMAT_VERSION:
            raise ValueError(f"unknown model format version {version!r}")
        return structure({**document, "booster": files[BOOSTER_FILE]}, cls)

    def to_bytes(self) -> bytes:
        """Both files in one zip archive, byte-for-byte the same for the same model."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(self.to_files().items()):
                archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), content)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TrainedModel:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in (BOOSTER_FILE, DOCUMENT_FILE)}
        return cls.from_files(files)


def training_data_hash(forms: Sequence[ApplicationForm], defaulted: Sequence[bool]) -> str:
    """SHA-256 over each form's fingerprint and outcome, in order (folds depend on the order)."""
    return hash_of_fingerprints([form_fingerprint(form) for form in forms], defaulted)


def hash_of_fingerprints(fingerprints: Sequence[str], defaulted: Sequence[bool]) -> str:
    """`training_data_hash` from fingerprints already computed (`form_fingerprint`)."""
    digest = hashlib.sha256()
    for fingerprint, bad in zip(fingerprints, defaulted, strict=True):
        digest.update(f"{fingerprint}:{int(bad)}\n".encode("ascii"))
    return digest.hexdigest()


def load_booster(raw: bytes) -> xgb.Booster:
    booster = xgb.Booster()
    booster.load_model(bytearray(raw))
    return booster


def xgb_contributions(booster: xgb.Booster, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """(rows, features + 1): TreeSHAP contributions to the log-odds; the last column is the bias."""
    data = xgb.DMatrix(matrix, missing=np.nan)
    return np.asarray(booster.predict(data, pred_contribs=True), dtype=np.float64)


@frozen(eq=False)  # arrays have no single truth value
class Explanation:
    """Per row: contributions (rows, features), base value, raw log-odds and calibrated PD."""

    contributions: NDArray[np.float64]
    base_values: NDArray[np.float64]
    margins: NDArray[np.float64]
    probabilities: NDArray[np.float64]


class LoadedModel:
    """A TrainedModel with its booster loaded, ready to predict; loading happens once."""

    def __init__(self, model: TrainedModel) -> None:
        self.model = model
        self.booster = load_booster(model.booster)
        self.width = len(model.schema.names)

    def explain(self, matrix: NDArray[np.float64]) -> Explanation:
        """Everything for rows in the schema's column order (see `features.feature_matrix`)."""
        if matrix.ndim != 2 or matrix.shape[1] != self.width:
            raise ValueError(f"expected rows of {self.width} features")
        raw = xgb_contributions(self.booster, matrix)
        contributions, base = raw[:, :-1], raw[:, -1]
        weight, woe = self.model.blend_weight, self.model.woe
        if woe is not None and weight < 1.0:
            contributions = weight * contributions + (1.0 - weight) * woe.contributions(matrix)
            base = weight * base + (1.0 - weight) * woe.base_value
        margins = base + contributions.sum(axis=1)
        return Explanation(contributions, base, margins, self.model.calibrator.probability(margins))
