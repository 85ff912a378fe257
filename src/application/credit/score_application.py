"""Score a pending application and route it: decided by the machine, or queued for a person.

One transaction takes the application from pending through scoring to its routed status, with
the stored result, the decision or queue entry, and their audit events; if anything fails
(the model, a rule, the database) nothing of it is stored. Delivery of the scoring job is at
least once, so scoring is idempotent per application and model version: a second run with the
same model returns the stored result and writes nothing.

The model that scores is the tenant's champion in the model registry, loaded through the
`ModelLoader` (once per process); with no champion, scoring refuses (`NoChampion`) rather than
guess. How an application is scored, routed and written, challengers in shadow included, is
`ScoreAndRoute`'s, which scoring many at once (`ScoreApplications`) shares.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.lifecycle import load_application
from application.credit.recording import Journal
from application.credit.score_and_route import DEFAULT_SHADOW_SHARE, ScoreAndRoute
from domain.credit.scoring import ScoringResult
from domain.identity import Permission, Principal, authorize

__all__ = ["DEFAULT_SHADOW_SHARE", "ScoreApplication"]


@frozen
class ScoreApplication(ScoreAndRoute):
    def __call__(self, principal: Principal, application_id: str) -> ScoringResult:
        """The application's result; `NotFound` if the tenant has no such application, and
        `IllegalTransition` if it is neither pending nor scored by the champion (cancelled, or
        routed by another model version)."""
        authorize(principal, Permission.APPLICATION_SCORE)
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            application = load_application(self.uow, tenant_id, application_id)
            scorer = self._champion(tenant_id)
            done = self.uow.scoring_results.for_model(
                tenant_id, application_id, scorer.model_version
            )
            if done is not None:
                return done
            journal = Journal.of(self.uow, principal, now)
            (result,) = self._score_and_route(journal, [application], scorer)
            self.uow.commit()
            return result
