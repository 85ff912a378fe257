"""A champion model for the demo tenant, when it has none: learnt from the shipped credit data.

The history is imported and the model trained and promoted through the same use cases an
operator runs (`ImportHistory`, `TrainModel`, then `RequestPromotion` by the setup operator
and `ApprovePromotion` by the demo administrator: four eyes, as always). The training is the
fast configuration of `FAST_TRAINING`: a few seconds on a laptop for a first start, with
cross-validated figures a little below a tuned model's; `creditdesk model train` makes a
better one whenever wanted.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.ml.datasets import CREDIT_DATA, credit_data
from adapters.ml.training import TrainingConfig
from adapters.ml.tuning import SearchSpace
from application.credit.import_history import ImportHistory
from application.credit.model_promotions import ApprovePromotion, RequestPromotion
from application.credit.train_model import TrainModel
from application.ports import Clock, IdGenerator
from domain.credit.model_registry import ModelStage, ModelVersion
from domain.identity import Principal
from entrypoints.composition import Deps

#: No tuning (one point of the grid), two outer folds for the report's figures, no scorecard
#: blend: about two seconds on the 4,454 loans of credit_data.
FAST_TRAINING = TrainingConfig(
    outer_folds=2,
    inner_folds=2,
    search=SearchSpace(
        max_depths=(3,), learning_rates=(0.1,), tree_counts=(120,), blend_weights=(1.0,)
    ),
    with_scorecard=False,
)

PROMOTION_REASON = "First champion of the demo tenant, trained on the shipped credit_data loans."

#: Called with (what is being done, steps done, steps in all).
Step = Callable[[str, int, int], None]


def current_champion(deps: Deps, tenant_id: str) -> ModelVersion | None:
    with deps.uow() as uow:
        return uow.models.champion(tenant_id)


def ensure_champion(
    deps: Deps,
    clock: Clock,
    ids: IdGenerator,
    *,
    requester: Principal,
    approver: Principal,
    config: TrainingConfig = FAST_TRAINING,
    step: Step | None = None,
) -> ModelVersion:
    """The tenant's champion; trained on credit_data and promoted first if there is none."""
    found = current_champion(deps, requester.tenant_id)
    if found is not None:
        return found

    def report(what: str, done: int) -> None:
        if step is not None:
            step(what, done, 3)

    report("importing the credit_data history", 0)
    records = credit_data()
    ImportHistory(deps.uow(), clock, ids)(
        requester, CREDIT_DATA, ((r.form, r.defaulted) for r in records)
    )
    report("training the first model", 1)
    trained = TrainModel(deps.uow(), clock, ids, deps.store, deps.trainer_for(config))(
        requester, source=CREDIT_DATA, seed=config.seed
    )
    report("promoting it to champion (four eyes)", 2)
    version = trained.version.version
    if trained.version.pending_promotion is None:
        RequestPromotion(deps.uow(), clock, ids)(
            requester, version, ModelStage.CHAMPION, PROMOTION_REASON
        )
    champion = ApprovePromotion(deps.uow(), clock, ids)(approver, version)
    report("champion ready", 3)
    return champion
