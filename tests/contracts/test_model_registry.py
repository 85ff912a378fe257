"""The contract of `ModelRegistry`: every implementation (tests/contracts/conftest.py) passes it,
the fake and the SQL adapter on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.model_registry import ModelStage
from tests.builders import NOW, OTHER_TENANT, TENANT, a_model_version
from tests.contracts.parents import with_tenants

Stage = ModelStage


def test_an_added_version_comes_back_exactly(uow: UnitOfWork) -> None:
    # An offset other than UTC and an open request: everything must survive the round trip.
    belgrade = timezone(timedelta(hours=1))
    version = a_model_version(
        "xgb-1",
        stage=Stage.CHALLENGER,
        created_at=datetime(2026, 11, 22, 10, 30, tzinfo=belgrade),
        pending=Stage.CHAMPION,
        approved_by="user-adm2",
    )
    with uow:
        with_tenants(uow, TENANT)
        uow.models.add(version)
        uow.commit()

    with uow:
        found = uow.models.get(TENANT, "xgb-1")
        assert found == version
        assert found is not None
        assert found.created_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert found.metric("auc") == 0.81
        assert uow.models.get(TENANT, "xgb-2") is None


def test_another_tenant_never_sees_a_version(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.models.add(a_model_version("xgb-1", stage=Stage.CHAMPION))
        uow.models.add(a_model_version("xgb-2", stage=Stage.CHALLENGER))
        uow.commit()

    with uow:
        assert uow.models.get(OTHER_TENANT, "xgb-1") is None
        assert uow.models.list(OTHER_TENANT) == []
        assert uow.models.champion(OTHER_TENANT) is None
        assert uow.models.challengers(OTHER_TENANT) == []


def test_a_name_is_taken_once_per_tenant(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.models.add(a_model_version("xgb-1"))
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.models.add(a_model_version("xgb-1", stage=Stage.RETIRED))
        uow.models.add(a_model_version("xgb-1", tenant_id=OTHER_TENANT))  # still usable
        uow.commit()

    with uow:
        assert uow.models.get(TENANT, "xgb-1") == a_model_version("xgb-1")
        assert uow.models.get(OTHER_TENANT, "xgb-1") == a_model_version(
            "xgb-1", tenant_id=OTHER_TENANT
        )


def test_update_replaces_the_stored_version(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        uow.models.add(a_model_version("xgb-1"))
        uow.commit()
    promoted = a_model_version("xgb-1", stage=Stage.CHALLENGER, approved_by="user-adm2")

    with uow:
        uow.models.update(promoted)
        uow.commit()

    with uow:
        assert uow.models.get(TENANT, "xgb-1") == promoted
        assert uow.models.challengers(TENANT) == [promoted]


def test_updating_a_version_the_tenant_does_not_have_fails(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.models.add(a_model_version("xgb-1"))
        uow.commit()

    with uow:
        with pytest.raises(RecordNotFound):
            uow.models.update(a_model_version("xgb-2"))
        with pytest.raises(RecordNotFound):
            uow.models.update(a_model_version("xgb-1", tenant_id=OTHER_TENANT))


def test_list_is_newest_first_and_ties_go_to_the_greater_name(uow: UnitOfWork) -> None:
    early, late = NOW, NOW + timedelta(hours=2)
    versions = [
        a_model_version("a", created_at=late),
        a_model_version("c", created_at=early, stage=Stage.RETIRED),
        a_model_version("b", created_at=late, stage=Stage.CHALLENGER),
        a_model_version("d", created_at=early + timedelta(minutes=1), stage=Stage.CHAMPION),
    ]
    with uow:
        with_tenants(uow, TENANT)
        for version in versions:
            uow.models.add(version)
        uow.commit()

    with uow:
        assert [v.version for v in uow.models.list(TENANT)] == ["b", "a", "d", "c"]
        found = uow.models.champion(TENANT)
        assert found is not None
        assert found.version == "d"


def test_challengers_are_the_versions_in_shadow_newest_first(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        for hours, (name, stage) in enumerate(
            [
                ("x1", Stage.CHALLENGER),
                ("x2", Stage.CANDIDATE),
                ("x3", Stage.CHALLENGER),
                ("x4", Stage.RETIRED),
                ("x5", Stage.CHAMPION),
            ]
        ):
            uow.models.add(
                a_model_version(name, stage=stage, created_at=NOW + timedelta(hours=hours))
            )
        uow.commit()

    with uow:
        assert [v.version for v in uow.models.challengers(TENANT)] == ["x3", "x1"]


def test_a_tenant_has_at_most_one_champion(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.models.add(a_model_version("old", stage=Stage.CHAMPION))
        uow.models.add(a_model_version("new", stage=Stage.CHALLENGER))
        uow.models.add(a_model_version("theirs", tenant_id=OTHER_TENANT, stage=Stage.CHAMPION))
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.models.add(a_model_version("another", stage=Stage.CHAMPION))
        with pytest.raises(AlreadyExists):
            uow.models.update(a_model_version("new", stage=Stage.CHAMPION))
        # A refused write leaves the unit of work usable: the old champion is still there.
        champion = uow.models.champion(TENANT)
        assert champion is not None
        assert champion.version == "old"
        assert uow.models.get(TENANT, "another") is None


def test_retiring_the_champion_first_lets_another_take_its_place(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        uow.models.add(a_model_version("old", stage=Stage.CHAMPION))
        uow.models.add(a_model_version("new", stage=Stage.CHALLENGER))
        uow.commit()
    crowned = a_model_version("new", stage=Stage.CHAMPION, approved_by="user-adm2")

    with uow:
        uow.models.update(a_model_version("old", stage=Stage.RETIRED))
        uow.models.update(crowned)
        uow.commit()

    with uow:
        assert uow.models.champion(TENANT) == crowned
        assert uow.models.challengers(TENANT) == []
        old = uow.models.get(TENANT, "old")
        assert old is not None
        assert old.stage is Stage.RETIRED
        # The champion may be stored again as itself (a request recorded on it, say).
        uow.models.update(evolve(crowned, approved_by="user-adm"))


def test_a_version_not_committed_is_discarded(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT)
        uow.commit()
    with uow:
        uow.models.add(a_model_version("xgb-1", stage=Stage.CHAMPION))
        assert uow.models.champion(TENANT) == a_model_version("xgb-1", stage=Stage.CHAMPION)

    with uow:
        assert uow.models.get(TENANT, "xgb-1") is None
        assert uow.models.list(TENANT) == []
        assert uow.models.champion(TENANT) is None
