from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.credit.model_registry import (
    ALLOWED_MOVES,
    ChampionMismatch,
    IllegalPromotion,
    ModelStage,
    ModelVersion,
    NoPendingPromotion,
    PromotionPending,
    PromotionSelfApproval,
    WrongTenant,
    approve_promotion,
    reject_promotion,
    request_promotion,
    shadow_share,
)
from domain.errors import DomainError, PermissionDenied, ValidationFailed
from domain.identity import Permission, Principal, Role

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
REASON = "AUC 0.83 against 0.79 on the last quarter's applications"
Stage = ModelStage

alice = Principal("u-alice", "t-1", Role.ADMIN)
bob = Principal("u-bob", "t-1", Role.ADMIN)
carol = Principal(
    "u-carol", "t-1", Role.SENIOR_ANALYST, extra_grants=frozenset({Permission.CONFIG_MANAGE})
)
analyst = Principal("u-ana", "t-1", Role.ANALYST)
bob_denied = Principal("u-bob", "t-1", Role.ADMIN, denials=frozenset({Permission.CONFIG_MANAGE}))
outsider = Principal("u-out", "t-2", Role.ADMIN)


def model(
    version: str = "v2", stage: ModelStage = Stage.CANDIDATE, tenant: str = "t-1"
) -> ModelVersion:
    return ModelVersion(
        tenant_id=tenant,
        version=version,
        stage=stage,
        created_at=NOW - timedelta(days=1),
        created_by="u-trainer",
        training_data_hash="sha256:" + "ab" * 32,
        metrics=(("auc", 0.83), ("brier", 0.15)),
        artifact_key=f"{tenant}/models/{version}/model.ubj",
        report_key=f"{tenant}/models/{version}/report.html",
    )


def requested(version: ModelVersion, target: ModelStage, by: Principal = alice) -> ModelVersion:
    return request_promotion(version, target, requester=by, now=NOW, reason=REASON)


# Examples --------------------------------------------------------------------------------------


def test_a_request_records_who_wants_what_and_why_but_moves_nothing() -> None:
    pending = requested(model(), Stage.CHAMPION)

    assert pending.stage is Stage.CANDIDATE
    assert pending.pending_promotion is not None
    assert pending.pending_promotion.target is Stage.CHAMPION
    assert pending.pending_promotion.requested_by == "u-alice"
    assert pending.pending_promotion.requested_at == NOW
    assert pending.pending_promotion.reason == REASON


def test_the_first_champion_displaces_nobody() -> None:
    promoted, retired = approve_promotion(
        requested(model(), Stage.CHAMPION), reviewer=bob, now=NOW, current_champion=None
    )

    assert promoted.stage is Stage.CHAMPION
    assert promoted.pending_promotion is None
    assert (promoted.approved_by, promoted.approved_at) == ("u-bob", NOW)
    assert retired is None


def test_a_new_champion_retires_the_old_one_in_the_same_step() -> None:
    old = requested(model("v1", Stage.CHAMPION), Stage.RETIRED, by=bob)
    challenger = requested(model("v2", Stage.CHALLENGER), Stage.CHAMPION)

    promoted, retired = approve_promotion(challenger, reviewer=carol, now=NOW, current_champion=old)

    assert promoted.stage is Stage.CHAMPION
    assert retired is not None
    assert (retired.version, retired.stage) == ("v1", Stage.RETIRED)
    assert retired.pending_promotion is None  # its own open request is moot now
    assert retired.approved_by == "u-carol"


def test_a_move_other_than_to_champion_leaves_the_champion_alone() -> None:
    champion = model("v1", Stage.CHAMPION)

    moved, retired = approve_promotion(
        requested(model(), Stage.CHALLENGER), reviewer=bob, now=NOW, current_champion=champion
    )

    assert moved.stage is Stage.CHALLENGER
    assert retired is None


@pytest.mark.parametrize(
    ("stage", "target"),
    [
        (Stage.RETIRED, Stage.CANDIDATE),
        (Stage.RETIRED, Stage.CHAMPION),
        (Stage.RETIRED, Stage.RETIRED),
        (Stage.RETIRED, Stage.CHALLENGER),
        (Stage.CHAMPION, Stage.CHALLENGER),
        (Stage.CHAMPION, Stage.CHAMPION),
        (Stage.CHALLENGER, Stage.CANDIDATE),
        (Stage.CANDIDATE, Stage.CANDIDATE),
    ],
)
def test_moves_backwards_sideways_or_out_of_retirement_are_refused(
    stage: ModelStage, target: ModelStage
) -> None:
    with pytest.raises(IllegalPromotion, match=f"{stage} model cannot become {target}"):
        requested(model(stage=stage), target)


