"""Score a pending application and route it: decided by the machine, or queued for a person.

One transaction takes the application from pending through scoring to its routed status, with
the stored result, the decision or queue entry, and their audit events; if anything fails
(the model, a rule, the database) nothing of it is stored. Delivery of the scoring job is at
least once, so scoring is idempotent per application and model version: a second run with the
same model returns the stored result and writes nothing.

The model that scores is the tenant's champion in the model registry, loaded through the
`ModelLoader` (once per process); with no champion, scoring refuses (`NoChampion`) rather than
guess. Each challenger scores in shadow the deterministic share of applications
`shadow_share` picks (a hash of the application id): its result is stored beside the champion's
in the same transaction and decides nothing; a challenger that fails is logged and skipped, so
a broken experiment never holds up a decision.

The model scores the whole form (it may read more than the domain's features, such as the
lender's attributes), and its score routes the application (by the tenant's active routing
policy, or the shipped default until the tenant has one, which the audit event names); the
rule-based scorecard, over the domain's features, is kept beside it as the second, explainable
opinion. A decline cites the principal reasons from
the model's own contributions (`domain.credit.reasons`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from attrs import field, frozen, validators

from application.credit.lifecycle import load_application, moved
from application.credit.ports import ModelLoader, Scorer, UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.routing_policies import PolicyInForce, policy_in_force
from application.credit.snapshots import application_snapshot, snapshot
from application.errors import NoChampion
from application.ports import Clock, IdGenerator
from domain.credit.application import Application
from domain.credit.decisions import automatic_decision
from domain.credit.defaults import DEFAULT_SCORECARD
from domain.credit.features import derive_features
from domain.credit.model_registry import shadow_share
from domain.credit.queue import QueuePolicy, enqueue
from domain.credit.reasons import DEFAULT_REASON_CODES, ReasonCodeTable, adverse_action_reasons
from domain.credit.routing import RoutingOutcome, route
from domain.credit.scorecard import Scorecard
from domain.credit.scoring import RiskBands, ScoringResult, ShadowScore
from domain.credit.status import ApplicationStatus
from domain.identity import Permission, Principal, authorize
from domain.pii import JsonValue

_log = logging.getLogger(__name__)

#: The share of applications each challenger scores in shadow, unless configured otherwise.
DEFAULT_SHADOW_SHARE = 0.2

_ROUTED_STATUS = {
    RoutingOutcome.AUTO_APPROVE: ApplicationStatus.APPROVED,
    RoutingOutcome.AUTO_DECLINE: ApplicationStatus.DECLINED,
    RoutingOutcome.HUMAN_REVIEW: ApplicationStatus.REVIEW,
}


def _result_summary(result: ScoringResult, in_force: PolicyInForce) -> dict[str, JsonValue]:
    return {
        "model_version": result.model.model_version,
        "model_score": result.model.score,
        "probability_of_default": result.model.probability_of_default,
        "scorecard_version": result.scorecard.scorecard_version,
        "scorecard_score": result.scorecard.score,
        "risk_category": result.risk_category.value,
        "routing": {
            "outcome": result.routing.outcome.value,
            "reasons": [reason.value for reason in result.routing.reasons],
            "policy_version": result.routing.policy_version,
            "policy_source": "default" if in_force.is_default else "tenant",
        },
    }


@frozen
class ScoreApplication:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    models: ModelLoader
    scorecard: Scorecard = DEFAULT_SCORECARD
    reason_codes: ReasonCodeTable = DEFAULT_REASON_CODES
    risk_bands: RiskBands = field(factory=RiskBands)
    queue_policy: QueuePolicy = field(factory=QueuePolicy)
    shadow_share: float = field(
        default=DEFAULT_SHADOW_SHARE, validator=[validators.ge(0.0), validators.le(1.0)]
    )

    def __call__(self, principal: Principal, application_id: str) -> ScoringResult:
        authorize(principal, Permission.APPLICATION_SCORE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            application = load_application(self.uow, tenant_id, application_id)
            champion = self.uow.models.champion(tenant_id)
            if champion is None:
                raise NoChampion()
            scorer = self.models.load(champion)
            done = self.uow.scoring_results.for_model(
                tenant_id, application_id, scorer.model_version
            )
            if done is not None:
                return done
            journal = Journal.of(self.uow, principal, now)
            scoring = moved(application, ApplicationStatus.SCORING, now)
            in_force = policy_in_force(self.uow, tenant_id)
            result = self._score(scorer, scoring, in_force, now)
            self.uow.scoring_results.add(result)
            self._shadow(scoring, scorer.model_version, now)
            journal.audit(
                "application.scored",
                "application",
                application_id,
                new=_result_summary(result, in_force),
            )
            if result.routing.needs_review:
                self._enqueue(journal, scoring, result, in_force)
            else:
                self._decide(journal, scoring, result)
            routed = moved(scoring, _ROUTED_STATUS[result.routing.outcome], now)
            self.uow.applications.update(routed)
            journal.audit(
                "application.routed",
                "application",
                application_id,
                old=application_snapshot(application),
                new=application_snapshot(routed),
            )
            self.uow.commit()
            return result

    def _score(
        self, scorer: Scorer, application: Application, in_force: PolicyInForce, now: datetime
    ) -> ScoringResult:
        features = derive_features(application.form)
        model = scorer.score(application.form)
        return ScoringResult(
            tenant_id=application.tenant_id,
            application_id=application.id,
            scored_at=now,
            features=features,
            model=model,
            scorecard=self.scorecard.score(features.as_mapping()),
            risk_category=self.risk_bands.categorize(model.probability_of_default),
            routing=route(model.score, application.form.loan, in_force.policy),
        )

    def _shadow(self, application: Application, champion_version: str, now: datetime) -> None:
        """Each challenger's score of the application, when its share picks it; never decides."""
        if not shadow_share(application.id, self.shadow_share):
            return  # the pick depends on the application alone: the same for every challenger
        tenant_id = application.tenant_id
        for challenger in self.uow.models.challengers(tenant_id):
            try:
                model = self.models.load(challenger).score(application.form)
            except Exception as error:  # a broken challenger must not stop the decision
                _log.warning(
                    "challenger %s could not score application %s: %s",
                    challenger.version,
                    application.id,
                    type(error).__name__,
                )
                continue
            self.uow.shadow_scores.add(
                ShadowScore(
                    tenant_id=tenant_id,
                    application_id=application.id,
                    scored_at=now,
                    champion_version=champion_version,
                    model=model,
                )
            )

    def _enqueue(
        self,
        journal: Journal,
        application: Application,
        result: ScoringResult,
        in_force: PolicyInForce,
    ) -> None:
        entry = enqueue(
            entry_id=self.ids.new_id(),
            tenant_id=application.tenant_id,
            application_id=application.id,
            score=result.model.score,
            amount=application.form.loan.amount.amount,
            reasons=tuple(reason.value for reason in result.routing.reasons),
            now=journal.at,
            routing=in_force.policy,
            policy=self.queue_policy,
        )
        self.uow.queue.add(entry)
        journal.audit("queue.entered", "queue_entry", entry.id, new=snapshot(entry))

    def _decide(self, journal: Journal, application: Application, result: ScoringResult) -> None:
        reasons: tuple[tuple[str, str], ...] = ()
        if result.routing.outcome is RoutingOutcome.AUTO_DECLINE:
            cited = adverse_action_reasons(result.model.contribution_map(), self.reason_codes)
            reasons = tuple((reason.code, reason.statement) for reason in cited)
        decision = automatic_decision(
            result.routing,
            decision_id=self.ids.new_id(),
            tenant_id=application.tenant_id,
            application_id=application.id,
            loan=application.form.loan,
            now=journal.at,
            adverse_reasons=reasons,
        )
        self.uow.decisions.add(decision)
        journal.audit("decision.made", "decision", decision.id, new=snapshot(decision))
        journal.emit(
            self.ids,
            Topic.APPLICATION_DECIDED,
            {"application_id": application.id, "decision_id": decision.id},
        )
