"""A credit desk whose scoring asks a scripted language model for second opinions."""

from __future__ import annotations

import json
from collections.abc import Sequence

from adapters.llm.answers import CattrsAnswerReader
from application.credit.score_application import ScoreApplication
from application.credit.score_applications import ScoreApplications
from application.credit.second_opinion import SecondOpinionAdviser
from application.credit.second_opinion_requests import ListSecondOpinions, RequestSecondOpinion
from application.llm.gateway import LlmBudget, LlmGateway
from domain.credit.second_opinion_record import SecondOpinionRecord
from domain.credit.status import ApplicationStatus
from tests.builders import TENANT
from tests.llm_fakes import InMemoryLlmCache, InMemoryUsageLedger, ScriptedModel
from tests.unit.application.helpers import Desk, OneModelLoader, scorer_giving


def answer(
    suggested: str = "approve", risk: str = "low", confidence: float = 0.8, **extra: object
) -> str:
    """A conforming answer's JSON text (`extra` adds or replaces keys)."""
    body: dict[str, object] = {
        "suggested_outcome": suggested,
        "risk_level": risk,
        "key_factors": [{"name": "Debt to income", "evidence": "0.21: well within reach"}],
        "confidence": confidence,
    }
    body.update(extra)
    return json.dumps(body)


class OpinionDesk(Desk):
    """The desk, a scripted model behind a real gateway (fake cache and ledger), and the
    second-opinion use cases."""

    def __init__(self, *, configured: bool = True, budget: LlmBudget | None = None) -> None:
        super().__init__()
        self.model = ScriptedModel()
        self.cache = InMemoryLlmCache()
        self.ledger = InMemoryUsageLedger()
        self.gateway = LlmGateway(
            model=self.model if configured else None,
            reader=CattrsAnswerReader(),
            cache=self.cache,
            ledger=self.ledger,
            clock=self.clock,
            budget=budget or LlmBudget(),
        )
        self.adviser = SecondOpinionAdviser(self.gateway, self.ids)
        self.request_opinion = RequestSecondOpinion(self.uow, self.clock, self.adviser)
        self.list_opinions = ListSecondOpinions(self.uow)

    def advised_scoring(self, pd: float) -> ScoreApplication:
        return ScoreApplication(
            self.uow, self.clock, self.ids, OneModelLoader(scorer_giving(pd)), adviser=self.adviser
        )

    def advised_batch(self, pd: float) -> ScoreApplications:
        return ScoreApplications(
            self.uow, self.clock, self.ids, OneModelLoader(scorer_giving(pd)), adviser=self.adviser
        )

    def status(self, application_id: str) -> ApplicationStatus:
        found = self.application(application_id)
        assert found is not None
        return found.status

    def opinions(self, application_id: str) -> Sequence[SecondOpinionRecord]:
        return self.read(lambda uow: uow.second_opinions.of_application(TENANT, application_id))
