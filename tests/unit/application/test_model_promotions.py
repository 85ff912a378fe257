"""Promotions through the registry: four eyes, one champion, audit events and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import NotFound
from domain.credit.model_registry import ModelStage, PromotionSelfApproval
from domain.errors import IllegalTransition, PermissionDenied, ValidationFailed
from domain.identity import Role
from tests.builders import NOW, OTHER_TENANT, a_model_version, a_principal
from tests.unit.application.model_desk import ADMIN, ADMIN_2, SENIOR, ModelDesk

Stage = ModelStage
REASON = "AUC 0.81 against 0.78 over three months in shadow."


@pytest.fixture
def desk() -> ModelDesk:
    desk = ModelDesk()
    desk.registered(
        a_model_version("old", stage=Stage.CHAMPION, approved_by="user-adm2"),
        a_model_version("new"),
    )
    return desk


def test_a_request_waits_for_a_second_person_and_tells_the_reviewers(desk: ModelDesk) -> None:
    requested = desk.request(ADMIN, "new", Stage.CHAMPION, REASON)

    assert requested.stage is Stage.CANDIDATE
    assert requested.pending_promotion is not None
    assert requested.pending_promotion.requested_by == ADMIN.user_id
    assert requested.pending_promotion.reason == REASON
    assert desk.model("new") == requested
    event = desk.events()[-1]
    assert (event.action, event.entity_id) == ("model.promotion_requested", "new")
    message = desk.messages()[-1]
    assert message.topic == "model.promotion_awaiting_approval"
    assert message.payload == {"version": "new", "target": "champion", "requested_by": "user-adm"}


def test_approving_a_champion_retires_the_one_before_in_the_same_step(desk: ModelDesk) -> None:
    desk.request(ADMIN, "new", Stage.CHAMPION, REASON)
    desk.clock.advance(timedelta(hours=2))

    crowned = desk.approve(ADMIN_2, "new")

    assert crowned.stage is Stage.CHAMPION
    assert (crowned.approved_by, crowned.approved_at) == (ADMIN_2.user_id, desk.clock.now())
    assert desk.model("new") == crowned
    retired = desk.model("old")
    assert retired.stage is Stage.RETIRED
    assert retired.approved_by == ADMIN_2.user_id
    with desk.uow:
        assert desk.uow.models.champion(crowned.tenant_id) == crowned
    retirement, approval = desk.events()[-2:]
    assert (retirement.action, approval.action) == ("model.retired", "model.promotion_approved")
    assert retirement.new is not None
    assert retirement.new["replaced_by"] == "new"
    message = desk.messages()[-1]
    assert message.topic == "model.promoted"
    assert message.payload == {"version": "new", "stage": "champion", "retired": "old"}


def test_a_first_champion_displaces_nobody(desk: ModelDesk) -> None:
    desk.registered(a_model_version("first", tenant_id=OTHER_TENANT))
    outsider = a_principal(Role.ADMIN, user_id="user-x", tenant_id=OTHER_TENANT)
    reviewer = a_principal(Role.ADMIN, user_id="user-y", tenant_id=OTHER_TENANT)
    desk.request(outsider, "first", Stage.CHAMPION, REASON)

    crowned = desk.approve(reviewer, "first")

    assert crowned.stage is Stage.CHAMPION
    assert desk.model("old").stage is Stage.CHAMPION  # the other tenant's is untouched
    with desk.uow:
        assert desk.uow.audit.events(OTHER_TENANT)[-1].action == "model.promotion_approved"


def test_a_challenger_is_approved_without_touching_the_champion(desk: ModelDesk) -> None:
    desk.request(ADMIN, "new", Stage.CHALLENGER, REASON)

    shadow = desk.approve(ADMIN_2, "new")

    assert shadow.stage is Stage.CHALLENGER
    assert desk.model("old").stage is Stage.CHAMPION
    with desk.uow:
        assert desk.uow.models.challengers(shadow.tenant_id) == [shadow]
    assert desk.messages()[-1].payload == {"version": "new", "stage": "challenger"}


def test_nobody_approves_their_own_request(desk: ModelDesk) -> None:
    desk.request(ADMIN, "new", Stage.CHAMPION, REASON)
    before = desk.stored()

    with pytest.raises(PromotionSelfApproval):
        desk.approve(ADMIN, "new")
    with pytest.raises(PromotionSelfApproval):
        desk.reject(ADMIN, "new", "Changed my mind.")

    assert desk.stored() == before


def test_a_rejection_drops_the_request_and_tells_the_requester_why(desk: ModelDesk) -> None:
    desk.request(ADMIN, "new", Stage.CHAMPION, REASON)

    rejected = desk.reject(ADMIN_2, "new", "  Shadow period too short.  ")

    assert rejected == a_model_version("new")
    assert desk.model("new") == rejected
    assert desk.model("old").stage is Stage.CHAMPION
    event = desk.events()[-1]
    assert event.action == "model.promotion_rejected"
    assert event.new is not None
    assert event.new["comment"] == "Shadow period too short."
    message = desk.messages()[-1]
    assert message.topic == "model.promotion_rejected"
    assert message.payload == {"version": "new", "target": "champion", "requested_by": "user-adm"}


def test_a_rejection_must_say_why(desk: ModelDesk) -> None:
    desk.request(ADMIN, "new", Stage.CHAMPION, REASON)
    before = desk.stored()

    with pytest.raises(ValidationFailed):
        desk.reject(ADMIN_2, "new", "   ")

    assert desk.stored() == before


def test_moves_the_stages_do_not_allow_are_refused(desk: ModelDesk) -> None:
    desk.registered(a_model_version("gone", stage=Stage.RETIRED))
    before = desk.stored()

    with pytest.raises(IllegalTransition):
        desk.request(ADMIN, "gone", Stage.CHAMPION, REASON)
    with pytest.raises(ValidationFailed):
        desk.request(ADMIN, "new", Stage.CHAMPION, " ")

    assert desk.stored() == before


def test_an_unknown_or_foreign_version_is_not_found(desk: ModelDesk) -> None:
    desk.registered(a_model_version("theirs", tenant_id=OTHER_TENANT))
    for name in ("missing", "theirs"):
        with pytest.raises(NotFound):
            desk.request(ADMIN, name, Stage.CHALLENGER, REASON)
        with pytest.raises(NotFound):
            desk.approve(ADMIN_2, name)
        with pytest.raises(NotFound):
            desk.reject(ADMIN_2, name, "No.")


def test_promotions_need_config_manage(desk: ModelDesk) -> None:
    desk.request(ADMIN, "new", Stage.CHAMPION, REASON)
    before = desk.stored()

    with pytest.raises(PermissionDenied):
        desk.request(SENIOR, "old", Stage.RETIRED, REASON)
    with pytest.raises(PermissionDenied):
        desk.approve(SENIOR, "new")
    with pytest.raises(PermissionDenied):
        desk.reject(SENIOR, "new", "No.")
    with pytest.raises(PermissionDenied):
        desk.list_models(SENIOR)

    assert desk.stored() == before


def test_the_list_shows_every_version_newest_first(desk: ModelDesk) -> None:
    desk.registered(a_model_version("later", created_at=NOW.replace(hour=12)))

    listed = desk.list_models(ADMIN)

    assert [v.version for v in listed] == ["later", "old", "new"]
