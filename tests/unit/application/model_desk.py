"""The model registry's use cases wired over the fakes, for the training and promotion tests."""

from __future__ import annotations

from typing import Any

from application.credit.import_history import ImportHistory
from application.credit.model_promotions import (
    ApprovePromotion,
    ListModels,
    RejectPromotion,
    RequestPromotion,
)
from application.credit.ports import OutboxMessage
from application.credit.train_model import TrainModel
from domain.audit import AuditEvent
from domain.credit.model_registry import ModelVersion
from domain.identity import Principal, Role
from tests.builders import NOW, TENANT, a_principal, a_tenant, an_application_form
from tests.fakes import (
    FakeTrainer,
    FixedClock,
    InMemoryDatabase,
    InMemoryObjectStore,
    InMemoryUnitOfWork,
    SequentialIds,
)

ADMIN = a_principal(Role.ADMIN, user_id="user-adm")
ADMIN_2 = a_principal(Role.ADMIN, user_id="user-adm2")
SENIOR = a_principal(Role.SENIOR_ANALYST, user_id="user-sen")  # no config:manage
MIN_PER_OUTCOME = 3


class ModelDesk:
    """One tenant's registry over an in-memory database, object store and fake trainer."""

    def __init__(self) -> None:
        self.db = InMemoryDatabase()
        self.uow = InMemoryUnitOfWork(self.db)
        self.clock = FixedClock(NOW)
        self.ids = SequentialIds("msg-")
        self.store = InMemoryObjectStore()
        self.trainer = FakeTrainer()
        self.train = TrainModel(
            self.uow,
            self.clock,
            self.ids,
            self.store,
            self.trainer,
            min_per_outcome=MIN_PER_OUTCOME,
        )
        self.request = RequestPromotion(self.uow, self.clock, self.ids)
        self.approve = ApprovePromotion(self.uow, self.clock, self.ids)
        self.reject = RejectPromotion(self.uow, self.clock, self.ids)
        self.list_models = ListModels(self.uow)
        with self.uow:
            self.uow.tenants.add(a_tenant(id=TENANT, slug=TENANT))
            self.uow.commit()

    def history(
        self, count: int, *, source: str = "credit_data", prefix: str = "H", by: Principal = ADMIN
    ) -> None:
        """Import `count` loans of `source`; every third one defaulted."""
        rows = [
            (an_application_form(external_id=f"{prefix}-{n}"), n % 3 == 0)
            for n in range(1, count + 1)
        ]
        ImportHistory(self.uow, self.clock, SequentialIds(f"{prefix}-app-"))(by, source, rows)

    def registered(self, *versions: ModelVersion) -> None:
        with self.uow:
            for version in versions:
                self.uow.models.add(version)
            self.uow.commit()

    def model(self, version: str, tenant_id: str = TENANT) -> ModelVersion:
        with self.uow:
            found = self.uow.models.get(tenant_id, version)
        assert found is not None
        return found

    def events(self) -> list[AuditEvent]:
        with self.uow:
            return self.uow.audit.events(TENANT)

    def messages(self) -> list[OutboxMessage]:
        with self.uow:
            return self.uow.outbox.pending(1000)

    def stored(self) -> dict[str, dict[Any, Any]]:
        """Every committed row of every table: equal before and after means nothing written."""
        return {
            name: dict(table.rows)
            for name, table in vars(self.db).items()
            if hasattr(table, "rows")
        }