def test_only_people_who_manage_configuration_request_or_review() -> None:
    with pytest.raises(PermissionDenied, match="config:manage"):
        requested(model(), Stage.CHALLENGER, by=analyst)
    pending = requested(model(), Stage.CHALLENGER)
    for reviewer in (analyst, bob_denied):
        with pytest.raises(PermissionDenied, match="config:manage"):
            approve_promotion(pending, reviewer=reviewer, now=NOW, current_champion=None)
        with pytest.raises(PermissionDenied, match="config:manage"):
            reject_promotion(pending, reviewer=reviewer, comment="no")


def test_the_requester_can_neither_approve_nor_reject_their_own_request() -> None:
    pending = requested(model(), Stage.CHAMPION)

    with pytest.raises(PromotionSelfApproval):
        approve_promotion(pending, reviewer=alice, now=NOW, current_champion=None)
    with pytest.raises(PromotionSelfApproval):
        reject_promotion(pending, reviewer=alice, comment="changed my mind")


def test_people_and_models_of_other_tenants_never_meet() -> None:
    with pytest.raises(WrongTenant):
        requested(model(), Stage.CHALLENGER, by=outsider)
    pending = requested(model(), Stage.CHAMPION)
    with pytest.raises(WrongTenant):
        approve_promotion(pending, reviewer=outsider, now=NOW, current_champion=None)
    with pytest.raises(WrongTenant):
        approve_promotion(
            pending, reviewer=bob, now=NOW, current_champion=model("v1", Stage.CHAMPION, "t-2")
        )


def test_the_current_champion_given_must_be_a_champion_and_not_the_promoted_model() -> None:
    pending = requested(model("v2", Stage.CHALLENGER), Stage.CHAMPION)

    with pytest.raises(ChampionMismatch, match="v1 is challenger"):
        approve_promotion(
            pending, reviewer=bob, now=NOW, current_champion=model("v1", Stage.CHALLENGER)
        )
    with pytest.raises(ChampionMismatch, match="cannot displace itself"):
        approve_promotion(
            pending, reviewer=bob, now=NOW, current_champion=model("v2", Stage.CHAMPION)
        )


def test_one_open_request_at_a_time() -> None:
    pending = requested(model(), Stage.CHALLENGER)

    with pytest.raises(PromotionPending, match="u-alice"):
        requested(pending, Stage.CHAMPION, by=bob)


def test_a_review_needs_an_open_request() -> None:
    with pytest.raises(NoPendingPromotion):
        approve_promotion(model(), reviewer=bob, now=NOW, current_champion=None)
    with pytest.raises(NoPendingPromotion):
        reject_promotion(model(), reviewer=bob, comment="no")


def test_a_rejection_says_why_and_leaves_the_model_where_it_was() -> None:
    pending = requested(model(stage=Stage.CHALLENGER), Stage.CHAMPION)

    with pytest.raises(ValidationFailed, match="comment"):
        reject_promotion(pending, reviewer=bob, comment="  ")
    rejected = reject_promotion(pending, reviewer=bob, comment="Wait for the fairness review.")

    assert rejected == model(stage=Stage.CHALLENGER)
    assert requested(rejected, Stage.CHAMPION).pending_promotion is not None  # may ask again


def test_a_request_must_give_a_reason() -> None:
    with pytest.raises(ValidationFailed, match="reason"):
        request_promotion(model(), Stage.CHAMPION, requester=alice, now=NOW, reason=" \n")


def test_metrics_are_found_by_name() -> None:
    assert model().metric("auc") == 0.83
    assert model().metric("gini") is None


# Properties: four eyes, one champion, no return from retirement ---------------------------------

stages = st.sampled_from(ModelStage)


@given(
    stage=stages.filter(lambda s: s is not Stage.RETIRED),
    data=st.data(),
    role=st.sampled_from(Role),
)
def test_a_promotion_is_never_approved_by_its_requester(
    stage: ModelStage, data: st.DataObject, role: Role
) -> None:
    target = data.draw(st.sampled_from(sorted(ALLOWED_MOVES[stage])))
    pending = requested(model(stage=stage), target)
    # The same person, even with another role or extra permissions since the request.
    same_person = Principal(
        "u-alice", "t-1", role, extra_grants=frozenset({Permission.CONFIG_MANAGE})
    )

    with pytest.raises(PromotionSelfApproval):
        approve_promotion(pending, reviewer=same_person, now=NOW, current_champion=None)


