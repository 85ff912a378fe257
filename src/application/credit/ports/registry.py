"""The model registry's ports: where model versions are recorded, and what trains a model.

A `ModelVersion` (see `domain.credit.model_registry`) is the record of one trained model: its
stage, its metrics, the hash of the data it learnt from and the object-store keys of its
artifact and report. The bytes themselves live in the `ObjectStore`; the registry holds only
the record, so it is small, transactional, and joins the unit of work like every other table.

Training is a port too (`ModelTrainer`), so use cases stay free of numerical libraries and a
unit test trains in no time with a fake that returns fixed bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Protocol

from attrs import field, frozen

from domain.credit.application import ApplicationForm
from domain.credit.model_registry import ModelVersion

#: The longest version name the registry stores (an id column).
MAX_VERSION_LENGTH = 64


class ModelRegistry(Protocol):
    """The tenant's model versions, one per (tenant, version), and at most one champion each."""

    def add(self, version: ModelVersion) -> None:
        """Record a new version; `AlreadyExists` if the tenant has one by that name, or if it
        is a champion and the tenant already has one."""
        ...

    def get(self, tenant_id: str, version: str) -> ModelVersion | None:
        """The tenant's version by that name, or None."""
        ...

    def update(self, version: ModelVersion) -> None:
        """Replace the stored version (a promotion requested, approved or rejected).

        `RecordNotFound` if the tenant has no version by that name; `AlreadyExists` if it
        would make a second champion (retire the old one first, in the same unit of work).
        """
        ...

    def champion(self, tenant_id: str) -> ModelVersion | None:
        """The version whose scores route the tenant's applications, or None."""
        ...

    def challengers(self, tenant_id: str) -> list[ModelVersion]:
        """The versions scoring in shadow, in the order of `list`."""
        ...

    def list(self, tenant_id: str) -> list[ModelVersion]:
        """Every version of the tenant, newest `created_at` first (ties: greater name first)."""
        ...


def _copy_files(files: Mapping[str, bytes]) -> Mapping[str, bytes]:
    return MappingProxyType(dict(files))


def _check_metrics(
    _instance: object, _attribute: object, metrics: tuple[tuple[str, float], ...]
) -> None:
    for name, value in metrics:
        if not math.isfinite(value):
            raise ValueError(f"metric {name} is {value}: a stored metric is a finite number")


def _check_version(_instance: object, _attribute: object, version: str) -> None:
    if not version.strip() or len(version) > MAX_VERSION_LENGTH:
        raise ValueError(f"a model version is a name of 1 to {MAX_VERSION_LENGTH} characters")


@frozen
class TrainedArtifact:
    """What one training run produced, ready to store and register.

    `model` is the artifact (the scorer loads it back); `report_files` are the evaluation
    report's files by name (an HTML page and the images it links to by those names); `metrics`
    are cross-validated (name, value) pairs such as ("auc", 0.79); `training_data_hash`
    identifies the rows and outcomes trained on, in order. `version` is the name the trainer
    gave the model inside the artifact (every score it gives names it), which the registry
    records it under: the trainer derives it from the data, the seed and its configuration,
    so the same training repeated gives the same name.
    """

    model: bytes = field(repr=False)
    report_files: Mapping[str, bytes] = field(converter=_copy_files, repr=False)
    metrics: tuple[tuple[str, float], ...] = field(validator=_check_metrics)
    training_data_hash: str
    version: str = field(validator=_check_version)


class ModelTrainer(Protocol):
    """Trains a credit model on labelled forms and evaluates it (XGBoost in production)."""

    def train(
        self, forms: Sequence[ApplicationForm], defaulted: Sequence[bool], seed: int
    ) -> TrainedArtifact:
        """Train on `forms` with their outcomes (`defaulted[i]` belongs to `forms[i]`).

        Deterministic for the same forms, outcomes and seed. Raises `ValueError` when the data
        cannot be trained on (too few rows of either outcome for the trainer's folds).
        """
        ...
