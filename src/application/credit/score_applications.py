"""Score and route many pending applications of a tenant at once (the rows of a CSV batch).

The same scoring as `ScoreApplication`, under the same permission, with the same results,
records and audit events as scoring the applications one by one in the order given; but the
applications are read in one query, the champion scores them in one vectorised `score_batch`
call (each challenger its shadow share in one more), and everything is written with one bulk
write per table, in one transaction: all of them or none. So the storage costs little per
application beside the model itself, and two workers scoring chunks of one tenant hold the
tenant's audit chain only for its own write (see `score_and_route`).

Delivery of a batch's scoring job is at least once, so the call is idempotent: an application
that is no longer pending is skipped, and one the champion already scored gives its stored
result, so a replay returns what the first run did and writes nothing. Ids the tenant has no
application under are refused (`NotFound`, naming them) before anything is scored or written:
the caller passes its own applications, so a missing one is a bug to report, not a row to drop.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from application.credit.recording import Journal
from application.credit.score_and_route import ScoreAndRoute
from application.errors import NotFound
from domain.credit.scoring import ScoringResult
from domain.credit.status import ApplicationStatus
from domain.identity import Permission, Principal, authorize


@frozen
class ScoreApplications(ScoreAndRoute):
    def __call__(self, principal: Principal, application_ids: Sequence[str]) -> list[ScoringResult]:
        """The champion's result for each application it scored, now or before, in the order
        of `application_ids` (each id once); cancelled applications, and those another model
        version routed, are left out."""
        authorize(principal, Permission.APPLICATION_SCORE)
        wanted = list(dict.fromkeys(application_ids))
        if not wanted:
            return []
        tenant_id = principal.tenant_id
        now = self.clock.now()
        with self.uow:
            found = self.uow.applications.get_many(tenant_id, wanted)
            missing = [application_id for application_id in wanted if application_id not in found]
            if missing:
                raise NotFound(
                    "application" if len(missing) == 1 else "applications", ", ".join(missing)
                )
            scorer = self._champion(tenant_id)
            pending = [found[i] for i in wanted if found[i].status is ApplicationStatus.PENDING]
            # Scoring moves an application out of pending in the transaction that stores its
            # result, so only those no longer pending can have one.
            settled = [i for i in wanted if found[i].status is not ApplicationStatus.PENDING]
            stored = self.uow.scoring_results.for_model_many(
                tenant_id, settled, scorer.model_version
            )
            journal = Journal.of(self.uow, principal, now)
            results = {r.application_id: r for r in self._score_and_route(journal, pending, scorer)}
            if pending:
                self.uow.commit()
        results.update(stored)
        return [results[i] for i in wanted if i in results]
