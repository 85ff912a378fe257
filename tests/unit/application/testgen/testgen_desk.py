"""A test-generation desk over in-memory fakes, with small stand-ins for generation,
rendering, the quality gate and git, so the use cases are tested on exactly what they do:
storing, comparing, reviewing, marking suspects and choosing what to deliver."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from application.testgen.service import TestgenService
from application.testgen.views import SpecUpload
from domain.audit import AuditEvent
from domain.identity import Principal, Role
from domain.testgen.cases import (
    Expectation,
    Request,
    Rule,
    Suite,
    TestCase,
    group_of,
    suite_of,
)
from domain.testgen.delivery import DeliveryReceipt, DeliveryTarget
from domain.testgen.openapi import ApiSpec
from domain.testgen.rendered import (
    GateReport,
    GateTarget,
    RenderedFile,
    RenderedSuite,
    TestOutcome,
)
from domain.testgen.targets import Allowlist
from tests.builders import TENANT, a_principal
from tests.fakes import FixedClock, SequentialIds
from tests.testgen_fakes import InMemoryTestgenUnitOfWork, TestgenDatabase

QA = a_principal(Role.QA_ENGINEER)
ANALYST = a_principal(Role.ANALYST)
STRANGER = a_principal(Role.QA_ENGINEER, user_id="user-stranger", tenant_id="tenant-b")
#: What the desk's gates and deliveries may reach unless a test says otherwise.
GATE_URLS = ("http://127.0.0.1:8123",)
REPOSITORIES = ("https://git.example/pets.git",)


def a_spec(version: str = "1.0.0", paths: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A small API titled "Pets": list and create pets, read one, plus any `paths` given."""
    ok = {"description": "ok"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": version},
        "paths": {
            "/pets": {
                "get": {"operationId": "listPets", "responses": {"200": ok}},
                "post": {"operationId": "createPet", "responses": {"201": ok}},
            },
            "/pets/{petId}": {
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {"operationId": "showPet", "responses": {"200": ok, "404": ok}},
            },
            **(paths or {}),
        },
    }


def upload(document: Mapping[str, Any]) -> SpecUpload:
    return SpecUpload(json.dumps(document).encode(), "upload", "pets.json")


def one_case_per_operation(spec: ApiSpec, spec_hash: str) -> Suite:
    """Generation as far as these tests need it: a happy path per operation, expecting its
    first documented status."""
    cases = [
        TestCase(
            rule=Rule.HAPPY_PATH,
            operation_id=operation.operation_id or operation.method,
            method=operation.method,
            path=operation.path,
            location=operation.location,
            request=Request(),
            expectation=Expectation(status=operation.responses[0].status),
            title=f"{operation.operation_id} answers as documented",
        )
        for operation in spec.operations
    ]
    return suite_of(spec_hash, cases)


class JsonLoader:
    def load(self, content: bytes) -> Mapping[str, object]:
        loaded = json.loads(content)
        assert isinstance(loaded, dict)
        return loaded


class PlainRenderer:
    """One module per group; a function's text names its request and expected status, so a
    changed expectation changes the source."""

    def __init__(self) -> None:
        self.rendered: list[Suite] = []

    def case_source(
        self, suite: Suite, spec: ApiSpec, document: Mapping[str, object], case_id: str
    ) -> str:
        case = next(c for c in suite.cases if c.id == case_id)
        return (
            f"def {suite.name_of(case)}():\n"
            f"    check({case.method!r}, {case.path!r}, {case.expectation.status!r})\n"
        )

    def render(self, suite: Suite, spec: ApiSpec, document: Mapping[str, object]) -> RenderedSuite:
        self.rendered.append(suite)
        modules: dict[str, list[str]] = {}
        for case in suite.cases:
            modules.setdefault(f"test_{group_of(case)}.py", []).append(
                self.case_source(suite, spec, document, case.id)
            )
        return RenderedSuite(
            files=tuple(RenderedFile(path, "\n".join(texts)) for path, texts in modules.items()),
            functions=tuple(
                (case.id, f"test_{group_of(case)}.py::{suite.name_of(case)}")
                for case in suite.cases
            ),
        )


class ScriptedGate:
    """Fails the tests of the operations named in `failing` when given a target."""

    def __init__(self, *failing: str) -> None:
        self.failing = failing
        self.targets: list[GateTarget | None] = []

    def check(self, rendered: RenderedSuite, target: GateTarget | None) -> GateReport:
        self.targets.append(target)
        outcomes = tuple(
            TestOutcome(case_id, nodeid, not any(name in nodeid for name in self.failing))
            for case_id, nodeid in rendered.functions
        )
        collected = tuple(nodeid for _case_id, nodeid in rendered.functions)
        ran = target is not None
        return GateReport((), collected, outcomes if ran else (), ran)


class RecordingRepository:
    def __init__(self) -> None:
        self.deliveries: list[tuple[DeliveryTarget, tuple[RenderedFile, ...], str]] = []

    def deliver(
        self, target: DeliveryTarget, files: tuple[RenderedFile, ...], message: str
    ) -> DeliveryReceipt:
        self.deliveries.append((target, files, message))
        paths = tuple(f"{target.directory}/{file.path}" for file in files)
        return DeliveryReceipt("c0ffee" * 6 + "beef", target.branch, paths)


class TestgenDesk:
    """The service over fresh fakes, and a look at what they hold."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        *failing: str,
        gate_urls: tuple[str, ...] = GATE_URLS,
        repositories: tuple[str, ...] = REPOSITORIES,
    ) -> None:
        self.database = TestgenDatabase()
        self.clock = FixedClock()
        self.renderer = PlainRenderer()
        self.gate = ScriptedGate(*failing)
        self.repository = RecordingRepository()
        self.service = TestgenService(
            uow=lambda: InMemoryTestgenUnitOfWork(self.database),
            clock=self.clock,
            ids=SequentialIds("suite-"),
            loader=JsonLoader(),
            renderer=self.renderer,
            gate=self.gate,
            repository=self.repository,
            generate=one_case_per_operation,
            gate_urls=Allowlist("CREDITDESK_TESTGEN_GATE_URLS", gate_urls),
            repositories=Allowlist("CREDITDESK_TESTGEN_REPOSITORIES", repositories),
        )

    def events(self, tenant_id: str = TENANT) -> list[AuditEvent]:
        uow = InMemoryTestgenUnitOfWork(self.database)
        with uow:
            return uow.audit.events(tenant_id)

    def actions(self, tenant_id: str = TENANT) -> list[str]:
        return [event.action for event in self.events(tenant_id)]

    def submitted(self, principal: Principal = QA) -> str:
        return self.service.submit(principal, upload(a_spec())).suite_id
