"""Monitoring the champion: drift and data quality of a window, stored, audited and alerted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.monitor_model import ListMonitoringReports, MonitorModel, NoTrainingProfile
from application.credit.recording import Topic
from application.errors import NoChampion
from domain.credit.application import ApplicationForm
from domain.credit.model_monitoring import FeatureProfile
from domain.credit.model_registry import ModelStage
from domain.credit.monitoring import DriftLevel, feature_drift
from domain.errors import PermissionDenied
from tests.builders import TENANT, a_model_version, an_application_form, eur
from tests.fakes import FakeModelLoader, FakeScorer
from tests.unit.application.helpers import ADMIN, ANALYST, DESK_CHAMPION, LENDER, WORKER, Desk


def _forms(amounts: list[int], prefix: str) -> list[ApplicationForm]:
    return [
        an_application_form(external_id=f"{prefix}-{i}", amount=eur(amount))
        for i, amount in enumerate(amounts)
    ]


TRAINING = _forms([4_000 + 100 * i for i in range(120)], "train")


def _champion(training: list[ApplicationForm] = TRAINING) -> FakeScorer:
    plain = FakeScorer(model_version=DESK_CHAMPION)
    columns = plain.columns(training)
    profiles = [
        FeatureProfile(name, tuple(sorted(values)), 0.0) for name, values in columns.items()
    ]
    return FakeScorer(model_version=DESK_CHAMPION, profiles=profiles)


def _monitor(desk: Desk, model: FakeScorer | None = None) -> MonitorModel:
    return MonitorModel(desk.uow, FakeModelLoader(model or _champion()), desk.clock, desk.ids)


def _submit(desk: Desk, forms: list[ApplicationForm]) -> None:
    """Submitted and scored: monitoring reads the applications the champion scored."""
    for form in forms:
        desk.score(WORKER, desk.submit(LENDER, form).application.id)
    desk.clock.advance(timedelta(minutes=1))


def test_applications_like_the_training_ones_are_stable_and_raise_no_alert() -> None:
    desk = Desk()
    _submit(desk, _forms([4_050 + 100 * i for i in range(120)], "live"))

    report = _monitor(desk)(ADMIN)

    assert report.level is DriftLevel.STABLE
    assert report.alerts == ()
    assert report.quality.rows == 120
    assert report.quality.duplicates == 0
    assert {d.feature for d in report.drift} == set(_champion().feature_names) - set(
        report.unmeasured
    )
    assert Topic.MODEL_DRIFT_DETECTED not in desk.topics()
    assert [e.action for e in desk.events()][-1] == "model.monitored"
    assert ListMonitoringReports(desk.uow)(ANALYST) == [report]


def test_a_shifted_population_is_flagged_stored_and_alerted_once() -> None:
    desk = Desk()
    shifted = _forms([9_000 + 100 * i for i in range(120)], "live")
    _submit(desk, shifted)

    report = _monitor(desk)(ADMIN)

    assert report.level is DriftLevel.ACT
    flagged = {d.feature: d for d in report.alerts}
    assert "payment_to_income" in flagged
    expected = feature_drift(
        "payment_to_income",
        _champion().profiles()[1].quantiles,
        _champion().columns(shifted)["payment_to_income"],
    )
    assert flagged["payment_to_income"] == expected
    assert desk.topics().count(Topic.MODEL_DRIFT_DETECTED) == 1
    message = next(
        m
        for m in desk.read(lambda uow: uow.outbox.pending(1000))
        if m.topic == Topic.MODEL_DRIFT_DETECTED
    )
    assert message.payload["report_id"] == report.id
    assert "payment_to_income" in str(message.payload["features"])
    assert desk.read(lambda uow: uow.monitoring.get(TENANT, report.id)) == report


def test_the_window_leaves_out_older_applications_and_counts_duplicates() -> None:
    desk = Desk()
    _submit(desk, _forms([30_000] * 40, "old"))  # far off, but before the window
    desk.clock.advance(timedelta(days=40))
    live = _forms([4_000 + 100 * i for i in range(60)], "live")  # 5,000 is among them
    resubmitted = _forms([5_000] * 3, "again")  # the same applicant under new references
    _submit(desk, [*live, *resubmitted])

    report = _monitor(desk)(ADMIN)

    assert report.quality.rows == 63
    assert report.quality.duplicates == 3
    assert report.window_end - report.window_start == timedelta(days=30)


def test_a_thin_window_is_reported_unmeasured_not_guessed() -> None:
    desk = Desk()
    _submit(desk, _forms([5_000, 6_000, 7_000], "live"))
    for form in _forms([30_000] * 40, "unscored"):  # pending, or imported history: not live
        desk.submit(LENDER, form)
    desk.clock.advance(timedelta(minutes=1))

    report = _monitor(desk)(ADMIN)

    assert report.drift == ()
    assert set(report.unmeasured) == set(_champion().feature_names)
    assert report.level is DriftLevel.STABLE
    assert report.quality.rows == 3


def test_monitoring_needs_a_champion_with_a_profile_and_the_right_person() -> None:
    desk = Desk()
    before = desk.stored()
    with pytest.raises(NoTrainingProfile):
        _monitor(desk, FakeScorer(model_version=DESK_CHAMPION))(ADMIN)
    with pytest.raises(PermissionDenied):
        _monitor(desk)(ANALYST)
    with pytest.raises(PermissionDenied):
        ListMonitoringReports(desk.uow)(LENDER)
    assert desk.stored() == before
    with desk.uow:
        desk.uow.models.update(a_model_version(DESK_CHAMPION, stage=ModelStage.RETIRED))
        desk.uow.commit()
    with pytest.raises(NoChampion):
        _monitor(desk)(ADMIN)


def test_reports_list_newest_first_and_within_the_limit() -> None:
    desk = Desk()
    _submit(desk, _forms([5_000] * 40, "live"))
    reports = []
    for _ in range(3):
        reports.append(_monitor(desk)(ADMIN))
        desk.clock.advance(timedelta(hours=1))

    assert ListMonitoringReports(desk.uow)(ANALYST, limit=2) == reports[::-1][:2]
