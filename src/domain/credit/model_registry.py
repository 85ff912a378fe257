"""The model registry's rules: which model decides, which watches, and who may change that.

Every trained model is a `ModelVersion` of one tenant, moving through four stages:

- **candidate**: just trained and evaluated; it scores nothing.
- **challenger**: scores a deterministic share of live applications in shadow (`shadow_share`);
  its results are stored beside the champion's but never decide anything.
- **champion**: the one model whose scores route applications. A tenant has at most one, and
  exactly one after a promotion to champion, which retires the one before it in the same step.
- **retired**: kept for the record (every past decision names its model), never used again.

The moves are forward only (`ALLOWED_MOVES`): candidate to challenger or champion, challenger to
champion, and anything not yet retired to retired. A retired model never returns: to bring an old
model back, register its artifact again as a new candidate, so the history stays true.

Changing which model decides on people's loans is as weighty as overriding one decision, so it
follows the same four-eyes rule as overrides: one person holding config:manage *requests* a move
with a reason, and a *different* person holding config:manage approves or rejects it. Retirement
goes through the same two steps; retiring a champion directly leaves the tenant without one
until another is promoted.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from attrs import evolve, frozen

from domain.credit.queue import WrongTenant
from domain.errors import (
    ConflictError,
    IllegalTransition,
    PermissionDenied,
    Problem,
    ValidationFailed,
)
from domain.identity import Permission, Principal, can

__all__ = [
    "ALLOWED_MOVES",
    "ChampionMismatch",
    "IllegalPromotion",
    "ModelStage",
    "ModelVersion",
    "NoPendingPromotion",
    "PromotionPending",
    "PromotionRequest",
    "PromotionSelfApproval",
    "WrongTenant",
    "approve_promotion",
    "reject_promotion",
    "request_promotion",
    "shadow_share",
]


class ModelStage(StrEnum):
    CANDIDATE = "candidate"
    CHALLENGER = "challenger"
    CHAMPION = "champion"
    RETIRED = "retired"


ALLOWED_MOVES: Mapping[ModelStage, frozenset[ModelStage]] = MappingProxyType(
    {
        ModelStage.CANDIDATE: frozenset(
            {ModelStage.CHALLENGER, ModelStage.CHAMPION, ModelStage.RETIRED}
        ),
        ModelStage.CHALLENGER: frozenset({ModelStage.CHAMPION, ModelStage.RETIRED}),
        ModelStage.CHAMPION: frozenset({ModelStage.RETIRED}),
        ModelStage.RETIRED: frozenset(),
    }
)


class IllegalPromotion(IllegalTransition):
    """A move the stages do not allow: backwards, to the same stage, or out of retirement."""


class PromotionPending(ConflictError):
    """A version has at most one open request; it must be approved or rejected first."""


class NoPendingPromotion(ConflictError):
    """An approval or rejection for a version that has no open request."""


class PromotionSelfApproval(PermissionDenied):
    """The person who requested a promotion tried to review it themselves."""


class ChampionMismatch(ConflictError):
    """The model given as the tenant's current champion is not one (stale or wrong record)."""


@frozen
class PromotionRequest:
    """Someone asked for a version to move to `target`, and why; waiting for a second person."""

    target: ModelStage
    requested_by: str
    requested_at: datetime
    reason: str


@frozen
class ModelVersion:
    """One trained model of one tenant: where its artifact and report are, how it scored.

    `training_data_hash` identifies exactly which data trained it; `metrics` are (name, value)
    pairs such as ("auc", 0.81) from its evaluation; `artifact_key` and `report_key` are object
    store keys. `approved_by` and `approved_at` say who let it into its current stage and when
    (None while it is the candidate it was trained as).
    """

    tenant_id: str
    version: str
    stage: ModelStage
    created_at: datetime
    created_by: str
    training_data_hash: str
    metrics: tuple[tuple[str, float], ...]
    artifact_key: str
    report_key: str | None = None
    pending_promotion: PromotionRequest | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None

    def metric(self, name: str) -> float | None:
        """The value of metric `name`, or None if this version was not measured by it."""
        return next((value for metric, value in self.metrics if metric == name), None)


