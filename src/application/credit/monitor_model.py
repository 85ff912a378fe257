"""Monitoring the champion: drift and data quality of recent applications, stored and alerted.

A run reads the live applications submitted in a window (the last 30 days by default, newest first,
at most `max_rows`; live means scored, which leaves out imported history), has the champion encode
them as it would to score them, and compares each feature with the profile the model kept from
training (`domain.credit.model_monitoring`). The report is stored for the dashboard with an audit
event; when any feature reaches the watch level an alert leaves through the outbox
(`model.drift_detected`) in the same transaction, so it is sent exactly when the report exists.

Meant to run on a schedule (daily, say) and on demand; runs never change a model, they tell the
people who may.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import evolve, field, frozen

from application.credit.ports import UnitOfWork
from application.credit.ports.models import ModelLoader
from application.credit.queries import ApplicationQuery, Cursor, SortOrder
from application.credit.recording import Journal, Topic
from application.errors import NoChampion
from application.ports import Clock, IdGenerator
from domain.credit.application import Application, ApplicationForm, form_fingerprint
from domain.credit.model_monitoring import MonitoringReport, examine
from domain.credit.monitoring import DEFAULT_DRIFT_THRESHOLDS, DriftLevel, DriftThresholds
from domain.errors import ConflictError, Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize
from domain.pii import JsonValue

DEFAULT_WINDOW = timedelta(days=30)
DEFAULT_MAX_ROWS = 5_000
_PAGE = 100


class NoTrainingProfile(ConflictError):
    """The champion was stored without feature profiles, so there is nothing to compare with."""

    def __init__(self, version: str) -> None:
        super().__init__(
            f"model {version} keeps no training profile of its features; "
            "retrain it to monitor drift"
        )


def _content_fingerprint(form: ApplicationForm) -> str:
    """The form's fingerprint without the lender's own reference, which a resubmission of the
    same applicant changes: two applications alike in everything else count as duplicates."""
    return form_fingerprint(evolve(form, external_id=""))


def _summary(report: MonitoringReport) -> dict[str, JsonValue]:
    return {
        "model_version": report.model_version,
        "level": report.level.value,
        "rows": report.quality.rows,
        "window_start": report.window_start.isoformat(),
        "window_end": report.window_end.isoformat(),
        "alerts": [f"{d.feature}:{d.level.value}" for d in report.alerts],
    }


@frozen
class MonitorModel:
    uow: UnitOfWork
    models: ModelLoader
    clock: Clock
    ids: IdGenerator
    thresholds: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS
    window: timedelta = DEFAULT_WINDOW
    max_rows: int = field(default=DEFAULT_MAX_ROWS)

    def __call__(self, principal: Principal, *, until: datetime | None = None) -> MonitoringReport:
        """Monitor the window ending at `until` (now by default) and store the report."""
        authorize(principal, Permission.CONFIG_MANAGE)
        if self.window <= timedelta(0) or self.max_rows < 1:
            raise ValidationFailed((Problem("window", "a window is a positive span and size"),))
        now = self.clock.now()
        end = until or now
        start = end - self.window
        tenant_id = principal.tenant_id
        with self.uow:
            champion = self.uow.models.champion(tenant_id)
            if champion is None:
                raise NoChampion()
            applications = self._window(tenant_id, start, end)
        model = self.models.load(champion)
        profiles = model.profiles()
        if not profiles:
            raise NoTrainingProfile(champion.version)
        forms = [a.form for a in applications]
        findings = examine(
            profiles,
            model.columns(forms) if forms else {p.feature: [] for p in profiles},
            [_content_fingerprint(form) for form in forms],
            thresholds=self.thresholds,
        )
        report = MonitoringReport(
            id=self.ids.new_id(),
            tenant_id=tenant_id,
            model_version=champion.version,
            created_at=now,
            window_start=start,
            window_end=end,
            thresholds=self.thresholds,
            drift=findings.drift,
            unmeasured=findings.unmeasured,
            quality=findings.quality,
        )
        with self.uow:
            self.uow.monitoring.add(report)
            journal = Journal.of(self.uow, principal, now)
            journal.audit("model.monitored", "monitoring_report", report.id, new=_summary(report))
            if report.level is not DriftLevel.STABLE:
                journal.emit(
                    self.ids,
                    Topic.MODEL_DRIFT_DETECTED,
                    {
                        "report_id": report.id,
                        "model_version": report.model_version,
                        "level": report.level.value,
                        "features": ",".join(d.feature for d in report.alerts),
                    },
                )
            self.uow.commit()
        return report

    def _window(self, tenant_id: str, start: datetime, end: datetime) -> list[Application]:
        """The newest `max_rows` applications submitted in [start, end), a keyset page at a
        time."""
        found: list[Application] = []
        cursor: Cursor | None = None
        while len(found) < self.max_rows:
            page = self.uow.applications.search(
                tenant_id,
                ApplicationQuery(
                    created_from=start,
                    created_to=end,
                    scored_only=True,
                    order=SortOrder.DESC,
                    page_size=min(_PAGE, self.max_rows - len(found)),
                    cursor=cursor,
                    count_limit=0,  # the total is not wanted: count as little as possible
                ),
            )
            found.extend(listed.application for listed in page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        return found


@frozen
class ListMonitoringReports:
    """The latest monitoring reports, newest first, for the dashboard."""

    uow: UnitOfWork

    def __call__(self, principal: Principal, *, limit: int = 20) -> list[MonitoringReport]:
        authorize(principal, Permission.ANALYTICS_VIEW)
        if not 1 <= limit <= 100:
            raise ValidationFailed((Problem("limit", "between 1 and 100 reports"),))
        with self.uow:
            return self.uow.monitoring.recent(principal.tenant_id, limit=limit)
