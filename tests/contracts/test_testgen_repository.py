"""The contract of the test-generation repositories: specs and suites by tenant and hash,
reviews whose history only grows, the newest gate run, deliveries in order. The fake and the
SQL adapter on SQLite and PostgreSQL all pass it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from attrs import evolve

from adapters.sql import SqlUnitOfWork, create_engine_for
from adapters.sql.testgen_unit_of_work import SqlTestgenUnitOfWork
from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from application.testgen import ports
from application.testgen.views import DeliveryRecord
from domain.testgen.changes import SuiteChanges
from domain.testgen.delivery import DeliveryReceipt, DeliveryTarget
from domain.testgen.rendered import GateReport, TestOutcome
from domain.testgen.review import SuiteReview, TestReview, approve, mark_suspect, reject, with_test
from tests.builders import NOW, OTHER_TENANT, TENANT
from tests.contracts.parents import with_tenants
from tests.fakes import InMemoryDatabase, InMemoryUnitOfWork
from tests.testgen_fakes import InMemoryTestgenUnitOfWork, TestgenDatabase

Maker = Callable[[], ports.TestgenUnitOfWork]
HASH = "a" * 64
OTHER_HASH = "b" * 64
DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Pets — café", "version": "1.0"},
    "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}},
    "x-numbers": [1, 2.5, None, True],
}


def _stores(request: pytest.FixtureRequest) -> tuple[Callable[[], UnitOfWork], Maker]:
    if request.param == "memory":
        shared = InMemoryDatabase()
        testgen = TestgenDatabase(shared)
        return lambda: InMemoryUnitOfWork(shared), lambda: InMemoryTestgenUnitOfWork(testgen)
    fixture = "sqlite_database" if request.param == "sqlite" else "postgres_database"
    engine = create_engine_for(request.getfixturevalue(fixture))
    request.addfinalizer(engine.dispose)
    return lambda: SqlUnitOfWork(engine), lambda: SqlTestgenUnitOfWork(engine)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def new_uow(request: pytest.FixtureRequest) -> Maker:
    """Units of work over one fresh database holding the tenants TENANT and OTHER_TENANT."""
    credit, testgen = _stores(request)
    with credit() as uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.commit()
    return testgen


def a_spec(spec_hash: str = HASH, tenant_id: str = TENANT) -> ports.StoredSpec:
    return ports.StoredSpec(
        tenant_id=tenant_id,
        spec_hash=spec_hash,
        title="Pets — café",
        version="1.0",
        document=DOCUMENT,
        origin="upload",
        source="pets.yaml",
        created_at=NOW,
        created_by="user-qa",
    )


def a_suite(
    suite_id: str = "suite-1",
    spec_hash: str = HASH,
    tenant_id: str = TENANT,
    minutes: int = 0,
    previous_id: str | None = None,
) -> ports.StoredSuite:
    return ports.StoredSuite(
        tenant_id=tenant_id,
        id=suite_id,
        spec_hash=spec_hash,
        title="Pets — café",
        api_version="1.0",
        origin="upload",
        source="pets.yaml",
        previous_id=previous_id,
        changes=None if previous_id is None else SuiteChanges(("c1",), ("c2",), ("c9",)),
        cases=3,
        created_at=NOW + timedelta(minutes=minutes),
        created_by="user-qa",
        removed=() if previous_id is None else ("test_happy_path_delete_pet",),
    )


def a_review(spec_hash: str = HASH) -> SuiteReview:
    return SuiteReview(spec_hash, tuple(TestReview(case_id) for case_id in ("c3", "c1", "c2")))


def _stored(uow: ports.TestgenUnitOfWork, *suites: ports.StoredSuite) -> None:
    for suite in suites:
        if uow.specs.get(suite.tenant_id, suite.spec_hash) is None:
            uow.specs.add(a_spec(suite.spec_hash, suite.tenant_id))
        uow.suites.add(suite)


def test_a_spec_reads_back_as_stored_and_only_in_its_tenant(new_uow: Maker) -> None:
    with new_uow() as uow:
        uow.specs.add(a_spec())
        uow.commit()
    with new_uow() as uow:
        assert uow.specs.get(TENANT, HASH) == a_spec()
        assert uow.specs.get(OTHER_TENANT, HASH) is None
        with pytest.raises(AlreadyExists):
            uow.specs.add(a_spec())


def test_a_suite_is_found_by_id_and_spec_and_one_spec_has_one_suite(new_uow: Maker) -> None:
    with new_uow() as uow:
        _stored(uow, a_suite())
        uow.commit()
    with new_uow() as uow:
        assert uow.suites.get(TENANT, "suite-1") == a_suite()
        assert uow.suites.lock(TENANT, "suite-1") == a_suite()
        assert uow.suites.of_spec(TENANT, HASH) == a_suite()
        assert uow.suites.get(OTHER_TENANT, "suite-1") is None
        assert uow.suites.of_spec(OTHER_TENANT, HASH) is None
        with pytest.raises(AlreadyExists):
            uow.suites.add(a_suite("suite-2"))


def test_a_suite_needs_its_spec(new_uow: Maker) -> None:
    with new_uow() as uow, pytest.raises(RecordNotFound):
        uow.suites.add(a_suite())


def test_suites_list_newest_first_and_the_latest_of_a_title_is_the_newest(
    new_uow: Maker,
) -> None:
    first, second = (
        a_suite("suite-1"),
        a_suite("suite-2", OTHER_HASH, minutes=5, previous_id="suite-1"),
    )
    theirs = a_suite("suite-3", tenant_id=OTHER_TENANT, minutes=9)
    with new_uow() as uow:
        _stored(uow, first, second, theirs)
        uow.commit()
    with new_uow() as uow:
        assert uow.suites.list(TENANT) == [second, first]
        assert uow.suites.latest_of_title(TENANT, "Pets — café") == second
        assert uow.suites.latest_of_title(TENANT, "Cats") is None
        assert uow.suites.get(TENANT, "suite-2") == second  # changes read back too


def test_nothing_is_kept_without_a_commit(new_uow: Maker) -> None:
    with new_uow() as uow:
        _stored(uow, a_suite())
    with new_uow() as uow:
        assert uow.suites.list(TENANT) == []
        assert uow.specs.get(TENANT, HASH) is None


def test_a_review_reads_back_with_its_tests_in_case_id_order(new_uow: Maker) -> None:
    with new_uow() as uow:
        _stored(uow, a_suite())
        uow.reviews.add(TENANT, "suite-1", a_review())
        uow.commit()
    with new_uow() as uow:
        stored = uow.reviews.get(TENANT, "suite-1")
        assert stored is not None
        assert [t.case_id for t in stored.tests] == ["c1", "c2", "c3"]
        assert set(stored.tests) == set(a_review().tests)
        assert uow.reviews.get(OTHER_TENANT, "suite-1") is None
        with pytest.raises(AlreadyExists):
            uow.reviews.add(TENANT, "suite-1", a_review())


def _reviewed(review: SuiteReview) -> SuiteReview:
    tests = {t.case_id: t for t in review.tests}
    review = with_test(review, approve(tests["c1"], "user-qa", NOW, "looks right"))
    review = with_test(review, mark_suspect(tests["c2"], NOW))
    review = with_test(review, reject(tests["c3"], "user-qa", NOW, "duplicate of c1"))
    return approve(review, "user-lead", NOW + timedelta(minutes=1), "ship it")


def test_saving_a_review_keeps_every_move_and_comment(new_uow: Maker) -> None:
    with new_uow() as uow:
        _stored(uow, a_suite())
        uow.reviews.add(TENANT, "suite-1", a_review())
        uow.commit()
    with new_uow() as uow:
        stored = uow.reviews.get(TENANT, "suite-1")
        assert stored is not None
        reviewed = _reviewed(stored)
        uow.reviews.save(TENANT, "suite-1", reviewed)
        uow.commit()
    with new_uow() as uow:
        assert uow.reviews.get(TENANT, "suite-1") == reviewed
        assert uow.reviews.of_suites(TENANT, ["suite-1", "nope"]) == {"suite-1": reviewed}
        assert uow.reviews.of_suites(OTHER_TENANT, ["suite-1"]) == {}


def test_a_saved_review_cannot_rewrite_history_nor_change_its_tests(new_uow: Maker) -> None:
    with new_uow() as uow:
        _stored(uow, a_suite())
        uow.reviews.add(TENANT, "suite-1", _reviewed(a_review()))
        uow.commit()
    with new_uow() as uow:
        stored = uow.reviews.get(TENANT, "suite-1")
        assert stored is not None
        with pytest.raises(ValueError, match="rewritten"):
            uow.reviews.save(TENANT, "suite-1", evolve(stored, history=()))
        with pytest.raises(ValueError, match="same tests"):
            uow.reviews.save(TENANT, "suite-1", evolve(stored, tests=stored.tests[:2]))
        with pytest.raises(RecordNotFound):
            uow.reviews.save(OTHER_TENANT, "suite-1", stored)


def a_run(run_id: str, minutes: int, suite_id: str = "suite-1") -> ports.GateRun:
    report = GateReport(
        compile_errors=(("test_pets.py", "line 3: invalid syntax"),),
        collected=("test_pets.py::test_a",),
        outcomes=(TestOutcome("c1", "test_pets.py::test_a", False, "expected 201, got 500"),),
        ran=True,
        error=None if minutes else "collection failed",
    )
    return ports.GateRun(
        tenant_id=TENANT,
        id=run_id,
        suite_id=suite_id,
        base_url="http://127.0.0.1:8000" if minutes else None,
        report=report,
        ran_at=NOW + timedelta(minutes=minutes),
        ran_by="user-qa",
    )


def test_the_latest_gate_run_of_each_suite_is_the_newest(new_uow: Maker) -> None:
    runs = [a_run("run-1", 0), a_run("run-2", 7), a_run("run-3", 3), a_run("run-4", 1, "suite-2")]
    with new_uow() as uow:
        _stored(uow, a_suite(), a_suite("suite-2", OTHER_HASH))
        for run in runs:
            uow.gate_runs.add(run)
        uow.commit()
    with new_uow() as uow:
        assert uow.gate_runs.latest(TENANT, "suite-1") == runs[1]
        assert uow.gate_runs.latest(OTHER_TENANT, "suite-1") is None
        assert uow.gate_runs.latest_of(TENANT, ["suite-1", "suite-2", "suite-9"]) == {
            "suite-1": runs[1],
            "suite-2": runs[3],
        }
        with pytest.raises(AlreadyExists):
            uow.gate_runs.add(runs[0])


def a_delivery(delivery_id: str, minutes: int) -> DeliveryRecord:
    return DeliveryRecord(
        id=delivery_id,
        suite_id="suite-1",
        target=DeliveryTarget("https://git.example/pets.git", "tests/pets", "tests/api"),
        receipt=DeliveryReceipt("0" * 40, "tests/pets", ("tests/api/conftest.py",)),
        case_ids=("c1", "c2"),
        delivered_at=NOW + timedelta(minutes=minutes),
        delivered_by="user-qa",
    )


def test_deliveries_read_back_oldest_first_in_their_tenant(new_uow: Maker) -> None:
    later, earlier = a_delivery("delivery-1", 5), a_delivery("delivery-2", 1)
    with new_uow() as uow:
        _stored(uow, a_suite())
        uow.deliveries.add(TENANT, later)
        uow.deliveries.add(TENANT, earlier)
        uow.commit()
    with new_uow() as uow:
        assert uow.deliveries.of_suite(TENANT, "suite-1") == [earlier, later]
        assert uow.deliveries.of_suite(OTHER_TENANT, "suite-1") == []
        with pytest.raises(AlreadyExists):
            uow.deliveries.add(TENANT, later)
