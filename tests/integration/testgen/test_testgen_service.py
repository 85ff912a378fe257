"""The test-generation facade wired as composition wires it, on a real database: a spec in
JSON and the same spec in YAML make one suite; the gate compiles and collects the rendered
pytest files; approved tests are committed to a real git repository; every change is in the
tenant's audit chain, which still verifies."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from adapters.sql import SqlUnitOfWork, create_engine_for
from adapters.sql.testgen_unit_of_work import SqlTestgenUnitOfWork
from adapters.testgen.git_delivery import GitDelivery
from adapters.testgen.pytest_gate import PytestQualityGate
from adapters.testgen.renderer import PytestRenderer
from adapters.testgen.spec_loader import JsonYamlSpecLoader
from application.errors import NotFound
from application.testgen.service import TestgenService
from application.testgen.views import SpecUpload
from domain.audit_verification import verify_chain
from domain.errors import ValidationFailed
from domain.identity import Role
from domain.testgen.delivery import DeliveryTarget
from domain.testgen.rendered import GateTarget
from domain.testgen.review import ReviewState
from domain.testgen.targets import Allowlist
from tests.builders import OTHER_TENANT, TENANT, a_principal
from tests.contracts.parents import with_tenants
from tests.fakes import FixedClock, SequentialIds
from tests.unit.domain.testgen.specs import petstore_30

pytestmark = pytest.mark.integration

QA = a_principal(Role.QA_ENGINEER)
STRANGER = a_principal(Role.QA_ENGINEER, tenant_id=OTHER_TENANT)


@pytest.fixture(params=["sqlite_database", "postgres_database"])
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestgenService]:
    engine = create_engine_for(request.getfixturevalue(request.param))
    with SqlUnitOfWork(engine) as uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.commit()
    yield TestgenService(
        uow=lambda: SqlTestgenUnitOfWork(engine),
        clock=FixedClock(),
        ids=SequentialIds("tg-"),
        loader=JsonYamlSpecLoader(),
        renderer=PytestRenderer(),
        gate=PytestQualityGate(timeout_s=120),
        repository=GitDelivery(tmp_path / "clones", "Test Bot", "bot@example.invalid"),
        gate_urls=Allowlist("CREDITDESK_TESTGEN_GATE_URLS"),
        repositories=Allowlist("CREDITDESK_TESTGEN_REPOSITORIES", (str(tmp_path / "allowed"),)),
    )
    engine.dispose()


def _events(service: TestgenService) -> list[str]:
    uow = service.uow()
    with uow:
        events = uow.audit.events(TENANT)
    assert verify_chain(events).ok
    return [event.action for event in events]


def test_a_spec_goes_from_upload_to_a_commit_of_its_approved_tests(
    service: TestgenService, tmp_path: Path
) -> None:
    spec = petstore_30()
    first = service.submit(QA, SpecUpload(json.dumps(spec).encode(), "upload", "pets.json"))
    again = service.submit(QA, SpecUpload(yaml.safe_dump(spec).encode(), "cli", "pets.yaml"))
    assert first.created
    assert (again.created, again.suite_id) == (False, first.suite_id)
    assert first.cases > 10

    detail = service.suite(QA, first.suite_id)
    assert len(detail.cases) == first.cases
    assert all(case.source.lstrip().startswith(("def ", "@")) for case in detail.cases)
    assert all(case.module.startswith("test_") for case in detail.cases)
    with pytest.raises(NotFound):
        service.suite(STRANGER, first.suite_id)

    report = service.run_gate(QA, first.suite_id, None)
    assert report.compile_errors == ()
    assert len(report.collected) >= first.cases
    assert service.suites(QA)[0].gate == "passed"

    chosen = [case.case.id for case in detail.cases[:3]]
    assert service.bulk_approve(QA, first.suite_id, chosen).approved == tuple(chosen)
    remote, outside = tmp_path / "allowed" / "remote.git", tmp_path / "outside.git"
    for bare in (remote, outside):
        subprocess.run(  # noqa: S603 - a fixed git command
            ["git", "init", "--quiet", "--bare", str(bare)],  # noqa: S607
            check=True,
            capture_output=True,
        )
    with pytest.raises(ValidationFailed, match="CREDITDESK_TESTGEN_REPOSITORIES"):
        service.deliver(QA, first.suite_id, DeliveryTarget(str(outside), "tests/pets"))
    with pytest.raises(ValidationFailed, match="CREDITDESK_TESTGEN_GATE_URLS"):
        service.run_gate(QA, first.suite_id, GateTarget("http://127.0.0.1:9"))
    assert service.suite(QA, first.suite_id).deliveries == ()
    assert not (outside / "refs" / "heads" / "tests" / "pets").exists()
    receipt = service.deliver(QA, first.suite_id, DeliveryTarget(str(remote), "tests/pets"))
    assert receipt.committed
    assert any(path.endswith("conftest.py") for path in receipt.files)
    [delivery] = service.suite(QA, first.suite_id).deliveries
    assert set(delivery.case_ids) == set(chosen)
    summary = service.suites(QA)[0]
    assert dict(summary.counts)[ReviewState.APPROVED] == 3
    assert _events(service) == [
        "testgen.suite_submitted",
        "testgen.gate_run",
        "testgen.tests_approved",
        "testgen.suite_delivered",
    ]
