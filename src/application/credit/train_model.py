"""Train a credit model on the tenant's loan history and register it as a candidate.

The labelled history (every imported loan with a known outcome, or only those of one source)
goes to the `ModelTrainer`; what comes back is stored and recorded:

* The artifact and the report's files go to the object store under content-addressed keys:
  the model under `<tenant>/models/<sha256 of its bytes>.bin`, the report's files together
  under `<tenant>/models/reports/<digest of the whole report>/<file name>`, so the HTML page
  still finds its images by their names. Equal content gets the equal key, so storing again
  (a retry) changes nothing, and a key never comes to name other bytes.
* A `ModelVersion` in stage candidate, with the trainer's metrics and training-data hash, an
  audit event and a `model.trained` message for the reviewers, all in one unit of work. The
  objects are stored first, so a registered version never names a missing object; a failure
  in between leaves only unreferenced objects, which a retry reuses.

Training the same data with the same seed again is a retry: the trainer names the model after
its data, seed and configuration, and when the tenant already has a version by that name, that
version is returned as it is and nothing is stored or registered (`TrainingReport.registered`
says which happened). A candidate decides nothing: promoting it is a separate, four-eyes step
(`application.credit.model_promotions`).

Training needs config:manage: a model decides on people's loans once promoted.
"""

from __future__ import annotations

import enum
import hashlib
import mimetypes
from collections.abc import Callable, Sequence

from attrs import field, frozen, validators

from application.credit.ports import ModelTrainer, TrainedArtifact, UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.snapshots import snapshot
from application.ports import AlreadyExists, Clock, IdGenerator, ObjectStore
from domain.credit.history import is_source_name
from domain.credit.model_registry import ModelStage, ModelVersion
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

DEFAULT_SEED = 20261122
MIN_PER_OUTCOME = 10
REPORT_PAGE = "report.html"
AUDIT_ACTION = "model.trained"
AUDIT_ENTITY = "model_version"
MODEL_CONTENT_TYPE = "application/octet-stream"


class TrainingStage(enum.StrEnum):
    """The steps of one training run, in order, as a progress bar labels them."""

    READING = "reading the loan history"
    TRAINING = "training and evaluating"
    STORING = "storing the artifact and report"
    REGISTERING = "registering the candidate"


#: Called with (the stage starting now, stages done, stages in all); once more at the end with
#: the last stage and done == total.
Progress = Callable[[TrainingStage, int, int], None]


@frozen
class TrainingReport:
    """The version trained (or found already registered), and the history it learnt from."""

    version: ModelVersion
    rows: int
    defaulted: int
    registered: bool


def model_key(tenant_id: str, model: bytes) -> str:
    return f"{tenant_id}/models/{hashlib.sha256(model).hexdigest()}.bin"


def report_keys(tenant_id: str, files: dict[str, bytes]) -> dict[str, str]:
    """File name -> key: one folder per distinct report, named by a digest of all its files."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\n{hashlib.sha256(files[name]).hexdigest()}\n".encode())
    folder = f"{tenant_id}/models/reports/{digest.hexdigest()}"
    return {name: f"{folder}/{name}" for name in files}


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _check_history(defaulted: Sequence[bool], minimum: int, source: str | None) -> None:
    bad = sum(defaulted)
    good = len(defaulted) - bad
    if min(bad, good) >= minimum:
        return
    where = f" of source {source}" if source is not None else ""
    message = (
        f"training needs at least {minimum} defaulted and {minimum} repaid loans{where}; "
        f"the history has {bad} and {good} (import more with `creditdesk data import`)"
    )
    raise ValidationFailed((Problem("source" if source else "history", message),))


@frozen
class TrainModel:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    store: ObjectStore
    trainer: ModelTrainer
    min_per_outcome: int = field(default=MIN_PER_OUTCOME, validator=validators.ge(1))

    def __call__(
        self,
        principal: Principal,
        *,
        source: str | None = None,
        seed: int = DEFAULT_SEED,
        progress: Progress | None = None,
    ) -> TrainingReport:
        """Train on the tenant's labelled history (only `source`'s, if given) and register
        the model as a candidate; returns what was registered, or found registered."""
        authorize(principal, Permission.CONFIG_MANAGE)
        if source is not None and not is_source_name(source):
            message = "must be lowercase letters, digits, _ . or -, at most 64, like credit_data"
            raise ValidationFailed((Problem("source", message),))
        stages = list(TrainingStage)

        def step(stage: TrainingStage) -> None:
            if progress is not None:
                progress(stage, stages.index(stage), len(stages))

        step(TrainingStage.READING)
        with self.uow:
            pairs = self.uow.outcomes.labelled(principal.tenant_id, source)
        forms = [application.form for application, _ in pairs]
        defaulted = [outcome.defaulted for _, outcome in pairs]
        _check_history(defaulted, self.min_per_outcome, source)

        step(TrainingStage.TRAINING)
        artifact = self.trainer.train(forms, defaulted, seed)
        rows, bad = len(defaulted), sum(defaulted)
        with self.uow:
            existing = self.uow.models.get(principal.tenant_id, artifact.version)
        if existing is None:
            step(TrainingStage.STORING)
            candidate = self._store(principal, artifact)
            step(TrainingStage.REGISTERING)
            version = self._register(principal, candidate, source, rows, bad)
            report = TrainingReport(version, rows, bad, registered=version is candidate)
        else:
            report = TrainingReport(existing, rows, bad, registered=False)
        if progress is not None:
            progress(stages[-1], len(stages), len(stages))
        return report

    def _store(self, principal: Principal, artifact: TrainedArtifact) -> ModelVersion:
        """Put the artifact and the report's files; the candidate that names them."""
        tenant_id = principal.tenant_id
        files = dict(artifact.report_files)
        artifact_key = model_key(tenant_id, artifact.model)
        self.store.put(artifact_key, artifact.model, MODEL_CONTENT_TYPE)
        keys = report_keys(tenant_id, files)
        for name in sorted(files):
            self.store.put(keys[name], files[name], _content_type(name))
        return ModelVersion(
            tenant_id=tenant_id,
            version=artifact.version,
            stage=ModelStage.CANDIDATE,
            created_at=self.clock.now(),
            created_by=principal.user_id,
            training_data_hash=artifact.training_data_hash,
            metrics=artifact.metrics,
            artifact_key=artifact_key,
            report_key=keys.get(REPORT_PAGE),
        )

    def _register(
        self, principal: Principal, candidate: ModelVersion, source: str | None, rows: int, bad: int
    ) -> ModelVersion:
        """Record the candidate, or return the version a concurrent run recorded first."""
        with self.uow:
            try:
                self.uow.models.add(candidate)
            except AlreadyExists:
                found = self.uow.models.get(candidate.tenant_id, candidate.version)
                if found is None:
                    raise
                return found
            journal = Journal.of(self.uow, principal, candidate.created_at)
            journal.audit(
                AUDIT_ACTION,
                AUDIT_ENTITY,
                candidate.version,
                new={
                    **snapshot(candidate),
                    "source": source,
                    "training_rows": rows,
                    "training_defaults": bad,
                },
            )
            journal.emit(self.ids, Topic.MODEL_TRAINED, {"version": candidate.version})
            self.uow.commit()
            return candidate