def _check_person(version: ModelVersion, person: Principal, acting: str) -> None:
    if person.tenant_id != version.tenant_id:
        raise WrongTenant("a model and the people acting on it belong to different tenants")
    if not can(person, Permission.CONFIG_MANAGE):
        raise PermissionDenied(
            f"user {person.user_id} cannot {acting} model promotions (config:manage)"
        )


def request_promotion(
    version: ModelVersion,
    target: ModelStage,
    *,
    requester: Principal,
    now: datetime,
    reason: str,
) -> ModelVersion:
    """`version` with an open request to move to `target`; nothing moves until it is approved."""
    _check_person(version, requester, "request")
    if version.pending_promotion is not None:
        pending = version.pending_promotion
        raise PromotionPending(
            f"model {version.version} already awaits a move to {pending.target} "
            f"requested by {pending.requested_by}"
        )
    if target not in ALLOWED_MOVES[version.stage]:
        raise IllegalPromotion(f"a {version.stage} model cannot become {target}")
    if not reason.strip():
        raise ValidationFailed((Problem("reason", "a promotion request must say why"),))
    request = PromotionRequest(target, requester.user_id, now, reason.strip())
    return evolve(version, pending_promotion=request)


def _open_request(version: ModelVersion, reviewer: Principal) -> PromotionRequest:
    request = version.pending_promotion
    if request is None:
        raise NoPendingPromotion(f"model {version.version} has no promotion awaiting review")
    _check_person(version, reviewer, "review")
    if reviewer.user_id == request.requested_by:
        raise PromotionSelfApproval(
            "a promotion must be reviewed by someone other than the person who requested it"
        )
    return request


def approve_promotion(
    version: ModelVersion,
    *,
    reviewer: Principal,
    now: datetime,
    current_champion: ModelVersion | None,
) -> tuple[ModelVersion, ModelVersion | None]:
    """A second person agrees: `version` moves, and a displaced champion retires with it.

    `current_champion` is the tenant's champion as stored now (None if it has none). It is
    only consulted for a promotion to champion, and comes back retired, so the caller stores
    both in one transaction and the tenant never has two champions. Returns the moved version
    and the retired champion (None when no champion was displaced).
    """
    request = _open_request(version, reviewer)
    moved = evolve(
        version,
        stage=request.target,
        pending_promotion=None,
        approved_by=reviewer.user_id,
        approved_at=now,
    )
    if request.target is not ModelStage.CHAMPION or current_champion is None:
        return moved, None
    if current_champion.tenant_id != version.tenant_id:
        raise WrongTenant("a tenant's champion can only be replaced by one of its own models")
    if current_champion.stage is not ModelStage.CHAMPION:
        raise ChampionMismatch(
            f"model {current_champion.version} is {current_champion.stage}, not the champion"
        )
    if current_champion.version == version.version:
        raise ChampionMismatch(f"model {version.version} cannot displace itself")
    retired = evolve(
        current_champion,
        stage=ModelStage.RETIRED,
        pending_promotion=None,
        approved_by=reviewer.user_id,
        approved_at=now,
    )
    return moved, retired


def reject_promotion(version: ModelVersion, *, reviewer: Principal, comment: str) -> ModelVersion:
    """A second person disagrees: the request is dropped and the version stays where it was.

    A rejection always says why, for the requester. The version keeps no trace of it: who
    rejected what, when and why is the audit event the caller writes in the same transaction.
    """
    _open_request(version, reviewer)
    if not comment.strip():
        raise ValidationFailed((Problem("comment", "a rejection must tell the requester why"),))
    return evolve(version, pending_promotion=None)


_SHADOW_SALT = b"creditdesk/shadow-share/v1:"


def shadow_share(application_id: str, share: float) -> bool:
    """Whether a challenger scores this application in shadow, given the share it should see.

    Decided by a SHA-256 of the application id (never `hash()`, which changes per process), so
    every worker and every retry picks the same applications, and raising the share only adds
    applications to those already chosen.
    """
    if math.isnan(share) or not 0.0 <= share <= 1.0:
        raise ValidationFailed((Problem("share", "a shadow share lies between 0 and 1"),))
    digest = hashlib.sha256(_SHADOW_SALT + application_id.encode("utf-8")).digest()
    position = (int.from_bytes(digest[:8], "big") >> 11) / 2.0**53  # exact, uniform in [0, 1)
    return position < share
