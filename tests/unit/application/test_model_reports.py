"""Reading a version's evaluation report: its own files by name, nothing else of the store."""

from __future__ import annotations

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from application.credit.model_reports import (
    REPORT_FILES,
    REPORT_PLOTS,
    ReadModelReport,
    report_file_key,
)
from application.errors import NotFound
from domain.credit.model_registry import ModelVersion
from domain.errors import PermissionDenied
from domain.identity import Role
from tests.builders import OTHER_TENANT, a_model_version, a_principal
from tests.fakes import FakeTrainer
from tests.unit.application.model_desk import ADMIN, ModelDesk

ANALYST = a_principal(Role.ANALYST, user_id="user-ana")
READONLY = a_principal(Role.READONLY, user_id="user-ro")
FOLDER = "tenant-a/models/reports/abc"


@pytest.fixture
def desk() -> ModelDesk:
    return ModelDesk()


def _trained(desk: ModelDesk) -> ModelVersion:
    desk.history(12)
    return desk.train(ADMIN).version


def test_an_analyst_reads_the_plots_and_page_training_stored(desk: ModelDesk) -> None:
    version = _trained(desk).version
    read = ReadModelReport(desk.uow, desk.store)

    plot = read(ANALYST, version, "roc.png")
    page = read(ANALYST, version, "report.html")

    assert (plot.version, plot.name, plot.content_type) == (version, "roc.png", "image/png")
    assert plot.data == FakeTrainer.REPORT_FILES["roc.png"]
    assert (page.data, page.content_type) == (FakeTrainer.REPORT_FILES["report.html"], "text/html")


def test_reading_a_report_needs_analytics_view(desk: ModelDesk) -> None:
    version = _trained(desk).version

    with pytest.raises(PermissionDenied):
        ReadModelReport(desk.uow, desk.store)(READONLY, version, "roc.png")


def test_another_tenants_report_is_not_found(desk: ModelDesk) -> None:
    theirs = a_model_version("theirs", tenant_id=OTHER_TENANT)
    assert theirs.report_key is not None
    desk.store.put(theirs.report_key.replace("report.html", "roc.png"), b"\x89PNG", "image/png")
    desk.registered(theirs)

    with pytest.raises(NotFound):
        ReadModelReport(desk.uow, desk.store)(ANALYST, "theirs", "roc.png")
    owner = a_principal(Role.ANALYST, tenant_id=OTHER_TENANT)
    assert ReadModelReport(desk.uow, desk.store)(owner, "theirs", "roc.png").data == b"\x89PNG"


def test_a_version_without_a_report_or_unknown_is_not_found(desk: ModelDesk) -> None:
    desk.registered(evolve(a_model_version("bare"), report_key=None))
    read = ReadModelReport(desk.uow, desk.store)

    with pytest.raises(NotFound):
        read(ANALYST, "bare", "roc.png")
    with pytest.raises(NotFound):
        read(ANALYST, "never-trained", "roc.png")


def test_a_listed_name_the_folder_lacks_is_not_found(desk: ModelDesk) -> None:
    version = _trained(desk).version  # the fake trainer draws the ROC curve alone

    with pytest.raises(NotFound):
        ReadModelReport(desk.uow, desk.store)(ANALYST, version, "calibration.png")


@pytest.mark.parametrize(
    "name", ["model.bin", "../roc.png", "report.html/../roc.png", "", "ROC.PNG", "secret.csv"]
)
def test_no_other_object_is_reachable_by_name(desk: ModelDesk, name: str) -> None:
    version = _trained(desk)
    assert version.report_key is not None
    folder = version.report_key.rsplit("/", 1)[0]
    desk.store.put(f"{folder}/{name}", b"not a report file", "text/plain")
    desk.store.put(f"{folder}/../{name}", b"not a report file", "text/plain")

    with pytest.raises(NotFound):
        ReadModelReport(desk.uow, desk.store)(ANALYST, version.version, name)


def test_the_plots_are_the_report_files_in_png() -> None:
    assert REPORT_PLOTS == ("roc.png", "calibration.png", "scores.png", "contributions.png")
    assert set(REPORT_FILES) == {*REPORT_PLOTS, "report.html"}


@given(st.text())
def test_a_name_off_the_list_never_makes_a_key(name: str) -> None:
    key = report_file_key(f"{FOLDER}/report.html", name)
    if name in REPORT_FILES:
        assert key == f"{FOLDER}/{name}"
    else:
        assert key is None


@pytest.mark.parametrize("report_key", ["report.html", "/report.html", f"{FOLDER}/other.html"])
def test_a_report_key_naming_no_folder_of_a_page_makes_no_key(report_key: str) -> None:
    assert report_file_key(report_key, "roc.png") is None
