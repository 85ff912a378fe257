"""The contract of `ShadowScoreRepository`: every implementation (tests/contracts/conftest.py)
passes it, the fake and the SQL adapter on SQLite and PostgreSQL alike."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.scoring import ModelScore
from tests.builders import NOW, OTHER_TENANT, TENANT, a_shadow_score
from tests.contracts.parents import with_parents

_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)


def test_a_shadow_score_comes_back_exactly(uow: UnitOfWork) -> None:
    # An offset other than UTC: the instant must survive the round trip, and come back aware.
    belgrade = timezone(timedelta(hours=1))
    shadow = a_shadow_score(scored_at=datetime(2026, 11, 22, 10, 30, tzinfo=belgrade))
    with uow:
        with_parents(uow, application_ids=["app-1"])
        uow.shadow_scores.add(shadow)
        uow.commit()

    with uow:
        (found,) = uow.shadow_scores.for_application(TENANT, "app-1")
        assert found == shadow
        assert found.scored_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
        assert found.scored_at.utcoffset() is not None
        assert found.model.contributions == shadow.model.contributions
        assert uow.shadow_scores.for_model(TENANT, "xgb-challenger", limit=10) == [shadow]


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=20)
_finite = st.floats(allow_nan=False, allow_infinity=False)
_model_scores = st.builds(
    ModelScore,
    model_version=st.just("xgb-challenger"),
    probability_of_default=st.floats(min_value=0.0, max_value=1.0),
    score=_finite,
    contributions=st.lists(st.tuples(_names, _finite), max_size=12).map(tuple),
    base_value=_finite,
)


@_settings
@given(model=_model_scores)
def test_any_finite_contributions_come_back_bit_for_bit(
    new_uow: Callable[[], UnitOfWork], model: ModelScore
) -> None:
    tenant = f"tenant-{uuid.uuid4()}"  # a fresh tenant is an empty store, by tenant isolation
    shadow = a_shadow_score(tenant_id=tenant, model=model)
    uow = new_uow()
    with uow:
        with_parents(uow, tenant_id=tenant, application_ids=["app-1"])
        uow.shadow_scores.add(shadow)
        uow.commit()

    with uow:
        (found,) = uow.shadow_scores.for_application(tenant, "app-1")
    assert found == shadow
    stored = [(name, math.copysign(1.0, v), v.hex()) for name, v in found.model.contributions]
    given_ = [(name, math.copysign(1.0, v), v.hex()) for name, v in model.contributions]
    assert stored == given_
    assert found.model.base_value.hex() == model.base_value.hex()
    assert found.model.probability_of_default.hex() == model.probability_of_default.hex()


def test_a_version_scores_an_application_once(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        uow.shadow_scores.add(a_shadow_score())
        uow.commit()

    later = NOW + timedelta(hours=1)
    with uow:
        with pytest.raises(AlreadyExists):
            uow.shadow_scores.add(a_shadow_score(scored_at=later, champion_version="xgb-other"))
        # A refused write leaves the unit of work usable: the same version on another
        # application, and another version on the same application, are new scores.
        uow.shadow_scores.add(a_shadow_score(application_id="app-2"))
        uow.shadow_scores.add(a_shadow_score(model_version="xgb-3", scored_at=later))
        uow.commit()

    with uow:
        found = uow.shadow_scores.for_application(TENANT, "app-1")
        assert found == [a_shadow_score(), a_shadow_score(model_version="xgb-3", scored_at=later)]
        assert uow.shadow_scores.for_application(TENANT, "app-2") == [
            a_shadow_score(application_id="app-2")
        ]


def test_the_same_application_id_in_another_tenant_is_another_application(
    uow: UnitOfWork,
) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        with_parents(uow, tenant_id=OTHER_TENANT, application_ids=["app-1"])
        uow.shadow_scores.add(a_shadow_score())
        uow.shadow_scores.add(a_shadow_score(tenant_id=OTHER_TENANT))
        uow.commit()

    with uow:
        assert uow.shadow_scores.for_application(OTHER_TENANT, "app-1") == [
            a_shadow_score(tenant_id=OTHER_TENANT)
        ]


def test_a_score_needs_its_stored_application(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        uow.commit()
    with uow, pytest.raises(RecordNotFound):
        uow.shadow_scores.add(a_shadow_score(application_id="app-unknown"))
    with uow, pytest.raises(RecordNotFound):
        uow.shadow_scores.add(a_shadow_score(tenant_id=OTHER_TENANT))


def test_another_tenant_never_sees_a_shadow_score(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        with_parents(uow, tenant_id=OTHER_TENANT)
        uow.shadow_scores.add(a_shadow_score())
        uow.commit()

    with uow:
        assert uow.shadow_scores.for_application(OTHER_TENANT, "app-1") == []
        assert uow.shadow_scores.for_model(OTHER_TENANT, "xgb-challenger", limit=10) == []
        assert uow.shadow_scores.for_application(TENANT, "app-2") == []
        assert uow.shadow_scores.for_model(TENANT, "xgb-2026.11", limit=10) == []


def test_for_application_is_oldest_first_and_ties_go_to_the_smaller_version(
    uow: UnitOfWork,
) -> None:
    early, late = NOW, NOW + timedelta(minutes=5)
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        for version, scored_at in [("v-c", early), ("v-a", late), ("v-d", late), ("v-b", early)]:
            uow.shadow_scores.add(a_shadow_score(model_version=version, scored_at=scored_at))
        uow.shadow_scores.add(a_shadow_score(application_id="app-2", model_version="v-0"))
        uow.commit()

    with uow:
        found = uow.shadow_scores.for_application(TENANT, "app-1")
        assert [s.model.model_version for s in found] == ["v-b", "v-c", "v-a", "v-d"]


def test_for_model_is_the_newest_first_up_to_the_limit(uow: UnitOfWork) -> None:
    rows = {"app-1": 0, "app-2": 30, "app-3": 30, "app-4": 10, "app-5": 20}  # id -> minutes
    with uow:
        with_parents(uow, application_ids=[*rows, "app-6"])
        for application_id, minutes in rows.items():
            scored_at = NOW + timedelta(minutes=minutes)
            uow.shadow_scores.add(
                a_shadow_score(application_id=application_id, scored_at=scored_at)
            )
        later = NOW + timedelta(hours=5)  # another version's score is not this one's
        uow.shadow_scores.add(
            a_shadow_score(application_id="app-6", model_version="xgb-other", scored_at=later)
        )
        uow.commit()

    def ids(limit: int) -> list[str]:
        found = uow.shadow_scores.for_model(TENANT, "xgb-challenger", limit=limit)
        return [s.application_id for s in found]

    with uow:
        assert ids(10) == ["app-2", "app-3", "app-5", "app-4", "app-1"]
        assert ids(3) == ["app-2", "app-3", "app-5"]
        assert ids(1) == ["app-2"]
        assert ids(0) == []


_rows = st.lists(
    st.tuples(
        st.sampled_from(["app-1", "app-2", "app-3"]),
        st.sampled_from(["v-1", "v-2", "v-3"]),
        st.integers(min_value=-3, max_value=3),
    ),
    unique_by=lambda row: (row[0], row[1]),
    max_size=9,
)


@_settings
@given(rows=_rows, limit=st.integers(min_value=0, max_value=10))
def test_both_reads_order_any_scores_as_documented(
    new_uow: Callable[[], UnitOfWork], rows: list[tuple[str, str, int]], limit: int
) -> None:
    tenant = f"tenant-{uuid.uuid4()}"
    shadows = [
        a_shadow_score(
            tenant_id=tenant,
            application_id=application_id,
            model_version=version,
            scored_at=NOW + timedelta(minutes=minutes),
        )
        for application_id, version, minutes in rows
    ]
    uow = new_uow()
    with uow:
        with_parents(uow, tenant_id=tenant, application_ids=["app-1", "app-2", "app-3"])
        for shadow in shadows:
            uow.shadow_scores.add(shadow)
        uow.commit()

    with uow:
        for application_id in ("app-1", "app-2", "app-3"):
            expected = sorted(
                (s for s in shadows if s.application_id == application_id),
                key=lambda s: (s.scored_at, s.model.model_version),
            )
            assert uow.shadow_scores.for_application(tenant, application_id) == expected
        for version in ("v-1", "v-2", "v-3"):
            newest_first = sorted(
                (s for s in shadows if s.model.model_version == version),
                key=lambda s: (-(s.scored_at - NOW).total_seconds(), s.application_id),
            )
            found = uow.shadow_scores.for_model(tenant, version, limit=limit)
            assert found == newest_first[:limit]


def test_a_shadow_score_not_committed_is_discarded(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        uow.commit()
    with uow:
        uow.shadow_scores.add(a_shadow_score())
        assert uow.shadow_scores.for_application(TENANT, "app-1") == [a_shadow_score()]

    with uow:
        assert uow.shadow_scores.for_application(TENANT, "app-1") == []
        uow.shadow_scores.add(a_shadow_score(application_id="app-2"))
        uow.rollback()
        assert uow.shadow_scores.for_model(TENANT, "xgb-challenger", limit=10) == []
        # Discarded, so adding it again is no duplicate.
        uow.shadow_scores.add(a_shadow_score())
        uow.commit()

    with uow:
        assert uow.shadow_scores.for_model(TENANT, "xgb-challenger", limit=10) == [a_shadow_score()]