# Mostly people who may act, so that many steps succeed; sometimes one who may not.
actors = st.sampled_from([alice, bob, carol] * 3 + [analyst, bob_denied, outsider])
operations = st.lists(
    st.tuples(
        st.sampled_from(["request", "request", "approve", "reject"]),
        st.integers(0, 3),
        st.none() | stages,  # None: one of the moves allowed from the version's stage
        actors,
    ),
    max_size=40,
)
NAMES = ("v1", "v2", "v3", "v4")


@settings(max_examples=300)
@given(operations=operations, start_with_champion=st.booleans())
def test_any_sequence_keeps_at_most_one_champion_and_never_unretires(
    operations: list[tuple[str, int, ModelStage | None, Principal]], start_with_champion: bool
) -> None:
    registry = {name: model(name) for name in NAMES}
    if start_with_champion:
        registry["v1"] = model("v1", Stage.CHAMPION)
    ever_retired: set[str] = set()

    for step, (action, index, target, person) in enumerate(operations):
        now = NOW + timedelta(minutes=step)
        before = dict(registry)
        champions = [m for m in registry.values() if m.stage is Stage.CHAMPION]
        # Reviews go mostly to versions that await one, so that approvals really happen.
        awaiting = [name for name in NAMES if registry[name].pending_promotion is not None]
        name = awaiting[index % len(awaiting)] if action != "request" and awaiting else NAMES[index]
        try:
            if action == "request":
                allowed = sorted(ALLOWED_MOVES[registry[name].stage]) or [Stage.CANDIDATE]
                goal = allowed[step % len(allowed)] if target is None else target
                registry[name] = request_promotion(
                    registry[name], goal, requester=person, now=now, reason=REASON
                )
            elif action == "approve":
                request = registry[name].pending_promotion
                promoted, retired = approve_promotion(
                    registry[name],
                    reviewer=person,
                    now=now,
                    current_champion=champions[0] if champions else None,
                )
                assert request is not None
                assert person.user_id != request.requested_by
                assert promoted.approved_by == person.user_id
                registry[name] = promoted
                if retired is not None:
                    registry[retired.version] = retired
                if promoted.stage is Stage.CHAMPION:
                    champions_now = [m for m in registry.values() if m.stage is Stage.CHAMPION]
                    assert champions_now == [promoted]
            else:
                registry[name] = reject_promotion(registry[name], reviewer=person, comment="no")
        except DomainError:
            assert registry == before  # a refused step changes nothing

        assert sum(m.stage is Stage.CHAMPION for m in registry.values()) <= 1
        assert all(registry[name].stage is Stage.RETIRED for name in ever_retired)
        for version in registry.values():
            old_stage = before[version.version].stage
            if version.stage is not old_stage:
                assert version.stage in ALLOWED_MOVES[old_stage]
        ever_retired |= {m.version for m in registry.values() if m.stage is Stage.RETIRED}


# Shadow share -----------------------------------------------------------------------------------

IDS = [f"app-{n:05d}" for n in range(5_000)]
PINNED_HALF = [f"app-{n:05d}" for n in (0, 1, 2, 4, 5, 10, 13, 14, 17, 19)]


def test_the_shadow_choice_is_pinned_across_processes_and_releases() -> None:
    """Fixed answers: `hash()` (salted per process) or another hash would change them."""
    chosen = [i for i in IDS[:20] if shadow_share(i, 0.5)]

    assert chosen == PINNED_HALF


@given(share=st.floats(min_value=0.0, max_value=1.0))
def test_the_shadow_hit_rate_is_close_to_the_share(share: float) -> None:
    hits = sum(shadow_share(application_id, share) for application_id in IDS)

    assert abs(hits / len(IDS) - share) <= 0.03


@given(application_id=st.text(), low=st.floats(0.0, 1.0), high=st.floats(0.0, 1.0))
def test_the_shadow_choice_is_deterministic_and_grows_with_the_share(
    application_id: str, low: float, high: float
) -> None:
    low, high = min(low, high), max(low, high)

    assert shadow_share(application_id, low) == shadow_share(application_id, low)
    assert not shadow_share(application_id, low) or shadow_share(application_id, high)


def test_no_share_chooses_none_and_a_full_share_chooses_all() -> None:
    assert not any(shadow_share(application_id, 0.0) for application_id in IDS)
    assert all(shadow_share(application_id, 1.0) for application_id in IDS)


@pytest.mark.parametrize("share", [-0.01, 1.01, float("nan"), float("inf")])
def test_a_share_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValidationFailed, match="share"):
        shadow_share("app-1", share)
