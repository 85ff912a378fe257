"""One credit desk wired over the fakes, the people who use it, and short cuts to a case in a
given state, so each use-case test spells out only the step it is about."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from application.credit.admin import CreateTenant, CreateUser, ListUsers, UpdateUser
from application.credit.application_detail import GetApplicationDetail
from application.credit.audit import QueryAudit, VerifyAuditChain
from application.credit.decide import DecideCase
from application.credit.fulfil_condition import FulfilCondition
from application.credit.list_applications import ListApplications
from application.credit.overrides import ApproveOverride, ListPendingOverrides, RejectOverride
from application.credit.queue_views import ListQueue, SummarizeQueue
from application.credit.queue_work import AssignCase, ReleaseCase, StartCase
from application.credit.score_application import ScoreApplication
from application.credit.submit_application import SubmitApplication
from application.credit.thresholds import (
    ActiveThresholds,
    ApproveThresholds,
    ListThresholdVersions,
    ProposeThresholds,
    RejectThresholds,
)
from application.credit.update_application import CancelApplication, UpdateApplication
from domain.audit import AuditEvent
from domain.credit.application import Application, ApplicationForm, LoanPurpose
from domain.credit.decisions import Decision, DecisionDraft, DecisionType, Terms
from domain.credit.model_registry import ModelStage, ModelVersion
from domain.credit.queue import QueueEntry
from domain.credit.scoring import ModelScore
from domain.identity import Permission, Principal, Role
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    a_model_version,
    a_principal,
    a_user,
    an_application_form,
    eur,
)
from tests.fakes import (
    FakeExplainer,
    FakePasswordHasher,
    FakeScorer,
    FixedClock,
    InMemoryDatabase,
    InMemoryUnitOfWork,
    SequentialIds,
)

T = TypeVar("T")

#: The version each tenant's desk registers as its champion (`Desk.scoring` picks the model).
DESK_CHAMPION = "fake-logistic-1"

ANALYST = a_principal(Role.ANALYST, user_id="user-ana")
COLLEAGUE = a_principal(Role.ANALYST, user_id="user-bob")
SENIOR = a_principal(Role.SENIOR_ANALYST, user_id="user-sen")
SENIOR_2 = a_principal(Role.SENIOR_ANALYST, user_id="user-sen2")
ADMIN = a_principal(Role.ADMIN, user_id="user-adm")
ADMIN_2 = a_principal(Role.ADMIN, user_id="user-adm2")
LENDER = a_principal(Role.API_CONSUMER, user_id="svc-lender")
READONLY = a_principal(Role.READONLY, user_id="user-ro")
WORKER = Principal(
    "system", TENANT, Role.READONLY, extra_grants=frozenset({Permission.APPLICATION_SCORE})
)
OUTSIDER = a_principal(Role.ADMIN, user_id="user-elsewhere", tenant_id=OTHER_TENANT)
OUTSIDE_WORKER = Principal(
    "system", OTHER_TENANT, Role.READONLY, extra_grants=frozenset({Permission.APPLICATION_SCORE})
)
STAFF = (ANALYST, COLLEAGUE, SENIOR, SENIOR_2, ADMIN, ADMIN_2, READONLY)

# Probabilities of default the default policy routes to approve, review and decline.
APPROVE_PD, REVIEW_PD, DECLINE_PD = 0.01, 0.06, 0.30
JUSTIFICATION = "The applicant's new contract doubles her income from next month; payslip seen."
DECLINE_REASONING = "Debt service would take more than half of the net monthly income."


def scorer_giving(
    pd: float, *, version: str = "fake-logistic-1", form: ApplicationForm | None = None
) -> FakeScorer:
    """The fake logistic model, shifted so that the default form scores exactly `pd`."""
    contributions = FakeExplainer().explain(form or an_application_form())
    base = math.log(pd / (1 - pd)) - math.fsum(value for _name, value in contributions)
    return FakeScorer(base_value=base, model_version=version)


class BrokenScorer(FakeScorer):
    """A model server that fails mid-request."""

    def __init__(self) -> None:
        super().__init__(model_version="broken-1")

    def score(self, form: ApplicationForm) -> ModelScore:
        raise RuntimeError("model server went away")

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        raise RuntimeError("model server went away")


class OneModelLoader:
    """Serves one model whatever version the registry names.

    The lifecycle tests are about what happens around a score, not about which model gives
    it: the desk registers one champion per tenant, and each test picks the model behind it.
    (The registry's part, champion and challengers, is tested with `FakeModelLoader`.)
    """

    def __init__(self, model: FakeScorer) -> None:
        self.model = model

    def load(self, version: ModelVersion) -> FakeScorer:
        return self.model


def approval(amount: int = 12_000, justification: str | None = None) -> DecisionDraft:
    return DecisionDraft(
        DecisionType.ANALYST_APPROVE,
        terms=Terms(eur(amount), 48, Decimal("7.9")),
        override_justification=justification,
    )


def decline(justification: str | None = None) -> DecisionDraft:
    return DecisionDraft(
        DecisionType.ANALYST_DECLINE,
        reasoning=DECLINE_REASONING,
        override_justification=justification,
    )


class Desk:
    """Every credit use case over one in-memory database, a fixed clock and predictable ids."""

    def __init__(self, scorer: FakeScorer | None = None) -> None:
        self.db = InMemoryDatabase()
        self.uow = InMemoryUnitOfWork(self.db)
        self.clock = FixedClock(NOW)
        self.ids = SequentialIds()
        self.hasher = FakePasswordHasher()
        uow, clock, ids = self.uow, self.clock, self.ids
        self.submit = SubmitApplication(uow, clock, ids)
        self.list_applications = ListApplications(uow)
        self.detail = GetApplicationDetail(uow)
        self.update = UpdateApplication(uow, clock)
        self.cancel = CancelApplication(uow, clock)
        self.score = self.scoring(scorer or scorer_giving(REVIEW_PD))
        self.list_queue = ListQueue(uow)
        self.summarize_queue = SummarizeQueue(uow, clock)
        self.assign = AssignCase(uow, clock, ids)
        self.start = StartCase(uow, clock)
        self.release = ReleaseCase(uow, clock)
        self.decide = DecideCase(uow, clock, ids)
        self.pending_overrides = ListPendingOverrides(uow)
        self.approve_override = ApproveOverride(uow, clock, ids)
        self.reject_override = RejectOverride(uow, clock, ids)
        self.fulfil = FulfilCondition(uow, clock)
        self.propose = ProposeThresholds(uow, clock)
        self.approve_thresholds = ApproveThresholds(uow, clock)
        self.reject_thresholds = RejectThresholds(uow, clock)
        self.threshold_versions = ListThresholdVersions(uow)
        self.active_thresholds = ActiveThresholds(uow)
        self.create_tenant = CreateTenant(uow, clock, ids, self.hasher)
        self.create_user = CreateUser(uow, clock, ids, self.hasher)
        self.update_user = UpdateUser(uow, clock, self.hasher)
        self.list_users = ListUsers(uow)
        self.query_audit = QueryAudit(uow)
        self.verify_audit = VerifyAuditChain(uow)
        self._hire_staff()

    def scoring(self, scorer: FakeScorer) -> ScoreApplication:
        """Scoring with `scorer` as the champion's model."""
        return ScoreApplication(self.uow, self.clock, self.ids, OneModelLoader(scorer))

    def _register_champions(self) -> None:
        for tenant_id in (TENANT, OTHER_TENANT):
            champion = a_model_version(
                DESK_CHAMPION, tenant_id=tenant_id, stage=ModelStage.CHAMPION
            )
            self.uow.models.add(champion)

    def _hire_staff(self) -> None:
        """The tenant's people, and the champion model each tenant scores with."""
        with self.uow:
            for person in STAFF:
                self.uow.users.add(
                    a_user(
                        id=person.user_id, email=f"{person.user_id}@example.com", role=person.role
                    )
                )
            self._register_champions()
            self.uow.commit()

    # --- reading the state back, each in its own transaction -------------------------------

    def read(self, look: Callable[[InMemoryUnitOfWork], T]) -> T:
        with self.uow:
            return look(self.uow)

    def application(self, application_id: str, tenant_id: str = TENANT) -> Application | None:
        return self.read(lambda uow: uow.applications.get(tenant_id, application_id))

    def entry_of(self, application_id: str) -> QueueEntry | None:
        return self.read(lambda uow: uow.queue.open_for_application(TENANT, application_id))

    def decisions_of(self, application_id: str) -> list[Decision]:
        return self.read(lambda uow: uow.decisions.for_application(TENANT, application_id))

    def events(self, tenant_id: str = TENANT) -> list[AuditEvent]:
        return self.read(lambda uow: uow.audit.events(tenant_id))

    def topics(self) -> list[str]:
        return [m.topic for m in self.read(lambda uow: uow.outbox.pending(1000))]

    def stored(self) -> dict[str, dict[Any, Any]]:
        """Every committed row of every table: equal before and after means nothing written."""
        return {
            name: dict(table.rows)
            for name, table in vars(self.db).items()
            if hasattr(table, "rows")
        }

    # --- short cuts to a case in a given state ---------------------------------------------

    def submitted(self, external_id: str = "LND-1", **form: Any) -> Application:
        return self.submit(LENDER, an_application_form(external_id=external_id, **form)).application

    def in_review(
        self, external_id: str = "LND-1", *, model_declines: bool = False
    ) -> tuple[Application, QueueEntry]:
        """A case waiting in the queue. With `model_declines` the model would have declined
        it, but the policy sends business loans to a person: approving it is an override."""
        if model_declines:
            application = self.submitted(external_id, purpose=LoanPurpose.BUSINESS)
            self.scoring(scorer_giving(DECLINE_PD))(WORKER, application.id)
        else:
            application = self.submitted(external_id)
            self.score(WORKER, application.id)
        entry = self.entry_of(application.id)
        assert entry is not None
        return application, entry

    def held(
        self,
        external_id: str = "LND-1",
        analyst: Principal = ANALYST,
        *,
        model_declines: bool = False,
    ) -> tuple[Application, QueueEntry]:
        application, entry = self.in_review(external_id, model_declines=model_declines)
        self.assign(analyst, entry.id)
        return application, self.start(analyst, entry.id)

    def routed(self, pd: float, external_id: str = "LND-1") -> Application:
        application = self.submitted(external_id)
        self.scoring(scorer_giving(pd))(WORKER, application.id)
        found = self.application(application.id)
        assert found is not None
        return found
