"""The daily model check: drift and data quality of the champion over the last day.

Run once a day for each tenant that has a champion (`MonitorModel` does the work, stores the
report and sends `model.drift_detected` when a feature needs watching). The window ends at the
start of the schedule's slot rather than at "now", so the report covers the same day whichever
scheduler runs it and however late it started. A tenant without a champion has nothing to check.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import frozen

from application.credit.monitor_model import MonitorModel
from application.credit.ports import UnitOfWork
from application.credit.ports.models import ModelLoader
from application.ports import Clock, IdGenerator
from domain.credit.model_monitoring import MonitoringReport
from domain.credit.monitoring import DEFAULT_DRIFT_THRESHOLDS, DriftThresholds
from domain.identity import Permission, Principal, authorize

DAY = timedelta(days=1)


@frozen
class DailyModelCheck:
    uow: UnitOfWork
    models: ModelLoader
    clock: Clock
    ids: IdGenerator
    thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS
    window: timedelta = DAY

    def __call__(
        self, principal: Principal, *, until: datetime | None = None
    ) -> MonitoringReport | None:
        """The report on the window ending at `until` (now by default); None without a
        champion. The principal needs config:manage, as for a run on demand."""
        authorize(principal, Permission.CONFIG_MANAGE)
        with self.uow:
            champion = self.uow.models.champion(principal.tenant_id)
        if champion is None:
            return None
        monitor = MonitorModel(
            self.uow, self.models, self.clock, self.ids, self.thresholds, self.window
        )
        return monitor(principal, until=until)
