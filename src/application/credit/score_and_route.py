"""What scoring one application (`ScoreApplication`) and many (`ScoreApplications`) share.

Both take pending applications of one tenant from pending through scoring to their routed
status in one transaction, in three steps:

1. the model work: the champion scores every form in one `score_batch` call (one form: the
   scorer's single-row path), each challenger scores its shadow share in one call, the
   domain's features are derived and the scorecard applied;
2. routing, in memory: each application is approved, declined (with adverse-action reasons)
   or queued by the policy in force, and everything that follows is built as values, audit
   events drafted (masked, diffed, written out for hashing) and ids drawn application by
   application, so scoring a list at once draws the ids, and writes the records and audit
   events, that scoring its applications one by one would;
3. one bulk write per table, the audit chain last.

The order is for the tenant's audit chain. Reading its head to append takes the chain's lock
until the transaction ends (on PostgreSQL an advisory lock per tenant), and every writer of the
tenant waits for it. Were the chain read first, two workers scoring chunks of one tenant's CSV
batch would take turns for the whole of their work, model included; with the model work done,
the events drafted and the other tables written before it, the lock covers only linking the
drafted events (a hash each), the chain's own write and the commit, and the workers overlap in
everything else.

The model scores the whole form (it may read more than the domain's features, such as the
lender's attributes), and its score routes the application (by the tenant's active routing
policy, or the shipped default until the tenant has one, which the audit event names); the
rule-based scorecard, over the domain's features, is kept beside it as the second, explainable
opinion. A decline cites the principal reasons from the model's own contributions
(`domain.credit.reasons`). A challenger scores, in shadow, the deterministic share of
applications `shadow_share` picks (a hash of the application id); its result is stored beside
the champion's and decides nothing, and a challenger that fails is logged and skipped, so a
broken experiment never holds up a decision.

With an `adviser` (only when a language model is configured), each application's routing then
passes through `domain.credit.second_opinion.with_second_opinion`: the opinion may send the case
to review, never decide it, and a fallback leaves the routing as it was. The record of each ask
is stored with the rest, and the `application.scored` event names its outcome. The model is
asked in step 2, before anything is written and before the chain's lock, so a slow answer holds
no lock (the ledger and cache commit on their own connections). Without an adviser nothing of
this runs, and the events are those of scoring before the feature existed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from attrs import field, frozen, validators

from application.credit.lifecycle import moved
from application.credit.ports import ModelLoader, OutboxMessage, Scorer, UnitOfWork
from application.credit.recording import AuditEntry, Journal, Topic
from application.credit.routing_policies import PolicyInForce, policy_in_force
from application.credit.second_opinion import SecondOpinionAdviser
from application.credit.snapshots import application_snapshots, snapshot
from application.errors import NoChampion
from application.ports import Clock, IdGenerator
from domain.audit_drafts import EventDraft
from domain.credit.application import Application
from domain.credit.decisions import Decision, automatic_decision
from domain.credit.defaults import DEFAULT_SCORECARD
from domain.credit.features import derive_features
from domain.credit.model_registry import shadow_share
from domain.credit.queue import QueueEntry, QueuePolicy, enqueue
from domain.credit.reasons import DEFAULT_REASON_CODES, ReasonCodeTable, adverse_action_reasons
from domain.credit.routing import RoutingOutcome, route
from domain.credit.scorecard import Scorecard
from domain.credit.scoring import ModelScore, RiskBands, ScoringResult, ShadowScore
from domain.credit.second_opinion_record import SecondOpinionRecord
from domain.credit.status import ApplicationStatus
from domain.pii import JsonValue

_log = logging.getLogger(__name__)

#: The share of applications each challenger scores in shadow, unless configured otherwise.
DEFAULT_SHADOW_SHARE = 0.2

_ROUTED_STATUS = {
    RoutingOutcome.AUTO_APPROVE: ApplicationStatus.APPROVED,
    RoutingOutcome.AUTO_DECLINE: ApplicationStatus.DECLINED,
    RoutingOutcome.HUMAN_REVIEW: ApplicationStatus.REVIEW,
}


def _result_summary(
    result: ScoringResult, in_force: PolicyInForce, opinion: SecondOpinionRecord | None
) -> dict[str, JsonValue]:
    summary: dict[str, JsonValue] = {
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
    if opinion is not None:  # only with an adviser: the events of scoring without are unchanged
        summary["second_opinion"] = {
            "id": opinion.id,
            "outcome": opinion.outcome.value,
            **({"cause": opinion.fallback_cause} if opinion.fallback_cause else {}),
            "routing_changed": opinion.routing_changed,
        }
    return summary


@frozen
class _Routed:
    """One application scored and routed: everything it writes, built before any of it is."""

    application: Application
    result: ScoringResult
    decision: Decision | None
    entry: QueueEntry | None
    audit: tuple[EventDraft, ...]
    messages: tuple[OutboxMessage, ...]
    opinion: SecondOpinionRecord | None = None


@frozen
class ScoreAndRoute:
    """The ports and settings of a scoring use case, and the steps the two share."""

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
    #: Asks a language model for a second opinion on each application, which may only send it
    #: to review (`with_second_opinion`); None (the default) asks nothing and costs nothing.
    adviser: SecondOpinionAdviser | None = None

    def _champion(self, tenant_id: str) -> Scorer:
        """The tenant's champion, loaded; `NoChampion` rather than a guess when it has none."""
        champion = self.uow.models.champion(tenant_id)
        if champion is None:
            raise NoChampion()
        return self.models.load(champion)

    def _score_and_route(
        self, journal: Journal, pending: Sequence[Application], scorer: Scorer
    ) -> list[ScoringResult]:
        """Score, route and write `pending` (the journal's tenant's, in that order); the
        caller commits. `IllegalTransition` if one of them is not pending."""
        if not pending:
            return []
        now = journal.at
        scoring = [moved(application, ApplicationStatus.SCORING, now) for application in pending]
        forms = [application.form for application in scoring]
        scores = [scorer.score(forms[0])] if len(forms) == 1 else scorer.score_batch(forms)
        shadows = self._shadows(scoring, scorer.model_version, now)
        in_force = policy_in_force(self.uow, journal.tenant_id)
        routed = [
            self._routed(journal, *each, in_force)
            for each in zip(pending, scoring, scores, strict=True)
        ]
        self._store(journal, routed, shadows)
        return [item.result for item in routed]

    def _shadows(
        self, scoring: Sequence[Application], champion_version: str, now: datetime
    ) -> list[ShadowScore]:
        """Each challenger's scores of the applications its share picks; they never decide."""
        # The pick depends on the application alone: the same for every challenger.
        picked = [a for a in scoring if shadow_share(a.id, self.shadow_share)]
        if not picked:
            return []
        shadows: list[ShadowScore] = []
        for challenger in self.uow.models.challengers(picked[0].tenant_id):
            try:
                scores = self.models.load(challenger).score_batch([a.form for a in picked])
            except Exception as error:  # a broken challenger must not stop the decisions
                _log.warning(
                    "challenger %s could not score %d applications (the first: %s): %s",
                    challenger.version,
                    len(picked),
                    picked[0].id,
                    type(error).__name__,
                )
                continue
            shadows.extend(
                ShadowScore(
                    tenant_id=application.tenant_id,
                    application_id=application.id,
                    scored_at=now,
                    champion_version=champion_version,
                    model=score,
                )
                for application, score in zip(picked, scores, strict=True)
            )
        return shadows

    def _routed(
        self,
        journal: Journal,
        pending: Application,
        application: Application,
        score: ModelScore,
        in_force: PolicyInForce,
    ) -> _Routed:
        """The result of `application` (`pending` moved to scoring), the decision or queue
        entry the policy in force leads to, and their audit events: scored, then the decision
        made or the queue entered, then routed (from the pending snapshot to the routed one)."""
        features = derive_features(application.form)
        result = ScoringResult(
            tenant_id=application.tenant_id,
            application_id=application.id,
            scored_at=journal.at,
            features=features,
            model=score,
            scorecard=self.scorecard.score(features.as_mapping()),
            risk_category=self.risk_bands.categorize(score.probability_of_default),
            routing=route(score.score, application.form.loan, in_force.policy),
        )
        opinion = None
        if self.adviser is not None:
            result, opinion = self.adviser.while_scoring(result, application.form.loan)
        scored = AuditEntry(
            "application.scored",
            "application",
            application.id,
            new=_result_summary(result, in_force, opinion),
        )
        decision, entry = None, None
        messages: tuple[OutboxMessage, ...] = ()
        if result.routing.needs_review:
            entry = self._enqueue(journal, application, result, in_force)
            made = AuditEntry("queue.entered", "queue_entry", entry.id, new=snapshot(entry))
        else:
            decision = self._decide(journal, application, result)
            made = AuditEntry("decision.made", "decision", decision.id, new=snapshot(decision))
            payload = {"application_id": application.id, "decision_id": decision.id}
            messages = (journal.message(self.ids, Topic.APPLICATION_DECIDED, payload),)
        routed = moved(application, _ROUTED_STATUS[result.routing.outcome], journal.at)
        old, new = application_snapshots(pending, routed)
        moved_on = AuditEntry("application.routed", "application", routed.id, old=old, new=new)
        drafts = tuple(journal.draft(each) for each in (scored, made, moved_on))
        return _Routed(routed, result, decision, entry, drafts, messages, opinion)

    def _enqueue(
        self,
        journal: Journal,
        application: Application,
        result: ScoringResult,
        in_force: PolicyInForce,
    ) -> QueueEntry:
        return enqueue(
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

    def _decide(
        self, journal: Journal, application: Application, result: ScoringResult
    ) -> Decision:
        reasons: tuple[tuple[str, str], ...] = ()
        if result.routing.outcome is RoutingOutcome.AUTO_DECLINE:
            cited = adverse_action_reasons(result.model.contribution_map(), self.reason_codes)
            reasons = tuple((reason.code, reason.statement) for reason in cited)
        return automatic_decision(
            result.routing,
            decision_id=self.ids.new_id(),
            tenant_id=application.tenant_id,
            application_id=application.id,
            loan=application.form.loan,
            now=journal.at,
            adverse_reasons=reasons,
        )

    def _store(
        self, journal: Journal, routed: Sequence[_Routed], shadows: Sequence[ShadowScore]
    ) -> None:
        """One write per table; the audit chain last, as its lock is held until the commit."""
        uow = self.uow
        uow.applications.update_many([item.application for item in routed])
        uow.scoring_results.add_many([item.result for item in routed])
        uow.shadow_scores.add_many(shadows)
        uow.decisions.add_many([item.decision for item in routed if item.decision is not None])
        uow.queue.add_many([item.entry for item in routed if item.entry is not None])
        uow.outbox.add_many([message for item in routed for message in item.messages])
        if self.adviser is not None:
            uow.second_opinions.add_many([i.opinion for i in routed if i.opinion is not None])
        journal.audit_drafted([draft for item in routed for draft in item.audit])
