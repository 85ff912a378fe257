"""A trained credit model as one storable value, and the one code path that predicts with it.

`TrainedModel` holds everything scoring needs and everything an examiner asks about: the XGBoost
booster (its own binary format, `Booster.save_raw`), the feature schema, the WOE scorecard it may
be averaged with, the calibrator, the hyper-parameters chosen, the cross-validated metrics, a
hash of the training data, and each feature's training distribution (`profiles`, which
monitoring compares recent applications with and factor statements place a value in). It is
stored as two files, the booster and a JSON document written by the one cattrs converter, so
nothing is pickled and a stored model can be read without Python.

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
from adapters.ml.one_row import one_row_contributions
from adapters.ml.woe import WoeScorecard
from adapters.serialization import structure, unstructure
from domain.credit.application import ApplicationForm, form_fingerprint
from domain.credit.model_monitoring import FeatureProfile

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
    #: Each feature's training distribution (`profiles.feature_profiles`), in schema order.
    profiles: tuple[FeatureProfile, ...] = ()

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
    return np.asarray(_predicted_contributions(booster, matrix), dtype=np.float64)


def _predicted_contributions(
    booster: xgb.Booster, matrix: NDArray[np.float64]
) -> NDArray[np.float32]:
    """xgboost's own output (float32) for `xgb_contributions`.

    The rows carry no feature names (nor does a booster trained on such rows), so xgboost's
    check that the two sets of names agree has nothing to compare and is skipped.
    """
    data = xgb.DMatrix(matrix, missing=np.nan)
    return booster.predict(data, pred_contribs=True, validate_features=False)


def row_sum(values: Sequence[float]) -> float:
    """`np.add.reduce` of one row of floats, in plain Python, to the last bit.

    numpy sums a row pairwise, from 0.0: fewer than 8 terms one after another; up to 128 in
    eight running sums (every eighth term each) combined as ((s0 + s1) + (s2 + s3)) + ((s4 +
    s5) + (s6 + s7)), then the terms left over one by one; more than 128 as two parts (the
    first a multiple of 8 long) summed so and added. A Hypothesis test holds the two equal.
    """
    return 0.0 + _pairwise(values)


def _pairwise(values: Sequence[float]) -> float:
    n = len(values)
    if n < 8:
        total = 0.0
        for value in values:
            total += value
        return total
    if n <= 128:
        s0, s1, s2, s3, s4, s5, s6, s7 = values[:8]
        end = n - n % 8
        for i in range(8, end, 8):
            s0 += values[i]
            s1 += values[i + 1]
            s2 += values[i + 2]
            s3 += values[i + 3]
            s4 += values[i + 4]
            s5 += values[i + 5]
            s6 += values[i + 6]
            s7 += values[i + 7]
        total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
        for i in range(end, n):
            total += values[i]
        return total
    half = n // 2
    half -= half % 8
    return _pairwise(values[:half]) + _pairwise(values[half:])


@frozen(eq=False)  # arrays have no single truth value
class Explanation:
    """Per row: contributions (rows, features), base value, raw log-odds and calibrated PD."""

    contributions: NDArray[np.float64]
    base_values: NDArray[np.float64]
    margins: NDArray[np.float64]
    probabilities: NDArray[np.float64]


class LoadedModel:
    """A TrainedModel with its booster loaded, ready to predict; loading happens once.

    Whatever does not depend on the rows (the blend's weights, the scorecard's base value and
    its lookup table) is worked out here, once, so a request pays only for its own rows; and a
    single application has its own path (`explain_one`, `explain_values`). The arithmetic is
    the plain formula's, operation for operation, so the numbers are identical whichever way
    they are computed.
    """

    def __init__(self, model: TrainedModel) -> None:
        self.model = model
        self.booster = load_booster(model.booster)
        if self.booster.feature_names is not None:  # `xgb_contributions` relies on it
            raise ValueError("the booster names its features, but the model's rows carry none")
        self.width = len(model.schema.names)
        self._calibrator = model.calibrator
        self._weight = model.blend_weight
        self._woe_weight = 1.0 - model.blend_weight
        self._woe: WoeScorecard | None = None
        self._woe_base = 0.0
        if model.woe is not None and model.blend_weight < 1.0:
            self._woe = model.woe
            self._woe_base = self._woe_weight * model.woe.base_value
            _ = model.woe.table  # build the scorecard's lookup now, not on the first request

    def explain(self, matrix: NDArray[np.float64]) -> Explanation:
        """Everything for rows in the schema's column order (see `features.feature_matrix`)."""
        if matrix.ndim != 2 or matrix.shape[1] != self.width:
            raise ValueError(f"expected rows of {self.width} features")
        # The scorecard first: it is cheap, and a numpy or Python step right after xgboost's
        # C++ (which leaves the CPU caches cold) costs several times what it costs here.
        woe = self._woe.contributions(matrix) if self._woe is not None else None
        raw = xgb_contributions(self.booster, matrix)
        contributions, base = raw[:, :-1], raw[:, -1]
        if woe is not None:
            # weight * xgboost + (1 - weight) * scorecard, for the terms and the base value
            contributions = self._weight * contributions + self._woe_weight * woe
            base = self._weight * base + self._woe_base
        margins = base + np.add.reduce(contributions, axis=1)  # `.sum(axis=1)`, minus a wrapper
        return Explanation(contributions, base, margins, self._calibrator.probability(margins))

    def explain_one(self, matrix: NDArray[np.float64]) -> tuple[list[float], float, float]:
        """`explain` for a single row, as Python floats: contributions, base value and PD."""
        if matrix.shape != (1, self.width):
            raise ValueError(f"expected one row of {self.width} features")
        return self._explained(matrix.tolist()[0], matrix)

    def explain_values(self, values: Sequence[float]) -> tuple[list[float], float, float]:
        """`explain_one` of a row given as Python floats (`features.feature_list`)."""
        if len(values) != self.width:
            raise ValueError(f"expected one row of {self.width} features")
        return self._explained(values, np.array([values], dtype=np.float64))

    def _explained(
        self, values: Sequence[float], matrix: NDArray[np.float64]
    ) -> tuple[list[float], float, float]:
        """The same numbers as `explain` (a test holds the two equal), for one row: for one
        application a numpy call per step costs more than the step, so the arithmetic is plain
        Python, step for step the same: the blend's products and sums, numpy's own order of
        summation (`row_sum`), the calibrator's scalar path (`Calibrator.probability_of`).
        """
        # The scorecard first, as in `explain`: right after xgboost's C++ a step costs more.
        woe = self._woe.table.row(values) if self._woe is not None else None
        contributions = one_row_contributions(self.booster, matrix)
        base = contributions.pop()  # the last column is the bias
        if woe is not None:
            weight, woe_weight = self._weight, self._woe_weight
            contributions = [
                weight * xgb_term + woe_weight * woe_term
                for xgb_term, woe_term in zip(contributions, woe, strict=True)
            ]
            base = weight * base + self._woe_base
        return contributions, base, self._calibrator.probability_of(base + row_sum(contributions))
