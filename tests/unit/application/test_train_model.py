"""Training a model: what reaches the trainer, what is stored where, and what is registered."""

from __future__ import annotations

import hashlib

import pytest
from attrs import evolve

from application.credit.train_model import (
    AUDIT_ACTION,
    DEFAULT_SEED,
    TrainingStage,
    model_key,
    report_keys,
)
from application.ports import StoredObject
from domain.audit_verification import verify_chain
from domain.credit.model_registry import ModelStage
from domain.errors import PermissionDenied, ValidationFailed
from tests.builders import NOW, OTHER_TENANT, TENANT, a_principal, a_tenant
from tests.fakes import FakeTrainer, InMemoryObjectStore, InMemoryUnitOfWork
from tests.unit.application.model_desk import ADMIN, MIN_PER_OUTCOME, SENIOR, ModelDesk

TRAINED = "model.trained"


@pytest.fixture
def desk() -> ModelDesk:
    return ModelDesk()


def test_a_trained_model_is_stored_by_content_and_registered_as_a_candidate(
    desk: ModelDesk,
) -> None:
    desk.history(12)

    report = desk.train(ADMIN)

    version = report.version
    (external_ids, defaulted, seed) = desk.trainer.calls[0]
    assert (report.rows, report.defaulted, report.registered) == (12, 4, True)
    assert len(external_ids) == 12
    assert sum(defaulted) == 4
    assert seed == DEFAULT_SEED
    assert version.stage is ModelStage.CANDIDATE
    assert (version.created_by, version.created_at) == (ADMIN.user_id, NOW)
    assert version.metrics == FakeTrainer.METRICS
    assert version.pending_promotion is None
    assert version.approved_by is None
    assert desk.model(version.version) == version
    # The artifact under the SHA-256 of its bytes, the report's files side by side.
    model = desk.store.get(version.artifact_key)
    assert version.artifact_key == f"{TENANT}/models/{hashlib.sha256(model).hexdigest()}.bin"
    assert model == b"fake model " + version.version.encode()
    assert version.report_key is not None
    folder = version.report_key.removesuffix("/report.html")
    assert desk.store.keys(f"{TENANT}/models/reports/") == [
        f"{folder}/report.html",
        f"{folder}/roc.png",
    ]
    for name, content in FakeTrainer.REPORT_FILES.items():
        assert desk.store.get(f"{folder}/{name}") == content


def test_training_writes_an_audit_event_and_tells_the_reviewers(desk: ModelDesk) -> None:
    desk.history(9, source="german_credit")

    version = desk.train(ADMIN, source="german_credit").version

    event = desk.events()[-1]
    assert (event.action, event.entity_id, event.actor) == (
        AUDIT_ACTION,
        version.version,
        "user-adm",
    )
    assert event.new is not None
    assert event.new["training_data_hash"] == version.training_data_hash
    assert (event.new["source"], event.new["training_rows"]) == ("german_credit", 9)
    assert verify_chain(desk.events()).ok
    message = desk.messages()[-1]
    assert (message.topic, message.payload) == (TRAINED, {"version": version.version})


def test_only_the_named_source_is_trained_on(desk: ModelDesk) -> None:
    desk.history(9, source="credit_data", prefix="C")
    desk.history(12, source="german_credit", prefix="G")

    report = desk.train(ADMIN, source="german_credit")

    external_ids = desk.trainer.calls[0][0]
    assert report.rows == 12
    assert {e.split("-")[0] for e in external_ids} == {"G"}
    desk.train(ADMIN)
    assert len(desk.trainer.calls[1][0]) == 21  # every source, without one named


def test_training_the_same_data_again_returns_the_registered_version(desk: ModelDesk) -> None:
    desk.history(9)
    first = desk.train(ADMIN)
    before = desk.stored()

    again = desk.train(ADMIN)

    assert again.version == first.version
    assert not again.registered
    assert desk.stored() == before  # no second candidate, event or message
    other_seed = desk.train(ADMIN, seed=7)
    assert other_seed.registered
    assert other_seed.version.version != first.version.version
    assert [v.version for v in desk.list_models(ADMIN)] == sorted(
        [first.version.version, other_seed.version.version], reverse=True
    )


