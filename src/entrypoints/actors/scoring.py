"""Scoring: one application, by the tenant's champion, routed in the same transaction."""

from __future__ import annotations

import logging

import dramatiq

from adapters.queue.broker import QUEUE
from application.credit.recording import Topic
from application.credit.score_application import ScoreApplication
from domain.errors import IllegalTransition
from entrypoints.actors.common import PERMANENT, again_on_race, worker_principal
from entrypoints.composition import Deps
from entrypoints.scoring_metrics import timed_scoring
from entrypoints.second_opinion_wiring import scoring_adviser

_log = logging.getLogger(__name__)


def register(broker: dramatiq.Broker, deps: Deps) -> frozenset[str]:
    def score_application(tenant_id: str, application_id: str) -> None:
        score = ScoreApplication(
            deps.uow(),
            deps.clock,
            deps.ids,
            deps.models,
            shadow_share=deps.settings.shadow_share,
            adviser=scoring_adviser(deps),
        )
        try:
            with timed_scoring("application"):
                again_on_race(lambda: score(worker_principal(tenant_id), application_id))
        except IllegalTransition:  # routed or cancelled meanwhile: nothing left to do
            _log.info("application %s is no longer pending; scoring skipped", application_id)

    dramatiq.actor(
        actor_name=Topic.SCORE_APPLICATION, queue_name=QUEUE, broker=broker, throws=PERMANENT
    )(score_application)
    return frozenset({Topic.SCORE_APPLICATION})
