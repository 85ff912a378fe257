"""Everything about one application on one screen: the case as an analyst or examiner reads it."""

from __future__ import annotations

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.queries import SimilarCase
from application.errors import NotFound
from domain.credit.application import Application
from domain.credit.decisions import Decision
from domain.credit.queue import QueueEntry
from domain.credit.scoring import ScoringResult
from domain.identity import Permission, Principal, authorize, can

SIMILAR_CASES = 5


@frozen
class ApplicationDetail:
    """The application with its latest scoring result, its open queue entry (if any), every
    decision on it oldest first, and the nearest decided cases with their outcome."""

    application: Application
    scoring: ScoringResult | None
    queue_entry: QueueEntry | None
    decisions: tuple[Decision, ...]
    similar: tuple[SimilarCase, ...]


@frozen
class GetApplicationDetail:
    uow: UnitOfWork

    def __call__(self, principal: Principal, application_id: str) -> ApplicationDetail:
        """Decisions are shown only to people holding decision:view."""
        authorize(principal, Permission.APPLICATION_VIEW)
        tenant_id = principal.tenant_id
        with self.uow:
            application = self.uow.applications.get(tenant_id, application_id)
            if application is None:
                raise NotFound("application", application_id)
            scoring = self.uow.scoring_results.latest(tenant_id, application_id)
            similar = (
                ()
                if scoring is None
                else tuple(
                    self.uow.scoring_results.similar(
                        tenant_id,
                        scoring.features,
                        exclude_application_id=application_id,
                        limit=SIMILAR_CASES,
                    )
                )
            )
            decisions = (
                tuple(self.uow.decisions.for_application(tenant_id, application_id))
                if can(principal, Permission.DECISION_VIEW)
                else ()
            )
            return ApplicationDetail(
                application=application,
                scoring=scoring,
                queue_entry=self.uow.queue.open_for_application(tenant_id, application_id),
                decisions=decisions,
                similar=similar,
            )