def test_a_version_registered_while_training_is_returned_not_duplicated(desk: ModelDesk) -> None:
    """Two runs of the same training at once: the one that registers second finds the first's."""
    desk.history(9)
    rival = ModelDesk()
    rival.db, rival.uow = desk.db, InMemoryUnitOfWork(desk.db)
    rival_train = evolve(desk.train, uow=rival.uow, ids=rival.ids, store=rival.store)

    class RacingStore(InMemoryObjectStore):
        """Lets the rival finish while this run stores its artifact."""

        def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
            if not self.keys(""):
                rival_train(ADMIN)
            return super().put(key, data, content_type)

    racing = evolve(desk.train, store=RacingStore())

    report = racing(ADMIN)

    assert not report.registered
    assert report.version == desk.model(report.version.version)
    assert [e.action for e in desk.events()].count(AUDIT_ACTION) == 1


def test_too_little_history_of_either_outcome_is_refused_before_training(
    desk: ModelDesk,
) -> None:
    desk.history(3 * MIN_PER_OUTCOME - 1)  # one defaulted loan short
    before = desk.stored()

    with pytest.raises(ValidationFailed) as refused:
        desk.train(ADMIN)

    assert "at least 3 defaulted and 3 repaid" in str(refused.value)
    with pytest.raises(ValidationFailed):
        desk.train(ADMIN, source="servicing")  # no loans of that source at all
    assert desk.trainer.calls == []
    assert desk.stored() == before
    assert desk.store.keys("") == []


def test_another_tenants_history_is_never_trained_on(desk: ModelDesk) -> None:
    desk.history(12)
    with desk.uow:
        desk.uow.tenants.add(a_tenant(id=OTHER_TENANT, slug=OTHER_TENANT))
        desk.uow.commit()
    outsider = a_principal(ADMIN.role, user_id="user-out", tenant_id=OTHER_TENANT)

    with pytest.raises(ValidationFailed):
        desk.train(outsider)

    assert desk.trainer.calls == []


def test_a_malformed_source_name_is_refused(desk: ModelDesk) -> None:
    with pytest.raises(ValidationFailed) as refused:
        desk.train(ADMIN, source="Credit Data")
    assert refused.value.problems[0].path == "source"


def test_training_needs_config_manage(desk: ModelDesk) -> None:
    desk.history(9)
    with pytest.raises(PermissionDenied):
        desk.train(SENIOR)
    assert desk.trainer.calls == []


def test_a_failed_training_registers_and_stores_nothing(desk: ModelDesk) -> None:
    desk.history(9)
    desk.trainer.error = ValueError("the folds need more rows")
    before = desk.stored()

    with pytest.raises(ValueError, match="folds"):
        desk.train(ADMIN)

    assert desk.stored() == before
    assert desk.store.keys("") == []


def test_progress_names_each_stage_in_order(desk: ModelDesk) -> None:
    desk.history(9)
    seen: list[tuple[TrainingStage, int, int]] = []

    desk.train(ADMIN, progress=lambda stage, done, total: seen.append((stage, done, total)))

    stages = list(TrainingStage)
    assert seen == [*((s, i, 4) for i, s in enumerate(stages)), (stages[-1], 4, 4)]
    seen.clear()
    desk.train(ADMIN, progress=lambda stage, done, total: seen.append((stage, done, total)))
    # A retry skips storing and registering, and still ends at done == total.
    assert seen == [(stages[0], 0, 4), (stages[1], 1, 4), (stages[-1], 4, 4)]


def test_keys_depend_on_content_only() -> None:
    files = {"report.html": b"<html/>", "roc.png": b"png"}
    keys = report_keys(TENANT, files)
    assert keys == report_keys(TENANT, dict(reversed(files.items())))
    assert keys != report_keys(TENANT, {**files, "roc.png": b"other png"})
    assert keys != report_keys(OTHER_TENANT, files)
    assert model_key(TENANT, b"a") != model_key(TENANT, b"b")
    assert model_key(TENANT, b"a") == model_key(TENANT, b"a")
