"""The contract of `BatchRepository`, and of the bulk application writes a batch's chunk uses
(`ApplicationRepository.add_many` and `ids_by_external_id`): every implementation passes it,
the fake and the SQL adapter on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from attrs import evolve

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.batches import Batch, RowError, chunk_read, new_batch, plan_chunks
from domain.credit.status import ApplicationStatus
from tests.builders import NOW, OTHER_TENANT, TENANT, an_application
from tests.contracts.parents import with_parents, with_tenants


def a_batch(batch_id: str = "batch-1", tenant_id: str = TENANT, **changes: Any) -> Batch:
    batch = new_batch(
        batch_id=batch_id,
        tenant_id=tenant_id,
        file_name="march.csv",
        object_key=f"{tenant_id}/batches/{batch_id}.csv",
        sha256="0" * 64,
        size=5_000,
        uploaded_by="svc-lender",
        total_rows=1_000,
        now=NOW,
    )
    return evolve(batch, **changes)


def test_a_batch_comes_back_exactly_and_moves_on(uow: UnitOfWork) -> None:
    batch = a_batch(idempotency_key="march-1")
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.batches.add(batch)
        uow.commit()
    (chunk,) = plan_chunks(TENANT, batch.id, [(300, 10)])
    moved, _read = chunk_read(batch, chunk, accepted=7, now=NOW)
    with uow:
        assert uow.batches.get(TENANT, batch.id) == batch
        assert uow.batches.lock(TENANT, batch.id) == batch
        uow.batches.update(moved)
        uow.commit()
    with uow:
        assert uow.batches.get(TENANT, batch.id) == moved
        assert uow.batches.by_idempotency_key(TENANT, "march-1") == moved
        assert uow.batches.by_idempotency_key(TENANT, "march-2") is None
        assert uow.batches.get(OTHER_TENANT, batch.id) is None
        assert uow.batches.by_idempotency_key(OTHER_TENANT, "march-1") is None


def test_an_id_or_an_idempotency_key_names_one_batch_per_tenant(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.batches.add(a_batch("b-1", idempotency_key="k"))
        uow.batches.add(a_batch("b-2"))
        uow.batches.add(a_batch("b-3"))  # batches without a key never clash
        uow.batches.add(a_batch("b-1", OTHER_TENANT, idempotency_key="k"))
        with pytest.raises(AlreadyExists):
            uow.batches.add(a_batch("b-1"))
        with pytest.raises(AlreadyExists):
            uow.batches.add(a_batch("b-4", idempotency_key="k"))
        with pytest.raises(RecordNotFound):
            uow.batches.update(a_batch("b-9"))


def test_recent_batches_come_newest_first(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        for number, minutes in ((1, 0), (2, 5), (3, 5), (4, 1)):
            created = NOW + timedelta(minutes=minutes)
            uow.batches.add(a_batch(f"b-{number}", created_at=created))
        uow.batches.add(a_batch("b-9", OTHER_TENANT))
        uow.commit()
    with uow:
        assert [b.id for b in uow.batches.recent(TENANT, limit=3)] == ["b-3", "b-2", "b-4"]
        assert uow.batches.recent(TENANT, limit=0) == []


def test_chunks_are_planned_once_and_found_by_first_row_or_offset(uow: UnitOfWork) -> None:
    chunks = plan_chunks(TENANT, "batch-1", [(300, 1_000), (2_147_483_900, 500)])
    with uow:
        with_tenants(uow, TENANT)
        uow.batches.add(a_batch())
        uow.batches.add_chunks(chunks)
        uow.batches.add_chunks([])
        with pytest.raises(AlreadyExists):
            uow.batches.add_chunks(plan_chunks(TENANT, "batch-1", [(9, 1)]))
        uow.commit()
    read = evolve(chunks[1], read=True, accepted=490, scored=12)
    with uow:
        assert uow.batches.chunk(TENANT, "batch-1", 1) == chunks[0]
        assert uow.batches.chunk(TENANT, "batch-1", 2) is None
        assert uow.batches.chunk_at(TENANT, "batch-1", 2_147_483_900) == chunks[1]
        assert uow.batches.chunk_at(TENANT, "batch-1", 301) is None
        assert uow.batches.chunk_at(OTHER_TENANT, "batch-1", 300) is None
        uow.batches.update_chunk(read)
        with pytest.raises(RecordNotFound):
            uow.batches.update_chunk(evolve(read, first_row=2))
        uow.commit()
    with uow:
        assert uow.batches.chunk(TENANT, "batch-1", 1_001) == read


def _batch_with_applications(uow: UnitOfWork, statuses: list[ApplicationStatus]) -> list[str]:
    ids = [f"app-{n}" for n in range(1, len(statuses) + 1)]
    with_parents(uow)
    uow.applications.add_many(
        [an_application(id=i, status=status) for i, status in zip(ids, statuses, strict=True)]
    )
    uow.batches.add(a_batch())
    return ids


def test_rows_name_their_applications_and_count_those_past_scoring(uow: UnitOfWork) -> None:
    statuses = [
        ApplicationStatus.PENDING,
        ApplicationStatus.REVIEW,
        ApplicationStatus.APPROVED,
        ApplicationStatus.SCORING,
        ApplicationStatus.CANCELLED,
    ]
    with uow:
        ids = _batch_with_applications(uow, statuses)
        uow.batches.add_rows(TENANT, "batch-1", [(9, ids[0]), (2, ids[1]), (4, ids[2])])
        uow.batches.add_rows(TENANT, "batch-1", [(12, ids[3]), (13, ids[4])])
        uow.commit()
    with uow:
        assert uow.batches.applications_in_rows(TENANT, "batch-1", 1, 10) == [
            "app-2",
            "app-3",
            "app-1",
        ]
        assert uow.batches.applications_in_rows(TENANT, "batch-1", 10, 13) == ["app-4", "app-5"]
        assert uow.batches.count_settled(TENANT, "batch-1", 1, 13) == 3
        assert uow.batches.count_settled(TENANT, "batch-1", 10, 13) == 1
        assert uow.batches.applications_in_rows(OTHER_TENANT, "batch-1", 1, 13) == []


def test_a_row_becomes_an_application_once_and_a_refused_write_stores_none(
    uow: UnitOfWork,
) -> None:
    with uow:
        ids = _batch_with_applications(uow, [ApplicationStatus.PENDING] * 3)
        uow.batches.add_rows(TENANT, "batch-1", [(1, ids[0])])
        with pytest.raises(AlreadyExists):
            uow.batches.add_rows(TENANT, "batch-1", [(2, ids[1]), (1, ids[2])])
        uow.commit()
    with uow:
        assert uow.batches.applications_in_rows(TENANT, "batch-1", 1, 3) == ["app-1"]


def test_problems_come_back_by_row_each_rows_in_their_order(uow: UnitOfWork) -> None:
    errors = [
        RowError(7, "email", "must be an email address such as name@example.com"),
        RowError(7, "currency", "must be a three-letter ISO 4217 code like EUR"),
        RowError(3, "(row)", "a quoted field is not closed before the end of the file"),
        RowError(7, "attr_car_price", "must be at most 200 characters"),
    ]
    with uow:
        with_tenants(uow, TENANT)
        uow.batches.add(a_batch())
        uow.batches.add_errors(TENANT, "batch-1", errors)
        uow.batches.add_errors(TENANT, "batch-1", [RowError(9, "city", "is required")])
        uow.batches.add_errors(TENANT, "batch-1", [])
        uow.commit()
    with uow:
        assert uow.batches.errors(TENANT, "batch-1", 1, 100) == [
            errors[2],
            errors[0],
            errors[1],
            errors[3],
            RowError(9, "city", "is required"),
        ]
        assert uow.batches.errors(TENANT, "batch-1", 4, 8) == [errors[0], errors[1], errors[3]]
        assert uow.batches.errors(OTHER_TENANT, "batch-1", 1, 100) == []


def test_applications_are_added_in_bulk_all_or_none(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, tenant_id=TENANT, application_ids=["app-1"])
        with_tenants(uow, OTHER_TENANT)
        taken = an_application(id="app-2", external_id="LND-app-1")
        with pytest.raises(AlreadyExists):
            uow.applications.add_many([an_application(id="app-3"), taken])
        uow.applications.add_many([an_application(id="app-4"), an_application(id="app-5")])
        uow.applications.add_many([an_application(id="app-1", tenant_id=OTHER_TENANT)])
        uow.applications.add_many([])
        uow.commit()
    with uow:
        assert uow.applications.get(TENANT, "app-3") is None
        assert uow.applications.get(TENANT, "app-5") == an_application(id="app-5")
        assert uow.applications.ids_by_external_id(
            TENANT, ["LND-app-1", "LND-app-5", "LND-app-9", "LND-app-1"]
        ) == {"LND-app-1": "app-1", "LND-app-5": "app-5"}
        assert uow.applications.ids_by_external_id(OTHER_TENANT, ["LND-app-5"]) == {}
        assert uow.applications.ids_by_external_id(TENANT, []) == {}


def test_bulk_lookups_of_external_ids_take_any_number(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow)
        uow.applications.add_many([an_application(id=f"a{n}") for n in range(2_500)])
        uow.commit()
    with uow:
        wanted = [f"LND-a{n}" for n in range(0, 5_000, 2)]
        found = uow.applications.ids_by_external_id(TENANT, wanted)
        assert len(found) == 1_250
        assert found["LND-a2498"] == "a2498"
